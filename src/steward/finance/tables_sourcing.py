from __future__ import annotations

import django_tables2 as tables

from steward.core.tables import ChoiceBadgeColumn, RowLinkColumn, StateColumn, StewardTable
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


class VendorTable(StewardTable):
    name = tables.Column(linkify=True)
    kind = ChoiceBadgeColumn()
    status = ChoiceBadgeColumn()
    risk_tier = ChoiceBadgeColumn()
    manufacturer = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Vendor
        fields = ("pk", "name", "kind", "status", "risk_tier", "website", "manufacturer")
        default_columns = ("name", "kind", "status", "risk_tier", "manufacturer")


class ContractTable(StewardTable):
    reference = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    kind = ChoiceBadgeColumn()
    state = StateColumn()
    vendor = tables.Column(linkify=True)
    owner = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Contract
        fields = (
            "pk", "reference", "title", "kind", "state", "vendor", "owner", "vendor_reference", "start_date",
            "end_date", "notice_days", "auto_renew", "renewal_months", "value", "currency",
        )  # fmt: skip
        default_columns = ("reference", "title", "kind", "state", "vendor", "end_date", "auto_renew", "value",
                           "currency")  # fmt: skip


class ContractRenewalTable(StewardTable):
    contract = tables.Column(linkify=True)
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = ContractRenewal
        fields = (
            "pk",
            "contract",
            "renewed_on",
            "previous_end",
            "new_end",
            "automatic",
            "value",
            "note",
            "link",
        )
        default_columns = ("contract", "renewed_on", "previous_end", "new_end", "automatic", "link")


class SoftwareLicenceTable(StewardTable):
    name = tables.Column(linkify=True)
    product = tables.Column(linkify=True)
    metric = ChoiceBadgeColumn()
    contract = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = SoftwareLicence
        fields = ("pk", "name", "product", "metric", "quantity", "contract", "expiry", "licence_key")
        default_columns = ("name", "product", "metric", "quantity", "contract", "expiry")


class PurchaseRequestTable(StewardTable):
    reference = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    state = StateColumn()
    requester = tables.Column(linkify=True)
    vendor = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = PurchaseRequest
        fields = ("pk", "reference", "title", "state", "requester", "vendor", "project", "service", "currency",
                  "needed_by", "created")  # fmt: skip
        default_columns = ("reference", "title", "state", "requester", "vendor", "needed_by")


class PurchaseRequestLineTable(StewardTable):
    purchase_request = tables.Column(linkify=True)
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = PurchaseRequestLine
        fields = (
            "pk",
            "purchase_request",
            "description",
            "quantity",
            "unit_price",
            "currency",
            "ci_class",
            "link",
        )
        default_columns = ("purchase_request", "description", "quantity", "unit_price", "currency", "link")


class PurchaseOrderTable(StewardTable):
    reference = tables.Column(linkify=True)
    state = StateColumn()
    vendor = tables.Column(linkify=True)
    purchase_request = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = PurchaseOrder
        fields = ("pk", "reference", "state", "vendor", "purchase_request", "contract", "currency", "order_date",
                  "expected_date")  # fmt: skip
        default_columns = ("reference", "state", "vendor", "purchase_request", "order_date", "expected_date")


class PurchaseOrderLineTable(StewardTable):
    purchase_order = tables.Column(linkify=True)
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = PurchaseOrderLine
        fields = ("pk", "purchase_order", "description", "quantity", "unit_price", "quantity_received",
                  "ci_class", "link")  # fmt: skip
        default_columns = (
            "purchase_order",
            "description",
            "quantity",
            "unit_price",
            "quantity_received",
            "link",
        )


class InvoiceTable(StewardTable):
    number = tables.Column(linkify=True)
    state = StateColumn()
    vendor = tables.Column(linkify=True)
    purchase_order = tables.Column(linkify=True)
    contract = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Invoice
        fields = ("pk", "number", "state", "vendor", "invoice_date", "due_date", "amount", "currency",
                  "purchase_order", "contract", "paid_on")  # fmt: skip
        default_columns = ("number", "state", "vendor", "invoice_date", "due_date", "amount", "currency",
                           "purchase_order")  # fmt: skip
