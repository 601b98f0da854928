"""Deterministic demo strategy for `steward demo`: objectives with key results, a pipeline of
initiatives with business cases and alignment, a scoring model and two budget scenarios."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from steward.strategy import services
from steward.strategy.models import (
    BusinessCaseLine,
    CriterionScore,
    Initiative,
    InitiativeAlignment,
    KeyResult,
    KeyResultMeasurement,
    Objective,
    PortfolioScenario,
    ScoringCriterion,
    ScoringModel,
)

OBJECTIVES = [
    ("Keep customer-facing services available", "customer", [
        ("Availability of tier-1 services", "Availability (%)", "%", "99.5", "99.95"),
        ("Mean time to restore priority-1 incidents", "MTTR (hours)", "h", "6", "2"),
    ]),
    ("Cut the cost of running IT", "financial", [
        ("Run cost per employee", "EUR per employee per year", "EUR", "4200", "3600"),
        ("Share of spend on cloud commitments", "Committed share (%)", "%", "20", "60"),
    ]),
    ("Make the service desk self-service first", "internal", [
        ("Requests raised through the portal", "Portal share (%)", "%", "35", "80"),
        ("First-contact resolution", "FCR (%)", "%", "55", "75"),
    ]),
    ("Grow the skills we depend on", "learning", [
        ("Engineers certified on our cloud platform", "Certified engineers", "", "4", "20"),
    ]),
    ("Pass the ISO 27001 surveillance audit", "internal", [
        ("Major non-conformities", "Open major findings", "", "3", "0"),
    ]),
]  # fmt: skip

INITIATIVES = [
    "Migrate the data centre to the cloud",
    "Replace the legacy ERP",
    "Self-service password reset",
    "Service portal and catalogue",
    "Zero-trust network access",
    "Laptop refresh 2027",
    "Consolidate monitoring tools",
    "Backup modernisation",
    "Identity governance",
    "Data platform",
    "Chatbot for the service desk",
    "SD-WAN for the branches",
    "Kubernetes platform",
    "Endpoint detection",
    "Print fleet reduction",
    "Licence optimisation programme",
    "Disaster-recovery site",
    "API gateway",
    "Cloud cost management",
    "Security awareness programme",
]


def load(*, rng: random.Random, scale: float) -> str:
    from steward.org.models import Department, Person

    people = list(Person.objects.order_by("pk")[:40])
    departments = list(Department.objects.order_by("pk"))
    today = dt.date.today()
    year_start = today.replace(month=1, day=1)
    objectives = []
    for title, perspective, krs in OBJECTIVES:
        objective = Objective.objects.create(
            title=title, perspective=perspective, owner=rng.choice(people) if people else None,
            period_start=year_start, period_end=year_start.replace(year=year_start.year + 1) - dt.timedelta(days=1),
        )  # fmt: skip
        objectives.append(objective)
        for kr_title, metric, unit, baseline, target in krs:
            kr = KeyResult.objects.create(
                objective=objective, title=kr_title, metric=metric, unit=unit, baseline=Decimal(baseline),
                target=Decimal(target), confidence=rng.choice(["high", "medium", "medium", "low"]),
                owner=rng.choice(people) if people else None,
            )  # fmt: skip
            base, goal = Decimal(baseline), Decimal(target)
            for month in range(1, today.month + 1):
                share = Decimal(month) / 12 * Decimal(rng.uniform(0.6, 1.2))
                KeyResultMeasurement.objects.create(
                    key_result=kr, date=today.replace(month=month, day=1), value=(base + (goal - base) * share)
                    .quantize(Decimal("0.01")),
                )  # fmt: skip

    model = ScoringModel.objects.create(
        name="Balanced portfolio", description="Value, fit, feasibility and risk."
    )
    criteria = {
        "fit": ScoringCriterion.objects.create(scoring_model=model, name="Strategic fit", weight=Decimal(30),
                                               source="strategic_fit"),
        "npv": ScoringCriterion.objects.create(scoring_model=model, name="Financial value", weight=Decimal(25),
                                               source="npv"),
        "risk": ScoringCriterion.objects.create(scoring_model=model, name="Delivery risk", weight=Decimal(15),
                                                source="risk"),
        "urgency": ScoringCriterion.objects.create(scoring_model=model, name="Urgency", weight=Decimal(20)),
        "reg": ScoringCriterion.objects.create(scoring_model=model, name="Regulatory need", weight=Decimal(10)),
    }  # fmt: skip
    states = ["idea"] * 3 + ["proposed"] * 9 + ["approved"] * 3 + ["in_delivery"] * 3 + ["done", "rejected"]
    initiatives = []
    for n, title in enumerate(INITIATIVES):
        start = today + dt.timedelta(days=rng.randint(-200, 300))
        initiative = Initiative.objects.create(
            title=title, summary=f"{title}: the business case, the plan and the benefits we expect.",
            sponsor=rng.choice(people) if people else None, department=rng.choice(departments) if departments else None,
            risk_score=rng.randint(2, 20), start_date=start, end_date=start + dt.timedelta(days=rng.randint(90, 540)),
            state=states[n % len(states)],
        )  # fmt: skip
        initiatives.append(initiative)
        invest = Decimal(rng.randrange(50, 1500) * 1000)
        lines = [BusinessCaseLine(initiative=initiative, year=0, kind="cost", category="capex", planned=invest,
                                  description="Build and roll-out")]  # fmt: skip
        for year in range(1, rng.randint(3, 5) + 1):
            lines.append(BusinessCaseLine(initiative=initiative, year=year, kind="cost", category="opex",
                                          planned=(invest * Decimal("0.1")).quantize(Decimal(1)), description="Run"))  # fmt: skip
            lines.append(BusinessCaseLine(initiative=initiative, year=year, kind="benefit", category="saving",
                                          planned=(invest * Decimal(rng.uniform(0.15, 0.6))).quantize(Decimal(1)),
                                          description="Savings"))  # fmt: skip
        for line in lines:
            line.save()
        for objective in rng.sample(objectives, rng.randint(0, 2)):
            InitiativeAlignment.objects.create(
                initiative=initiative, objective=objective, score=rng.randint(1, 5)
            )
        for key in ("urgency", "reg"):
            CriterionScore.objects.create(
                initiative=initiative, criterion=criteria[key], value=Decimal(rng.randint(0, 10))
            )
    scenarios = [
        PortfolioScenario.objects.create(
            name="2027 plan — 3 M€", scoring_model=model, budget=Decimal(3_000_000)
        ),
        PortfolioScenario.objects.create(
            name="2027 plan — 5 M€", scoring_model=model, budget=Decimal(5_000_000)
        ),
    ]
    for scenario in scenarios:
        services.run_scenario(scenario=scenario, actor=None)
    return (
        f"strategy: {len(objectives)} objectives, {len(initiatives)} initiatives, {len(scenarios)} scenarios"
    )
