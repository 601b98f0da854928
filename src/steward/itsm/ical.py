"""The change calendar as an iCalendar feed, reachable by a signed per-user URL."""

from __future__ import annotations

import hashlib
from typing import Any

import icalendar
from django.core import signing
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

FEED_SALT = "steward.itsm.change-calendar"


def _fingerprint(user: Any) -> str:
    # Changing the password (or the secret key) revokes every feed URL handed out before.
    return hashlib.sha256(f"{user.pk}:{user.password}".encode()).hexdigest()[:16]


def feed_token(user: Any) -> str:
    """A stable signed token naming ``user``; revoked by a password change or disabling the user."""
    return signing.Signer(salt=FEED_SALT).sign_object({"u": user.pk, "f": _fingerprint(user)})


def feed_user(token: str) -> Any | None:
    """The active user a feed token names, or None if it is forged, stale or the user is disabled."""
    from django.contrib.auth import get_user_model

    try:
        data = signing.Signer(salt=FEED_SALT).unsign_object(token)
        user = get_user_model().objects.get(pk=data["u"], is_active=True)
    except (signing.BadSignature, KeyError, TypeError, ValueError, get_user_model().DoesNotExist):
        return None
    return user if data.get("f") == _fingerprint(user) else None


def feed_url(user: Any) -> str:
    return reverse("itsm:change_calendar_feed") + f"?token={feed_token(user)}"


def change_calendar(user: Any) -> bytes:
    """Planned changes the user may see, as an iCalendar document."""
    from steward.itsm.models import Change

    cal = icalendar.Calendar()
    cal.add("prodid", "-//Steward//Change calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Steward changes")
    changes = (
        Change.objects.restrict(user, "view")
        .filter(planned_start__isnull=False, planned_end__isnull=False)
        .exclude(state="cancelled")
        .select_related("service")
        .order_by("planned_start", "pk")
    )
    now = timezone.now()
    for change in changes.iterator(chunk_size=500):
        event = icalendar.Event()
        event.add("uid", f"{change.reference}@steward")
        event.add("dtstamp", now)
        event.add("dtstart", change.planned_start)
        event.add("dtend", change.planned_end)
        event.add("summary", f"{change.reference} {change.short_description}")
        lines = [f"Type: {change.get_type_display()}", f"State: {change.state}"]
        if change.service_id:
            lines.append(f"Service: {change.service}")
        if change.has_conflicts:
            lines.append("Conflicts: " + "; ".join(c["message"] for c in change.conflicts))
        event.add("description", "\n".join(lines))
        event.add("categories", [str(change.get_type_display())])
        cal.add_component(event)
    return cal.to_ical()


def change_calendar_response(user: Any) -> HttpResponse:
    response = HttpResponse(change_calendar(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="changes.ics"'
    return response
