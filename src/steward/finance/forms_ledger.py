"""Edit forms of the ledger models (invariants live in the models' ``clean``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.core.forms import StewardModelForm
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


class CostCentreForm(StewardModelForm):
    class Meta:
        model = CostCentre
        fields = ("code", "name", "parent", "owner", "department", "active", "description", "tags")


class AccountCategoryForm(StewardModelForm):
    class Meta:
        model = AccountCategory
        fields = ("code", "name", "kind", "description", "tags")


class FiscalYearForm(StewardModelForm):
    class Meta:
        model = FiscalYear
        fields = ("name", "start_date", "description", "tags")


class FiscalPeriodForm(StewardModelForm):
    class Meta:
        model = FiscalPeriod
        fields = ("fiscal_year", "number", "closed", "tags")


class ExchangeRateForm(StewardModelForm):
    class Meta:
        model = ExchangeRate
        fields = ("from_currency", "to_currency", "rate", "valid_from", "tags")


class ExpenseForm(StewardModelForm):
    class Meta:
        model = Expense
        fields = ("date", "amount", "currency", "cost_centre", "category", "budget_line", "configuration_item",
                  "project", "service", "vendor", "invoice", "purchase_order", "contract", "supplier_name",
                  "description", "tags")  # fmt: skip


class BudgetForm(StewardModelForm):
    class Meta:
        model = Budget
        fields = ("name", "fiscal_year", "owner", "description", "tags")


class BudgetVersionForm(StewardModelForm):
    class Meta:
        model = BudgetVersion
        fields = ("budget", "label", "notes", "tags")


class BudgetLineForm(StewardModelForm):
    class Meta:
        model = BudgetLine
        fields = ("version", "period", "cost_centre", "category", "project", "service", "amount", "currency",
                  "description", "tags")  # fmt: skip


class ForecastForm(StewardModelForm):
    class Meta:
        model = Forecast
        fields = ("budget_line", "amount", "estimated_on", "note", "tags")


class AssetDepreciationForm(StewardModelForm):
    class Meta:
        model = AssetDepreciation
        fields = ("configuration_item", "method", "useful_life_months", "salvage_value", "annual_rate", "start_date",
                  "cost_centre", "category", "active", "tags")  # fmt: skip


class AllocationRuleForm(StewardModelForm):
    class Meta:
        model = AllocationRule
        fields = ("name", "pool_cost_centre", "pool_category", "include_children", "driver", "target", "active",
                  "description", "tags")  # fmt: skip


class AllocationShareForm(StewardModelForm):
    class Meta:
        model = AllocationShare
        fields = ("rule", "service", "department", "percent", "tags")


class AllocationResultForm(StewardModelForm):
    class Meta:
        model = AllocationResult
        fields = ("rule", "period", "service", "department", "driver_value", "share", "amount", "tickets",
                  "cost_per_ticket", "tags")  # fmt: skip


class RollupForm(forms.Form):
    """The report's choices: which year, grouped by what, optionally one budget."""

    fiscal_year = forms.ModelChoiceField(queryset=FiscalYear.objects.all(), label=_("Fiscal year"))
    dimension = forms.ChoiceField(choices=RollupDimension.choices, initial=RollupDimension.COST_CENTRE,
                                  label=_("Group by"))  # fmt: skip
    budget = forms.ModelChoiceField(queryset=Budget.objects.all(), required=False, label=_("Budget"))
