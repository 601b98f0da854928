"""The acceptance story again, the way a new user tries it: through the pages and the REST API only.

An objective; two competing demands submitted on the intake form; a scenario selecting within a
budget; the winner approved and promoted to a project; a plan whose critical path is computed (and
a loop refused naming it); a baseline; an approved budget; time logged and a cost booked; and the
earned value (CPI) and the budget variance moving. ``test_acceptance_money`` walks the same story
through the services.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from steward.strategy.models import Initiative
from steward.utilities.testing import make_user

pytestmark = pytest.mark.django_db
JSON = "application/json"


def post(client, url, body, status=201):
    response = client.post(url, body, content_type=JSON)
    assert response.status_code == status, (url, response.content)
    return response.json()


def test_a_new_user_walks_objective_to_project_to_money_over_http(client):
    client.force_login(make_user("director", superuser=True))

    # 1. An objective, and two competing demands on the intake form (proposed at once).
    objective = post(client, "/api/strategy/objectives/", {"title": "Cut onboarding time",
                     "period_start": "2027-01-01", "period_end": "2027-12-31"})  # fmt: skip
    sponsor = post(client, "/api/org/people/", {"first_name": "Sam", "last_name": "Sponsor",
                   "email": "sam@example.org"})  # fmt: skip
    for title, cost, benefit, fit in (
        ("Self-service portal", 80_000, 60_000, 5),
        ("Chatbot", 90_000, 40_000, 3),
    ):
        form = {"title": title, "sponsor": sponsor["id"], "objectives": [objective["id"]], "fit_score": fit,
                "start_date": "2027-04-05", "currency": "EUR", "investment": cost, "investment_category": "capex",
                "running_cost": 0, "yearly_benefit": benefit, "benefit_category": "saving", "years": 3,
                "risk_score": 5, "propose": "on"}  # fmt: skip
        response = client.post(reverse("strategy:initiative_intake"), form)
        assert response.status_code == 302, response.content
    portal, chatbot = (
        Initiative.objects.get(title="Self-service portal"),
        Initiative.objects.get(title="Chatbot"),
    )
    assert portal.state == chatbot.state == "proposed"
    portal_case = client.get(f"/api/strategy/initiatives/{portal.pk}/business-case/").json()
    chatbot_case = client.get(f"/api/strategy/initiatives/{chatbot.pk}/business-case/").json()
    assert portal_case["total_cost"] == "80000.00" and portal_case["payback_years"] == "1.33"
    assert float(portal_case["npv"]) > float(chatbot_case["npv"]) and portal_case["irr"] is not None

    # 2. Score on strategic fit and NPV; only one fits a 100,000 budget: the portal wins.
    model = post(client, "/api/strategy/scoring-models/", {"name": "Board model"})
    for name, source in (("fit", "strategic_fit"), ("value", "npv")):
        post(client, "/api/strategy/scoring-criteria/", {"scoring_model": model["id"], "name": name,
             "weight": "50", "source": source})  # fmt: skip
    scenario = post(client, "/api/strategy/portfolio-scenarios/", {"name": "FY27", "scoring_model": model["id"],
                    "budget": "100000", "currency": "EUR"})  # fmt: skip
    ranking = post(client, f"/api/strategy/portfolio-scenarios/{scenario['id']}/run/", {}, status=200)
    assert [(r["reference"], r["selected"]) for r in ranking] == [(portal.reference, True),
                                                                  (chatbot.reference, False)]  # fmt: skip
    tight = post(client, "/api/strategy/portfolio-scenarios/", {"name": "Tight", "scoring_model": model["id"],
                 "budget": "50000", "currency": "EUR", "mandatory": [chatbot.pk]})  # fmt: skip
    refused = post(client, f"/api/strategy/portfolio-scenarios/{tight['id']}/run/", {}, status=400)
    assert "mandatory" in refused["budget"][0]

    # 3. The board approves the winner; it becomes a project.
    post(client, f"/api/strategy/initiatives/{portal.pk}/transition/", {"transition": "approve"}, status=200)
    project = post(client, "/api/projects/projects/promote/", {"initiative": portal.pk})
    assert project["budget"] == "80000.00" and project["initiative"] == portal.pk
    assert project["objectives"] == [objective["id"]]
    serving = client.get(f"/api/projects/projects/?objectives={objective['id']}").json()["results"]
    assert [p["reference"] for p in serving] == [project["reference"]]

    # 4. A plan with a critical path; a dependency closing a loop is refused naming it.
    tasks = {}
    for name, days, budget in (("Design", 10, 20_000), ("Build", 20, 50_000), ("Docs", 5, 5_000),
                               ("Launch", 0, 5_000)):  # fmt: skip
        tasks[name] = post(client, "/api/projects/tasks/", {"project": project["id"], "name": name,
                           "duration": days, "budget": str(budget)})["id"]  # fmt: skip
    for before, after in (("Design", "Build"), ("Build", "Launch"), ("Design", "Docs"), ("Docs", "Launch")):
        post(
            client,
            "/api/projects/task-dependencies/",
            {"predecessor": tasks[before], "successor": tasks[after]},
        )
    loop = post(client, "/api/projects/task-dependencies/", {"predecessor": tasks["Launch"],
                "successor": tasks["Design"]}, status=400)  # fmt: skip
    assert loop["successor"][0].startswith("This dependency would make a cycle: ")
    assert all(name in loop["successor"][0] for name in ("Design", "Launch", " → "))
    assert post(client, f"/api/projects/projects/{project['id']}/schedule/", {}, status=200)["days"] == 30
    plan = client.get(f"/api/projects/tasks/?project={project['id']}").json()["results"]
    assert {t["name"] for t in plan if t["is_critical"]} == {"Design", "Build", "Launch"}
    assert next(t for t in plan if t["name"] == "Docs")["slack"] == 15
    assert (
        client.post(reverse("projects:project_baseline", args=[project["id"]]), {"name": "Plan"}).status_code
        == 302
    )
    assert b"gantt-critical" in client.get(reverse("projects:project_gantt", args=[project["id"]])).content

    # 5. An approved budget line for the project.
    year = post(client, "/api/finance/fiscal-years/", {"name": "FY2027", "start_date": "2027-01-01"})
    april = client.get(f"/api/finance/fiscal-periods/?fiscal_year={year['id']}&number=4").json()["results"][0]
    centre = post(client, "/api/finance/cost-centres/", {"code": "DIGI", "name": "Digital"})
    category = post(client, "/api/finance/account-categories/", {"code": "DEV", "name": "Development",
                    "kind": "capex"})  # fmt: skip
    budget = post(client, "/api/finance/budgets/", {"name": "Digital 2027", "fiscal_year": year["id"]})
    version = post(client, "/api/finance/budget-versions/", {"budget": budget["id"], "label": "Original"})
    post(client, "/api/finance/budget-lines/", {"version": version["id"], "period": april["id"],
         "cost_centre": centre["id"], "category": category["id"], "project": project["id"],
         "amount": "30000", "currency": "EUR"})  # fmt: skip
    for step in ("submit", "approve"):
        post(
            client,
            f"/api/finance/budget-versions/{version['id']}/transition/",
            {"transition": step},
            status=200,
        )

    evm_url = f"/api/projects/projects/{project['id']}/earned-value/?status_date=2027-04-16"
    rollup_url = f"/api/finance/budgets/rollup/?fiscal_year={year['id']}&dimension=project"
    before = client.get(evm_url).json()
    assert (before["bac"], before["ac"], before["cpi"]) == ("80000.00", "0.00", None)
    (row,) = client.get(rollup_url).json()["rows"]
    assert (row["budget"], row["actual"], row["variance"]) == ("30000.00", "0.00", "-30000.00")

    # 6. Work happens: design done, 80 hours at 100/h logged, a 12,000 cost booked on the project.
    client.patch(f"/api/projects/tasks/{tasks['Design']}/", {"percent_complete": 100}, content_type=JSON)
    ana = post(
        client, "/api/org/people/", {"first_name": "Ana", "last_name": "Lyst", "email": "ana@example.org"}
    )
    post(
        client,
        "/api/projects/resource-profiles/",
        {"person": ana["id"], "hourly_rate": "100", "currency": "EUR"},
    )
    for day in range(5, 13):
        post(client, "/api/projects/time-entries/", {"person": ana["id"], "date": f"2027-04-{day:02d}",
             "hours": "10", "project": project["id"], "task": tasks["Design"]})  # fmt: skip
    post(client, "/api/finance/expenses/", {"date": "2027-04-12", "amount": "12000", "currency": "EUR",
         "cost_centre": centre["id"], "category": category["id"], "project": project["id"]})  # fmt: skip

    after = client.get(evm_url).json()
    assert (after["ev"], after["ac"], after["cpi"]) == ("20000.00", "20000.00", "1.000")
    assert after["eac"] == "80000.00" and after["spi"] is not None
    (row,) = client.get(rollup_url).json()["rows"]
    assert (row["budget"], row["actual"], row["variance"]) == ("30000.00", "12000.00", "-18000.00")
    page = client.get(reverse("projects:project_detail", args=[project["id"]]) + "?status_date=2027-04-16")
    assert page.status_code == 200 and b"data-evm-cpi>1.000<" in page.content
