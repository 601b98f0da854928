"""Strategy pages and endpoints beyond the generic ones: business case, selection, matrix, roadmap."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from steward.core.workflow import TransitionNotAllowed, transition
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
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(db):
    objective = Objective.objects.create(title="Uptime", period_start=dt.date(2027, 1, 1),
                                         period_end=dt.date(2027, 12, 31))  # fmt: skip
    lonely = Objective.objects.create(title="Nobody serves me", period_start=dt.date(2027, 1, 1),
                                      period_end=dt.date(2027, 12, 31))  # fmt: skip
    model = ScoringModel.objects.create(name="m")
    ScoringCriterion.objects.create(scoring_model=model, name="fit", weight=D(1), source="strategic_fit")
    urgency = ScoringCriterion.objects.create(scoring_model=model, name="urgency", weight=D(1))
    made = []
    for title, cost, urgent in (("Alpha", 600, 9), ("Beta", 500, 2), ("Gamma", 400, 8)):
        i = Initiative.objects.create(title=title, state="proposed", start_date=dt.date(2027, 1, 1),
                                      end_date=dt.date(2027, 6, 30))  # fmt: skip
        BusinessCaseLine.objects.create(initiative=i, year=0, kind="cost", category="capex", planned=D(cost))
        BusinessCaseLine.objects.create(
            initiative=i, year=1, kind="benefit", category="saving", planned=D(cost)
        )
        CriterionScore.objects.create(initiative=i, criterion=urgency, value=D(urgent))
        made.append(i)
    InitiativeAlignment.objects.create(initiative=made[0], objective=objective, score=5)
    InitiativeAlignment.objects.create(initiative=made[2], objective=objective, score=4)
    scenario = PortfolioScenario.objects.create(name="s", scoring_model=model, budget=D(1000))
    return {"objective": objective, "lonely": lonely, "initiatives": made, "scenario": scenario}


def test_initiative_page_shows_business_case_figures(admin_client, board):
    page = admin_client.get(board["initiatives"][0].get_absolute_url()).content.decode()
    assert 'data-figure="npv"' in page and "Uptime" in page
    npv = page.split('data-figure="npv">')[1].split("<")[0]
    assert npv.startswith("-44.44")  # -600 + 600/1.08


def test_business_case_api(admin_client, board):
    url = reverse("api:strategy-initiative-business-case", kwargs={"pk": board["initiatives"][0].pk})
    data = admin_client.get(url).json()
    assert data["flows"] == ["-600.00", "600.00"] and data["npv"] == "-44.44" and data["irr"] == "0.0000"


def test_running_a_scenario_from_the_page_and_the_api(admin_client, board):
    scenario = board["scenario"]
    response = admin_client.post(reverse("strategy:portfolioscenario_run", kwargs={"pk": scenario.pk}))
    assert response.status_code == 302
    assert set(scenario.selected.values_list("title", flat=True)) == {"Alpha", "Gamma"}
    page = admin_client.get(scenario.get_absolute_url()).content.decode()
    assert page.count("data-selected") == 2
    api = admin_client.post(reverse("api:strategy-portfolioscenario-run", kwargs={"pk": scenario.pk})).json()
    assert [row["reference"] for row in api if row["selected"]] == [board["initiatives"][0].reference,
                                                                    board["initiatives"][2].reference]  # fmt: skip


def test_infeasible_scenario_reports_the_reason(admin_client, board):
    scenario = board["scenario"]
    PortfolioScenario.objects.filter(pk=scenario.pk).update(budget=D(100))
    response = admin_client.post(reverse("api:strategy-portfolioscenario-run", kwargs={"pk": scenario.pk}))
    assert response.status_code == 400 and "cheapest costs 400" in response.json()["budget"][0]
    page = admin_client.post(
        reverse("strategy:portfolioscenario_run", kwargs={"pk": scenario.pk}), follow=True
    )
    assert "cheapest costs 400" in page.content.decode()


def test_running_a_scenario_needs_the_change_permission(client, board):
    user = make_user("viewer")
    grant(user, PortfolioScenario, "view")
    client.force_login(user)
    url = reverse("strategy:portfolioscenario_run", kwargs={"pk": board["scenario"].pk})
    assert client.post(url).status_code == 403
    api = reverse("api:strategy-portfolioscenario-run", kwargs={"pk": board["scenario"].pk})
    assert client.post(api).status_code == 403
    assert not board["scenario"].selected.exists()


def test_compare_page_lists_each_scenarios_choice(admin_client, board):
    from steward.strategy import services

    services.run_scenario(scenario=board["scenario"], actor=None)
    other = PortfolioScenario.objects.create(name="big", scoring_model=board["scenario"].scoring_model,
                                             budget=D(2000))  # fmt: skip
    services.run_scenario(scenario=other, actor=None)
    url = reverse("strategy:portfolioscenario_compare") + f"?id={board['scenario'].pk}&id={other.pk}"
    table = admin_client.get(url).content.decode().split('id="compare-table"')[1]
    beta = table.split("Beta")[1].split("</tr>")[0]
    assert beta.count("ti-check") == 1  # only the big budget takes Beta


def test_alignment_matrix_names_gaps(admin_client, board):
    page = admin_client.get(reverse("strategy:objective_alignment")).content.decode()
    unaligned = page.split('id="unaligned"')[1].split("</ul>")[0]
    uncovered = page.split('id="uncovered"')[1].split("</ul>")[0]
    assert "Beta" in unaligned and "Alpha" not in unaligned
    assert "Nobody serves me" in uncovered and "Uptime" not in uncovered


def test_roadmap_draws_a_bar_per_dated_initiative(admin_client, board):
    page = admin_client.get(reverse("strategy:initiative_roadmap")).content.decode()
    svg = page.split('<svg id="roadmap"')[1].split("</svg>")[0]
    assert svg.count('class="roadmap-bar"') == 3
    assert "<script" not in svg


def test_pages_hide_initiatives_the_user_may_not_see(client, board):
    user = make_user("limited")
    grant(user, Objective, "view")
    grant(user, Initiative, "view", constraints={"title": "Alpha"})
    client.force_login(user)
    page = client.get(reverse("strategy:objective_alignment")).content.decode()
    assert "Alpha" in page and "Gamma" not in page
    assert client.get(reverse("strategy:initiative_roadmap")).status_code == 200


def test_pipeline_runs_on_the_workflow_engine(board):
    from django.core.exceptions import ValidationError

    admin = make_user("boss", superuser=True)
    idea = Initiative.objects.create(title="New idea")
    assert idea.state == "idea"
    with pytest.raises(TransitionNotAllowed) as error:
        transition(obj=idea, name="approve", actor=admin)
    assert "propose" in error.value.allowed
    with pytest.raises(ValidationError) as invalid:
        transition(obj=idea, name="propose", actor=admin)
    assert "sponsor" in invalid.value.message_dict
    idea.refresh_from_db()
    assert idea.state == "idea"


def test_demo_builds_a_pipeline_with_selected_scenarios():
    import random

    from steward.strategy import demo

    summary = demo.load(rng=random.Random(3), scale=0.01)
    assert "20 initiatives" in summary
    for scenario in PortfolioScenario.objects.all():
        assert scenario.selected.exists() and scenario.total_cost <= scenario.budget
    assert Objective.objects.filter(key_results__current__isnull=False).exists()
