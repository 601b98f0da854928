"""API serializers of the ledger models and of the roll-up report."""

from __future__ import annotations

from rest_framework import serializers

from steward.core.api.serializers import StewardModelSerializer
from steward.finance.choices_ledger import RollupDimension
from steward.finance.models import (
    AccountCategory,
    AllocationResult,
    AllocationRule,
    AllocationShare,
    AssetDepreciation,
    Budget,
    BudgetLine,
    BudgetVersion,
    CostCentre,
    ExchangeRate,
    Expense,
    FiscalPeriod,
    FiscalYear,
    Forecast,
)

COMMON = ("id", "url", "display", "tags", "custom_fields", "created", "last_updated")
BRIEF = ("id", "url", "display")


class CostCentreSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = CostCentre
        fields = (*COMMON, "code", "name", "parent", "owner", "department", "active", "description")
        brief_fields = (*BRIEF, "code")


class AccountCategorySerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = AccountCategory
        fields = (*COMMON, "code", "name", "kind", "description")
        brief_fields = (*BRIEF, "code", "kind")


class FiscalYearSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = FiscalYear
        fields = (*COMMON, "name", "start_date", "end_date", "description")
        read_only_fields = ("end_date",)
        brief_fields = (*BRIEF, "name")


class FiscalPeriodSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = FiscalPeriod
        fields = (*COMMON, "fiscal_year", "number", "start_date", "end_date", "closed")
        read_only_fields = ("start_date", "end_date")
        brief_fields = (*BRIEF, "start_date", "closed")


class ExchangeRateSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = ExchangeRate
        fields = (*COMMON, "from_currency", "to_currency", "rate", "valid_from")
        brief_fields = (*BRIEF, "rate")


class ExpenseSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Expense
        fields = (*COMMON, "reference", "date", "period", "amount", "currency", "base_amount", "cost_centre",
                  "category", "budget_line", "configuration_item", "project", "service", "vendor", "invoice",
                  "purchase_order", "contract", "supplier_name", "description", "source", "depreciation")  # fmt: skip
        read_only_fields = ("period", "base_amount", "source", "depreciation")
        brief_fields = (*BRIEF, "reference", "amount", "currency")


class BudgetSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Budget
        fields = (*COMMON, "name", "fiscal_year", "owner", "description")
        brief_fields = (*BRIEF, "name")


class BudgetVersionSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = BudgetVersion
        fields = (*COMMON, "budget", "number", "label", "state", "notes")
        read_only_fields = ("number", "state")
        brief_fields = (*BRIEF, "number", "state")


class BudgetLineSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = BudgetLine
        fields = (*COMMON, "version", "period", "cost_centre", "category", "project", "service", "amount", "currency",
                  "base_amount", "description")  # fmt: skip
        read_only_fields = ("base_amount",)
        brief_fields = (*BRIEF, "amount", "currency")


class ForecastSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Forecast
        fields = (*COMMON, "budget_line", "amount", "base_amount", "estimated_on", "note")
        read_only_fields = ("base_amount",)
        brief_fields = (*BRIEF, "amount")


class AssetDepreciationSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = AssetDepreciation
        fields = (*COMMON, "configuration_item", "method", "useful_life_months", "salvage_value", "annual_rate",
                  "start_date", "cost_centre", "category", "active")  # fmt: skip
        brief_fields = (*BRIEF, "method")


class AllocationRuleSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = AllocationRule
        fields = (*COMMON, "name", "pool_cost_centre", "pool_category", "include_children", "driver", "target",
                  "active", "description")  # fmt: skip
        brief_fields = (*BRIEF, "name")


class AllocationShareSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = AllocationShare
        fields = (*COMMON, "rule", "service", "department", "percent")
        brief_fields = (*BRIEF, "percent")


class AllocationResultSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = AllocationResult
        fields = (*COMMON, "rule", "period", "service", "department", "driver_value", "share", "amount", "tickets",
                  "cost_per_ticket")  # fmt: skip
        brief_fields = (*BRIEF, "amount")


# --- reports -------------------------------------------------------------------------------------
def _money() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=18, decimal_places=2)


class RollupQuerySerializer(serializers.Serializer):
    fiscal_year = serializers.PrimaryKeyRelatedField(queryset=FiscalYear.objects.all())
    dimension = serializers.ChoiceField(choices=RollupDimension.choices, default=RollupDimension.COST_CENTRE)
    budget = serializers.PrimaryKeyRelatedField(
        queryset=Budget.objects.all(), required=False, allow_null=True
    )


class RollupCellSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="YYYY-MM of the period's first day")
    period_id = serializers.IntegerField()
    key = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    budget = _money()
    forecast = _money()
    actual = _money()
    variance = _money()
    variance_pct = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    forecast_variance = _money()


class RollupSerializer(serializers.Serializer):
    fiscal_year = serializers.CharField()
    dimension = serializers.CharField()
    currency = serializers.CharField()
    rows = RollupCellSerializer(many=True)


class PeriodRequestSerializer(serializers.Serializer):
    period = serializers.PrimaryKeyRelatedField(queryset=FiscalPeriod.objects.all())


class NewVersionRequestSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
