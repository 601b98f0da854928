from __future__ import annotations

import django_filters

from steward.core.filtersets import StewardFilterSet
from steward.finance.choices_sourcing import ContractKind, LicenceMetric, RiskTier, VendorKind, VendorStatus
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


class VendorFilterSet(StewardFilterSet):
    search_fields = ("name", "contacts", "description")
    kind = django_filters.MultipleChoiceFilter(choices=VendorKind.choices)
    status = django_filters.MultipleChoiceFilter(choices=VendorStatus.choices)
    risk_tier = django_filters.MultipleChoiceFilter(choices=RiskTier.choices)

    class Meta:
        model = Vendor
        fields = ("name", "kind", "status", "risk_tier", "manufacturer")


class ContractFilterSet(StewardFilterSet):
    search_fields = ("reference", "title", "vendor_reference", "description")
    # Free choices: the states come from the workflow definition in force, not from code.
    state = django_filters.AllValuesMultipleFilter(field_name="state")
    kind = django_filters.MultipleChoiceFilter(choices=ContractKind.choices)
    ends_before = django_filters.DateFilter(
        field_name="end_date", lookup_expr="lte", label="Ends on or before"
    )
    ends_after = django_filters.DateFilter(field_name="end_date", lookup_expr="gte", label="Ends on or after")

    class Meta:
        model = Contract
        fields = ("reference", "state", "kind", "vendor", "owner", "auto_renew", "currency",
                  "configuration_items", "services")  # fmt: skip


class ContractRenewalFilterSet(StewardFilterSet):
    search_fields = ("note",)

    class Meta:
        model = ContractRenewal
        fields = ("contract", "automatic")


class SoftwareLicenceFilterSet(StewardFilterSet):
    search_fields = ("name", "licence_key", "notes")
    metric = django_filters.MultipleChoiceFilter(choices=LicenceMetric.choices)

    class Meta:
        model = SoftwareLicence
        fields = ("name", "product", "metric", "contract", "expiry")


class PurchaseRequestFilterSet(StewardFilterSet):
    search_fields = ("reference", "title", "justification")
    state = django_filters.AllValuesMultipleFilter(field_name="state")

    class Meta:
        model = PurchaseRequest
        fields = ("reference", "state", "requester", "vendor", "project", "service", "currency")


class PurchaseRequestLineFilterSet(StewardFilterSet):
    search_fields = ("description",)

    class Meta:
        model = PurchaseRequestLine
        fields = ("purchase_request", "ci_class")


class PurchaseOrderFilterSet(StewardFilterSet):
    search_fields = ("reference", "notes")
    state = django_filters.AllValuesMultipleFilter(field_name="state")

    class Meta:
        model = PurchaseOrder
        fields = ("reference", "state", "vendor", "purchase_request", "contract", "currency", "order_date")


class PurchaseOrderLineFilterSet(StewardFilterSet):
    search_fields = ("description",)

    class Meta:
        model = PurchaseOrderLine
        fields = ("purchase_order", "ci_class")


class InvoiceFilterSet(StewardFilterSet):
    search_fields = ("number", "notes")
    state = django_filters.AllValuesMultipleFilter(field_name="state")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label="Due on or before")

    class Meta:
        model = Invoice
        fields = ("number", "state", "vendor", "purchase_order", "contract", "currency", "invoice_date")
