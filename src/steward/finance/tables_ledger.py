"""List tables of the ledger models."""

from __future__ import annotations

import django_tables2 as tables

from steward.core.tables import ChoiceBadgeColumn, RowLinkColumn, StateColumn, StewardTable
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


class CostCentreTable(StewardTable):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    parent = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = CostCentre
        fields = ("pk", "code", "name", "parent", "owner", "department", "active")
        default_columns = ("code", "name", "parent", "owner", "department", "active")


class AccountCategoryTable(StewardTable):
    code = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    kind = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = AccountCategory
        fields = ("pk", "code", "name", "kind")
        default_columns = ("code", "name", "kind")


class FiscalYearTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = FiscalYear
        fields = ("pk", "name", "start_date", "end_date")
        default_columns = ("name", "start_date", "end_date")


class FiscalPeriodTable(StewardTable):
    link = RowLinkColumn()
    fiscal_year = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = FiscalPeriod
        fields = ("pk", "fiscal_year", "number", "start_date", "end_date", "closed", "link")
        default_columns = ("fiscal_year", "number", "start_date", "end_date", "closed", "link")


class ExchangeRateTable(StewardTable):
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = ExchangeRate
        fields = ("pk", "from_currency", "to_currency", "rate", "valid_from", "link")
        default_columns = ("from_currency", "to_currency", "rate", "valid_from", "link")


class ExpenseTable(StewardTable):
    reference = tables.Column(linkify=True)
    cost_centre = tables.Column(linkify=True)
    source = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = Expense
        fields = ("pk", "reference", "date", "period", "amount", "currency", "base_amount", "cost_centre", "category",
                  "project", "service", "configuration_item", "vendor", "invoice", "purchase_order", "contract",
                  "supplier_name", "description", "source")  # fmt: skip
        default_columns = ("reference", "date", "amount", "currency", "base_amount", "cost_centre", "category",
                           "supplier_name", "description")  # fmt: skip


class BudgetTable(StewardTable):
    name = tables.Column(linkify=True)
    fiscal_year = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Budget
        fields = ("pk", "name", "fiscal_year", "owner")
        default_columns = ("name", "fiscal_year", "owner")


class BudgetVersionTable(StewardTable):
    budget = tables.Column(linkify=True)
    state = StateColumn()
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = BudgetVersion
        fields = ("pk", "budget", "number", "label", "state", "last_updated", "link")
        default_columns = ("budget", "number", "label", "state", "last_updated", "link")


class BudgetLineTable(StewardTable):
    version = tables.Column(linkify=True)
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = BudgetLine
        fields = ("pk", "version", "period", "cost_centre", "category", "project", "service", "amount", "currency",
                  "base_amount", "description", "link")  # fmt: skip
        default_columns = ("version", "period", "cost_centre", "category", "project", "service", "amount", "currency",
                           "link")  # fmt: skip


class ForecastTable(StewardTable):
    budget_line = tables.Column(linkify=True)
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = Forecast
        fields = ("pk", "budget_line", "amount", "base_amount", "estimated_on", "note", "link")
        default_columns = ("budget_line", "amount", "base_amount", "estimated_on", "note", "link")


class AssetDepreciationTable(StewardTable):
    configuration_item = tables.Column(linkify=True)
    method = ChoiceBadgeColumn()
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = AssetDepreciation
        fields = ("pk", "configuration_item", "method", "useful_life_months", "salvage_value", "start_date",
                  "cost_centre", "category", "active", "link")  # fmt: skip
        default_columns = ("configuration_item", "method", "useful_life_months", "cost_centre", "category", "active",
                           "link")  # fmt: skip


class AllocationRuleTable(StewardTable):
    name = tables.Column(linkify=True)
    driver = ChoiceBadgeColumn()
    target = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = AllocationRule
        fields = ("pk", "name", "pool_cost_centre", "pool_category", "driver", "target", "active")
        default_columns = ("name", "pool_cost_centre", "pool_category", "driver", "target", "active")


class AllocationShareTable(StewardTable):
    rule = tables.Column(linkify=True)
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = AllocationShare
        fields = ("pk", "rule", "service", "department", "percent", "link")
        default_columns = ("rule", "service", "department", "percent", "link")


class AllocationResultTable(StewardTable):
    rule = tables.Column(linkify=True)
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = AllocationResult
        fields = ("pk", "rule", "period", "service", "department", "driver_value", "share", "amount", "tickets",
                  "cost_per_ticket", "link")  # fmt: skip
        default_columns = ("rule", "period", "service", "department", "share", "amount", "tickets", "cost_per_ticket",
                           "link")  # fmt: skip
