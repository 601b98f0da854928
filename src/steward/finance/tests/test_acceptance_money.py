"""The acceptance story of "Strategy, projects and money", end to end through the services.

An objective; two competing initiatives with business cases; a selection within a budget; the
winner promoted to a project with a critical path; time and costs logged; earned value (CPI)
and the budget variance move.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from steward.core import workflow as wf
from steward.finance import services as finance
from steward.finance.models import AccountCategory, CostCentre
from steward.org.models import Person
from steward.projects import services as projects
from steward.projects.models import ResourceProfile, Task, TaskDependency
from steward.projects.services_governance import promote_initiative
from steward.projects.services_resources import log_time
from steward.strategy import services as strategy
from steward.strategy.models import (
    BusinessCaseLine,
    CriterionScore,
    Initiative,
    InitiativeAlignment,
    Objective,
    PortfolioScenario,
    ScoringCriterion,
    ScoringModel,
)
from steward.utilities.testing import make_user

pytestmark = pytest.mark.django_db
START = dt.date(2027, 4, 5)  # a Monday


def initiative(title: str, cost: int, benefit: int, fit: int, urgency: int, objective, urgency_criterion):
    made = Initiative.objects.create(title=title, state="proposed", start_date=START, currency="EUR")
    BusinessCaseLine.objects.create(initiative=made, year=0, kind="cost", category="capex", planned=D(cost))
    BusinessCaseLine.objects.create(
        initiative=made, year=1, kind="benefit", category="saving", planned=D(benefit)
    )
    InitiativeAlignment.objects.create(initiative=made, objective=objective, score=fit)
    CriterionScore.objects.create(initiative=made, criterion=urgency_criterion, value=D(urgency))
    return made


def test_objective_to_project_to_money():
    admin = make_user("director", superuser=True)
    objective = Objective.objects.create(title="Cut onboarding time", period_start=dt.date(2027, 1, 1),
                                         period_end=dt.date(2027, 12, 31))  # fmt: skip
    model = ScoringModel.objects.create(name="Board model")
    ScoringCriterion.objects.create(scoring_model=model, name="fit", weight=D(60), source="strategic_fit")
    urgency = ScoringCriterion.objects.create(scoring_model=model, name="urgency", weight=D(40))
    portal = initiative("Self-service portal", 80_000, 150_000, 5, 8, objective, urgency)
    chatbot = initiative("Chatbot", 90_000, 100_000, 3, 6, objective, urgency)

    # Each business case computes; only one initiative fits the budget: the better-scoring one wins.
    portal_case, chatbot_case = strategy.business_case(portal), strategy.business_case(chatbot)
    assert (portal_case.total_cost, portal_case.payback_years) == (D(80_000), D("0.53"))
    assert portal_case.npv > chatbot_case.npv and portal_case.roi > chatbot_case.roi
    scenario = PortfolioScenario.objects.create(name="FY27", scoring_model=model, budget=D(100_000))
    strategy.run_scenario(scenario=scenario, actor=admin)
    assert list(scenario.selected.all()) == [portal]

    wf.transition(obj=portal, name="approve", actor=admin)
    project = promote_initiative(initiative=portal, actor=admin)
    assert (project.budget, Initiative.objects.get(pk=portal.pk).state) == (D(80_000), "in_delivery")

    # A plan with a critical path: design → build → launch, docs in parallel with slack.
    design = Task.objects.create(project=project, name="Design", duration=10, budget=D(20_000))
    build = Task.objects.create(project=project, name="Build", duration=20, budget=D(50_000))
    docs = Task.objects.create(project=project, name="Docs", duration=5, budget=D(5_000))
    launch = Task.objects.create(project=project, name="Launch", duration=0, budget=D(5_000))
    for before, after in ((design, build), (build, launch), (design, docs), (docs, launch)):
        TaskDependency.objects.create(predecessor=before, successor=after)
    projects.schedule_project(project=project, actor=admin)
    critical = set(Task.objects.filter(project=project, is_critical=True).values_list("name", flat=True))
    assert critical == {"Design", "Build", "Launch"} and Task.objects.get(pk=docs.pk).slack == 15
    projects.take_baseline(project=project, name="Plan", actor=admin)

    # The budget for the project's cost centre, approved; nothing spent yet.
    year = finance.create_fiscal_year(name="FY2027", start_date=dt.date(2027, 1, 1), actor=admin)
    centre = CostCentre.objects.create(code="DIGI", name="Digital")
    category = AccountCategory.objects.create(code="DEV", name="Development", kind="capex")
    budget = finance.create_budget(name="Digital 2027", fiscal_year=year, actor=admin)
    version = budget.versions.get()
    april = year.periods.get(start_date=dt.date(2027, 4, 1))
    finance.add_budget_line(version=version, actor=admin, period=april, cost_centre=centre, category=category,
                            project=project, amount=D(30_000), currency="EUR")  # fmt: skip
    finance.transition_version(version=version, name="submit", actor=admin)
    finance.transition_version(version=version, name="approve", actor=admin)

    status_date = dt.date(2027, 4, 16)
    before = projects.earned_value(project=project, status_date=status_date)
    assert before.ac == 0 and before.cpi is None
    cell = finance.rollup(fiscal_year=year, dimension="project").total()
    assert (cell.budget, cell.actual) == (D(30_000), 0)

    # Work happens: design is done, 80 hours logged at 100/h, and a 12,000 invoice-free expense booked.
    Task.objects.filter(pk=design.pk).update(percent_complete=100)
    ana = Person.objects.create(first_name="Ana", last_name="Lyst", email="ana@example.org")
    ResourceProfile.objects.create(person=ana, hourly_rate=D(100), currency="EUR")
    for day in range(8):
        log_time(actor=admin, person=ana, date=START + dt.timedelta(days=day), hours=D(10), project=project,
                 task=design)  # fmt: skip
    finance.record_expense(actor=admin, date=dt.date(2027, 4, 12), amount=D(12_000), currency="EUR",
                           cost_centre=centre, category=category, project=project)  # fmt: skip

    after = projects.earned_value(project=project, status_date=status_date)
    assert after.ev == D(20_000) and after.ac == D(20_000)  # 8,000 labour + 12,000 expense
    assert after.cpi == D("1.000")
    cell = finance.rollup(fiscal_year=year, dimension="project").total()
    assert (cell.budget, cell.actual, cell.variance) == (D(30_000), D(12_000), D(-18_000))
