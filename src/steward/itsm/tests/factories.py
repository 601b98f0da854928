"""Builders of itsm rows for the registry-driven tests (permission matrix, hardening)."""

from __future__ import annotations

from typing import Any

from steward.itsm.models import Incident, SLAClock
from steward.utilities.testing.factories import factory, make_instance


@factory("itsm.slaclock")
def _sla_clock(n: int, **overrides: Any) -> SLAClock:
    # An incident starts its own clocks when a policy matches; take one of those, or add one.
    incident = overrides.pop("incident", None) or make_instance(Incident)
    existing = incident.sla_clocks.exclude(kind__in=[]).first()
    if existing is not None and not overrides:
        return existing
    values = {**{"incident": incident}, **overrides}
    taken = set(incident.sla_clocks.values_list("kind", flat=True))
    kind = next(k for k in SLAClock._meta.get_field("kind").choices_class.values if k not in taken)
    policy = values.pop("policy", None) or make_instance(SLAClock._meta.get_field("policy").related_model)
    from django.utils import timezone

    return SLAClock.objects.create(
        kind=kind, policy=policy, target_minutes=60, started_at=timezone.now(), **values
    )


@factory("itsm.alertintakesettings")
def _alert_intake_settings(n: int, **overrides: Any) -> Any:
    from steward.itsm.models import AlertIntakeSettings

    # The default receiver is the catch-all "*", which is unique: give each row its own.
    return AlertIntakeSettings.objects.create(**{"receiver": f"receiver-{n}", **overrides})


@factory("itsm.surveyresponse")
def _survey_response(n: int, **overrides: Any) -> Any:
    # Exactly one ticket per answer: a fresh incident unless the caller names one.
    from steward.itsm.models import SurveyResponse

    if "incident" not in overrides and "request" not in overrides:
        overrides["incident"] = make_instance(Incident)
    return SurveyResponse.objects.create(**{"rating": 4, **overrides})
