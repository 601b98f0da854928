"""Builders of grc rows for the registry-driven tests (permission matrix, hardening, fuzzing)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from steward.grc.models import (
    Acknowledgement,
    AcknowledgementCampaign,
    AssessmentResult,
    Evidence,
    Framework,
    Indicator,
    RaciAssignment,
    RemediationTask,
    Requirement,
    Risk,
    RiskMatrix,
    Scoping,
)
from steward.utilities.testing.factories import factory, make_instance

SCALE = [{"value": i, "label": f"Step {i}"} for i in range(1, 4)]
LEVELS = [
    {"label": "Low", "colour": "green", "max_score": 3},
    {"label": "High", "colour": "red", "max_score": 9},
]


@factory("grc.riskmatrix")
def _matrix(n: int, **overrides: Any) -> RiskMatrix:
    values = {"name": f"Matrix {n}", "likelihood": SCALE, "impact": SCALE, "levels": LEVELS, "appetite": 3}
    return RiskMatrix.objects.create(**{**values, **overrides})


@factory("grc.risk")
def _risk(n: int, **overrides: Any) -> Risk:
    matrix = overrides.pop("matrix", None) or RiskMatrix.objects.order_by("pk").first() or _matrix(n)
    return Risk.objects.create(**{"title": f"Risk {n}", "matrix": matrix, **overrides})


@factory("grc.requirement")
def _requirement(n: int, **overrides: Any) -> Requirement:
    framework = overrides.pop("framework", None) or make_instance(Framework)
    return Requirement.objects.create(
        **{"framework": framework, "control_id": f"c-{n}", "title": f"Requirement {n}", **overrides}
    )


@factory("grc.assessmentresult")
def _result(n: int, **overrides: Any) -> AssessmentResult:
    from steward.grc.models import Assessment

    requirement = overrides.pop("requirement", None) or _requirement(n)
    assessment = overrides.pop("assessment", None) or Assessment.objects.create(
        name=f"Assessment {n}", framework=requirement.framework
    )
    return AssessmentResult.objects.create(assessment=assessment, requirement=requirement, **overrides)


@factory("grc.remediationtask")
def _task(n: int, **overrides: Any) -> RemediationTask:
    if "finding" not in overrides and "risk" not in overrides:
        overrides["risk"] = _risk(n)
    return RemediationTask.objects.create(**{"title": f"Task {n}", **overrides})


@factory("grc.scoping")
def _scoping(n: int, **overrides: Any) -> Scoping:
    from steward.org.models import Organisation

    values = {
        "requirement": overrides.pop("requirement", None) or _requirement(n),
        "organisation": Organisation.objects.create(name=f"Org {n}", slug=f"org-{n}"),
        "justification": "Not in scope",
    }
    return Scoping.objects.create(**{**values, **overrides})


@factory("grc.evidence")
def _evidence(n: int, **overrides: Any) -> Evidence:
    return Evidence.objects.create(
        **{"name": f"Evidence {n}", "link": f"https://example.org/e/{n}", **overrides}
    )


@factory("grc.raciassignment")
def _raci(n: int, **overrides: Any) -> RaciAssignment:
    from steward.grc.models import RaciMatrix

    matrix = overrides.pop("matrix", None) or RaciMatrix.objects.create(name=f"RACI {n}")
    values = {"matrix": matrix, "activity": f"Activity {n}", "role": "Service owner", "responsibility": "R"}
    return RaciAssignment.objects.create(**{**values, **overrides})


@factory("grc.indicator")
def _indicator(n: int, **overrides: Any) -> Indicator:
    values = {"name": f"Indicator {n}", "green_at": Decimal(90), "red_at": Decimal(70)}
    return Indicator.objects.create(**{**values, **overrides})


@factory("grc.acknowledgementcampaign")
def _campaign(n: int, **overrides: Any) -> AcknowledgementCampaign:
    from steward.grc.models import PolicyVersion

    version = overrides.pop("policy_version", None) or make_instance(PolicyVersion)
    return AcknowledgementCampaign.objects.create(
        **{"name": f"Campaign {n}", "policy_version": version, "due_date": dt.date(2030, 1, 1), **overrides}
    )


@factory("grc.acknowledgement")
def _ack(n: int, **overrides: Any) -> Acknowledgement:
    from steward.org.models import Person

    campaign = overrides.pop("campaign", None) or _campaign(n)
    person = overrides.pop("person", None) or Person.objects.create(
        first_name="Ack", last_name=f"Person {n}", email=f"ack{n}@example.org"
    )
    campaign.people.add(person)
    return Acknowledgement.objects.create(
        campaign=campaign, person=person, acknowledged_at=timezone.now(), **overrides
    )
