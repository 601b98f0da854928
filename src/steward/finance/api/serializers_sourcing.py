from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from steward.core.api.serializers import StewardModelSerializer
from steward.finance.models import (
    AccountCategory,
    BudgetLine,
    Contract,
    ContractRenewal,
    CostCentre,
    Invoice,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequest,
    PurchaseRequestLine,
    SoftwareLicence,
    Vendor,
)
from steward.utilities.money import quantize

COMMON = ("id", "url", "display", "tags", "custom_fields", "created", "last_updated")


class VendorSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Vendor
        fields = (*COMMON, "name", "kind", "status", "risk_tier", "website", "manufacturer", "contacts",
                  "description")  # fmt: skip
        brief_fields = ("id", "url", "display", "name")


class ContractSerializer(StewardModelSerializer):
    notice_deadline = serializers.DateField(read_only=True)

    class Meta(StewardModelSerializer.Meta):
        model = Contract
        fields = (
            *COMMON, "reference", "state", "title", "kind", "vendor", "owner", "vendor_reference", "start_date",
            "end_date", "notice_days", "notice_deadline", "auto_renew", "renewal_months", "value", "currency",
            "configuration_items", "services", "description",
        )  # fmt: skip
        read_only_fields = ("state",)
        brief_fields = ("id", "url", "display", "reference", "state")


class ContractRenewalSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = ContractRenewal
        fields = (*COMMON, "contract", "renewed_on", "previous_end", "new_end", "automatic", "value", "note")
        brief_fields = ("id", "url", "display", "new_end")


class RenewSerializer(serializers.Serializer):
    months = serializers.IntegerField(min_value=1, max_value=120, required=False)
    value = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class BookInvoiceSerializer(serializers.Serializer):
    """Where an approved invoice's cost goes in the ledger."""

    cost_centre = serializers.PrimaryKeyRelatedField(queryset=CostCentre.objects.all())
    category = serializers.PrimaryKeyRelatedField(queryset=AccountCategory.objects.all())
    budget_line = serializers.PrimaryKeyRelatedField(
        queryset=BudgetLine.objects.all(), required=False, allow_null=True
    )
    date = serializers.DateField(required=False, allow_null=True)


class SoftwareLicenceSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = SoftwareLicence
        fields = (
            *COMMON,
            "name",
            "product",
            "metric",
            "quantity",
            "contract",
            "expiry",
            "licence_key",
            "notes",
        )
        brief_fields = ("id", "url", "display", "name")


class LicencePositionSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    product_name = serializers.CharField()
    metric = serializers.CharField()
    purchased = serializers.IntegerField()
    used = serializers.IntegerField()
    delta = serializers.IntegerField(help_text="Purchased minus used: negative is a shortfall.")
    status = serializers.ChoiceField(choices=["compliant", "under", "over"])
    devices = serializers.IntegerField()
    cores = serializers.IntegerField()
    users = serializers.IntegerField()
    devices_without_cores = serializers.IntegerField()
    licences = serializers.IntegerField()


class PurchaseRequestSerializer(StewardModelSerializer):
    total = serializers.SerializerMethodField()

    class Meta(StewardModelSerializer.Meta):
        model = PurchaseRequest
        fields = (*COMMON, "reference", "state", "title", "requester", "justification", "currency", "total",
                  "vendor", "project", "service", "needed_by", "decision_note")  # fmt: skip
        read_only_fields = ("state", "decision_note")
        brief_fields = ("id", "url", "display", "reference", "state")

    def get_total(self, obj: PurchaseRequest) -> str:
        """Sum of the lines (quantity × unit price) in the request's currency."""
        return str(quantize(Decimal(obj.lines_total)) if hasattr(obj, "lines_total") else obj.total)


class PurchaseRequestLineSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = PurchaseRequestLine
        fields = (
            *COMMON,
            "purchase_request",
            "description",
            "quantity",
            "unit_price",
            "currency",
            "ci_class",
        )
        brief_fields = ("id", "url", "display")


class CreateOrderSerializer(serializers.Serializer):
    vendor = serializers.PrimaryKeyRelatedField(queryset=Vendor.objects.all(), required=False)
    order_date = serializers.DateField(required=False)
    expected_date = serializers.DateField(required=False)


class PurchaseOrderSerializer(StewardModelSerializer):
    total = serializers.SerializerMethodField()
    remaining = serializers.SerializerMethodField()

    class Meta(StewardModelSerializer.Meta):
        model = PurchaseOrder
        fields = (*COMMON, "reference", "state", "vendor", "purchase_request", "contract", "currency", "total",
                  "remaining", "order_date", "expected_date", "notes")  # fmt: skip
        read_only_fields = ("state",)
        brief_fields = ("id", "url", "display", "reference", "state")

    def get_total(self, obj: PurchaseOrder) -> str:
        """Sum of the lines (quantity × unit price)."""
        return str(quantize(Decimal(obj.lines_total)) if hasattr(obj, "lines_total") else obj.total)

    def get_remaining(self, obj: PurchaseOrder) -> str:
        """What may still be invoiced against the order (rejected invoices not counted)."""
        if hasattr(obj, "lines_total") and hasattr(obj, "invoiced_total"):
            return str(quantize(Decimal(obj.lines_total) - Decimal(obj.invoiced_total)))
        return str(obj.remaining())


class PurchaseOrderLineSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = PurchaseOrderLine
        fields = (*COMMON, "purchase_order", "description", "quantity", "unit_price", "quantity_received",
                  "ci_class", "configuration_items")  # fmt: skip
        read_only_fields = ("quantity_received", "configuration_items")
        brief_fields = ("id", "url", "display")


class ReceiveSerializer(serializers.Serializer):
    lines = serializers.DictField(
        child=serializers.DecimalField(max_digits=12, decimal_places=2),
        help_text="Line id → quantity received now.",
    )
    create_items = serializers.BooleanField(default=False)


class InvoiceSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Invoice
        fields = (*COMMON, "state", "vendor", "number", "invoice_date", "due_date", "amount", "currency",
                  "purchase_order", "contract", "paid_on", "notes")  # fmt: skip
        read_only_fields = ("state",)
        brief_fields = ("id", "url", "display", "number", "state")
