from __future__ import annotations

from steward.core.forms import StewardModelForm
from steward.finance.models import (
    Contract,
    ContractRenewal,
    Invoice,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequest,
    PurchaseRequestLine,
    SoftwareLicence,
    Vendor,
)


class VendorForm(StewardModelForm):
    class Meta:
        model = Vendor
        fields = ("name", "kind", "status", "risk_tier", "website", "manufacturer", "contacts", "description",
                  "tags")  # fmt: skip


class ContractForm(StewardModelForm):
    class Meta:
        model = Contract
        fields = (
            "title", "kind", "vendor", "owner", "vendor_reference", "start_date", "end_date", "notice_days",
            "auto_renew", "renewal_months", "value", "currency", "configuration_items", "services", "description",
            "tags",
        )  # fmt: skip


class ContractRenewalForm(StewardModelForm):
    class Meta:
        model = ContractRenewal
        fields = ("contract", "renewed_on", "previous_end", "new_end", "automatic", "value", "note", "tags")


class SoftwareLicenceForm(StewardModelForm):
    class Meta:
        model = SoftwareLicence
        fields = (
            "name",
            "product",
            "metric",
            "quantity",
            "contract",
            "expiry",
            "licence_key",
            "notes",
            "tags",
        )


class PurchaseRequestForm(StewardModelForm):
    class Meta:
        model = PurchaseRequest
        fields = ("title", "requester", "justification", "currency", "vendor", "project", "service", "needed_by",
                  "tags")  # fmt: skip


class PurchaseRequestLineForm(StewardModelForm):
    class Meta:
        model = PurchaseRequestLine
        fields = ("purchase_request", "description", "quantity", "unit_price", "currency", "ci_class", "tags")


class PurchaseOrderForm(StewardModelForm):
    class Meta:
        model = PurchaseOrder
        fields = ("vendor", "purchase_request", "contract", "currency", "order_date", "expected_date", "notes",
                  "tags")  # fmt: skip


class PurchaseOrderLineForm(StewardModelForm):
    class Meta:
        model = PurchaseOrderLine
        fields = ("purchase_order", "description", "quantity", "unit_price", "ci_class", "tags")


class InvoiceForm(StewardModelForm):
    class Meta:
        model = Invoice
        fields = ("vendor", "number", "invoice_date", "due_date", "amount", "currency", "purchase_order",
                  "contract", "notes", "tags")  # fmt: skip
