"""The finance models (one module per aggregate, re-exported here)."""

from steward.finance.models.allocation import (
    AllocationResult,
    AllocationRule,
    AllocationShare,
    AssetDepreciation,
)
from steward.finance.models.budgets import Budget, BudgetLine, BudgetVersion, Forecast
from steward.finance.models.ledger import (
    AccountCategory,
    CostCentre,
    ExchangeRate,
    Expense,
    FiscalPeriod,
    FiscalYear,
)

__all__ = [
    "AccountCategory",
    "AllocationResult",
    "AllocationRule",
    "AllocationShare",
    "AssetDepreciation",
    "Budget",
    "BudgetLine",
    "BudgetVersion",
    "CostCentre",
    "ExchangeRate",
    "Expense",
    "FiscalPeriod",
    "FiscalYear",
    "Forecast",
]
