from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from steward.core.api.viewsets import StewardModelViewSet
from steward.finance import filtersets_sourcing as filtersets
from steward.finance import services_sourcing as services
from steward.finance.api import serializers_sourcing as serializers
from steward.finance.api.serializers_ledger import ExpenseSerializer
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
from steward.finance.models.purchasing import RELEASED_INVOICE_STATES, ZERO, lines_total_expression
from steward.finance.services_ledger import book_invoice


class VendorViewSet(StewardModelViewSet):
    queryset = Vendor.objects.select_related("manufacturer")
    serializer_class = serializers.VendorSerializer
    filterset_class = filtersets.VendorFilterSet


class ContractViewSet(StewardModelViewSet):
    queryset = Contract.objects.select_related("vendor", "owner").prefetch_related(
        "configuration_items", "services"
    )
    serializer_class = serializers.ContractSerializer
    filterset_class = filtersets.ContractFilterSet

    @property
    def required_action(self) -> str:
        return "change" if getattr(self, "action", None) == "renew" else super().required_action

    @extend_schema(
        request=serializers.RenewSerializer, responses={200: serializers.ContractRenewalSerializer}
    )
    @action(detail=True, methods=["post"], url_path="renew", filter_backends=[], pagination_class=None)
    def renew(self, request: Any, pk: int | None = None) -> Response:
        """Renew by ``months`` (the contract's renewal term by default); records a renewal row."""
        contract = self.get_object()
        if not request.user.has_perm("finance.change_contract", contract):
            raise PermissionDenied
        data = serializers.RenewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        renewal = services.renew_contract(contract=contract, actor=request.user, **data.validated_data)
        return Response(serializers.ContractRenewalSerializer(renewal, context={"request": request}).data)


class ContractRenewalViewSet(StewardModelViewSet):
    queryset = ContractRenewal.objects.select_related("contract")
    serializer_class = serializers.ContractRenewalSerializer
    filterset_class = filtersets.ContractRenewalFilterSet


class SoftwareLicenceViewSet(StewardModelViewSet):
    queryset = SoftwareLicence.objects.select_related("product", "contract")
    serializer_class = serializers.SoftwareLicenceSerializer
    filterset_class = filtersets.SoftwareLicenceFilterSet

    @extend_schema(responses={200: serializers.LicencePositionSerializer(many=True)})
    @action(detail=False, methods=["get"], url_path="positions", pagination_class=None)
    def positions(self, request: Any) -> Response:
        """Compliance position per product and metric of the (filtered) licences against CMDB installations."""
        positions = services.licence_positions(licences=self.filter_queryset(self.get_queryset()))
        return Response(
            serializers.LicencePositionSerializer([p.as_dict() for p in positions], many=True).data
        )


class PurchaseRequestViewSet(StewardModelViewSet):
    queryset = PurchaseRequest.objects.select_related("requester", "vendor", "project", "service").annotate(
        lines_total=lines_total_expression(PurchaseRequestLine, "purchase_request")
    )
    serializer_class = serializers.PurchaseRequestSerializer
    filterset_class = filtersets.PurchaseRequestFilterSet

    @property
    def required_action(self) -> str:
        return "change" if getattr(self, "action", None) == "create_order" else super().required_action

    @extend_schema(
        request=serializers.CreateOrderSerializer, responses={201: serializers.PurchaseOrderSerializer}
    )
    @action(detail=True, methods=["post"], url_path="order", filter_backends=[], pagination_class=None)
    def create_order(self, request: Any, pk: int | None = None) -> Response:
        """Create the purchase order of an approved request (needs the right to add purchase orders)."""
        purchase_request = self.get_object()
        if not request.user.has_perm("finance.add_purchaseorder"):
            raise PermissionDenied
        data = serializers.CreateOrderSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = services.create_purchase_order(
            purchase_request=purchase_request, actor=request.user, **data.validated_data
        )
        return Response(
            serializers.PurchaseOrderSerializer(order, context={"request": request}).data, status=201
        )


class PurchaseRequestLineViewSet(StewardModelViewSet):
    queryset = PurchaseRequestLine.objects.select_related("purchase_request", "ci_class")
    serializer_class = serializers.PurchaseRequestLineSerializer
    filterset_class = filtersets.PurchaseRequestLineFilterSet


class PurchaseOrderViewSet(StewardModelViewSet):
    queryset = PurchaseOrder.objects.select_related("vendor", "purchase_request", "contract").annotate(
        lines_total=lines_total_expression(PurchaseOrderLine, "purchase_order"),
        invoiced_total=Coalesce(
            Subquery(
                Invoice.objects.filter(purchase_order=OuterRef("pk"))
                .exclude(state__in=RELEASED_INVOICE_STATES)
                .order_by()
                .values("purchase_order")
                .annotate(t=Sum("amount"))
                .values("t")
            ),
            ZERO,
        ),
    )
    serializer_class = serializers.PurchaseOrderSerializer
    filterset_class = filtersets.PurchaseOrderFilterSet

    @property
    def required_action(self) -> str:
        return "change" if getattr(self, "action", None) == "receive" else super().required_action

    @extend_schema(
        request=serializers.ReceiveSerializer, responses={200: serializers.PurchaseOrderSerializer}
    )
    @action(detail=True, methods=["post"], url_path="receive", filter_backends=[], pagination_class=None)
    def receive(self, request: Any, pk: int | None = None) -> Response:
        """Book received quantities per line; ``create_items`` also needs the right to add CMDB items."""
        order = self.get_object()
        if not request.user.has_perm("finance.change_purchaseorder", order):
            raise PermissionDenied
        data = serializers.ReceiveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        create_items = data.validated_data["create_items"]
        if create_items and not request.user.has_perm("cmdb.add_configurationitem"):
            raise PermissionDenied
        lines = {}
        for key, qty in data.validated_data["lines"].items():
            if not str(key).isdigit():
                raise ValidationError({f"lines.{key}": ["A line is named by its id."]})
            lines[int(key)] = qty
        services.receive_purchase_order(order=order, actor=request.user, quantities=lines,
                                        create_items=create_items)  # fmt: skip
        return Response(serializers.PurchaseOrderSerializer(order, context={"request": request}).data)


class PurchaseOrderLineViewSet(StewardModelViewSet):
    queryset = PurchaseOrderLine.objects.select_related("purchase_order", "ci_class").prefetch_related(
        "configuration_items"
    )
    serializer_class = serializers.PurchaseOrderLineSerializer
    filterset_class = filtersets.PurchaseOrderLineFilterSet


class InvoiceViewSet(StewardModelViewSet):
    queryset = Invoice.objects.select_related("vendor", "purchase_order", "contract")
    serializer_class = serializers.InvoiceSerializer
    filterset_class = filtersets.InvoiceFilterSet

    @extend_schema(request=serializers.BookInvoiceSerializer, responses={201: ExpenseSerializer})
    @action(detail=True, methods=["post"], url_path="book", filter_backends=[], pagination_class=None)
    def book(self, request: Any, pk: int | None = None) -> Response:
        """Book the approved invoice as an expense (needs the right to add expenses)."""
        invoice = self.get_object()
        if not request.user.has_perm("finance.add_expense"):
            raise PermissionDenied
        data = serializers.BookInvoiceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        expense = book_invoice(invoice=invoice, actor=request.user, **data.validated_data)
        return Response(ExpenseSerializer(expense, context={"request": request}).data, status=201)
