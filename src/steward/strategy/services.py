"""Strategy rules: business-case arithmetic, weighted scoring and budget-constrained selection.

The arithmetic is exact: money is ``Decimal`` throughout, and the portfolio selection is an exact
0/1 knapsack (no rounding of costs), so two runs on the same data always pick the same set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core import workflow as wf
from steward.strategy.choices import CashFlowCategory, CashFlowKind, CriterionSource
from steward.strategy.models import (
    BusinessCaseLine,
    CriterionScore,
    Initiative,
    InitiativeAlignment,
    KeyResult,
    KeyResultMeasurement,
    PortfolioScenario,
    ScoringModel,
)
from steward.strategy.selection import Candidate, InfeasibleSelection, Selection, select_within_budget

ZERO = Decimal(0)
HUNDRED = Decimal(100)
__all__ = ["Candidate", "InfeasibleSelection", "Selection", "select_within_budget"]  # re-exported

#: The states whose initiatives compete for budget when a scenario names none.
DEFAULT_CANDIDATE_STATES = ("proposed", "approved")


# --- business case -------------------------------------------------------------------------------
def cash_flows(lines: Iterable[BusinessCaseLine], *, realised: bool = False) -> list[Decimal]:
    """Net cash flow per year (benefits minus costs), from year 0 to the last year with a line.

    With ``realised``, the realised amounts are used, and planned ones where none is recorded yet.
    """
    by_year: dict[int, Decimal] = {}
    for line in lines:
        amount = line.realised if realised and line.realised is not None else line.planned
        sign = -1 if line.kind == CashFlowKind.COST else 1
        by_year[line.year] = by_year.get(line.year, ZERO) + sign * amount
    if not by_year:
        return []
    return [by_year.get(year, ZERO) for year in range(max(by_year) + 1)]


def npv(rate: Decimal, flows: Sequence[Decimal]) -> Decimal:
    """Net present value at ``rate`` (0.08 for 8 %) of yearly flows, year 0 undiscounted."""
    if rate <= -1:
        raise ValueError(_("The discount rate must be above -100 %."))
    with localcontext() as ctx:
        ctx.prec = 34
        total = sum((flow / (1 + rate) ** year for year, flow in enumerate(flows)), ZERO)
    return total.quantize(Decimal("0.01"))


def irr(flows: Sequence[Decimal], *, tolerance: Decimal = Decimal("1e-9")) -> Decimal | None:
    """Internal rate of return (0.125 for 12.5 %), or None when the flows never change sign.

    Bisection over the first bracket where the NPV changes sign, scanning from -99 % upwards, so
    conventional flows (investment, then returns) get their unique root.
    """
    if not flows or all(f >= 0 for f in flows) or all(f <= 0 for f in flows):
        return None

    def value(rate: Decimal) -> Decimal:
        with localcontext() as ctx:
            ctx.prec = 34
            return sum((flow / (1 + rate) ** year for year, flow in enumerate(flows)), ZERO)

    grid = [
        Decimal(x) / 100
        for x in (-99, -90, -75, -50, -25, -10, 0, 5, 10, 20, 35, 50, 75, 100, 200, 500, 1000)
    ]
    low = None
    for a, b in zip(grid, grid[1:], strict=False):
        if value(a) == 0:
            return a
        if (value(a) > 0) != (value(b) > 0):
            low, high = a, b
            break
    if low is None:
        return None
    f_low = value(low)
    for _step in range(200):
        mid = (low + high) / 2
        f_mid = value(mid)
        if abs(high - low) < tolerance or f_mid == 0:
            break
        if (f_mid > 0) == (f_low > 0):
            low, f_low = mid, f_mid
        else:
            high = mid
    rate = ((low + high) / 2).quantize(Decimal("0.0001"))
    return abs(rate) if rate == 0 else rate  # never '-0.0000'


def payback_period(flows: Sequence[Decimal]) -> Decimal | None:
    """Years until the cumulative (undiscounted) cash flow turns non-negative, interpolated within
    the year; None when it never does. Year 0 flows happen at the start."""
    cumulative = ZERO
    for year, flow in enumerate(flows):
        before = cumulative
        cumulative += flow
        if cumulative >= 0 and (year > 0 or flow >= 0):
            if year == 0 or flow == 0:
                return Decimal(year)
            return (Decimal(year - 1) + (-before / flow)).quantize(Decimal("0.01"))
    return None


def roi(lines: Iterable[BusinessCaseLine], *, realised: bool = False) -> Decimal | None:
    """(benefits − costs) / costs as a percentage, undiscounted; None without costs."""
    costs = benefits = ZERO
    for line in lines:
        amount = line.realised if realised and line.realised is not None else line.planned
        if line.kind == CashFlowKind.COST:
            costs += amount
        else:
            benefits += amount
    if not costs:
        return None
    return ((benefits - costs) / costs * HUNDRED).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class BusinessCase:
    """The figures of one initiative's business case, planned and realised."""

    flows: list[Decimal]
    total_cost: Decimal
    total_benefit: Decimal
    npv: Decimal | None
    irr: Decimal | None
    payback_years: Decimal | None
    roi: Decimal | None
    realised_npv: Decimal | None
    realised_roi: Decimal | None
    has_realised: bool


def business_case(initiative: Initiative, lines: Sequence[BusinessCaseLine] | None = None) -> BusinessCase:
    """Compute an initiative's business-case figures from its lines."""
    lines = list(initiative.business_case.all()) if lines is None else list(lines)
    rate = initiative.discount_rate / HUNDRED
    flows = cash_flows(lines)
    realised_flows = cash_flows(lines, realised=True)
    has_realised = any(line.realised is not None for line in lines)
    return BusinessCase(
        flows=flows,
        total_cost=sum((x.planned for x in lines if x.kind == CashFlowKind.COST), ZERO),
        total_benefit=sum((x.planned for x in lines if x.kind == CashFlowKind.BENEFIT), ZERO),
        npv=npv(rate, flows) if flows else None,
        irr=irr(flows),
        payback_years=payback_period(flows),
        roi=roi(lines),
        realised_npv=npv(rate, realised_flows) if has_realised else None,
        realised_roi=roi(lines, realised=True) if has_realised else None,
        has_realised=has_realised,
    )


# --- key results ---------------------------------------------------------------------------------
def record_measurement(
    *, key_result: KeyResult, date: dt.date, value: Decimal, actor: Any, note: str = ""
) -> KeyResultMeasurement:
    """Record (or correct) the reading of a key result on a date; the key result shows the latest."""
    with transaction.atomic():
        measurement = KeyResultMeasurement.objects.filter(key_result=key_result, date=date).first()
        if measurement is None:
            measurement = KeyResultMeasurement(key_result=key_result, date=date)
        measurement.value, measurement.note = value, note
        measurement.full_clean()
        measurement.save()
    key_result.refresh_from_db(fields=["current"])
    return measurement


# --- scoring -------------------------------------------------------------------------------------
@dataclass
class ScoreCard:
    """An initiative's value on each criterion (0–10) and its weighted total (0–100)."""

    initiative: Initiative
    cost: Decimal
    values: dict[int, Decimal] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    total: Decimal = ZERO


def _normalise(raw: dict[int, Decimal | None]) -> dict[int, Decimal]:
    """Min–max scale to 0–10 across the candidates; a lone positive value scores 10."""
    known = [v for v in raw.values() if v is not None]
    if not known:
        return dict.fromkeys(raw, ZERO)
    low, high = min(known), max(known)
    out = {}
    for key, value in raw.items():
        if value is None:
            out[key] = ZERO
        elif high == low:
            out[key] = Decimal(10) if value > 0 else ZERO
        else:
            out[key] = (Decimal(10) * (value - low) / (high - low)).quantize(Decimal("0.01"))
    return out


def score_initiatives(*, scoring_model: ScoringModel, initiatives: Iterable[Initiative]) -> list[ScoreCard]:
    """Weighted scores of the initiatives under a model, highest first (ties: cheaper, then older)."""
    initiatives = list(initiatives)
    ids = [i.pk for i in initiatives]
    criteria = list(scoring_model.criteria.all())
    lines: dict[int, list[BusinessCaseLine]] = {i: [] for i in ids}
    for line in BusinessCaseLine.objects.filter(initiative_id__in=ids):
        lines[line.initiative_id].append(line)
    fit = dict(
        Initiative.objects.filter(pk__in=ids).annotate(fit=Avg("alignments__score")).values_list("pk", "fit")
    )
    manual = {
        (s.initiative_id, s.criterion_id): s.value
        for s in CriterionScore.objects.filter(initiative_id__in=ids, criterion__scoring_model=scoring_model)
    }
    cases = {i.pk: business_case(i, lines[i.pk]) for i in initiatives}
    npvs = _normalise({pk: c.npv for pk, c in cases.items()})
    rois = _normalise({pk: c.roi for pk, c in cases.items()})
    total_weight = sum((c.weight for c in criteria), ZERO)
    cards = []
    for initiative in initiatives:
        card = ScoreCard(initiative=initiative, cost=cases[initiative.pk].total_cost)
        weighted = ZERO
        for criterion in criteria:
            if criterion.source == CriterionSource.MANUAL:
                value = manual.get((initiative.pk, criterion.pk))
                if value is None:
                    card.missing.append(criterion.name)
                    value = ZERO
            elif criterion.source == CriterionSource.STRATEGIC_FIT:
                value = Decimal(str(fit.get(initiative.pk) or 0)) * 2
            elif criterion.source == CriterionSource.NPV:
                value = npvs[initiative.pk]
            elif criterion.source == CriterionSource.ROI:
                value = rois[initiative.pk]
            else:  # risk: 1 → 10 points, 25 → 0
                value = Decimal(25 - initiative.risk_score) * 10 / 24
            value = value.quantize(Decimal("0.01"))
            card.values[criterion.pk] = value
            weighted += criterion.weight * value
        card.total = (weighted / total_weight * 10).quantize(Decimal("0.01")) if total_weight else ZERO
        cards.append(card)
    cards.sort(key=lambda c: (-c.total, c.cost, c.initiative.pk))
    return cards


# --- selection -----------------------------------------------------------------------------------
def candidates_for(scenario: PortfolioScenario) -> QuerySet[Initiative]:
    states = scenario.candidate_states or list(DEFAULT_CANDIDATE_STATES)
    return Initiative.objects.filter(Q(state__in=states) | Q(pk__in=scenario.mandatory.all())).distinct()


def run_scenario(*, scenario: PortfolioScenario, actor: Any) -> list[ScoreCard]:
    """Score the scenario's candidates and store the best selection that fits its budget.

    Mandatory initiatives are always selected and spend their cost first. Refuses candidates in
    another currency (no conversion is assumed) and budgets that cannot hold the mandatory ones.
    """
    initiatives = list(candidates_for(scenario).select_related(None))
    foreign = [i for i in initiatives if i.currency != scenario.currency]
    if foreign:
        raise InfeasibleSelection(
            _("%(ref)s is costed in %(cur)s, the scenario in %(scenario)s.")
            % {"ref": foreign[0].reference, "cur": foreign[0].currency, "scenario": scenario.currency}
        )
    cards = score_initiatives(scoring_model=scenario.scoring_model, initiatives=initiatives)
    mandatory_ids = set(scenario.mandatory.values_list("pk", flat=True))
    fixed = [c for c in cards if c.initiative.pk in mandatory_ids]
    fixed_cost = sum((c.cost for c in fixed), ZERO)
    if fixed_cost > scenario.budget:
        raise InfeasibleSelection(
            _("The mandatory initiatives cost %(cost)s, more than the budget of %(budget)s.")
            % {"cost": fixed_cost, "budget": scenario.budget}
        )
    free = [
        Candidate(c.initiative.pk, c.cost, c.total) for c in cards if c.initiative.pk not in mandatory_ids
    ]
    chosen = select_within_budget(free, scenario.budget - fixed_cost) if free else Selection((), ZERO, ZERO)
    selected = [*(c.initiative.pk for c in fixed), *chosen.keys]
    with transaction.atomic():
        scenario.total_cost = fixed_cost + chosen.cost
        scenario.total_score = sum((c.total for c in fixed), ZERO) + chosen.score
        scenario.computed = timezone.now()
        scenario.save(update_fields=["total_cost", "total_score", "computed", "last_updated"])
        scenario.selected.set(selected)
    return cards


def portfolio_totals(queryset: QuerySet[Initiative]) -> dict[str, Decimal]:
    """Planned cost and benefit of a set of initiatives."""
    rows = (
        BusinessCaseLine.objects.filter(initiative__in=queryset).values("kind").annotate(total=Sum("planned"))
    )
    totals = {row["kind"]: row["total"] for row in rows}
    return {"cost": totals.get(CashFlowKind.COST, ZERO), "benefit": totals.get(CashFlowKind.BENEFIT, ZERO)}


# --- creation from other domains -----------------------------------------------------------------
def create_initiative(
    *, title: str, actor: Any, summary: str = "", sponsor: Any = None, department: Any = None
) -> Initiative:
    """Open a new initiative (state ``idea``), e.g. for an idea promoted from the innovation funnel."""
    with transaction.atomic():
        initiative = Initiative(title=title, summary=summary, sponsor=sponsor, department=department)
        initiative.full_clean()
        initiative.save()
    return initiative


# --- demand intake -------------------------------------------------------------------------------
COST_CATEGORIES = (CashFlowCategory.CAPEX, CashFlowCategory.OPEX)
BENEFIT_CATEGORIES = (CashFlowCategory.REVENUE, CashFlowCategory.SAVING, CashFlowCategory.AVOIDANCE)
MAX_INTAKE_YEARS = 20


def submit_demand(
    *,
    actor: Any,
    title: str,
    summary: str = "",
    sponsor: Any = None,
    department: Any = None,
    currency: str = "EUR",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    risk_score: int = 5,
    objectives: Iterable[Any] = (),
    fit_score: int = 3,
    investment: Decimal = ZERO,
    investment_category: str = CashFlowCategory.CAPEX,
    running_cost: Decimal = ZERO,
    yearly_benefit: Decimal = ZERO,
    benefit_category: str = CashFlowCategory.SAVING,
    years: int = 3,
    propose: bool = False,
) -> Initiative:
    """Turn a demand (one intake form) into an initiative with a first business case.

    Creates the initiative (state *idea*), its alignment with each objective named (at
    ``fit_score``) and yearly business-case lines: the investment in year 0, then for years
    1..``years`` the running cost and the benefit. With ``propose`` it is proposed at once (which
    needs a sponsor and a planned start). All or nothing: any refusal is a ``ValidationError``
    naming the intake field, and nothing is written.
    """
    errors: dict[str, str] = {}
    for name, amount in (("investment", investment), ("running_cost", running_cost),
                         ("yearly_benefit", yearly_benefit)):  # fmt: skip
        if amount is None or amount < 0:
            errors[name] = _("The amount cannot be negative.")
    if not 1 <= years <= MAX_INTAKE_YEARS:
        errors["years"] = _("Between 1 and %(max)d years.") % {"max": MAX_INTAKE_YEARS}
    if not 0 <= fit_score <= 5:
        errors["fit_score"] = _("A fit score runs from 0 to 5.")
    if investment_category not in COST_CATEGORIES:
        errors["investment_category"] = _("An investment is capital or operating expenditure.")
    if benefit_category not in BENEFIT_CATEGORIES:
        errors["benefit_category"] = _("A benefit is revenue, a cost saving or a cost avoidance.")
    objectives = list(objectives)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        initiative = Initiative(
            title=title, summary=summary, sponsor=sponsor, department=department,
            currency=(currency or "").strip().upper(), start_date=start_date, end_date=end_date,
            risk_score=risk_score,
        )  # fmt: skip
        initiative.full_clean()
        initiative.save()
        for objective in objectives:
            alignment = InitiativeAlignment(initiative=initiative, objective=objective, score=fit_score)
            alignment.full_clean()
            alignment.save()
        lines = []
        if investment:
            lines.append(BusinessCaseLine(initiative=initiative, year=0, kind=CashFlowKind.COST,
                                          category=investment_category, planned=investment,
                                          description=_("Investment")))  # fmt: skip
        for year in range(1, years + 1):
            if running_cost:
                lines.append(BusinessCaseLine(initiative=initiative, year=year, kind=CashFlowKind.COST,
                                              category=CashFlowCategory.OPEX, planned=running_cost,
                                              description=_("Running cost")))  # fmt: skip
            if yearly_benefit:
                lines.append(BusinessCaseLine(initiative=initiative, year=year, kind=CashFlowKind.BENEFIT,
                                              category=benefit_category, planned=yearly_benefit,
                                              description=_("Expected benefit")))  # fmt: skip
        for line in lines:
            line.full_clean()
            line.save()
        if propose:
            wf.transition(obj=initiative, name="propose", actor=actor)
            initiative.refresh_from_db()
    return initiative
