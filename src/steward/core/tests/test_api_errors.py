"""The platform's DRF exception handler: each domain error → one status and body, nothing written."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models.deletion import ProtectedError
from rest_framework import exceptions as drf_exceptions
from rest_framework.decorators import action
from rest_framework.test import APIRequestFactory, force_authenticate

from steward.core import workflow as wf
from steward.core.api.exceptions import exception_handler, validation_detail
from steward.core.models import ObjectChange
from steward.utilities.testing import grant, make_user
from steward.utilities.testing.testapp.models import Ticket
from steward.utilities.testing.testapp.ui import TicketSerializer, TicketViewSet


def answer(exc: Exception) -> tuple[int, object]:
    response = exception_handler(exc, {})
    assert response is not None, f"{exc!r} was not answered"
    return response.status_code, response.data


# --- each exception → status + body ---------------------------------------------------------
@pytest.mark.parametrize(
    ("exc", "body"),
    [
        (ValidationError({"name": ["Too long."]}), {"name": ["Too long."]}),
        (ValidationError("No name given."), {"non_field_errors": ["No name given."]}),
        (ValidationError(["One.", "Two."]), {"non_field_errors": ["One.", "Two."]}),
        (ValidationError("%(n)s is too many.", params={"n": 7}), {"non_field_errors": ["7 is too many."]}),
        # Model.full_clean() keys a clean() message without a field as "__all__".
        (
            ValidationError({"__all__": ["Dates overlap."], "end": ["Before the start."]}),
            {"non_field_errors": ["Dates overlap."], "end": ["Before the start."]},
        ),
        (
            ValidationError({"__all__": ["A."], "non_field_errors": ["B."]}),
            {"non_field_errors": ["A.", "B."]},
        ),
    ],
)
def test_django_validation_error_is_400_naming_the_field(exc, body):
    assert answer(exc) == (400, body)
    assert validation_detail(exc) == body


def test_transition_forbidden_is_403_with_its_message():
    assert answer(wf.TransitionForbidden("You may not perform 'Cancel'.")) == (
        403,
        {"detail": "You may not perform 'Cancel'."},
    )


def test_transition_not_allowed_is_409_naming_the_allowed_transitions():
    exc = wf.TransitionNotAllowed("'Close' is not possible from New.", ["start", "resolve"])
    assert answer(exc) == (
        409,
        {"detail": "'Close' is not possible from New.", "allowed": ["start", "resolve"]},
    )
    assert answer(wf.TransitionNotAllowed("There is no transition 'fly'.")) == (
        409,
        {"detail": "There is no transition 'fly'.", "allowed": []},
    )


def test_database_refusals_are_409():
    status, body = answer(ProtectedError("protected", set()))
    assert status == 409 and "depend on this one" in body["detail"]
    status, body = answer(IntegrityError("UNIQUE constraint failed: x.name"))
    assert status == 409 and "UNIQUE constraint failed" in body["detail"]


def test_drf_errors_keep_drf_answers_and_others_are_left_to_django():
    assert answer(drf_exceptions.ValidationError({"name": ["Bad."]})) == (400, {"name": ["Bad."]})
    assert answer(drf_exceptions.NotFound()) == (404, {"detail": "Not found."})
    assert exception_handler(RuntimeError("boom"), {}) is None  # a bug stays a 500


# --- through a viewset: the refusal is answered after the view body, and nothing stays written --
class RefusingTicketViewSet(TicketViewSet):
    """Writes a ticket, then raises what the request names — the way a non-atomic action could."""

    REFUSALS = {
        "invalid": lambda: ValidationError({"title": ["Refused."]}),
        "forbidden": lambda: wf.TransitionForbidden("You may not."),
        "not_allowed": lambda: wf.TransitionNotAllowed("Not from here.", ["start"]),
    }

    @action(detail=False, methods=["post"])
    def refuse(self, request, *args, **kwargs):
        Ticket.objects.create(title="written before the refusal")
        raise self.REFUSALS[request.data["refusal"]]()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("refusal", "status", "body"),
    [
        ("invalid", 400, {"title": ["Refused."]}),
        ("forbidden", 403, {"detail": "You may not."}),
        ("not_allowed", 409, {"detail": "Not from here.", "allowed": ["start"]}),
    ],
)
def test_a_refused_action_writes_nothing(refusal, status, body):
    user = make_user("agent")
    grant(user, Ticket, "view", "add")
    request = APIRequestFactory().post("/refuse/", {"refusal": refusal}, format="json")
    force_authenticate(request, user)
    changes = ObjectChange.objects.count()
    response = RefusingTicketViewSet.as_view({"post": "refuse"})(request)
    assert (response.status_code, response.data) == (status, body)
    assert not Ticket.objects.exists()
    assert ObjectChange.objects.count() == changes


@pytest.mark.django_db
def test_a_model_message_without_a_field_is_a_non_field_error_on_create(monkeypatch):
    def clean(self):
        raise ValidationError("A frozen ticket needs a resolution code.")

    monkeypatch.setattr(Ticket, "clean", clean)
    serializer = TicketSerializer(data={"title": "x"})
    assert not serializer.is_valid()
    assert serializer.errors == {"non_field_errors": ["A frozen ticket needs a resolution code."]}
