"""Depreciation schedules and their monthly booking; showback allocation of cost pools.

Depreciation: straight line spreads (cost − salvage) evenly over the useful life; declining
balance charges a fixed yearly rate (default: twice the straight-line rate) on the remaining
book value each month, never below the salvage value, and writes the rest off in the last month.
Allocation: a rule's pool (its cost centre's expenses in a period, base currency) is split by
the rule's driver; shares are rounded to cents and the rounding remainder goes to the biggest
share, so the parts always add up to the pool exactly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from steward.finance.choices_ledger import (
    AllocationDriver,
    AllocationTarget,
    DepreciationMethod,
    ExpenseSource,
)
from steward.finance.models import (
    AllocationResult,
    AllocationRule,
    AssetDepreciation,
    CostCentre,
    Expense,
    FiscalPeriod,
)
from steward.finance.models.ledger import add_months
from steward.utilities.money import quantize

ZERO = Decimal(0)
HUNDRED = Decimal(100)


# --- depreciation --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScheduleRow:
    month: dt.date  # first day of the month
    opening: Decimal
    charge: Decimal
    closing: Decimal


def schedule(depreciation: AssetDepreciation) -> list[ScheduleRow]:
    """Month-by-month depreciation of the item's purchase cost (in the item's currency)."""
    item = depreciation.configuration_item
    cost = item.purchase_cost or ZERO
    salvage = min(depreciation.salvage_value or ZERO, cost)
    months = depreciation.useful_life_months
    start = depreciation.starts.replace(day=1)
    rows: list[ScheduleRow] = []
    book = cost
    if depreciation.method == DepreciationMethod.STRAIGHT_LINE:
        monthly = quantize((cost - salvage) / months)
        for n in range(months):
            charge = (book - salvage) if n == months - 1 else min(monthly, book - salvage)
            rows.append(ScheduleRow(add_months(start, n), book, charge, book - charge))
            book -= charge
        return rows
    annual = depreciation.annual_rate or (Decimal(200) * 12 / months)
    monthly_rate = annual / HUNDRED / 12
    for n in range(months):
        charge = (book - salvage) if n == months - 1 else min(quantize(book * monthly_rate), book - salvage)
        rows.append(ScheduleRow(add_months(start, n), book, charge, book - charge))
        book -= charge
    return rows


def charge_for(depreciation: AssetDepreciation, month: dt.date) -> Decimal:
    """The depreciation charge of one calendar month (zero outside the useful life)."""
    first = month.replace(day=1)
    return next((row.charge for row in schedule(depreciation) if row.month == first), ZERO)


@dataclass(frozen=True)
class DepreciationLine:
    depreciation: AssetDepreciation
    charge: Decimal
    currency: str
    booked: bool


def depreciation_report(*, month: dt.date, user: Any = None) -> list[DepreciationLine]:
    """Each active item's charge for ``month``, and whether it is already booked as an expense."""
    queryset = AssetDepreciation.objects.filter(active=True).select_related(
        "configuration_item", "cost_centre", "category"
    )
    if user is not None:
        queryset = queryset.restrict(user, "view")
    first = month.replace(day=1)
    period = FiscalPeriod.objects.filter(start_date__lte=first, end_date__gte=first).first()
    booked = set()
    if period is not None:
        booked = set(
            Expense.objects.filter(period=period, depreciation__isnull=False).values_list(
                "depreciation_id", flat=True
            )
        )
    lines = []
    for dep in queryset:
        if dep.starts is None or dep.configuration_item.purchase_cost is None:
            continue
        charge = charge_for(dep, first)
        if charge:
            lines.append(DepreciationLine(dep, charge, dep.configuration_item.currency, dep.pk in booked))
    return lines


def book_depreciation(*, period: FiscalPeriod, actor: Any) -> list[Expense]:
    """Book the period's depreciation of every active item as expenses; idempotent per item and period.

    An item already booked for the period is skipped (a unique constraint holds it even when two
    runs race); a closed period is refused. All or nothing: an item that cannot be booked (no rate
    for its currency) refuses the run, naming the item.
    """
    if FiscalPeriod.objects.filter(pk=period.pk, closed=True).exists():
        raise ValidationError({"period": _("The period %(period)s is closed.") % {"period": period}})
    created = []
    with transaction.atomic():
        for line in depreciation_report(month=period.start_date):
            if line.booked:
                continue
            dep = line.depreciation
            expense = Expense(
                date=max(period.start_date, dep.starts), amount=line.charge, currency=line.currency,
                cost_centre=dep.cost_centre, category=dep.category, configuration_item=dep.configuration_item,
                description=_("Depreciation of %(item)s") % {"item": dep.configuration_item},
                source=ExpenseSource.DEPRECIATION, depreciation=dep,
            )  # fmt: skip
            try:
                expense.full_clean(exclude=["depreciation"])
            except ValidationError as exc:
                raise ValidationError(
                    _("%(item)s: %(error)s")
                    % {"item": dep.configuration_item, "error": " ".join(exc.messages)}
                ) from None
            try:
                with transaction.atomic():
                    expense.save()
            except IntegrityError:
                continue  # booked by a concurrent run in the meantime
            created.append(expense)
    return created


# --- allocation ----------------------------------------------------------------------------------
def _centre_ids(centre: CostCentre, include_children: bool) -> list[int]:
    ids, frontier = [centre.pk], [centre.pk]
    while include_children and frontier:
        frontier = list(
            CostCentre.objects.filter(parent_id__in=frontier).exclude(pk__in=ids).values_list("pk", flat=True)
        )
        ids.extend(frontier)
    return ids


def pool_amount(rule: AllocationRule, period: FiscalPeriod) -> Decimal:
    """What the rule spreads: its cost centre's (and children's) expenses in the period, base currency."""
    expenses = Expense.objects.filter(
        period=period, cost_centre_id__in=_centre_ids(rule.pool_cost_centre, rule.include_children)
    )
    if rule.pool_category_id:
        expenses = expenses.filter(category_id=rule.pool_category_id)
    return quantize(Decimal(str(expenses.aggregate(total=Sum("base_amount"))["total"] or 0)))


def tickets_per_service(period: FiscalPeriod) -> dict[int, int]:
    """Incidents plus service requests opened in the period, per service."""
    incident = apps.get_model("itsm", "Incident")
    request = apps.get_model("itsm", "ServiceRequest")
    span = (period.start_date, period.end_date)
    counts: dict[int, int] = {}
    for service, n in (
        incident.objects.filter(created__date__range=span, service__isnull=False)
        .values_list("service").annotate(n=Count("id")).order_by()
    ):  # fmt: skip
        counts[service] = counts.get(service, 0) + n
    for service, n in (
        request.objects.filter(created__date__range=span, item__service__isnull=False)
        .values_list("item__service").annotate(n=Count("id")).order_by()
    ):  # fmt: skip
        counts[service] = counts.get(service, 0) + n
    return counts


def driver_weights(rule: AllocationRule, period: FiscalPeriod) -> dict[int, Decimal]:
    """The driver's value per target id (service or department) for the period."""
    span = (period.start_date, period.end_date)
    if rule.driver == AllocationDriver.FIXED:
        shares = list(rule.shares.all())
        negative = [s for s in shares if s.percent < 0]
        if negative:
            raise ValidationError(
                {"shares": _("Rule %(rule)s: a share cannot be negative.") % {"rule": rule}}
            )
        total = sum((s.percent for s in shares), ZERO)
        if total != HUNDRED:
            raise ValidationError(
                {
                    "shares": _("Rule %(rule)s: fixed shares total %(total)s %%, not 100 %%.")
                    % {"rule": rule, "total": total}
                }
            )
        column = "service_id" if rule.target == AllocationTarget.SERVICE else "department_id"
        return {getattr(s, column): s.percent for s in shares}
    if rule.driver == AllocationDriver.HEADCOUNT:
        person = apps.get_model("org", "Person")
        rows = (
            person.objects.filter(department__isnull=False)
            .values_list("department")
            .annotate(n=Count("id"))
            .order_by()
        )
        return {d: Decimal(n) for d, n in rows}
    if rule.driver == AllocationDriver.INCIDENTS:
        incident = apps.get_model("itsm", "Incident")
        rows = (
            incident.objects.filter(created__date__range=span, service__isnull=False)
            .values_list("service").annotate(n=Count("id")).order_by()
        )  # fmt: skip
        return {s: Decimal(n) for s, n in rows}
    if rule.driver == AllocationDriver.TICKETS:
        return {s: Decimal(n) for s, n in tickets_per_service(period).items()}
    service = apps.get_model("itsm", "Service")
    rows = service.objects.annotate(n=Count("configuration_items")).filter(n__gt=0).values_list("pk", "n")
    return {s: Decimal(n) for s, n in rows}


def split(pool: Decimal, weights: dict[int, Decimal]) -> dict[int, Decimal]:
    """``pool`` in proportion to ``weights``, in cents, adding up to ``pool`` exactly."""
    total = sum(weights.values(), ZERO)
    parts = {k: quantize(pool * w / total) for k, w in weights.items()}
    remainder = pool - sum(parts.values(), ZERO)
    if remainder and parts:
        biggest = max(parts, key=lambda k: (weights[k], -k))
        parts[biggest] += remainder
    return parts


def run_allocation(*, rule: AllocationRule, period: FiscalPeriod, actor: Any) -> list[AllocationResult]:
    """Spread the rule's pool for ``period``; replaces the rule's earlier results for that period.

    All or nothing: a bad rule (shares not totalling 100 %, a negative share, a driver that
    measured nothing) raises ``ValidationError`` naming the rule and leaves old results alone.
    """
    weights = {k: w for k, w in driver_weights(rule, period).items() if w}
    if any(w < 0 for w in weights.values()):
        raise ValidationError(
            {"driver": _("Rule %(rule)s: negative allocations are refused.") % {"rule": rule}}
        )
    pool = pool_amount(rule, period)
    if pool and not weights:
        raise ValidationError(
            {
                "driver": _("Rule %(rule)s: the driver measured nothing in %(period)s.")
                % {"rule": rule, "period": period}
            }
        )
    parts = split(pool, weights) if pool else {}
    total_weight = sum(weights.values(), ZERO)
    tickets = tickets_per_service(period) if rule.target == AllocationTarget.SERVICE else {}
    results = []
    for key, amount in sorted(parts.items(), key=lambda kv: (-kv[1], kv[0])):
        n = tickets.get(key, 0)
        results.append(
            AllocationResult(
                rule=rule, period=period, amount=amount,
                service_id=key if rule.target == AllocationTarget.SERVICE else None,
                department_id=key if rule.target == AllocationTarget.DEPARTMENT else None,
                driver_value=weights[key], share=(weights[key] / total_weight * HUNDRED).quantize(Decimal("0.001"), rounding=ROUND_HALF_EVEN),
                tickets=n, cost_per_ticket=quantize(amount / n) if n else None,
            )
        )  # fmt: skip
    with transaction.atomic():
        AllocationRule.objects.select_for_update().filter(pk=rule.pk).exists()
        AllocationResult.objects.filter(rule=rule, period=period).delete()
        AllocationResult.objects.bulk_create(results)
    return results


def run_allocations(*, period: FiscalPeriod, actor: Any) -> dict[str, list[AllocationResult]]:
    """Run every active rule for the period, all or nothing."""
    with transaction.atomic():
        return {
            rule.name: run_allocation(rule=rule, period=period, actor=actor)
            for rule in AllocationRule.objects.filter(active=True).select_related("pool_cost_centre")
        }


@dataclass(frozen=True)
class ServiceCost:
    service_id: int
    name: str
    amount: Decimal
    tickets: int
    cost_per_ticket: Decimal | None


def cost_per_service(*, period: FiscalPeriod, user: Any = None) -> list[ServiceCost]:
    """Allocated cost per service in the period (all rules), with tickets and cost per ticket."""
    results = AllocationResult.objects.filter(period=period, service__isnull=False)
    if user is not None:
        results = results.restrict(user, "view")
    rows = results.values("service_id", "service__name").annotate(total=Sum("amount")).order_by("-total")
    tickets = tickets_per_service(period)
    out = []
    for row in rows:
        amount = quantize(Decimal(str(row["total"])))
        n = tickets.get(row["service_id"], 0)
        out.append(
            ServiceCost(
                row["service_id"], row["service__name"], amount, n, quantize(amount / n) if n else None
            )
        )
    return out
