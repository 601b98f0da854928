from __future__ import annotations

import django_filters

from steward.core.filtersets import StewardFilterSet
from steward.strategy.choices import (
    CashFlowCategory,
    CashFlowKind,
    Confidence,
    CriterionSource,
    ObjectiveStatus,
    Perspective,
)
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


class ObjectiveFilterSet(StewardFilterSet):
    search_fields = ("reference", "title", "description")
    perspective = django_filters.MultipleChoiceFilter(choices=Perspective.choices)
    status = django_filters.MultipleChoiceFilter(choices=ObjectiveStatus.choices)
    active_on = django_filters.DateFilter(method="filter_active_on", label="Active on")

    class Meta:
        model = Objective
        fields = ("parent", "perspective", "status", "owner", "reference")

    def filter_active_on(self, queryset, name, value):  # noqa: ANN001, ANN201
        return queryset.filter(period_start__lte=value, period_end__gte=value)


class KeyResultFilterSet(StewardFilterSet):
    search_fields = ("title", "metric")
    confidence = django_filters.MultipleChoiceFilter(choices=Confidence.choices)

    class Meta:
        model = KeyResult
        fields = ("objective", "confidence", "owner")


class KeyResultMeasurementFilterSet(StewardFilterSet):
    search_fields = ("note",)
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = KeyResultMeasurement
        fields = ("key_result", "date")


class InitiativeFilterSet(StewardFilterSet):
    search_fields = ("reference", "title", "summary")
    # Free choices: the states come from the workflow definition in force, not from code.
    state = django_filters.AllValuesMultipleFilter(field_name="state")

    class Meta:
        model = Initiative
        fields = ("state", "sponsor", "department", "objectives", "currency", "reference", "risk_score")


class InitiativeAlignmentFilterSet(StewardFilterSet):
    search_fields = ("rationale", "initiative__title", "objective__title")

    class Meta:
        model = InitiativeAlignment
        fields = ("initiative", "objective", "score")


class BusinessCaseLineFilterSet(StewardFilterSet):
    search_fields = ("description",)
    kind = django_filters.MultipleChoiceFilter(choices=CashFlowKind.choices)
    category = django_filters.MultipleChoiceFilter(choices=CashFlowCategory.choices)

    class Meta:
        model = BusinessCaseLine
        fields = ("initiative", "year", "kind", "category")


class ScoringModelFilterSet(StewardFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = ScoringModel
        fields = ("name",)


class ScoringCriterionFilterSet(StewardFilterSet):
    search_fields = ("name", "description")
    source = django_filters.MultipleChoiceFilter(choices=CriterionSource.choices)

    class Meta:
        model = ScoringCriterion
        fields = ("scoring_model", "source")


class CriterionScoreFilterSet(StewardFilterSet):
    search_fields = ("comment",)

    class Meta:
        model = CriterionScore
        fields = ("initiative", "criterion")


class PortfolioScenarioFilterSet(StewardFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = PortfolioScenario
        fields = ("scoring_model", "currency")
