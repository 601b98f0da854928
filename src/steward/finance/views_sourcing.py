"""UI of sourcing: the generic pages per model plus licence positions, ordering and receiving."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from steward.core.registry import registry
from steward.core.views import ObjectViews, Panel
from steward.core.views.generic import ModelView, ObjectDetailView
from steward.finance import filtersets_sourcing as filtersets
from steward.finance import forms_sourcing as forms
from steward.finance import services_sourcing as services
from steward.finance import tables_sourcing as tables
from steward.finance.choices_sourcing import LicenceMetric, LicencePosition
from steward.finance.models import AccountCategory, BudgetLine, CostCentre, PurchaseOrder
from steward.finance.services_ledger import book_invoice


def _errors(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


class VendorViews(ObjectViews):
    filterset = filtersets.VendorFilterSet
    form = forms.VendorForm
    table = tables.VendorTable
    select_related = ("manufacturer",)
    panels = (
        Panel("Vendor", ("name", "kind", "status", "risk_tier", "website", "manufacturer"),
              markdown=("contacts", "description")),
    )  # fmt: skip


class ContractViews(ObjectViews):
    filterset = filtersets.ContractFilterSet
    form = forms.ContractForm
    table = tables.ContractTable
    select_related = ("vendor", "owner")
    panels = (
        Panel("Contract", ("reference", "title", "kind", "vendor", "vendor_reference", "owner", "value", "currency"),
              markdown=("description",)),
        Panel("Term", ("start_date", "end_date", "notice_days", "notice_deadline", "auto_renew", "renewal_months")),
        Panel("Covers", ("configuration_items", "services")),
    )  # fmt: skip
    detail_template = "finance/sourcing/contract_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        view = RenewContractView.as_view(views=cls)
        return [path(f"{slug}/<int:pk>/renew/", view, name="contract_renew"), *super().urls()]


class ContractRenewalViews(ObjectViews):
    filterset = filtersets.ContractRenewalFilterSet
    form = forms.ContractRenewalForm
    table = tables.ContractRenewalTable
    select_related = ("contract",)
    panels = (Panel("Renewal", ("contract", "renewed_on", "previous_end", "new_end", "automatic", "value",
                                "note")),)  # fmt: skip


class SoftwareLicenceViews(ObjectViews):
    filterset = filtersets.SoftwareLicenceFilterSet
    form = forms.SoftwareLicenceForm
    table = tables.SoftwareLicenceTable
    select_related = ("product", "contract")
    panels = (Panel("Licence", ("name", "product", "metric", "quantity", "contract", "expiry", "licence_key"),
                    markdown=("notes",)),)  # fmt: skip

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        view = LicencePositionsView.as_view(views=cls)
        return [path(f"{slug}/positions/", view, name="softwarelicence_positions"), *super().urls()]


class PurchaseRequestViews(ObjectViews):
    filterset = filtersets.PurchaseRequestFilterSet
    form = forms.PurchaseRequestForm
    table = tables.PurchaseRequestTable
    select_related = ("requester", "vendor", "project", "service")
    panels = (
        Panel("Request", ("reference", "title", "requester", "vendor", "currency", "total", "needed_by"),
              markdown=("justification",)),
        Panel("For", ("project", "service", "decision_note")),
    )  # fmt: skip
    detail_template = "finance/sourcing/purchaserequest_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        v = {"views": cls}
        patterns = [p for p in super().urls() if p.name != "purchaserequest_detail"]
        return [
            path(f"{slug}/<int:pk>/", PurchaseRequestDetailView.as_view(**v), name="purchaserequest_detail"),
            path(f"{slug}/<int:pk>/order/", CreateOrderView.as_view(**v), name="purchaserequest_order"),
            *patterns,
        ]


class PurchaseRequestLineViews(ObjectViews):
    filterset = filtersets.PurchaseRequestLineFilterSet
    form = forms.PurchaseRequestLineForm
    table = tables.PurchaseRequestLineTable
    select_related = ("purchase_request", "ci_class")
    panels = (Panel("Line", ("purchase_request", "description", "quantity", "unit_price", "currency",
                             "ci_class")),)  # fmt: skip


class PurchaseOrderViews(ObjectViews):
    filterset = filtersets.PurchaseOrderFilterSet
    form = forms.PurchaseOrderForm
    table = tables.PurchaseOrderTable
    select_related = ("vendor", "purchase_request", "contract")
    panels = (
        Panel("Order", ("reference", "vendor", "purchase_request", "contract", "order_date", "expected_date"),
              markdown=("notes",)),
        Panel("Amounts", ("currency", "total")),
    )  # fmt: skip
    detail_template = "finance/sourcing/purchaseorder_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        view = ReceiveOrderView.as_view(views=cls)
        return [path(f"{slug}/<int:pk>/receive/", view, name="purchaseorder_receive"), *super().urls()]


class PurchaseOrderLineViews(ObjectViews):
    filterset = filtersets.PurchaseOrderLineFilterSet
    form = forms.PurchaseOrderLineForm
    table = tables.PurchaseOrderLineTable
    select_related = ("purchase_order", "ci_class")
    panels = (Panel("Line", ("purchase_order", "description", "quantity", "unit_price", "quantity_received",
                             "ci_class", "configuration_items")),)  # fmt: skip


class InvoiceViews(ObjectViews):
    filterset = filtersets.InvoiceFilterSet
    form = forms.InvoiceForm
    table = tables.InvoiceTable
    select_related = ("vendor", "purchase_order", "contract")
    panels = (
        Panel("Invoice", ("vendor", "number", "invoice_date", "due_date", "amount", "currency", "paid_on"),
              markdown=("notes",)),
        Panel("Matched with", ("purchase_order", "contract")),
    )  # fmt: skip
    detail_template = "finance/sourcing/invoice_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        view = BookInvoiceView.as_view(views=cls)
        return [path(f"{slug}/<int:pk>/book/", view, name="invoice_book"), *super().urls()]


# --- pages beyond the generic ones ---------------------------------------------------------------
class LicencePositionsView(ModelView):
    """Purchased against used per product and metric, from CMDB installations (two aggregate queries)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        positions = services.licence_positions(licences=self.queryset())
        wanted = request.GET.get("status", "")
        if wanted in LicencePosition.values:
            positions = [p for p in positions if p.status == wanted]
        rows = [
            {"p": p, "metric": LicenceMetric(p.metric).label, "status": LicencePosition(p.status).label,
             "colour": LicencePosition.colour(p.status)}
            for p in positions
        ]  # fmt: skip
        return render(
            request,
            "finance/sourcing/licence_positions.html",
            self.context(rows=rows, statuses=LicencePosition.choices, wanted=wanted),
        )


class RenewContractView(ModelView):
    """Renew a contract by hand (POST only): ``months``, or its renewal term; records a renewal row."""

    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        contract = self.get_object(pk)
        raw = (request.POST.get("months") or "").strip()
        try:
            months = int(raw) if raw else None
            renewal = services.renew_contract(contract=contract, actor=request.user, months=months)
        except ValueError:
            messages.error(request, _("Give the renewal term as a whole number of months."))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Renewed until %(d)s.") % {"d": renewal.new_end})
        return redirect(contract.get_absolute_url())


class CreateOrderView(ModelView):
    """Turn an approved request into a purchase order (POST only); needs the right to add orders."""

    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        purchase_request = self.get_object(pk)
        if not request.user.has_perm("finance.add_purchaseorder"):
            raise PermissionDenied
        try:
            order = services.create_purchase_order(purchase_request=purchase_request, actor=request.user)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            return redirect(purchase_request.get_absolute_url())
        messages.success(request, _("Purchase order %(po)s created.") % {"po": order.reference})
        return redirect(order.get_absolute_url())


class ReceiveOrderView(ModelView):
    """Enter the quantities that arrived per line; optionally create CMDB items for hardware lines."""

    action = "change"

    def _render(self, request: HttpRequest, order: PurchaseOrder, errors: dict | None = None) -> HttpResponse:
        lines = list(order.lines.select_related("ci_class"))
        return render(
            request,
            "finance/sourcing/purchaseorder_receive.html",
            self.context(object=order, lines=lines, errors=errors or {}),
            status=400 if errors else 200,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, self.get_object(pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        order = self.get_object(pk)
        quantities: dict[int, Decimal] = {}
        errors: dict[str, list[str]] = {}
        for line in order.lines.all():
            raw = (request.POST.get(f"line-{line.pk}") or "").strip()
            if not raw or raw == "0":
                continue
            try:
                quantities[line.pk] = Decimal(raw)
            except InvalidOperation:
                errors[f"lines.{line.pk}"] = [_("Give a number.")]
        create_items = request.POST.get("create_items") == "on"
        if create_items and not request.user.has_perm("cmdb.add_configurationitem"):
            raise PermissionDenied
        if not errors:
            try:
                created = services.receive_purchase_order(
                    order=order, actor=request.user, quantities=quantities, create_items=create_items
                )
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "message_dict") else {"lines": exc.messages}
            else:
                messages.success(
                    request, _("Receipt booked; %(n)d configuration items created.") % {"n": len(created)}
                )
                return redirect(order.get_absolute_url())
        return self._render(request, order, errors)


class PurchaseRequestDetailView(ObjectDetailView):
    """The generic page plus the lines, their total and the buttons to add a line and to order."""

    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        if "object" in extra:
            user, obj = self.request.user, extra["object"]
            context["can_order"] = obj.state == "approved" and user.has_perm("finance.add_purchaseorder")
            context["can_add_line"] = obj.state == "draft" and user.has_perm(
                "finance.add_purchaserequestline"
            )
        return context


class BookInvoiceForm(django_forms.Form):
    """Where an approved invoice's cost goes in the ledger."""

    cost_centre = django_forms.ModelChoiceField(CostCentre.objects.all(), label=_l("Cost centre"))
    category = django_forms.ModelChoiceField(AccountCategory.objects.all(), label=_l("Category"))
    budget_line = django_forms.ModelChoiceField(
        BudgetLine.objects.select_related("version__budget", "period", "cost_centre"),
        label=_l("Budget line"),
        required=False,
    )
    date = django_forms.DateField(
        label=_l("Booking date"), required=False, help_text=_l("The invoice date when left empty.")
    )


class BookInvoiceView(ModelView):
    """Book an approved invoice as an expense; needs view on the invoice and the right to add expenses."""

    action = "view"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not request.user.has_perm("finance.add_expense"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        invoice = self.get_object(pk)
        return render(
            request,
            "finance/sourcing/invoice_book.html",
            self.context(object=invoice, form=BookInvoiceForm()),
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        invoice = self.get_object(pk)
        form = BookInvoiceForm(request.POST)
        if form.is_valid():
            try:
                expense = book_invoice(invoice=invoice, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Booked as %(expense)s.") % {"expense": expense.reference})
                return redirect(invoice.get_absolute_url())
        context = self.context(object=invoice, form=form)
        return render(request, "finance/sourcing/invoice_book.html", context, status=422)
