"""Business-case arithmetic, scoring and budget-constrained selection: known answers and bad input."""

from __future__ import annotations

import itertools
import random
from decimal import Decimal as D

import pytest

from steward.strategy import services
from steward.strategy.models import (
    BusinessCaseLine,
    CriterionScore,
    Initiative,
    InitiativeAlignment,
    KeyResult,
    Objective,
    PortfolioScenario,
    ScoringCriterion,
    ScoringModel,
)
from steward.strategy.services import Candidate, InfeasibleSelection, select_within_budget


# --- business case -------------------------------------------------------------------------------
def test_npv_known_answer():
    assert services.npv(D("0.10"), [D(-1000), D(500), D(500), D(500)]) == D("243.43")
    assert services.npv(D(0), [D(-1000), D(500), D(500)]) == D("0.00")


def test_npv_refuses_a_rate_of_minus_100_percent():
    with pytest.raises(ValueError, match="-100"):
        services.npv(D(-1), [D(1)])


def test_irr_known_answers():
    assert services.irr([D(-100), D(110)]) == D("0.1000")
    rate = services.irr([D(-1000), D(500), D(500), D(500)])
    assert rate == D("0.2338")  # 23.38 %
    assert abs(services.npv(rate, [D(-1000), D(500), D(500), D(500)])) < D("0.5")


def test_irr_is_none_when_flows_never_change_sign():
    assert services.irr([D(-100), D(-50)]) is None
    assert services.irr([D(100), D(50)]) is None
    assert services.irr([]) is None


def test_payback_interpolates_within_the_year():
    assert services.payback_period([D(-1000), D(300), D(400), D(500)]) == D("2.60")
    assert services.payback_period([D(-1000), D(1000)]) == D("1.00")
    assert services.payback_period([D(-1000), D(100)]) is None
    assert services.payback_period([D(50), D(10)]) == D(0)


@pytest.mark.django_db
def test_business_case_of_an_initiative_planned_and_realised():
    initiative = Initiative.objects.create(title="Portal", discount_rate=D(10))
    for year, kind, category, planned, realised in (
        (0, "cost", "capex", 1000, 1200),
        (1, "benefit", "saving", 500, 400),
        (2, "benefit", "saving", 500, None),
        (3, "benefit", "revenue", 500, None),
    ):
        BusinessCaseLine.objects.create(
            initiative=initiative, year=year, kind=kind, category=category, planned=D(planned),
            realised=None if realised is None else D(realised),
        )  # fmt: skip
    case = services.business_case(initiative)
    assert case.flows == [D(-1000), D(500), D(500), D(500)]
    assert (case.total_cost, case.total_benefit) == (D(1000), D(1500))
    assert case.npv == D("243.43") and case.irr == D("0.2338") and case.roi == D("50.00")
    assert case.payback_years == D("2.00")
    assert case.has_realised and case.realised_roi == D("16.67")  # (400+500+500-1200)/1200


@pytest.mark.django_db
def test_a_cost_line_must_be_capex_or_opex():
    from django.core.exceptions import ValidationError

    initiative = Initiative.objects.create(title="x")
    line = BusinessCaseLine(initiative=initiative, year=0, kind="cost", category="saving", planned=D(1))
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert "category" in error.value.message_dict


# --- key results ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_key_result_progress_follows_the_latest_measurement_both_directions():
    import datetime as dt

    objective = Objective.objects.create(
        title="o", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31)
    )
    up = KeyResult.objects.create(objective=objective, title="up", metric="m", baseline=D(20), target=D(60))
    down = KeyResult.objects.create(objective=objective, title="down", metric="m", baseline=D(6), target=D(2))
    services.record_measurement(key_result=up, date=dt.date(2026, 2, 1), value=D(30), actor=None)
    services.record_measurement(key_result=up, date=dt.date(2026, 3, 1), value=D(50), actor=None)
    services.record_measurement(key_result=down, date=dt.date(2026, 3, 1), value=D(5), actor=None)
    assert (up.current, up.progress) == (D(50), D("75.0"))
    assert down.progress == D("25.0")
    # Correcting a day's reading replaces it; going past the target caps at 100.
    services.record_measurement(key_result=up, date=dt.date(2026, 3, 1), value=D(90), actor=None)
    assert up.measurements.count() == 2 and up.progress == D("100.0")
    up.measurements.get(date=dt.date(2026, 3, 1)).delete()
    up.refresh_from_db()
    assert up.current == D(30)


@pytest.mark.django_db
def test_objective_cannot_end_before_it_starts_or_be_its_own_ancestor():
    import datetime as dt

    from django.core.exceptions import ValidationError

    bad = Objective(title="x", period_start=dt.date(2026, 5, 1), period_end=dt.date(2026, 4, 1))
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert "period_end" in error.value.message_dict
    parent = Objective.objects.create(
        title="p", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31)
    )
    child = Objective.objects.create(title="c", parent=parent, period_start=parent.period_start,
                                     period_end=parent.period_end)  # fmt: skip
    parent.parent = child
    with pytest.raises(ValidationError) as error:
        parent.full_clean()
    assert "parent" in error.value.message_dict


# --- selection -----------------------------------------------------------------------------------
def brute_force(candidates, budget):
    best = (D(-1), D(0))
    for r in range(len(candidates) + 1):
        for combo in itertools.combinations(candidates, r):
            cost = sum((c.cost for c in combo), D(0))
            score = sum((c.score for c in combo), D(0))
            if cost <= budget and (score, -cost) > (best[0], -best[1]):
                best = (score, cost)
    return best


def test_selection_matches_brute_force_on_random_sets():
    rng = random.Random(7)
    for _ in range(40):
        candidates = [
            Candidate(
                i, D(rng.randint(1, 400)) * 1000 + D(rng.randint(0, 99)) / 100, D(rng.randint(0, 10000)) / 100
            )
            for i in range(rng.randint(1, 11))
        ]
        budget = D(rng.randint(100, 1200)) * 1000
        if min(c.cost for c in candidates) > budget:
            continue
        chosen = select_within_budget(candidates, budget)
        assert (chosen.score, chosen.cost) == brute_force(candidates, budget)
        picked = [c for c in candidates if c.key in chosen.keys]
        assert sum((c.cost for c in picked), D(0)) == chosen.cost <= budget


def test_selection_is_exact_to_the_cent():
    # Rounding costs to thousands would wrongly let both in.
    items = [
        Candidate("a", D("500000.01"), D(10)),
        Candidate("b", D("500000.00"), D(9)),
        Candidate("c", D(1), D(1)),
    ]
    chosen = select_within_budget(items, D(1_000_000))
    assert set(chosen.keys) == {"b", "c"} or set(chosen.keys) == {"a", "c"}
    assert chosen.cost <= D(1_000_000) and chosen.score == D(11)


def test_selection_without_a_feasible_candidate_says_so():
    with pytest.raises(InfeasibleSelection, match="cheapest costs 2000"):
        select_within_budget([Candidate(1, D(2000), D(5)), Candidate(2, D(3000), D(9))], D(1000))
    with pytest.raises(InfeasibleSelection, match="negative"):
        select_within_budget([Candidate(1, D(1), D(1))], D(-1))
    assert select_within_budget([], D(10)).keys == ()


# --- scoring and scenarios ------------------------------------------------------------------------
@pytest.fixture
def portfolio(db):
    import datetime as dt

    objective = Objective.objects.create(
        title="o", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31)
    )
    model = ScoringModel.objects.create(name="m")
    fit = ScoringCriterion.objects.create(
        scoring_model=model, name="fit", weight=D(50), source="strategic_fit"
    )
    urgency = ScoringCriterion.objects.create(scoring_model=model, name="urgency", weight=D(50))
    made = {}
    for name, cost, fit_score, urgent in (
        ("A", 600, 5, 10),
        ("B", 500, 4, 6),
        ("C", 400, 3, 8),
        ("D", 300, 1, 2),
    ):
        initiative = Initiative.objects.create(title=name, state="proposed")
        BusinessCaseLine.objects.create(
            initiative=initiative, year=0, kind="cost", category="capex", planned=D(cost)
        )
        InitiativeAlignment.objects.create(initiative=initiative, objective=objective, score=fit_score)
        CriterionScore.objects.create(initiative=initiative, criterion=urgency, value=D(urgent))
        made[name] = initiative
    return {"model": model, "fit": fit, "urgency": urgency, **made}


def test_weighted_scores_and_ranking(portfolio):
    cards = services.score_initiatives(scoring_model=portfolio["model"], initiatives=Initiative.objects.all())
    # B (fit 8, urgency 6) and C (fit 6, urgency 8) tie on 70: the cheaper, C, comes first.
    assert [c.initiative.title for c in cards] == ["A", "C", "B", "D"]
    assert [c.total for c in cards] == [D("100.00"), D("70.00"), D("70.00"), D("20.00")]
    assert cards[0].values[portfolio["fit"].pk] == D("10.00")


def test_missing_manual_scores_are_flagged(portfolio):
    extra = Initiative.objects.create(title="E", state="proposed")
    (card,) = services.score_initiatives(scoring_model=portfolio["model"], initiatives=[extra])
    assert card.missing == ["urgency"] and card.total == D(0)


def test_scenario_selects_best_set_within_budget(portfolio):
    scenario = PortfolioScenario.objects.create(name="s", scoring_model=portfolio["model"], budget=D(1000))
    services.run_scenario(scenario=scenario, actor=None)
    # A+C (1000, 170) beats A+D (900, 120) and B+C (900, 140).
    assert set(scenario.selected.values_list("title", flat=True)) == {"A", "C"}
    assert (scenario.total_cost, scenario.total_score) == (D(1000), D("170.00"))


def test_mandatory_initiatives_spend_first_and_can_make_it_infeasible(portfolio):
    scenario = PortfolioScenario.objects.create(name="s", scoring_model=portfolio["model"], budget=D(1000))
    scenario.mandatory.set([portfolio["D"]])
    services.run_scenario(scenario=scenario, actor=None)
    assert set(scenario.selected.values_list("title", flat=True)) == {"D", "A"}
    scenario.budget = D(200)
    scenario.save()
    with pytest.raises(InfeasibleSelection, match="mandatory"):
        services.run_scenario(scenario=scenario, actor=None)
    assert set(scenario.selected.values_list("title", flat=True)) == {"D", "A"}  # unchanged


def test_scenario_refuses_candidates_in_another_currency(portfolio):
    Initiative.objects.filter(pk=portfolio["B"].pk).update(currency="USD")
    scenario = PortfolioScenario.objects.create(name="s", scoring_model=portfolio["model"], budget=D(1000))
    with pytest.raises(InfeasibleSelection, match="USD"):
        services.run_scenario(scenario=scenario, actor=None)
    assert scenario.computed is None and not scenario.selected.exists()


def test_computed_criteria_npv_roi_and_risk_scale_across_the_candidates(db):
    model = ScoringModel.objects.create(name="value")
    npv = ScoringCriterion.objects.create(scoring_model=model, name="npv", weight=D(1), source="npv")
    roi = ScoringCriterion.objects.create(scoring_model=model, name="roi", weight=D(1), source="roi")
    risk = ScoringCriterion.objects.create(scoring_model=model, name="risk", weight=D(2), source="risk")
    made = {}
    # cost in year 0, benefit in year 1 at a 0 % discount rate: NPV = benefit - cost.
    for name, cost, benefit, risk_score in (
        ("low", 100, 110, 25),
        ("mid", 100, 150, 13),
        ("high", 200, 400, 1),
    ):
        initiative = Initiative.objects.create(
            title=name, state="proposed", discount_rate=D(0), risk_score=risk_score
        )
        BusinessCaseLine.objects.create(
            initiative=initiative, year=0, kind="cost", category="capex", planned=D(cost)
        )
        BusinessCaseLine.objects.create(
            initiative=initiative, year=1, kind="benefit", category="saving", planned=D(benefit)
        )
        made[name] = initiative
    cards = {
        c.initiative.title: c
        for c in services.score_initiatives(scoring_model=model, initiatives=made.values())
    }
    # NPVs 10, 50, 200 → 0, 2.11, 10; ROIs 10 %, 50 %, 100 % → 0, 4.44, 10; risk 25 → 0, 13 → 5, 1 → 10.
    assert [cards[n].values[npv.pk] for n in ("low", "mid", "high")] == [D("0.00"), D("2.11"), D("10.00")]
    assert [cards[n].values[roi.pk] for n in ("low", "mid", "high")] == [D("0.00"), D("4.44"), D("10.00")]
    assert [cards[n].values[risk.pk] for n in ("low", "mid", "high")] == [D("0.00"), D("5.00"), D("10.00")]
    # Weighted (1, 1, 2) over 0-10 → 0-100: mid = (2.11 + 4.44 + 2 × 5) / 4 × 10.
    assert (cards["low"].total, cards["mid"].total, cards["high"].total) == (
        D("0.00"),
        D("41.38"),
        D("100.00"),
    )
