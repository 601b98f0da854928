"""Project services and pages: scheduling, cycles refused by name, baselines, earned value, Gantt, iCal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from steward.projects import services
from steward.projects.models import Project, Task, TaskDependency
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db
START = dt.date(2027, 3, 1)


@pytest.fixture
def plan(db):
    project = Project.objects.create(name="Portal", start_date=START, budget=D(10000))
    phase = Task.objects.create(project=project, wbs="1", name="Build", duration=0)
    design = Task.objects.create(
        project=project, parent=phase, wbs="1.1", name="Design", duration=5, budget=D(1000)
    )
    build = Task.objects.create(project=project, parent=phase, wbs="1.2", name="Build it", duration=10,
                                budget=D(4000))  # fmt: skip
    docs = Task.objects.create(
        project=project, parent=phase, wbs="1.3", name="Docs", duration=3, budget=D(500)
    )
    live = Task.objects.create(project=project, wbs="2", name="Go live", duration=0)
    TaskDependency.objects.create(predecessor=design, successor=build)
    TaskDependency.objects.create(predecessor=design, successor=docs)
    TaskDependency.objects.create(predecessor=build, successor=live)
    TaskDependency.objects.create(predecessor=docs, successor=live)
    return {"project": project, "phase": phase, "design": design, "build": build, "docs": docs, "live": live}


def reload(*tasks):
    for t in tasks:
        t.refresh_from_db()


def test_schedule_sets_dates_slack_and_summary_spans(plan):
    days = services.schedule_project(project=plan["project"], actor=None)
    assert days == 15
    reload(*[plan[k] for k in ("phase", "design", "build", "docs", "live")])
    assert (plan["design"].start_date, plan["design"].finish_date) == (START, START + dt.timedelta(days=4))
    assert plan["build"].start_date == START + dt.timedelta(days=5) and plan["build"].is_critical
    assert plan["docs"].slack == 7 and not plan["docs"].is_critical
    assert plan["live"].start_date == plan["live"].finish_date == START + dt.timedelta(days=15)
    assert (plan["phase"].start_date, plan["phase"].finish_date) == (START, START + dt.timedelta(days=14))
    plan["project"].refresh_from_db()
    assert plan["project"].end_date == START + dt.timedelta(days=14)


def test_a_dependency_cycle_is_refused_naming_it(plan):
    loop = TaskDependency(predecessor=plan["live"], successor=plan["design"])
    with pytest.raises(ValidationError) as error:
        loop.full_clean()
    message = error.value.message_dict["successor"][0]
    assert "Design" in message and "Go live" in message and "→" in message


def test_a_cycle_written_behind_the_forms_back_is_refused_by_the_scheduler(plan):
    TaskDependency.objects.create(predecessor=plan["live"], successor=plan["design"])  # bypasses clean()
    with pytest.raises(ValidationError) as error:
        services.schedule_project(project=plan["project"], actor=None)
    assert "cycle" in error.value.message_dict["dependencies"][0]
    plan["design"].refresh_from_db()
    assert plan["design"].start_date is None  # nothing written


def test_cycle_refused_through_the_api_with_the_field_named(admin_client, plan):
    response = admin_client.post(
        reverse("api:projects-taskdependency-list"),
        {"predecessor": plan["live"].pk, "successor": plan["design"].pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and "cycle" in response.json()["successor"][0]


def test_earned_value_against_the_baseline(plan):
    services.schedule_project(project=plan["project"], actor=None)
    services.take_baseline(project=plan["project"], name="Plan", actor=None)
    Task.objects.filter(pk=plan["design"].pk).update(percent_complete=100, actual_cost=D(1200))
    Task.objects.filter(pk=plan["build"].pk).update(percent_complete=20, actual_cost=D(1000))
    # Day 10 (index 9): design fully planned, build 5 of 10 days planned, docs (days 5–7) fully planned.
    evm = services.earned_value(project=plan["project"], status_date=START + dt.timedelta(days=9))
    assert evm.bac == D("5500.00")
    assert evm.pv == D("3500.00")  # 1000 + 4000 × 5/10 + 500
    assert evm.ev == D("1800.00")  # 1000 + 4000 × 20 %
    assert evm.ac == D("2200.00")
    assert evm.cpi == D("0.818") and evm.spi == D("0.514")
    assert evm.eac == D("6722.22") and evm.vac == D("-1222.22") and evm.etc == D("4522.22")


def test_baseline_needs_a_schedule(plan):
    with pytest.raises(ValidationError):
        services.take_baseline(project=plan["project"], name="too early", actor=None)


def test_project_page_gantt_and_milestone_feed(admin_client, plan):
    project = plan["project"]
    assert (
        admin_client.post(reverse("projects:project_schedule", kwargs={"pk": project.pk})).status_code == 302
    )
    assert (
        admin_client.post(reverse("projects:project_baseline", kwargs={"pk": project.pk})).status_code == 302
    )
    page = admin_client.get(project.get_absolute_url()).content.decode()
    critical = page.split('id="critical-tasks"')[1].split("</ol>")[0]
    assert "Build it" in critical and "Docs" not in critical
    gantt = admin_client.get(reverse("projects:project_gantt", kwargs={"pk": project.pk})).content.decode()
    svg = gantt.split('<svg id="gantt"')[1].split("</svg>")[0]
    assert svg.count("gantt-critical") == 3 and svg.count("gantt-milestone") == 1  # design, build, phase
    assert svg.count("gantt-baseline") == 5
    feed = admin_client.get(reverse("projects:project_milestones", kwargs={"pk": project.pk}))
    events = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [f"{project.reference} Go live"]
    assert events[0].decoded("dtstart") == START + dt.timedelta(days=15)


def test_schedule_and_evm_api(admin_client, plan):
    project = plan["project"]
    data = admin_client.post(reverse("api:projects-project-schedule", kwargs={"pk": project.pk})).json()
    assert data == {"days": 15, "end_date": (START + dt.timedelta(days=14)).isoformat()}
    evm = admin_client.get(reverse("api:projects-project-earned-value", kwargs={"pk": project.pk}),
                           {"status_date": "2027-03-10"}).json()  # fmt: skip
    assert evm["bac"] == "5500.00"
    bad = admin_client.get(reverse("api:projects-project-earned-value", kwargs={"pk": project.pk}),
                           {"status_date": "soon"})  # fmt: skip
    assert bad.status_code == 400 and "status_date" in bad.json()


def test_scheduling_needs_the_change_permission(client, plan):
    user = make_user("viewer")
    grant(user, Project, "view")
    client.force_login(user)
    assert (
        client.post(reverse("projects:project_schedule", kwargs={"pk": plan["project"].pk})).status_code
        == 403
    )
    assert (
        client.post(reverse("api:projects-project-schedule", kwargs={"pk": plan["project"].pk})).status_code
        == 403
    )
    plan["design"].refresh_from_db()
    assert plan["design"].start_date is None


def test_demo_projects_are_scheduled_and_baselined():
    import random

    from steward.projects import demo

    demo.load(rng=random.Random(2), scale=0.01)
    project = Project.objects.order_by("pk").first()
    assert project.end_date and project.baselines.filter(is_current=True).exists()
    assert Task.objects.filter(project=project, is_critical=True).exists()


@pytest.mark.parametrize(("allocation", "accepted"), [(-10, False), (101, False), (0, True), (100, True)])
def test_a_task_allocation_outside_0_to_100_is_refused_naming_the_field(plan, allocation, accepted):
    task = Task(project=plan["project"], name="Test", duration=2, allocation=allocation)
    if accepted:
        task.full_clean()
        return
    with pytest.raises(ValidationError) as exc:
        task.full_clean()
    assert "allocation" in exc.value.message_dict


def test_the_api_refuses_a_negative_allocation_and_writes_nothing(admin_client, plan):
    before = Task.objects.count()
    body = {"project": plan["project"].pk, "name": "Test", "duration": 2, "allocation": -20}
    response = admin_client.post("/api/projects/tasks/", body, content_type="application/json")
    assert response.status_code == 400 and "allocation" in response.json()
    assert Task.objects.count() == before


def test_a_project_links_objectives_directly_through_the_form_and_the_api(admin_client, plan):
    from steward.strategy.models import Objective

    objective = Objective.objects.create(title="Uptime", period_start=START, period_end=START)
    url = f"/api/projects/projects/{plan['project'].pk}/"
    response = admin_client.patch(url, {"objectives": [objective.pk]}, content_type="application/json")
    assert response.status_code == 200 and response.json()["objectives"] == [objective.pk]
    assert list(objective.projects.all()) == [plan["project"]]
    page = admin_client.get(reverse("projects:project_detail", args=[plan["project"].pk]))
    assert objective.get_absolute_url().encode() + b'">Uptime</a>' in page.content
    bad = admin_client.patch(url, {"objectives": [objective.pk + 999]}, content_type="application/json")
    assert bad.status_code == 400 and "objectives" in bad.json()
