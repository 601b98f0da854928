"""Builders of strategy rows for the registry-driven tests (permission matrix, hardening, fuzzing)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from steward.utilities.testing.factories import factory, make_instance


@factory("strategy.objective")
def _objective(n: int, **overrides: Any) -> Any:
    from steward.strategy.models import Objective

    values = {
        "title": f"Objective {n}",
        "period_start": dt.date(2027, 1, 1),
        "period_end": dt.date(2027, 12, 31),
    }
    return Objective.objects.create(**{**values, **overrides})


@factory("strategy.keyresult")
def _key_result(n: int, **overrides: Any) -> Any:
    from steward.strategy.models import KeyResult, Objective

    values = {"objective": make_instance(Objective), "title": f"KR {n}", "metric": "m", "baseline": Decimal(0),
              "target": Decimal(10)}  # fmt: skip
    return KeyResult.objects.create(**{**values, **overrides})


@factory("strategy.keyresultmeasurement")
def _measurement(n: int, **overrides: Any) -> Any:
    from steward.strategy.models import KeyResult, KeyResultMeasurement

    values = {"key_result": make_instance(KeyResult), "date": dt.date(2027, 1, 1) + dt.timedelta(days=n),
              "value": Decimal(n)}  # fmt: skip
    return KeyResultMeasurement.objects.create(**{**values, **overrides})


@factory("strategy.initiativealignment")
def _alignment(n: int, **overrides: Any) -> Any:
    from steward.strategy.models import Initiative, InitiativeAlignment, Objective

    values = {"initiative": make_instance(Initiative), "objective": make_instance(Objective), "score": 3}
    return InitiativeAlignment.objects.create(**{**values, **overrides})


@factory("strategy.businesscaseline")
def _line(n: int, **overrides: Any) -> Any:
    from steward.strategy.models import BusinessCaseLine, Initiative

    values = {"initiative": make_instance(Initiative), "year": n % 10, "kind": "cost", "category": "opex",
              "planned": Decimal(100)}  # fmt: skip
    return BusinessCaseLine.objects.create(**{**values, **overrides})


@factory("strategy.criterionscore")
def _score(n: int, **overrides: Any) -> Any:
    from steward.strategy.models import CriterionScore, Initiative, ScoringCriterion

    values = {"initiative": make_instance(Initiative), "criterion": make_instance(ScoringCriterion),
              "value": Decimal(5)}  # fmt: skip
    return CriterionScore.objects.create(**{**values, **overrides})


@factory("strategy.scoringcriterion")
def _criterion(n: int, **overrides: Any) -> Any:
    from steward.strategy.models import ScoringCriterion, ScoringModel

    values = {"scoring_model": make_instance(ScoringModel), "name": f"Criterion {n}", "weight": Decimal(1)}
    return ScoringCriterion.objects.create(**{**values, **overrides})
