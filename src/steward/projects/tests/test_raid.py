"""The RAID log (scores, decisions, linked tasks, escalation to the risk register) and status reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from steward.core import workflow as wf
from steward.grc.models import Risk
from steward.org.models import Person
from steward.projects import services, services_raid, services_resources
from steward.projects.models import Project, RaidItem, ResourceProfile, StatusReport, Task
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db
START = dt.date(2027, 3, 1)


@pytest.fixture
def plan(db):
    owner = Person.objects.create(first_name="Ola", last_name="Nor", email="ola@example.org")
    project = Project.objects.create(name="Portal", start_date=START, budget=D(10000))
    task = Task.objects.create(
        project=project, wbs="1", name="Build", duration=10, budget=D(5000), percent_complete=40
    )
    services.schedule_project(project=project, actor=None)
    risk = RaidItem.objects.create(project=project, type="risk", title="Vendor late", probability=4, impact=3,
                                   owner=owner)  # fmt: skip
    return {"owner": owner, "project": project, "task": task, "risk": risk}


def item(plan, **values):
    obj = RaidItem(project=plan["project"], title="x", **values)
    obj.full_clean()
    obj.save()
    return obj


def test_risk_score_is_probability_times_impact(plan):
    assert plan["risk"].score == 12
    issue = item(plan, type="issue")
    assert issue.score is None


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"type": "risk", "probability": 3}, "impact"),
        ({"type": "risk", "probability": 6, "impact": 1}, "probability"),
        ({"type": "issue", "impact": 2}, "impact"),
        ({"type": "decision", "status": "closed"}, "decided_by"),
        ({"type": "assumption", "decided_on": START}, "decided_on"),
    ],
)
def test_bad_raid_items_are_refused_naming_the_field(plan, values, field):
    with pytest.raises(ValidationError) as exc:
        item(plan, **values)
    assert field in exc.value.message_dict
    assert RaidItem.objects.count() == 1


def test_a_closed_decision_records_who_and_when(plan):
    decision = item(plan, type="decision", status="closed", decided_by=plan["owner"], decided_on=START)
    assert decision.reference.startswith("RAID-")


def test_linked_tasks_must_belong_to_the_project(plan, client):
    other = Task.objects.create(
        project=Project.objects.create(name="Other", start_date=START), name="Elsewhere"
    )
    client.force_login(make_user("admin", superuser=True))
    url = reverse("api:projects-raiditem-detail", args=[plan["risk"].pk])
    response = client.patch(url, {"tasks": [other.pk]}, content_type="application/json")
    assert response.status_code == 400 and "tasks" in response.json()
    assert client.patch(url, {"tasks": [plan["task"].pk]}, content_type="application/json").status_code == 200
    edit = reverse("projects:raiditem_edit", args=[plan["risk"].pk])
    page = client.post(edit, {"project": plan["project"].pk, "type": "risk", "title": "t", "status": "open",
                              "probability": 1, "impact": 1, "tasks": [other.pk]})  # fmt: skip
    assert page.status_code != 302
    assert list(plan["risk"].tasks.all()) == [plan["task"]]


def test_escalating_a_risk_copies_it_to_the_register_once(plan):
    risk = services_raid.escalate_risk(item=plan["risk"], actor=None)
    plan["risk"].refresh_from_db()
    assert plan["risk"].grc_risk == risk
    assert (risk.inherent_likelihood, risk.inherent_impact, risk.owner) == (4, 3, plan["owner"])
    assert plan["risk"].reference in risk.description
    with pytest.raises(ValidationError) as exc:
        services_raid.escalate_risk(item=plan["risk"], actor=None)
    assert risk.reference in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services_raid.escalate_risk(item=item(plan, type="issue"), actor=None)
    assert Risk.objects.count() == 1


def test_escalate_endpoints_need_change_here_and_add_in_the_register(plan, client):
    page = reverse("projects:raiditem_escalate", args=[plan["risk"].pk])
    api = reverse("api:projects-raiditem-escalate", args=[plan["risk"].pk])
    user = make_user("pm")
    grant(user, RaidItem, "view", "change")
    client.force_login(user)
    assert client.post(page).status_code == 403
    assert client.post(api).status_code == 403
    grant(user, Risk, "add", "view")
    assert client.post(api).status_code == 200
    assert client.post(api).status_code == 400  # already escalated
    assert Risk.objects.count() == 1
    viewer = make_user("viewer")
    grant(viewer, RaidItem, "view")
    grant(viewer, Risk, "add")
    client.force_login(viewer)
    assert client.post(page).status_code == 403


# --- status reports -------------------------------------------------------------------------------
@pytest.fixture
def report(plan):
    report = StatusReport.objects.create(project=plan["project"], period_start=START,
                                         period_end=START + dt.timedelta(days=4), overall="amber", summary="On it")  # fmt: skip
    report.key_risks.set([plan["risk"]])
    return report


def test_publishing_freezes_earned_value_and_locks_the_report(plan, report):
    worker = Person.objects.create(first_name="W", last_name="K", email="w@example.org")
    ResourceProfile.objects.create(person=worker, hourly_rate=D(50))
    services_resources.log_time(actor=None, person=worker, date=START, hours=D(8), project=plan["project"])
    admin = make_user("admin", superuser=True)
    services_raid.publish_status_report(report=report, actor=admin)
    live = services.earned_value(project=plan["project"], status_date=report.period_end)
    assert (report.ac, report.ev, report.cpi) == (D(400), live.ev, live.cpi)
    assert report.published_at is not None
    services_resources.log_time(actor=None, person=worker, date=START + dt.timedelta(days=1), hours=D(8),
                                project=plan["project"])  # fmt: skip
    report.refresh_from_db()
    assert report.ac == D(400)
    report.summary = "rewritten"
    with pytest.raises(ValidationError):
        report.full_clean()


def test_published_report_refuses_edits_in_ui_and_api(plan, report, client):
    admin = make_user("admin", superuser=True)
    wf.transition(obj=report, name="publish", actor=admin)
    client.force_login(admin)
    url = reverse("api:projects-statusreport-detail", args=[report.pk])
    assert client.patch(url, {"summary": "new"}, content_type="application/json").status_code == 400
    detail = client.get(report.get_absolute_url())
    assert b"as published" in detail.content
    report.refresh_from_db()
    assert report.summary == "On it"


def test_key_risks_come_from_the_projects_raid_log(plan, report, client):
    other = Project.objects.create(name="Other", start_date=START)
    foreign = RaidItem.objects.create(project=other, type="risk", title="Theirs", probability=1, impact=1)
    client.force_login(make_user("admin", superuser=True))
    url = reverse("api:projects-statusreport-detail", args=[report.pk])
    response = client.patch(url, {"key_risks": [foreign.pk]}, content_type="application/json")
    assert response.status_code == 400 and foreign.reference in str(response.json())


def test_print_page_shows_the_report_to_viewers_only(plan, report, client):
    url = reverse("projects:statusreport_print", args=[report.pk])
    stranger = make_user("stranger")
    client.force_login(stranger)
    assert client.get(url).status_code == 403
    grant(stranger, StatusReport, "view")
    response = client.get(url)
    assert response.status_code == 200
    assert b"DRAFT" in response.content and plan["risk"].title.encode() in response.content
    assert b"<script" not in response.content


def test_demo_resources_load_time_raid_and_reports():
    import random

    from steward.projects import demo, demo_resources

    for n in range(4):
        Person.objects.create(first_name="Demo", last_name=str(n), email=f"demo{n}@example.org")
    demo.load(rng=random.Random(2), scale=0.01)
    summary = demo_resources.load(rng=random.Random(2), scale=0.01)
    assert "time entries" in summary
    published = StatusReport.objects.filter(state="published")
    assert published.exists() and all(r.cpi is not None or r.ac == 0 for r in published)
    assert RaidItem.objects.filter(grc_risk__isnull=False).count() == 1
    assert ResourceProfile.objects.exists()
