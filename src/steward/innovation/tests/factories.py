"""Builders of innovation rows for the registry-driven tests (permission matrix, hardening, fuzzing)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from steward.utilities.testing.factories import factory, make_instance


@factory("innovation.radarquadrant")
def _quadrant(n: int, **overrides: Any) -> Any:
    from steward.innovation.models import RadarQuadrant

    return RadarQuadrant.objects.create(**{"name": f"Quadrant {n}", "position": n % 4, **overrides})


@factory("innovation.ideascore")
def _score(n: int, **overrides: Any) -> Any:
    from steward.innovation.models import CriteriaSet, EvaluationCriterion, Idea, IdeaScore
    from steward.org.models import Person

    criteria_set = CriteriaSet.objects.create(name=f"Set {n}")
    criterion = EvaluationCriterion.objects.create(criteria_set=criteria_set, name="Value", weight=Decimal(1))
    idea = Idea.objects.create(title=f"Idea {n}", criteria_set=criteria_set)
    values = {"idea": idea, "criterion": criterion, "evaluator": make_instance(Person), "value": Decimal(5)}
    return IdeaScore.objects.create(**{**values, **overrides})


@factory("innovation.pilot")
def _pilot(n: int, **overrides: Any) -> Any:
    from steward.innovation.models import Pilot

    values = {"title": f"Pilot {n}", "hypothesis": "It helps.", "start_date": dt.date(2027, 1, 1),
              "end_date": dt.date(2027, 3, 31)}  # fmt: skip
    return Pilot.objects.create(**{**values, **overrides})


@factory("innovation.readinesssurvey")
def _survey(n: int, **overrides: Any) -> Any:
    from steward.innovation.models import ChangePlan, ReadinessSurvey

    values = {"plan": make_instance(ChangePlan), "title": f"Survey {n}",
              "closes_at": timezone.now() + dt.timedelta(days=30)}  # fmt: skip
    return ReadinessSurvey.objects.create(**{**values, **overrides})


@factory("innovation.surveyanswer")
def _answer(n: int, **overrides: Any) -> Any:
    from steward.innovation.models import ReadinessSurvey, SurveyAnswer, SurveyQuestion
    from steward.org.models import Person

    question = SurveyQuestion.objects.create(survey=make_instance(ReadinessSurvey), text=f"Ready? {n}")
    values = {"question": question, "respondent": make_instance(Person), "score": 3}
    return SurveyAnswer.objects.create(**{**values, **overrides})


@factory("innovation.adoptionmetric")
def _metric(n: int, **overrides: Any) -> Any:
    from steward.innovation.models import AdoptionMetric, ChangePlan

    values = {"plan": make_instance(ChangePlan), "name": f"Metric {n}", "kind": "logins"}
    return AdoptionMetric.objects.create(**{**values, **overrides})


@factory("innovation.communicationmessage")
def _message(n: int, **overrides: Any) -> Any:
    from steward.innovation.models import ChangePlan, CommunicationMessage

    values = {"plan": make_instance(ChangePlan), "send_on": dt.date(2027, 1, 1), "subject": f"News {n}",
              "body": "Hello."}  # fmt: skip
    return CommunicationMessage.objects.create(**{**values, **overrides})


@factory("innovation.radarmovement")
def _movement(n: int, **overrides: Any) -> Any:
    from steward.innovation.models import RadarEntry, RadarMovement

    values = {"entry": make_instance(RadarEntry), "to_ring": "trial", "rationale": "Proved itself.",
              "date": dt.date(2026, 1, 1)}  # fmt: skip
    return RadarMovement.objects.create(**{**values, **overrides})


@factory("innovation.ideavote")
def _vote(n: int, **overrides: Any) -> Any:
    from steward.innovation.models import Idea, IdeaVote
    from steward.org.models import Person

    values = {"idea": Idea.objects.create(title=f"Idea {n}"), "voter": make_instance(Person)}
    return IdeaVote.objects.create(**{**values, **overrides})
