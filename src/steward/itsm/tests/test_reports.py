"""ITSM report figures: known answers, restriction to what the user sees, constant query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from steward.core import workflow as wf
from steward.core.dashboards import render_widgets
from steward.itsm import services
from steward.itsm.models import Change, Incident, SLAClock, SLAPolicy
from steward.itsm.servicedesk import reports
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db
NOW = timezone.now().replace(microsecond=0)


def incident(*, hours_ago: float, ack_after: float | None = None, fix_after: float | None = None, **fields):
    row = services.create_incident(actor=None, short_description="x", **fields)
    created = NOW - dt.timedelta(hours=hours_ago)
    update = {"created": created}
    if ack_after is not None:
        update["responded_at"] = created + dt.timedelta(hours=ack_after)
    if fix_after is not None:
        update.update(state="resolved", resolved_at=created + dt.timedelta(hours=fix_after))
    Incident.objects.filter(pk=row.pk).update(**update)
    return Incident.objects.get(pk=row.pk)


@pytest.fixture
def boss(db):
    return make_user("boss", superuser=True)


def test_mtta_and_mttr_by_priority_and_month(boss):
    incident(hours_ago=10, ack_after=1, fix_after=4, impact="1", urgency="1")
    incident(hours_ago=20, ack_after=3, fix_after=8, impact="1", urgency="1")
    incident(hours_ago=5, ack_after=0.5, impact="3", urgency="3")
    by_priority = {f.label: f for f in reports.mtta_mttr_by_priority(boss, NOW - dt.timedelta(days=30))}
    critical = by_priority["1 - Critical"]
    assert (critical.count, critical.mtta_hours, critical.mttr_hours) == (2, 2.0, 6.0)
    low = by_priority["5 - Planning"]
    assert (low.mtta_hours, low.mttr_hours) == (0.5, None)
    months = reports.mtta_mttr_by_month(boss, NOW - dt.timedelta(days=30))
    assert sum(m.count for m in months) == 3


def test_backlog_age_buckets_open_incidents_only(boss):
    for hours in (2, 30, 100, 24 * 10, 24 * 40, 24 * 41):
        incident(hours_ago=hours)
    incident(hours_ago=5, fix_after=1)
    assert reports.backlog_age(boss, NOW) == [("< 1 day", 1), ("1–3 days", 1), ("3–7 days", 1),
                                              ("7–30 days", 1), ("> 30 days", 2)]  # fmt: skip


def test_sla_compliance_reopen_rate_change_success_and_categories(boss, agent, paris, team):
    policy = SLAPolicy.objects.create(name="P", order=1, resolution_minutes=60, calendar=paris)
    met, missed = incident(hours_ago=3, category="network"), incident(hours_ago=3, category="network")
    incident(hours_ago=3, category="printer")
    for row, breached in ((met, False), (missed, True)):
        SLAClock.objects.update_or_create(
            incident=row, kind="resolution",
            defaults={"policy": policy, "target_minutes": 60, "started_at": NOW, "status": "stopped",
                      "breached": breached},
        )  # fmt: skip
    assert reports.sla_compliance(boss, NOW - dt.timedelta(days=1))["percent"] == 50.0
    data = {"resolution_code": "solved", "resolution_notes": "done"}
    wf.transition(obj=met, name="resolve", actor=agent, data=data)
    wf.transition(obj=missed, name="resolve", actor=agent, data=data)
    wf.transition(obj=missed, name="reopen", actor=agent)
    rate = reports.reopen_rate(boss, NOW - dt.timedelta(days=1))
    assert (rate["reopened"], rate["resolved"], rate["percent"]) == (1, 2, 50.0)
    good = Change.objects.create(short_description="Patch", state="closed")
    bad = Change.objects.create(short_description="Upgrade", state="closed")
    Change.objects.create(short_description="Planned", state="scheduled")
    Incident.objects.filter(pk=met.pk).update(caused_by_change=bad)
    success = reports.change_success_rate(boss, NOW - dt.timedelta(days=1))
    assert (success["total"], success["failed"], success["percent"]) == (2, 1, 50.0)
    assert good.pk
    assert reports.top_categories(boss, NOW - dt.timedelta(days=1)) == [("network", 2), ("printer", 1)]


def test_figures_only_count_incidents_the_user_may_see(team):
    from steward.org.models import Team

    other = Team.objects.create(name="Other", slug="other")
    incident(hours_ago=1, assignment_team=team)
    incident(hours_ago=1, assignment_team=other)
    user = make_user("scoped")
    grant(user, Incident, "view", constraints={"assignment_team": team.pk})
    assert sum(reports.open_by_priority(user).values()) == 1
    assert reports.open_by_team(user) == [("Desk", 1)]


def test_report_query_count_does_not_grow_with_incidents(boss, team):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            reports.report(user=boss, days=30)
        return len(ctx.captured_queries)

    incident(hours_ago=1)
    before = count()
    for i in range(30):
        incident(hours_ago=i + 2, ack_after=1, fix_after=2 if i % 2 else None, category=f"c{i % 4}",
                 assignment_team=team)  # fmt: skip
    assert count() == before <= 12


def test_report_page_and_widgets(client, boss, team):
    incident(hours_ago=30, ack_after=1, fix_after=5, category="network")
    url = reverse("itsm:incident_report")
    client.force_login(make_user("nobody"))
    assert client.get(url).status_code == 403
    client.force_login(boss)
    page = client.get(url, {"days": "90"})
    assert page.status_code == 200 and b'data-chart="chart-mtt"' in page.content
    assert page.context["r"]["days"] == 90
    assert client.get(url, {"days": "junk"}).status_code == 200
    names = {w["widget"].name: w for w in render_widgets(boss)}
    for name in ("itsm.backlog_age", "itsm.mttr_by_priority", "itsm.reopen_rate", "itsm.change_success"):
        assert not names[name]["error"], name
