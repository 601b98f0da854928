"""Purchasing: requests (approved on the workflow engine), purchase orders with receipts, invoices."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import DecimalField, F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel, WorkflowMixin
from steward.utilities.money import quantize, validate_currency

ZERO = Decimal("0.00")
MONEY = {"max_digits": 16, "decimal_places": 2}
#: Invoice states that no longer claim any of a purchase order's amount.
RELEASED_INVOICE_STATES = ("rejected",)


def lines_total_expression(line_model: Any, parent: str) -> Any:
    """Sum of quantity × unit price of a record's lines as a correlated subquery, for ``annotate``.

    A subquery (not a join with GROUP BY) so the annotated queryset can still be locked with
    ``select_for_update`` by the generic write paths.
    """
    per_parent = (
        line_model.objects.filter(**{parent: OuterRef("pk")})
        .order_by()
        .values(parent)
        .annotate(t=Sum(F("quantity") * F("unit_price"), output_field=DecimalField(**MONEY)))
        .values("t")
    )
    return Coalesce(Subquery(per_parent, output_field=DecimalField(**MONEY)), ZERO)


def _lines_total(lines: models.QuerySet) -> Decimal:
    total = lines.aggregate(
        t=Coalesce(Sum(F("quantity") * F("unit_price"), output_field=DecimalField(**MONEY)), ZERO)
    )["t"]
    return quantize(Decimal(total))


class PurchaseRequest(ReferenceMixin, WorkflowMixin, StewardModel):
    """Someone asks to buy something; an approver (chosen by amount) agrees or refuses."""

    reference_prefix = "PR"
    reference_digits = 5
    workflow = "finance.purchase_request"

    title = models.CharField(_("title"), max_length=200)
    requester = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="purchase_requests",
        verbose_name=_("requester"),
    )
    justification = models.TextField(
        _("justification"), help_text=_("Why it is needed and what happens without it.")
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR", validators=[validate_currency])
    vendor = models.ForeignKey(
        "finance.Vendor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="purchase_requests",
        verbose_name=_("preferred vendor"),
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="purchase_requests",
        verbose_name=_("project"),
    )
    service = models.ForeignKey(
        "itsm.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="purchase_requests",
        verbose_name=_("service"),
    )
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("-created", "id")
        verbose_name = _("purchase request")
        verbose_name_plural = _("purchase requests")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()

    @property
    def total(self) -> Decimal:
        return _lines_total(self.lines.all())

    def clean(self) -> None:
        super().clean()
        self.currency = (self.currency or "").strip().upper()


class PurchaseRequestLine(StewardModel):
    """One item asked for: what, how many, at what unit price (in the request's currency)."""

    purchase_request = models.ForeignKey(
        PurchaseRequest, on_delete=models.CASCADE, related_name="lines", verbose_name=_("purchase request")
    )
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    unit_price = models.DecimalField(_("unit price"), **MONEY, validators=[MinValueValidator(0)])
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, validators=[validate_currency],
        help_text=_("Must be the request's currency; filled from it when left empty."),
    )  # fmt: skip
    ci_class = models.ForeignKey(
        "cmdb.CIClass",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hardware class"),
        help_text=_("For hardware: receiving it may create configuration items of this class."),
    )

    class Meta:
        ordering = ("purchase_request", "id")
        verbose_name = _("purchase request line")
        verbose_name_plural = _("purchase request lines")

    def __str__(self) -> str:
        return f"{self.quantity} × {self.description}"

    def clean(self) -> None:
        super().clean()
        self.currency = (self.currency or "").strip().upper()
        if self.purchase_request_id:
            if not self.currency:
                self.currency = self.purchase_request.currency
            elif self.currency != self.purchase_request.currency:
                raise ValidationError(
                    {"currency": _("Lines are priced in the request's currency (%(c)s).")
                     % {"c": self.purchase_request.currency}}
                )  # fmt: skip


class PurchaseOrder(ReferenceMixin, WorkflowMixin, StewardModel):
    """An order placed with a vendor, usually from an approved request; received line by line."""

    reference_prefix = "PO"
    reference_digits = 5
    workflow = "finance.purchase_order"

    vendor = models.ForeignKey(
        "finance.Vendor", on_delete=models.PROTECT, related_name="purchase_orders", verbose_name=_("vendor")
    )
    purchase_request = models.ForeignKey(
        PurchaseRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="purchase_orders",
        verbose_name=_("purchase request"),
    )
    contract = models.ForeignKey(
        "finance.Contract",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="purchase_orders",
        verbose_name=_("contract"),
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR", validators=[validate_currency])
    order_date = models.DateField(_("order date"))
    expected_date = models.DateField(_("expected delivery"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("-order_date", "-id")
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")

    def __str__(self) -> str:
        return self.reference or str(_("New purchase order"))

    @property
    def total(self) -> Decimal:
        return _lines_total(self.lines.all())

    def invoiced(self, *, exclude: Any = None) -> Decimal:
        """The amount of the invoices booked against this order (rejected ones not counted)."""
        invoices = self.invoices.exclude(state__in=RELEASED_INVOICE_STATES)
        if exclude is not None:
            invoices = invoices.exclude(pk=exclude)
        return quantize(Decimal(invoices.aggregate(t=Coalesce(Sum("amount"), ZERO))["t"]))

    def remaining(self, *, exclude: Any = None) -> Decimal:
        """What may still be invoiced: the order total less what is already invoiced."""
        return self.total - self.invoiced(exclude=exclude)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        self.currency = (self.currency or "").strip().upper()
        if self.expected_date and self.order_date and self.expected_date < self.order_date:
            errors["expected_date"] = _("Delivery cannot be expected before the order.")
        if self.contract_id and self.vendor_id and self.contract.vendor_id != self.vendor_id:
            errors["contract"] = _("This contract is with %(v)s, not with the order's vendor.") % {
                "v": self.contract.vendor
            }
        if errors:
            raise ValidationError(errors)


class PurchaseOrderLine(StewardModel):
    """One ordered item; ``quantity_received`` grows as goods arrive."""

    purchase_order = models.ForeignKey(
        PurchaseOrder, on_delete=models.CASCADE, related_name="lines", verbose_name=_("purchase order")
    )
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    unit_price = models.DecimalField(_("unit price"), **MONEY, validators=[MinValueValidator(0)])
    quantity_received = models.DecimalField(
        _("quantity received"), max_digits=12, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    ci_class = models.ForeignKey(
        "cmdb.CIClass",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hardware class"),
        help_text=_("For hardware: receiving it may create configuration items of this class."),
    )
    configuration_items = models.ManyToManyField(
        "cmdb.ConfigurationItem",
        blank=True,
        related_name="purchase_order_lines",
        verbose_name=_("received items"),
    )

    class Meta:
        ordering = ("purchase_order", "id")
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")

    def __str__(self) -> str:
        return f"{self.quantity} × {self.description}"

    @property
    def outstanding(self) -> Decimal:
        return (self.quantity or 0) - (self.quantity_received or 0)

    def clean(self) -> None:
        super().clean()
        if (
            self.quantity is not None
            and self.quantity_received is not None
            and self.quantity_received > self.quantity
        ):
            raise ValidationError({"quantity_received": _("More cannot be received than was ordered.")})


class Invoice(WorkflowMixin, StewardModel):
    """A vendor's bill, matched against a purchase order (never above what is left of it) or a contract."""

    workflow = "finance.invoice"

    vendor = models.ForeignKey(
        "finance.Vendor", on_delete=models.PROTECT, related_name="invoices", verbose_name=_("vendor")
    )
    number = models.CharField(_("invoice number"), max_length=100)
    invoice_date = models.DateField(_("invoice date"))
    due_date = models.DateField(_("due date"))
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    currency = models.CharField(_("currency"), max_length=3, default="EUR", validators=[validate_currency])
    purchase_order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("purchase order"),
    )
    contract = models.ForeignKey(
        "finance.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("contract"),
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    natural_key_fields = ("vendor", "number")

    class Meta:
        ordering = ("-invoice_date", "-id")
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(fields=("vendor", "number"), name="finance_invoice_number_per_vendor")
        ]

    def __str__(self) -> str:
        return f"{self.vendor} {self.number}" if self.vendor_id else self.number

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        self.number = (self.number or "").strip()
        self.currency = (self.currency or "").strip().upper()
        if self.invoice_date and self.due_date and self.due_date < self.invoice_date:
            errors["due_date"] = _("An invoice cannot fall due before its date.")
        if self.contract_id and self.vendor_id and self.contract.vendor_id != self.vendor_id:
            errors["contract"] = _("Contract %(c)s is with %(v)s, not with this vendor.") % {
                "c": self.contract.reference, "v": self.contract.vendor,
            }  # fmt: skip
        order = self.purchase_order if self.purchase_order_id else None
        if order is not None:
            if self.vendor_id and order.vendor_id != self.vendor_id:
                errors["purchase_order"] = _("Purchase order %(po)s was placed with %(v)s, not with this vendor.") % {
                    "po": order.reference, "v": order.vendor,
                }  # fmt: skip
            elif self.currency and order.currency != self.currency:
                errors["currency"] = _("Purchase order %(po)s is in %(c)s.") % {
                    "po": order.reference, "c": order.currency,
                }  # fmt: skip
            elif self.amount is not None and self.state not in RELEASED_INVOICE_STATES:
                remaining = order.remaining(exclude=self.pk)
                if self.amount > remaining:
                    errors["amount"] = _(
                        "%(amount)s is more than what is left to invoice on purchase order %(po)s (%(left)s %(c)s)."
                    ) % {"amount": self.amount, "po": order.reference, "left": remaining, "c": order.currency}
        if errors:
            raise ValidationError(errors)
