"""API viewsets of the ledger models, with the roll-up, depreciation booking, allocation runs and
new budget versions as actions."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from steward.core.api.viewsets import StewardModelViewSet
from steward.finance import filtersets_ledger as filtersets
from steward.finance import services
from steward.finance.api import serializers_ledger as serializers
from steward.finance.models import (
    AccountCategory,
    AllocationResult,
    AllocationRule,
    AllocationShare,
    AssetDepreciation,
    Budget,
    BudgetLine,
    BudgetVersion,
    CostCentre,
    ExchangeRate,
    Expense,
    FiscalPeriod,
    FiscalYear,
    Forecast,
)


class CostCentreViewSet(StewardModelViewSet):
    queryset = CostCentre.objects.select_related("parent", "owner", "department")
    serializer_class = serializers.CostCentreSerializer
    filterset_class = filtersets.CostCentreFilterSet


class AccountCategoryViewSet(StewardModelViewSet):
    queryset = AccountCategory.objects.all()
    serializer_class = serializers.AccountCategorySerializer
    filterset_class = filtersets.AccountCategoryFilterSet


class FiscalYearViewSet(StewardModelViewSet):
    queryset = FiscalYear.objects.all()
    serializer_class = serializers.FiscalYearSerializer
    filterset_class = filtersets.FiscalYearFilterSet


class FiscalPeriodViewSet(StewardModelViewSet):
    queryset = FiscalPeriod.objects.select_related("fiscal_year")
    serializer_class = serializers.FiscalPeriodSerializer
    filterset_class = filtersets.FiscalPeriodFilterSet


class ExchangeRateViewSet(StewardModelViewSet):
    queryset = ExchangeRate.objects.all()
    serializer_class = serializers.ExchangeRateSerializer
    filterset_class = filtersets.ExchangeRateFilterSet


class ExpenseViewSet(StewardModelViewSet):
    queryset = Expense.objects.select_related(
        "period__fiscal_year",
        "cost_centre",
        "category",
        "budget_line",
        "configuration_item",
        "project",
        "service",
    )
    serializer_class = serializers.ExpenseSerializer
    filterset_class = filtersets.ExpenseFilterSet


class BudgetViewSet(StewardModelViewSet):
    queryset = Budget.objects.select_related("fiscal_year", "owner")
    serializer_class = serializers.BudgetSerializer
    filterset_class = filtersets.BudgetFilterSet

    @extend_schema(
        parameters=[
            OpenApiParameter("fiscal_year", int, required=True),
            OpenApiParameter("dimension", str, enum=[c for c, _l in serializers.RollupDimension.choices]),
            OpenApiParameter("budget", int),
        ],
        responses={200: serializers.RollupSerializer},
    )
    @action(detail=False, methods=["get"], url_path="rollup", pagination_class=None, filter_backends=[])
    def rollup(self, request: Any) -> Response:
        """Budget (approved versions) vs forecast vs actual per period and dimension, base currency."""
        query = serializers.RollupQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        budget = query.validated_data.get("budget")
        if budget is not None and not self.get_queryset().filter(pk=budget.pk).exists():
            raise ValidationError({"budget": ["Unknown budget."]})
        report = services.rollup(fiscal_year=query.validated_data["fiscal_year"],
                                 dimension=query.validated_data["dimension"], budget=budget, user=request.user)  # fmt: skip
        labels = dict(report.keys)
        rows = [
            {"period": p.label, "period_id": p.pk, "key": key, "label": labels[key], "budget": f.budget,
             "forecast": f.forecast, "actual": f.actual, "variance": f.variance, "variance_pct": f.variance_pct,
             "forecast_variance": f.forecast_variance}
            for p in report.periods for key, _label in report.keys
            if (f := report.cells.get((p.pk, key))) is not None
        ]  # fmt: skip
        data = {"fiscal_year": report.fiscal_year.name, "dimension": report.dimension,
                "currency": report.currency, "rows": rows}  # fmt: skip
        return Response(serializers.RollupSerializer(data).data)


class BudgetVersionViewSet(StewardModelViewSet):
    queryset = BudgetVersion.objects.select_related("budget__fiscal_year")
    serializer_class = serializers.BudgetVersionSerializer
    filterset_class = filtersets.BudgetVersionFilterSet

    @property
    def required_action(self) -> str:
        return "add" if getattr(self, "action", None) == "new_version" else super().required_action

    @extend_schema(
        request=serializers.NewVersionRequestSerializer, responses={201: serializers.BudgetVersionSerializer}
    )
    @action(detail=True, methods=["post"], url_path="new-version", pagination_class=None, filter_backends=[])
    def new_version(self, request: Any, pk: int | None = None) -> Response:
        """Copy this version's lines into a new draft version of the same budget."""
        body = serializers.NewVersionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        copy = services.new_version(
            version=self.get_object(), actor=request.user, label=body.validated_data["label"]
        )
        return Response(self.get_serializer(copy).data, status=status.HTTP_201_CREATED)


class BudgetLineViewSet(StewardModelViewSet):
    queryset = BudgetLine.objects.select_related(
        "version__budget__fiscal_year", "period", "cost_centre", "category", "project", "service"
    )
    serializer_class = serializers.BudgetLineSerializer
    filterset_class = filtersets.BudgetLineFilterSet


class ForecastViewSet(StewardModelViewSet):
    queryset = Forecast.objects.select_related(
        "budget_line__cost_centre", "budget_line__category", "budget_line__period"
    )
    serializer_class = serializers.ForecastSerializer
    filterset_class = filtersets.ForecastFilterSet


class AssetDepreciationViewSet(StewardModelViewSet):
    queryset = AssetDepreciation.objects.select_related("configuration_item", "cost_centre", "category")
    serializer_class = serializers.AssetDepreciationSerializer
    filterset_class = filtersets.AssetDepreciationFilterSet

    def check_permissions(self, request: Any) -> None:
        super().check_permissions(request)
        if getattr(self, "action", None) == "book" and not request.user.has_perm("finance.add_expense"):
            self.permission_denied(request, message="Booking depreciation needs permission to add expenses.")

    @extend_schema(
        request=serializers.PeriodRequestSerializer, responses={200: serializers.ExpenseSerializer(many=True)}
    )
    @action(detail=False, methods=["post"], url_path="book", pagination_class=None, filter_backends=[])
    def book(self, request: Any) -> Response:
        """Book the period's depreciation as expenses (items already booked for it are skipped)."""
        body = serializers.PeriodRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        booked = services.book_depreciation(period=body.validated_data["period"], actor=request.user)
        return Response(serializers.ExpenseSerializer(booked, many=True, context={"request": request}).data)


class AllocationRuleViewSet(StewardModelViewSet):
    queryset = AllocationRule.objects.select_related("pool_cost_centre", "pool_category")
    serializer_class = serializers.AllocationRuleSerializer
    filterset_class = filtersets.AllocationRuleFilterSet

    @property
    def required_action(self) -> str:
        return "change" if getattr(self, "action", None) == "run" else super().required_action

    @extend_schema(
        request=serializers.PeriodRequestSerializer,
        responses={200: serializers.AllocationResultSerializer(many=True)},
    )
    @action(detail=True, methods=["post"], url_path="run", pagination_class=None, filter_backends=[])
    def run(self, request: Any, pk: int | None = None) -> Response:
        """Allocate the rule's pool for a period, replacing that period's earlier results."""
        body = serializers.PeriodRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        results = services.run_allocation(rule=self.get_object(), period=body.validated_data["period"],
                                          actor=request.user)  # fmt: skip
        return Response(
            serializers.AllocationResultSerializer(results, many=True, context={"request": request}).data
        )


class AllocationShareViewSet(StewardModelViewSet):
    queryset = AllocationShare.objects.select_related("rule", "service", "department")
    serializer_class = serializers.AllocationShareSerializer
    filterset_class = filtersets.AllocationShareFilterSet


class AllocationResultViewSet(StewardModelViewSet):
    queryset = AllocationResult.objects.select_related("rule", "period__fiscal_year", "service", "department")
    serializer_class = serializers.AllocationResultSerializer
    filterset_class = filtersets.AllocationResultFilterSet
