"""The finance models (one module per aggregate, re-exported here)."""

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
    "Contract",
    "ContractNotice",
    "ContractRenewal",
    "Invoice",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "PurchaseRequest",
    "PurchaseRequestLine",
    "SoftwareLicence",
    "Vendor",
]
