"""Every ITSM model's pages and endpoints, with and without permission; jobs; widgets; demo."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from steward.core import workflow as wf
from steward.core.dashboards import render_widgets
from steward.core.jobs import JobContext
from steward.core.models import ObjectChange, WorkflowHistory
from steward.core.registry import registry
from steward.itsm import jobs, services
from steward.itsm.models import Incident, Service, SLAClock, SLAPolicy
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db

ENTRIES = [e for e in registry.for_app("itsm") if e.views is not None]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.label)
def test_pages_need_the_view_permission(client, entry):
    client.force_login(make_user("nobody"))
    views = entry.views
    assert client.get(reverse(views.url_name("list"))).status_code == 403
    assert client.get(reverse(f"api:itsm-{entry.model._meta.model_name}-list")).status_code == 403
    reader = make_user("reader")
    grant(reader, entry.model, "view")
    client.force_login(reader)
    assert client.get(reverse(views.url_name("list"))).status_code == 200
    assert client.get(reverse(views.url_name("add"))).status_code == 403
    assert client.get(reverse(f"api:itsm-{entry.model._meta.model_name}-list")).status_code == 200


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.label)
def test_admin_sees_list_and_add_pages(admin_client, entry):
    assert admin_client.get(reverse(entry.views.url_name("list"))).status_code == 200
    assert admin_client.get(reverse(entry.views.url_name("add"))).status_code == 200


def test_ui_create_service_writes_the_change_log_and_rejects_bad_input(admin_client, paris):
    url = reverse("itsm:service_add")
    data = {
        "name": "Email",
        "kind": "business",
        "criticality": "high",
        "status": "live",
        "business_calendar": paris.pk,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302
    service = Service.objects.get()
    assert ObjectChange.objects.filter(
        changed_object_type=ContentType.objects.get_for_model(Service), changed_object_id=service.pk
    ).exists()
    response = admin_client.post(url, {**data, "name": "Other", "criticality": "apocalyptic"})
    assert response.status_code == 422 and "criticality" in response.context["form"].errors
    assert Service.objects.count() == 1


def test_ui_sla_policy_without_calendar_names_the_field(admin_client):
    response = admin_client.post(reverse("itsm:slapolicy_add"), {"name": "X", "order": 1, "resolution_minutes": 60,
                                                                  "priorities": "[]", "pause_states": "[]",
                                                                  "warning_percent": 75})  # fmt: skip
    assert response.status_code == 422 and "calendar" in response.context["form"].errors
    assert not SLAPolicy.objects.exists()


def test_constrained_permission_shows_only_my_teams_incidents(client, team):
    from steward.org.models import Team

    other = Team.objects.create(name="Other", slug="other")
    mine = services.create_incident(actor=None, short_description="mine", assignment_team=team)
    services.create_incident(actor=None, short_description="theirs", assignment_team=other)
    user = make_user("scoped")
    person = team.members.get()
    person.user = user
    person.save()
    grant(user, Incident, "view", constraints={"assignment_team__in": "$teams"})
    client.force_login(user)
    results = client.get(reverse("api:itsm-incident-list")).json()["results"]
    assert [r["reference"] for r in results] == [mine.reference]
    theirs = Incident.objects.get(short_description="theirs")
    assert client.get(reverse("itsm:incident_detail", kwargs={"pk": theirs.pk})).status_code == 404


def test_jobs_run_through_their_registered_entries(agent, settings):
    settings.ITSM_AUTO_CLOSE_DAYS = 3
    assert {"itsm.check_sla_clocks", "itsm.auto_close_resolved", "itsm.refresh_change_conflicts"} <= set(
        registry.jobs
    )
    assert all(registry.jobs[name].periodic for name in ("itsm.check_sla_clocks", "itsm.auto_close_resolved"))
    incident = services.create_incident(actor=agent, short_description="x")
    wf.transition(obj=incident, name="resolve", actor=agent,
                  data={"resolution_code": "solved", "resolution_notes": "ok"})  # fmt: skip
    Incident.objects.filter(pk=incident.pk).update(resolved_at=timezone.now() - dt.timedelta(days=4))
    ctx = JobContext(name="itsm.auto_close_resolved")
    jobs.auto_close_resolved(ctx)
    assert Incident.objects.get(pk=incident.pk).state == "closed" and "closed 1 " in ctx.lines[0]
    ctx = JobContext(name="itsm.check_sla_clocks")
    jobs.check_sla_clocks(ctx)
    assert "warnings" in ctx.lines[0]


def test_dashboard_widgets_render(admin_client, team, paris):
    SLAPolicy.objects.create(name="All", response_minutes=60, resolution_minutes=600, calendar=paris)
    services.create_incident(actor=None, short_description="x", impact="1", urgency="1", assignment_team=team)
    admin = make_user("boss", superuser=True)
    widgets = {w["widget"].name: w for w in render_widgets(admin) if w["widget"].name.startswith("itsm.")}
    assert not any(w["error"] for w in widgets.values())
    assert widgets["itsm.open_by_priority"]["data"]["datasets"][0]["data"][0] == 1
    assert widgets["itsm.open_by_team"]["data"]["labels"] == ["Desk"]
    assert widgets["itsm.sla_compliance"]["data"]["value"] == "—"
    assert not [w for w in render_widgets(make_user("nobody")) if w["widget"].name.startswith("itsm.")]
    assert admin_client.get("/").status_code == 200


def test_demo_loads_realistic_states():
    from steward.itsm import demo
    from steward.org import demo as org_demo

    rng = random.Random(7)
    org_demo.load(rng=rng, scale=0.05)
    summary = demo.load(rng=rng, scale=0.01)
    assert "200 incidents" in summary
    assert WorkflowHistory.objects.filter(transition="resolve").count() >= 150
    states = set(Incident.objects.values_list("state", flat=True))
    assert {"closed", "resolved"} <= states
    assert SLAPolicy.objects.count() == 5
    assert SLAClock.objects.filter(status="stopped").exists()
