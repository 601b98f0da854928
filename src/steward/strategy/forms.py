from __future__ import annotations

from steward.core.forms import StewardModelForm
from steward.strategy.models import (
    BusinessCaseLine,
    CriterionScore,
    Initiative,
    InitiativeAlignment,
    KeyResult,
    KeyResultMeasurement,
    Objective,
    PortfolioScenario,
    ScoringCriterion,
    ScoringModel,
)


class ObjectiveForm(StewardModelForm):
    class Meta:
        model = Objective
        fields = (
            "title", "parent", "perspective", "status", "owner", "period_start", "period_end", "description", "tags",
        )  # fmt: skip


class KeyResultForm(StewardModelForm):
    class Meta:
        model = KeyResult
        fields = ("objective", "title", "metric", "unit", "baseline", "target", "confidence", "owner", "tags")


class KeyResultMeasurementForm(StewardModelForm):
    class Meta:
        model = KeyResultMeasurement
        fields = ("key_result", "date", "value", "note", "tags")


class InitiativeForm(StewardModelForm):
    class Meta:
        model = Initiative
        fields = (
            "title", "summary", "sponsor", "department", "currency", "discount_rate", "risk_score",
            "start_date", "end_date", "project", "tags",
        )  # fmt: skip


class InitiativeAlignmentForm(StewardModelForm):
    class Meta:
        model = InitiativeAlignment
        fields = ("initiative", "objective", "score", "rationale", "tags")


class BusinessCaseLineForm(StewardModelForm):
    class Meta:
        model = BusinessCaseLine
        fields = ("initiative", "year", "kind", "category", "description", "planned", "realised", "tags")


class ScoringModelForm(StewardModelForm):
    class Meta:
        model = ScoringModel
        fields = ("name", "description", "tags")


class ScoringCriterionForm(StewardModelForm):
    class Meta:
        model = ScoringCriterion
        fields = ("scoring_model", "name", "weight", "source", "description", "tags")


class CriterionScoreForm(StewardModelForm):
    class Meta:
        model = CriterionScore
        fields = ("initiative", "criterion", "value", "comment", "tags")


class PortfolioScenarioForm(StewardModelForm):
    class Meta:
        model = PortfolioScenario
        fields = (
            "name", "scoring_model", "budget", "currency", "candidate_states", "mandatory", "description", "tags",
        )  # fmt: skip
