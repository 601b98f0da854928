"""Satisfaction surveys: a signed, expiring link sent to the caller when a ticket is resolved
(incident) or fulfilled (request); one answer per ticket; CSAT for the dashboard.

The link carries the ticket in a ``TimestampSigner`` token (salted), so the survey page needs
no login: whoever holds the link may answer, once, until it expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from steward.core import notifications
from steward.core import workflow as wf
from steward.itsm.models import Incident, ServiceRequest, SurveyResponse

SALT = "steward.itsm.survey"
SURVEY_NOTIFICATION = "itsm.survey"
KINDS = {"incident": Incident, "request": ServiceRequest}
#: States in which a ticket may still be rated (a reopened incident may not).
RATEABLE = {"incident": ("resolved", "closed"), "request": ("fulfilled", "closed")}


class SurveyRefused(Exception):
    """The link is invalid, expired, already answered or no longer applies; the message says which."""


@dataclass
class SurveyTicket:
    kind: str
    ticket: Any


def survey_token(ticket: Any) -> str:
    kind = "incident" if isinstance(ticket, Incident) else "request"
    return signing.TimestampSigner(salt=SALT).sign_object({"k": kind, "id": ticket.pk})


def survey_url(ticket: Any) -> str:
    return reverse("portal:survey", args=[survey_token(ticket)])


def open_survey(token: str) -> SurveyTicket:
    """The ticket a link is for; ``SurveyRefused`` with a clear reason if it may not be answered."""
    max_age = settings.ITSM_SURVEY_DAYS * 86400
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired:
        raise SurveyRefused(_("This survey link has expired.")) from None
    except signing.BadSignature:
        raise SurveyRefused(_("This survey link is not valid.")) from None
    model = KINDS.get(data.get("k")) if isinstance(data, dict) else None
    ticket = model._default_manager.filter(pk=data.get("id")).first() if model is not None else None
    if ticket is None:
        raise SurveyRefused(_("This survey link is not valid."))
    kind = data["k"]
    if SurveyResponse.objects.filter(**{kind: ticket}).exists():
        raise SurveyRefused(_("This survey was already answered. Thank you!"))
    if ticket.state not in RATEABLE[kind]:
        raise SurveyRefused(_("%s was reopened; this survey is closed.") % ticket.reference)
    return SurveyTicket(kind, ticket)


@transaction.atomic
def answer_survey(*, token: str, rating: Any, comment: str = "") -> SurveyResponse:
    """Record the one answer of the ticket behind ``token``; refused clearly otherwise."""
    found = open_survey(token)
    try:
        value = int(rating)
    except (TypeError, ValueError):
        raise ValidationError({"rating": _("Choose a rating from 1 to 5.")}) from None
    ticket = found.ticket
    respondent = ticket.caller if found.kind == "incident" else ticket.requester
    response = SurveyResponse(
        **{found.kind: ticket}, respondent=respondent, rating=value, comment=comment.strip()
    )
    response.full_clean()
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        raise SurveyRefused(_("This survey was already answered. Thank you!")) from None
    return response


@wf.register_side_effect("itsm.send_survey")
def send_survey(*, obj: Any, transition: Any, actor: Any, history: Any) -> None:
    """After a resolution: notify the caller (in the app and by email) with the survey link."""
    person = obj.caller if isinstance(obj, Incident) else obj.requester
    user = getattr(person, "user", None) if person is not None else None
    if user is None:
        return
    notifications.notify(
        recipients=[user], kind=SURVEY_NOTIFICATION, obj=obj, url=survey_url(obj),
        title=_("%s is resolved: how did we do?") % obj.reference,
        body=_("Rate how we handled %(ref)s (one click, no sign-in needed). The link is valid %(days)d days.")
        % {"ref": obj.reference, "days": settings.ITSM_SURVEY_DAYS},
    )  # fmt: skip


def csat(*, user: Any) -> dict[str, Any]:
    """Responses the user may see: count, average rating and CSAT (share of 4s and 5s, in %)."""
    stats = SurveyResponse.objects.restrict(user, "view").aggregate(
        n=Count("id"), avg=Avg("rating"), happy=Count("id", filter=Q(rating__gte=4))
    )
    n = stats["n"] or 0
    return {
        "responses": n,
        "average": round(stats["avg"], 2) if n else None,
        "csat_percent": round(100 * stats["happy"] / n, 1) if n else None,
    }
