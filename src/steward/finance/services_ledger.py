"""Ledger rules: booking expenses, budget versions and forecasts, the budget-versus-actual roll-up,
and each project's actual cost.

Every write is atomic and takes the acting user explicitly. Money is ``Decimal``; amounts are
compared and summed in the base currency (``STEWARD_BASE_CURRENCY``), converted when a line is
booked (see ADR 0018).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import DecimalField, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from steward.core import workflow as wf
from steward.finance.choices_ledger import ExpenseSource, RollupDimension
from steward.finance.currency import ConversionError, convert, rate_on
from steward.finance.models import (
    AccountCategory,
    Budget,
    BudgetLine,
    BudgetVersion,
    CostCentre,
    Expense,
    FiscalPeriod,
    FiscalYear,
    Forecast,
)
from steward.finance.models.ledger import base_currency

__all__ = ["ConversionError", "convert", "rate_on"]  # re-exported: the public conversion service

ZERO = Decimal(0)
logger = logging.getLogger(__name__)
CENT = Decimal("0.01")
MONEY = DecimalField(max_digits=18, decimal_places=2)


# --- periods and expenses ------------------------------------------------------------------------
def create_fiscal_year(*, name: str, start_date: dt.date, actor: Any) -> FiscalYear:
    """A fiscal year with its twelve monthly periods (the year may start in any month)."""
    with transaction.atomic():
        year = FiscalYear(name=name, start_date=start_date)
        year.full_clean()
        year.save()
    return year


def set_period_closed(*, period: FiscalPeriod, closed: bool, actor: Any) -> FiscalPeriod:
    """Close a period (no expense may be booked into or changed in it any more) or reopen it."""
    with transaction.atomic():
        locked = FiscalPeriod.objects.select_for_update().get(pk=period.pk)
        locked.closed = period.closed = closed
        locked.save(update_fields=["closed", "last_updated"])
    return locked


def record_expense(*, actor: Any, **values: Any) -> Expense:
    """Book an expense: its period comes from its date and its base amount from the rate that day.

    Refused (``ValidationError`` naming the field) in a closed period, outside every fiscal year,
    for a negative amount, or when no rate converts its currency to the base currency that day.
    """
    with transaction.atomic():
        expense = Expense(**values)
        expense.full_clean()
        expense.save()
    return expense


# --- budget versions and forecasts ---------------------------------------------------------------
def create_budget(*, name: str, fiscal_year: FiscalYear, actor: Any, **values: Any) -> Budget:
    """A budget with its first (draft) version."""
    with transaction.atomic():
        budget = Budget(name=name, fiscal_year=fiscal_year, **values)
        budget.full_clean()
        budget.save()
        BudgetVersion.objects.create(budget=budget, label=_("Original"))
    return budget


def new_version(*, version: BudgetVersion, actor: Any, label: str = "") -> BudgetVersion:
    """A new draft version of the same budget holding a copy of ``version``'s lines."""
    with transaction.atomic():
        BudgetVersion.objects.select_for_update().filter(budget_id=version.budget_id).exists()
        copy = BudgetVersion(
            budget_id=version.budget_id, label=label or _("Copy of v%(n)s") % {"n": version.number}
        )
        copy.full_clean()
        copy.save()
        BudgetLine.objects.bulk_create(
            BudgetLine(
                version=copy, cost_centre_id=line.cost_centre_id, category_id=line.category_id,
                project_id=line.project_id, service_id=line.service_id, period_id=line.period_id,
                amount=line.amount, currency=line.currency, base_amount=line.base_amount,
                description=line.description,
            )
            for line in version.lines.all()
        )  # fmt: skip
    return copy


def transition_version(*, version: BudgetVersion, name: str, actor: Any, comment: str = "") -> BudgetVersion:
    """Move a version along its workflow (submit, return, approve, supersede)."""
    wf.transition(obj=version, name=name, actor=actor, comment=comment)
    return version


@wf.register_action("finance.supersede_other_versions")
def _supersede_other_versions(*, obj: BudgetVersion, actor: Any, **_kwargs: Any) -> None:
    """On approval: the budget's previously approved version becomes superseded (one approved at a time)."""
    for other in BudgetVersion.objects.filter(budget_id=obj.budget_id, state="approved").exclude(pk=obj.pk):
        wf.transition(
            obj=other, name="supersede", actor=actor, comment=_("Superseded by v%(n)s") % {"n": obj.number}
        )


def add_budget_line(*, version: BudgetVersion, actor: Any, **values: Any) -> BudgetLine:
    """Add a line to a draft version (refused on a submitted or approved one, or a negative amount)."""
    with transaction.atomic():
        line = BudgetLine(version=version, **values)
        line.full_clean()
        line.save()
    return line


def set_forecast(
    *, budget_line: BudgetLine, amount: Decimal, actor: Any, note: str = "", on: dt.date | None = None
) -> Forecast:
    """Record the latest estimate for a budget line (replacing the previous one)."""
    with transaction.atomic():
        forecast = Forecast.objects.select_for_update().filter(budget_line=budget_line).first()
        forecast = forecast or Forecast(budget_line=budget_line)
        forecast.amount, forecast.note, forecast.base_amount = amount, note, None
        if on is not None:
            forecast.estimated_on = on
        forecast.full_clean()
        forecast.save()
    return forecast


# --- the roll-up ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Figures:
    """Budget, forecast and actual of one cell, with the variance of actual against budget."""

    budget: Decimal = ZERO
    forecast: Decimal = ZERO
    actual: Decimal = ZERO

    @property
    def variance(self) -> Decimal:
        """Actual minus budget: positive is overspend."""
        return self.actual - self.budget

    @property
    def variance_pct(self) -> Decimal | None:
        if not self.budget:
            return None
        return (self.variance / self.budget * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)

    @property
    def forecast_variance(self) -> Decimal:
        """Forecast minus budget: what the latest estimates expect to overspend."""
        return self.forecast - self.budget

    def __add__(self, other: Figures) -> Figures:
        return Figures(self.budget + other.budget, self.forecast + other.forecast, self.actual + other.actual)


@dataclass
class Rollup:
    """Budget vs forecast vs actual of one fiscal year per period and per dimension value."""

    fiscal_year: FiscalYear
    dimension: str
    currency: str
    periods: list[FiscalPeriod]
    keys: list[tuple[int | None, str]]  # (id, label) of each dimension value, biggest first
    cells: dict[tuple[int, int | None], Figures] = field(default_factory=dict)

    def cell(self, period_id: int, key: int | None) -> Figures:
        return self.cells.get((period_id, key), Figures())

    def by_period(self) -> list[tuple[FiscalPeriod, Figures]]:
        totals: dict[int, Figures] = {}
        for (period_id, _key), figures in self.cells.items():
            totals[period_id] = totals.get(period_id, Figures()) + figures
        return [(p, totals.get(p.pk, Figures())) for p in self.periods]

    def by_key(self) -> list[tuple[int | None, str, Figures]]:
        totals: dict[int | None, Figures] = {}
        for (_period, key), figures in self.cells.items():
            totals[key] = totals.get(key, Figures()) + figures
        return [(key, label, totals.get(key, Figures())) for key, label in self.keys]

    def total(self) -> Figures:
        return sum(self.cells.values(), Figures())


def _dimension_field(dimension: str) -> str:
    if dimension not in RollupDimension.values:
        raise ValidationError(
            {"dimension": _("Group by one of: %(choices)s.") % {"choices": ", ".join(RollupDimension.values)}}
        )
    return f"{dimension}_id"


def rollup_versions(fiscal_year: FiscalYear, budget: Budget | None = None) -> QuerySet[BudgetVersion]:
    """The versions whose lines count as "the budget": the approved one of each budget of the year."""
    versions = BudgetVersion.objects.filter(budget__fiscal_year=fiscal_year, state="approved")
    return versions.filter(budget=budget) if budget is not None else versions


def rollup_sql(
    *,
    lines: QuerySet[BudgetLine],
    expenses: QuerySet[Expense],
    dimension: str,
) -> tuple[str, list[Any]]:
    """One aggregate statement: budget lines and expenses as one stream, summed per period and key."""
    column = _dimension_field(dimension)
    zero = Value(ZERO, output_field=MONEY)
    planned = (
        lines.order_by()
        .annotate(
            r_period=F("period_id"), r_key=F(column), r_budget=F("base_amount"),
            r_forecast=Coalesce(F("forecast__base_amount"), F("base_amount"), output_field=MONEY), r_actual=zero,
        )
        .values_list("r_period", "r_key", "r_budget", "r_forecast", "r_actual")
    )  # fmt: skip
    actual = (
        expenses.order_by()
        .annotate(
            r_period=F("period_id"),
            r_key=F(column),
            r_budget=zero,
            r_forecast=zero,
            r_actual=F("base_amount"),
        )
        .values_list("r_period", "r_key", "r_budget", "r_forecast", "r_actual")
    )
    # A side the user may see nothing of is an empty queryset, which has no SQL: leave it out.
    parts = [qs for qs in (planned, actual) if not qs.query.is_empty()]
    if not parts:
        return "", []
    stream = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    inner, params = stream.order_by().query.sql_with_params()
    sql = (
        "SELECT r_period, r_key, SUM(r_budget), SUM(r_forecast), SUM(r_actual) "  # noqa: S608 - composed from ORM SQL  # nosec B608
        f"FROM ({inner}) rollup GROUP BY r_period, r_key"
    )
    return sql, list(params)


def _money(value: Any) -> Decimal:
    # SQLite sums decimals as floats: back to exact cents (the amounts themselves are exact).
    return Decimal(str(value or 0)).quantize(CENT, rounding=ROUND_HALF_EVEN)


def rollup(
    *,
    fiscal_year: FiscalYear,
    dimension: str = RollupDimension.COST_CENTRE,
    budget: Budget | None = None,
    user: Any = None,
    filters: Mapping[str, Any] | None = None,
) -> Rollup:
    """Budget (approved versions), forecast and actual per period and ``dimension``, in base currency.

    One aggregate query does the sums; ``user`` restricts the budget lines and expenses to those
    they may see; ``filters`` (cost_centre, category, project, service → id) narrow both sides.
    A line without a forecast counts its budget as its forecast.
    """
    column = _dimension_field(dimension)
    lines = BudgetLine.objects.filter(version__in=rollup_versions(fiscal_year, budget))
    expenses = Expense.objects.filter(period__fiscal_year=fiscal_year)
    if user is not None:
        lines, expenses = lines.restrict(user, "view"), expenses.restrict(user, "view")
    for name, value in (filters or {}).items():
        _dimension_field(name)
        if value not in (None, ""):
            lines, expenses = lines.filter(**{f"{name}_id": value}), expenses.filter(**{f"{name}_id": value})
    sql, params = rollup_sql(lines=lines, expenses=expenses, dimension=dimension)
    raw = []
    if sql:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            raw = cursor.fetchall()
    cells = {(p, k): Figures(_money(b), _money(f), _money(a)) for p, k, b, f, a in raw}
    fiscal_year.ensure_periods()
    periods = list(fiscal_year.periods.order_by("start_date"))
    labels = _labels(column, {k for _p, k in cells})
    weight: dict[int | None, Decimal] = {}
    for (_period, key), figures in cells.items():
        weight[key] = weight.get(key, ZERO) + figures.budget + figures.actual
    keys = sorted(weight, key=lambda k: (-weight[k], labels[k]))
    return Rollup(fiscal_year, dimension, base_currency(), periods, [(k, labels[k]) for k in keys], cells)


def _labels(column: str, ids: Iterable[int | None]) -> dict[int | None, str]:
    model = BudgetLine._meta.get_field(column.removesuffix("_id")).related_model
    labels: dict[int | None, str] = {None: _("(none)")}
    labels.update({obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=[i for i in ids if i])})
    return labels


def reference_rollup(*, fiscal_year: FiscalYear, dimension: str = RollupDimension.COST_CENTRE) -> dict:
    """The same sums by a plain Python loop over the rows: the benchmark's comparator and a test oracle."""
    column = _dimension_field(dimension)
    cells: dict[tuple[int, int | None], list[Decimal]] = {}
    lines = BudgetLine.objects.filter(version__in=rollup_versions(fiscal_year))
    for period, key, amount, forecast in lines.values_list(
        "period_id", column, "base_amount", "forecast__base_amount"
    ):
        cell = cells.setdefault((period, key), [ZERO, ZERO, ZERO])
        cell[0] += amount
        cell[1] += amount if forecast is None else forecast
    expenses = Expense.objects.filter(period__fiscal_year=fiscal_year)
    for period, key, amount in expenses.values_list("period_id", column, "base_amount").iterator(
        chunk_size=10_000
    ):
        cells.setdefault((period, key), [ZERO, ZERO, ZERO])[2] += amount
    return {k: Figures(*v) for k, v in cells.items()}


# --- projects ------------------------------------------------------------------------------------
def project_actual_cost(project: Any, *, until: dt.date | None = None) -> Decimal:
    """What expenses naming ``project`` add up to (base currency), up to ``until`` if given.

    The projects app adds this to the actual cost (AC) of its earned-value summary, beside the
    tasks' own actual costs; it calls it lazily, so finance stays optional to projects' code.
    """
    expenses = Expense.objects.filter(project=project)
    if until is not None:
        expenses = expenses.filter(date__lte=until)
    return _money(expenses.aggregate(total=Sum("base_amount"))["total"])


# --- vendor invoices into the ledger ------------------------------------------------------------
def book_invoice(
    *,
    invoice: Any,
    cost_centre: Any,
    category: Any,
    actor: Any,
    budget_line: Any = None,
    date: dt.date | None = None,
) -> Expense:
    """Book an approved (or paid) vendor invoice as one expense, linked to it and to its order.

    The expense takes the invoice's amount, currency and vendor, the order and contract it names,
    and the project and service of the purchase request behind the order. Refused, naming the
    ``invoice`` field, for an invoice not yet approved, rejected, or already booked.
    """
    from steward.finance.models import Invoice

    with transaction.atomic():
        # The invoice row alone: PostgreSQL refuses FOR UPDATE on the nullable side of a join.
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if locked.state not in ("approved", "paid"):
            raise ValidationError({"invoice": _("Only an approved or paid invoice can be booked.")})
        booked = locked.expenses.first()
        if booked is not None:
            raise ValidationError(
                {
                    "invoice": _("This invoice is already booked as %(expense)s.")
                    % {"expense": booked.reference}
                }
            )
        order = locked.purchase_order
        request = order.purchase_request if order else None
        return record_expense(
            actor=actor,
            date=date or locked.invoice_date,
            amount=locked.amount,
            currency=locked.currency,
            cost_centre=cost_centre,
            category=category,
            budget_line=budget_line,
            invoice=locked,
            vendor_id=locked.vendor_id,
            purchase_order=order,
            contract_id=locked.contract_id or (order.contract_id if order else None),
            project_id=request.project_id if request else None,
            service_id=request.service_id if request else None,
            supplier_name=str(locked.vendor)[:200],
            description=str(_("Invoice %(number)s") % {"number": locked.number})[:300],
            source=ExpenseSource.INVOICE,
        )


# --- training costs from talent ------------------------------------------------------------------
TRAINING_CATEGORY = "TRAINING"


def book_training_cost(enrolment: Any) -> Expense | None:
    """Book a completed enrolment's course cost (called after the completion commits).

    The expense goes to the cost centre of the person's department (or the nearest parent
    department that has one) under the account category coded ``TRAINING``, on the completion
    date. Without a cost, a cost centre, that category or an open period nothing is booked and
    the reason is logged: the completion itself stands.
    """
    course, person = enrolment.course, enrolment.person
    if not course.cost:
        return None
    department, centre = person.department, None
    while department is not None and centre is None:
        centre = CostCentre.objects.filter(department=department).order_by("code").first()
        department = department.parent
    category = AccountCategory.objects.filter(code=TRAINING_CATEGORY).first()
    if centre is None or category is None:
        logger.info(
            "training cost of enrolment %s not booked: no cost centre or no TRAINING category", enrolment.pk
        )
        return None
    try:
        return record_expense(
            actor=None,
            date=enrolment.completion_date,
            amount=course.cost,
            currency=course.currency,
            cost_centre=centre,
            category=category,
            supplier_name=str(getattr(course, "provider", "") or "")[:200],
            description=str(_("Training: %(course)s, %(person)s") % {"course": course, "person": person})[
                :300
            ],
            source=ExpenseSource.TRAINING,
        )
    except ValidationError as exc:
        logger.warning("training cost of enrolment %s not booked: %s", enrolment.pk, exc.messages)
        return None
