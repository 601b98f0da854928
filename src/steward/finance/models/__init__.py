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
from steward.finance.models.purchasing import (
    Invoice,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequest,
    PurchaseRequestLine,
)
from steward.finance.models.sourcing import (
    Contract,
    ContractNotice,
    ContractRenewal,
    SoftwareLicence,
    Vendor,
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
    "Contract",
    "ContractNotice",
    "ContractRenewal",
    "CostCentre",
    "ExchangeRate",
    "Expense",
    "FiscalPeriod",
    "FiscalYear",
    "Forecast",
    "Invoice",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "PurchaseRequest",
    "PurchaseRequestLine",
    "SoftwareLicence",
    "Vendor",
]
