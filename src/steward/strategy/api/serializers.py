from __future__ import annotations

from rest_framework import serializers

from steward.core.api.serializers import StewardModelSerializer
from steward.org.models import Department, Person
from steward.strategy.choices import CashFlowCategory
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

COMMON = ("id", "url", "display", "tags", "custom_fields", "created", "last_updated")


class ObjectiveSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Objective
        fields = (*COMMON, "reference", "title", "parent", "perspective", "status", "owner", "period_start",
                  "period_end", "description")  # fmt: skip
        brief_fields = ("id", "url", "display", "reference")


class KeyResultSerializer(StewardModelSerializer):
    progress = serializers.DecimalField(max_digits=5, decimal_places=1, read_only=True, allow_null=True)

    class Meta(StewardModelSerializer.Meta):
        model = KeyResult
        fields = (*COMMON, "objective", "title", "metric", "unit", "baseline", "target", "current", "progress",
                  "confidence", "owner")  # fmt: skip
        brief_fields = ("id", "url", "display")


class KeyResultMeasurementSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = KeyResultMeasurement
        fields = (*COMMON, "key_result", "date", "value", "note")
        brief_fields = ("id", "url", "display", "date", "value")


class InitiativeSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Initiative
        fields = (*COMMON, "reference", "state", "title", "summary", "sponsor", "department", "currency",
                  "discount_rate", "risk_score", "start_date", "end_date", "project")  # fmt: skip
        read_only_fields = ("state",)
        brief_fields = ("id", "url", "display", "reference", "state")


class InitiativeAlignmentSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = InitiativeAlignment
        fields = (*COMMON, "initiative", "objective", "score", "rationale")
        brief_fields = ("id", "url", "display", "score")


class BusinessCaseLineSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = BusinessCaseLine
        fields = (*COMMON, "initiative", "year", "kind", "category", "description", "planned", "realised")
        brief_fields = ("id", "url", "display")


class ScoringModelSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = ScoringModel
        fields = (*COMMON, "name", "description")
        brief_fields = ("id", "url", "display", "name")


class ScoringCriterionSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = ScoringCriterion
        fields = (*COMMON, "scoring_model", "name", "weight", "source", "description")
        brief_fields = ("id", "url", "display", "name", "weight")


class CriterionScoreSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = CriterionScore
        fields = (*COMMON, "initiative", "criterion", "value", "comment")
        brief_fields = ("id", "url", "display", "value")


class PortfolioScenarioSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = PortfolioScenario
        fields = (*COMMON, "name", "scoring_model", "budget", "currency", "candidate_states", "mandatory",
                  "selected", "total_cost", "total_score", "computed", "description")  # fmt: skip
        read_only_fields = ("selected", "total_cost", "total_score", "computed")
        brief_fields = ("id", "url", "display", "name")


class BusinessCaseSerializer(serializers.Serializer):
    """The computed figures of an initiative's business case."""

    flows = serializers.ListField(child=serializers.DecimalField(max_digits=18, decimal_places=2))
    total_cost = serializers.DecimalField(max_digits=18, decimal_places=2)
    total_benefit = serializers.DecimalField(max_digits=18, decimal_places=2)
    npv = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    irr = serializers.DecimalField(max_digits=12, decimal_places=4, allow_null=True)
    payback_years = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    roi = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    realised_npv = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    realised_roi = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)


class ScoreCardSerializer(serializers.Serializer):
    initiative = serializers.IntegerField(source="initiative.pk")
    reference = serializers.CharField(source="initiative.reference")
    total = serializers.DecimalField(max_digits=8, decimal_places=2)
    cost = serializers.DecimalField(max_digits=18, decimal_places=2)
    missing = serializers.ListField(child=serializers.CharField())
    selected = serializers.BooleanField()


class DemandIntakeSerializer(serializers.Serializer):
    """A demand: the initiative and a first business case in one request (see ``submit_demand``)."""

    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    sponsor = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False,
                                                    allow_null=True)  # fmt: skip
    objectives = serializers.PrimaryKeyRelatedField(
        queryset=Objective.objects.all(), many=True, required=False
    )
    fit_score = serializers.IntegerField(required=False, default=3)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    currency = serializers.CharField(max_length=3, required=False, default="EUR")
    investment = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, default=0)
    investment_category = serializers.ChoiceField(
        choices=[CashFlowCategory.CAPEX, CashFlowCategory.OPEX],
        required=False,
        default=CashFlowCategory.CAPEX,
    )
    running_cost = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, default=0)
    yearly_benefit = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, default=0)
    benefit_category = serializers.ChoiceField(
        choices=[CashFlowCategory.REVENUE, CashFlowCategory.SAVING, CashFlowCategory.AVOIDANCE],
        required=False, default=CashFlowCategory.SAVING,
    )  # fmt: skip
    years = serializers.IntegerField(required=False, default=3)
    risk_score = serializers.IntegerField(required=False, default=5)
    propose = serializers.BooleanField(required=False, default=False)
