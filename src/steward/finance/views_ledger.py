"""UI of the ledger: the generic pages per model plus the roll-up report, the depreciation report
and booking, new budget versions and allocation runs."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core.importexport import neutralise
from steward.core.permissions import perm_name
from steward.core.registry import registry
from steward.core.views import ObjectViews, Panel
from steward.core.views.generic import ModelView, ObjectDetailView
from steward.finance import filtersets_ledger as filtersets
from steward.finance import forms_ledger as forms
from steward.finance import services
from steward.finance import tables_ledger as tables
from steward.finance.choices_ledger import RollupDimension
from steward.finance.models import AllocationResult, BudgetLine, Expense, FiscalPeriod, FiscalYear


class CostCentreViews(ObjectViews):
    filterset = filtersets.CostCentreFilterSet
    form = forms.CostCentreForm
    table = tables.CostCentreTable
    select_related = ("parent", "owner", "department")
    panels = (Panel("Cost centre", ("code", "name", "parent", "owner", "department", "active"),
                    markdown=("description",)),)  # fmt: skip


class AccountCategoryViews(ObjectViews):
    filterset = filtersets.AccountCategoryFilterSet
    form = forms.AccountCategoryForm
    table = tables.AccountCategoryTable
    panels = (Panel("Account category", ("code", "name", "kind"), markdown=("description",)),)


class FiscalYearViews(ObjectViews):
    filterset = filtersets.FiscalYearFilterSet
    form = forms.FiscalYearForm
    table = tables.FiscalYearTable
    panels = (Panel("Fiscal year", ("name", "start_date", "end_date"), markdown=("description",)),)


class FiscalPeriodViews(ObjectViews):
    filterset = filtersets.FiscalPeriodFilterSet
    form = forms.FiscalPeriodForm
    table = tables.FiscalPeriodTable
    select_related = ("fiscal_year",)
    panels = (Panel("Period", ("fiscal_year", "number", "start_date", "end_date", "closed")),)


class ExchangeRateViews(ObjectViews):
    filterset = filtersets.ExchangeRateFilterSet
    form = forms.ExchangeRateForm
    table = tables.ExchangeRateTable
    panels = (Panel("Exchange rate", ("from_currency", "to_currency", "rate", "valid_from")),)


class ExpenseViews(ObjectViews):
    filterset = filtersets.ExpenseFilterSet
    form = forms.ExpenseForm
    table = tables.ExpenseTable
    select_related = (
        "period__fiscal_year",
        "cost_centre",
        "category",
        "project",
        "service",
        "configuration_item",
    )
    panels = (
        Panel("Expense", ("reference", "date", "period", "amount", "currency", "base_amount", "source",
                          "supplier_name", "description")),
        Panel("Charged to", ("cost_centre", "category", "budget_line", "project", "service", "configuration_item",
                             "depreciation")),
    )  # fmt: skip


class BudgetViews(ObjectViews):
    filterset = filtersets.BudgetFilterSet
    form = forms.BudgetForm
    table = tables.BudgetTable
    select_related = ("fiscal_year", "owner")
    panels = (Panel("Budget", ("name", "fiscal_year", "owner"), markdown=("description",)),)
    detail_template = "finance/ledger/budget_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        v = {"views": cls}
        patterns = [p for p in super().urls() if p.name != "budget_detail"]
        return [
            path(f"{slug}/<int:pk>/", BudgetDetailView.as_view(**v), name="budget_detail"),
            path(f"{slug}/report/", RollupView.as_view(**v), name="budget_report"),
            *patterns,
        ]


class BudgetVersionViews(ObjectViews):
    filterset = filtersets.BudgetVersionFilterSet
    form = forms.BudgetVersionForm
    table = tables.BudgetVersionTable
    select_related = ("budget__fiscal_year",)
    panels = (Panel("Budget version", ("budget", "number", "label", "state"), markdown=("notes",)),)
    detail_template = "finance/ledger/budgetversion_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        v = {"views": cls}
        patterns = [p for p in super().urls() if p.name != "budgetversion_detail"]
        return [
            path(f"{slug}/<int:pk>/", VersionDetailView.as_view(**v), name="budgetversion_detail"),
            path(
                f"{slug}/<int:pk>/new-version/", NewVersionView.as_view(**v), name="budgetversion_new_version"
            ),
            *patterns,
        ]


class BudgetLineViews(ObjectViews):
    filterset = filtersets.BudgetLineFilterSet
    form = forms.BudgetLineForm
    table = tables.BudgetLineTable
    select_related = (
        "version__budget__fiscal_year",
        "period__fiscal_year",
        "cost_centre",
        "category",
        "project",
        "service",
    )
    panels = (
        Panel("Budget line", ("version", "period", "amount", "currency", "base_amount", "description")),
        Panel("Charged to", ("cost_centre", "category", "project", "service")),
    )


class ForecastViews(ObjectViews):
    filterset = filtersets.ForecastFilterSet
    form = forms.ForecastForm
    table = tables.ForecastTable
    select_related = ("budget_line__cost_centre", "budget_line__category", "budget_line__period")
    panels = (Panel("Forecast", ("budget_line", "amount", "base_amount", "estimated_on", "note")),)


class AssetDepreciationViews(ObjectViews):
    filterset = filtersets.AssetDepreciationFilterSet
    form = forms.AssetDepreciationForm
    table = tables.AssetDepreciationTable
    select_related = ("configuration_item", "cost_centre", "category")
    panels = (
        Panel("Depreciation", ("configuration_item", "method", "useful_life_months", "salvage_value", "annual_rate",
                               "start_date", "active")),
        Panel("Booked to", ("cost_centre", "category")),
    )  # fmt: skip
    detail_template = "finance/ledger/assetdepreciation_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        v = {"views": cls}
        patterns = [p for p in super().urls() if p.name != "assetdepreciation_detail"]
        return [
            path(f"{slug}/<int:pk>/", DepreciationDetailView.as_view(**v), name="assetdepreciation_detail"),
            path(f"{slug}/report/", DepreciationReportView.as_view(**v), name="assetdepreciation_report"),
            *patterns,
        ]


class AllocationRuleViews(ObjectViews):
    filterset = filtersets.AllocationRuleFilterSet
    form = forms.AllocationRuleForm
    table = tables.AllocationRuleTable
    select_related = ("pool_cost_centre", "pool_category")
    panels = (Panel("Allocation rule", ("name", "pool_cost_centre", "pool_category", "include_children", "driver",
                                        "target", "active"), markdown=("description",)),)  # fmt: skip

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        return [
            path(f"{slug}/run/", AllocationRunView.as_view(views=cls), name="allocationrule_run"),
            *super().urls(),
        ]


class AllocationShareViews(ObjectViews):
    filterset = filtersets.AllocationShareFilterSet
    form = forms.AllocationShareForm
    table = tables.AllocationShareTable
    select_related = ("rule", "service", "department")
    panels = (Panel("Share", ("rule", "service", "department", "percent")),)


class AllocationResultViews(ObjectViews):
    filterset = filtersets.AllocationResultFilterSet
    form = forms.AllocationResultForm
    table = tables.AllocationResultTable
    select_related = ("rule", "period__fiscal_year", "service", "department")
    panels = (Panel("Allocation result", ("rule", "period", "service", "department", "driver_value", "share",
                                          "amount", "tickets", "cost_per_ticket")),)  # fmt: skip


# --- pages beyond the generic ones ---------------------------------------------------------------
class BudgetDetailView(ObjectDetailView):
    """The budget with its versions."""

    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        if "object" in extra:
            context["versions"] = extra["object"].versions.order_by("-number")
        return context


class VersionDetailView(ObjectDetailView):
    """The version with its lines (the first 500) and the button to copy it into a new version."""

    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        if "object" in extra:
            version = extra["object"]
            lines = BudgetLine.objects.restrict(self.request.user, "view").filter(version=version)
            context["lines"] = lines.select_related(
                "period", "cost_centre", "category", "project", "service", "forecast"
            )[:500]
            context["line_count"] = lines.count()
            context["can_copy"] = self.request.user.has_perm(perm_name(type(version), "add"))
        return context


class NewVersionView(ModelView):
    """Copy a version's lines into a new draft version (POST only)."""

    action = "add"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = self.get_object(pk, "view")
        copy = services.new_version(
            version=version, actor=request.user, label=request.POST.get("label", "")[:100]
        )
        messages.success(request, _("Version %(n)s created with a copy of the lines.") % {"n": copy.number})
        return redirect(copy.get_absolute_url())


def _fiscal_year(request: HttpRequest) -> FiscalYear | None:
    raw = request.GET.get("fiscal_year")
    if raw and raw.isdigit():
        return FiscalYear.objects.filter(pk=raw).first()
    today = timezone.localdate()
    return (
        FiscalYear.objects.filter(start_date__lte=today, end_date__gte=today).first()
        or FiscalYear.objects.first()
    )


def rollup_chart(report: services.Rollup) -> dict[str, Any]:
    """Chart.js data: budget and forecast as lines, actual as bars, per period."""
    per_period = report.by_period()
    return {
        "type": "bar",
        "labels": [p.label for p, _f in per_period],
        "datasets": [
            {"label": _("Actual"), "data": [float(f.actual) for _p, f in per_period]},
            {"label": _("Budget"), "type": "line", "data": [float(f.budget) for _p, f in per_period]},
            {"label": _("Forecast"), "type": "line", "data": [float(f.forecast) for _p, f in per_period]},
        ],
    }


def rollup_csv(report: services.Rollup) -> HttpResponse:
    """One row per period and dimension value: budget, forecast, actual, variance and variance %."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="budget-vs-actual-{report.fiscal_year.name}.csv"'
    writer = csv.writer(response)
    writer.writerow(["period", report.dimension, "currency", "budget", "forecast", "actual", "variance",
                     "variance_pct", "forecast_variance"])  # fmt: skip
    labels = dict(report.keys)
    for period in report.periods:
        for key, _label in report.keys:
            f = report.cells.get((period.pk, key))
            if f is None:
                continue
            writer.writerow([period.label, neutralise(labels[key]), report.currency, f.budget, f.forecast, f.actual,
                             f.variance, "" if f.variance_pct is None else f.variance_pct, f.forecast_variance])  # fmt: skip
    return response


class RollupView(ModelView):
    """Budget vs actual vs forecast per period with variance, by a chosen dimension; CSV export."""

    def get(self, request: HttpRequest) -> HttpResponse:
        year = _fiscal_year(request)
        dimension = request.GET.get("dimension") or RollupDimension.COST_CENTRE
        if dimension not in RollupDimension.values:
            dimension = RollupDimension.COST_CENTRE
        budget_id = request.GET.get("budget")
        budget = self.queryset().filter(pk=budget_id).first() if budget_id and budget_id.isdigit() else None
        form = forms.RollupForm(initial={"fiscal_year": year, "dimension": dimension, "budget": budget})
        form.fields["budget"].queryset = self.queryset()
        context: dict[str, Any] = {"form": form, "year": year}
        if year is not None:
            report = services.rollup(fiscal_year=year, dimension=dimension, budget=budget, user=request.user)
            if request.GET.get("export") == "csv":
                return rollup_csv(report)
            context.update(report=report, per_period=report.by_period(), per_key=report.by_key(),
                           total=report.total(), chart=rollup_chart(report),
                           dimension_label=RollupDimension(dimension).label)  # fmt: skip
        return render(request, "finance/ledger/rollup.html", self.context(**context))


class DepreciationDetailView(ObjectDetailView):
    """The generic page plus the item's month-by-month schedule."""

    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        if "object" in extra:
            dep = extra["object"]
            if dep.starts and dep.configuration_item.purchase_cost is not None:
                context["schedule"] = services.schedule(dep)
        return context


def _month(raw: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{raw}-01") if raw else timezone.localdate().replace(day=1)
    except ValueError:
        return timezone.localdate().replace(day=1)


class DepreciationReportView(ModelView):
    """The month's depreciation per item; POST books it as expenses (needs permission to add expenses)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        month = _month(request.GET.get("month"))
        lines = services.depreciation_report(month=month, user=request.user)
        period = FiscalPeriod.objects.filter(start_date__lte=month, end_date__gte=month).first()
        can_book = (
            request.user.has_perm(perm_name(Expense, "add")) and period is not None and not period.closed
        )
        return render(request, "finance/ledger/depreciation_report.html",
                      self.context(month=month, lines=lines, period=period, can_book=can_book))  # fmt: skip

    def post(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm(perm_name(Expense, "add")):
            return HttpResponse(status=403)
        month = _month(request.POST.get("month"))
        period = get_object_or_404(FiscalPeriod, start_date__lte=month, end_date__gte=month)
        try:
            booked = services.book_depreciation(period=period, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(n)d depreciation expenses booked.") % {"n": len(booked)})
        return redirect(f"{request.path}?month={month:%Y-%m}")


class AllocationRunView(ModelView):
    """Run every active allocation rule for a period (POST, needs change permission); show cost per service."""

    def required_action(self, request: HttpRequest) -> str:
        return "change" if request.method == "POST" else "view"

    def _period(self, raw: str | None) -> FiscalPeriod | None:
        if raw and raw.isdigit():
            return FiscalPeriod.objects.filter(pk=raw).first()
        today = timezone.localdate()
        return FiscalPeriod.objects.filter(start_date__lte=today, end_date__gte=today).first()

    def get(self, request: HttpRequest) -> HttpResponse:
        period = self._period(request.GET.get("period"))
        costs = services.cost_per_service(period=period, user=request.user) if period else []
        results = (
            AllocationResult.objects.restrict(request.user, "view").filter(period=period, department__isnull=False)
            .select_related("department", "rule") if period else []
        )  # fmt: skip
        periods = FiscalPeriod.objects.select_related("fiscal_year").order_by("-start_date")[:36]
        return render(request, "finance/ledger/allocation_run.html",
                      self.context(period=period, periods=periods, costs=costs, department_results=results))  # fmt: skip

    def post(self, request: HttpRequest) -> HttpResponse:
        period = self._period(request.POST.get("period"))
        if period is None:
            messages.error(request, _("Choose a period."))
            return redirect(request.path)
        try:
            results = services.run_allocations(period=period, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(n)d rules allocated.") % {"n": len(results)})
        return redirect(f"{request.path}?period={period.pk}")
