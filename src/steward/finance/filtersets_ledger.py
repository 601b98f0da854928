"""Filter sets of the ledger models (UI lists, API and exports)."""

from __future__ import annotations

import django_filters

from steward.core.filtersets import StewardFilterSet
from steward.finance.choices_ledger import (
    AllocationDriver,
    AllocationTarget,
    CategoryKind,
    DepreciationMethod,
    ExpenseSource,
)
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


class CostCentreFilterSet(StewardFilterSet):
    search_fields = ("code", "name", "description")

    class Meta:
        model = CostCentre
        fields = ("code", "parent", "owner", "department", "active")


class AccountCategoryFilterSet(StewardFilterSet):
    search_fields = ("code", "name", "description")
    kind = django_filters.MultipleChoiceFilter(choices=CategoryKind.choices)

    class Meta:
        model = AccountCategory
        fields = ("code", "kind")


class FiscalYearFilterSet(StewardFilterSet):
    search_fields = ("name",)

    class Meta:
        model = FiscalYear
        fields = ("name",)


class FiscalPeriodFilterSet(StewardFilterSet):
    search_fields = ("fiscal_year__name",)

    class Meta:
        model = FiscalPeriod
        fields = ("fiscal_year", "number", "closed")


class ExchangeRateFilterSet(StewardFilterSet):
    search_fields = ("from_currency", "to_currency")
    valid_after = django_filters.DateFilter(field_name="valid_from", lookup_expr="gte")
    valid_before = django_filters.DateFilter(field_name="valid_from", lookup_expr="lte")

    class Meta:
        model = ExchangeRate
        fields = ("from_currency", "to_currency", "valid_from")


class ExpenseFilterSet(StewardFilterSet):
    search_fields = ("reference", "description", "supplier_name")
    source = django_filters.MultipleChoiceFilter(choices=ExpenseSource.choices)
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    fiscal_year = django_filters.NumberFilter(field_name="period__fiscal_year")

    class Meta:
        model = Expense
        fields = ("reference", "period", "cost_centre", "category", "budget_line", "configuration_item", "project",
                  "service", "vendor", "invoice", "purchase_order", "contract", "currency", "source",
                  "date")  # fmt: skip


class BudgetFilterSet(StewardFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = Budget
        fields = ("fiscal_year", "owner")


class BudgetVersionFilterSet(StewardFilterSet):
    search_fields = ("label", "notes", "budget__name")
    state = django_filters.AllValuesMultipleFilter(field_name="state")

    class Meta:
        model = BudgetVersion
        fields = ("budget", "state", "number")


class BudgetLineFilterSet(StewardFilterSet):
    search_fields = ("description",)

    class Meta:
        model = BudgetLine
        fields = ("version", "cost_centre", "category", "project", "service", "period", "currency")


class ForecastFilterSet(StewardFilterSet):
    search_fields = ("note",)

    class Meta:
        model = Forecast
        fields = ("budget_line", "estimated_on")


class AssetDepreciationFilterSet(StewardFilterSet):
    search_fields = ("configuration_item__name",)
    method = django_filters.MultipleChoiceFilter(choices=DepreciationMethod.choices)

    class Meta:
        model = AssetDepreciation
        fields = ("configuration_item", "method", "cost_centre", "category", "active")


class AllocationRuleFilterSet(StewardFilterSet):
    search_fields = ("name", "description")
    driver = django_filters.MultipleChoiceFilter(choices=AllocationDriver.choices)
    target = django_filters.MultipleChoiceFilter(choices=AllocationTarget.choices)

    class Meta:
        model = AllocationRule
        fields = ("pool_cost_centre", "pool_category", "driver", "target", "active")


class AllocationShareFilterSet(StewardFilterSet):
    search_fields = ("rule__name",)

    class Meta:
        model = AllocationShare
        fields = ("rule", "service", "department")


class AllocationResultFilterSet(StewardFilterSet):
    search_fields = ("rule__name",)

    class Meta:
        model = AllocationResult
        fields = ("rule", "period", "service", "department")
