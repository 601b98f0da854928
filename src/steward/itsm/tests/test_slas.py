"""SLA clocks: known answers worked out by hand on the Paris calendar, policies, events."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from steward.core.models import EventRule
from steward.itsm import services
from steward.itsm.models import Incident, SLAClock, SLAPolicy

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def p(*args):
    return dt.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def policy(paris):
    pol = SLAPolicy(
        name="P3", priorities=["3"], response_minutes=60, resolution_minutes=600, calendar=paris,
        pause_states=["on_hold"], warning_percent=75,
    )  # fmt: skip
    pol.full_clean()
    pol.save()
    return pol


def opened_at(when: dt.datetime, **fields) -> Incident:
    """An incident whose clocks started at ``when`` (clocks from the real save are replaced)."""
    incident = services.create_incident(actor=None, short_description="Printer on fire", **fields)
    SLAClock.objects.filter(incident=incident).delete()
    Incident.objects.filter(pk=incident.pk).update(created=when)
    services.sync_sla_clocks(incident=incident, now=when)
    return incident


def move(incident: Incident, at: dt.datetime, **fields) -> None:
    Incident.objects.filter(pk=incident.pk).update(**fields)
    services.sync_sla_clocks(incident=incident, now=at)


def clock(incident, kind="resolution") -> SLAClock:
    return SLAClock.objects.get(incident=incident, kind=kind)


def test_overnight_gap_and_weekend(policy):
    # Fri 16:00 + 600 business min: Fri 60, Mon 420 (to 17:00), Tue 120 -> Tue 11:00.
    incident = opened_at(p(2026, 3, 6, 16))
    assert clock(incident).due_at == p(2026, 3, 10, 11)
    assert clock(incident, "response").due_at == p(2026, 3, 6, 17)
    # Overnight and weekend: Fri 16:00 to Mon 09:30 is 60 + 30 business minutes.
    assert services.clock_elapsed(clock(incident), p(2026, 3, 9, 9, 30)) == 90


def test_across_the_dst_change(policy):
    # Fri 27 March 16:00 (UTC+1); clocks go forward on Sunday 29th; Mon 30th is UTC+2.
    incident = opened_at(p(2026, 3, 27, 16))
    due = clock(incident).due_at
    assert due == p(2026, 3, 31, 11)
    assert due.astimezone(dt.UTC) == dt.datetime(2026, 3, 31, 9, tzinfo=dt.UTC)
    # Response (60 min): Fri 16:00-17:00 exactly.
    assert clock(incident, "response").due_at.astimezone(dt.UTC) == dt.datetime(
        2026, 3, 27, 16, tzinfo=dt.UTC
    )


def test_across_a_public_holiday(policy):
    # Thu 30 April 16:00: Friday 1 May is a French holiday; 60 Thu + 420 Mon 4 May + 120 Tue -> Tue 11:00.
    incident = opened_at(p(2026, 4, 30, 16))
    assert clock(incident).due_at == p(2026, 5, 5, 11)


def test_pause_and_resume_move_the_due_time(policy):
    incident = opened_at(p(2026, 3, 2, 9))
    # 600 min from Monday 09:00: Monday gives 420, Tuesday 09:00-12:00 the other 180.
    assert clock(incident).due_at == p(2026, 3, 3, 12)
    move(
        incident,
        p(2026, 3, 2, 10),
        state="on_hold",
        hold_reason="awaiting_caller",
        responded_at=p(2026, 3, 2, 10),
    )
    paused = clock(incident)
    assert paused.status == "paused" and paused.due_at is None and paused.elapsed_minutes == 60
    assert clock(incident, "response").status == "stopped"
    assert clock(incident, "response").elapsed_minutes == 60 and not clock(incident, "response").breached
    # On hold for a business day; resumed Tue 10:00 with 540 left.
    move(incident, p(2026, 3, 3, 10), state="in_progress", hold_reason="")
    resumed = clock(incident)
    assert resumed.status == "running"
    # Tuesday 10:00-17:00 gives 360 (lunch excluded); the last 180 run Wednesday 09:00-12:00.
    assert resumed.due_at == p(2026, 3, 4, 12)
    assert services.clock_percent(resumed, p(2026, 3, 3, 12)) == pytest.approx(100 * 180 / 600)
    move(incident, p(2026, 3, 3, 15), state="resolved", resolved_at=p(2026, 3, 3, 15))
    done = clock(incident)
    assert done.status == "stopped" and done.elapsed_minutes == 60 + 240 and not done.breached
    # Reopened: the resolution clock runs again from where it stopped.
    move(incident, p(2026, 3, 4, 9), state="in_progress", resolved_at=None)
    assert clock(incident).status == "running" and clock(incident).elapsed_minutes == 300


def test_priority_change_retargets_the_clock(policy, paris):
    fast = SLAPolicy.objects.create(
        name="P1", priorities=["1"], order=1, response_minutes=15, resolution_minutes=120, calendar=paris
    )
    incident = opened_at(p(2026, 3, 2, 9))
    incident.impact, incident.urgency = "1", "1"
    incident.save()
    assert clock(incident).policy == fast and clock(incident).target_minutes == 120


def test_warning_and_breach_events_fire_once(policy, django_capture_on_commit_callbacks, monkeypatch):
    fired = []
    monkeypatch.setattr(
        "steward.core.events.dispatch",
        lambda e, **kw: e.name.startswith("itsm.sla.") and fired.append(e) or 0,
    )
    incident = opened_at(p(2026, 3, 2, 9))
    with django_capture_on_commit_callbacks(execute=True):
        result = services.check_sla_clocks(now=p(2026, 3, 2, 9, 50))
    # 75 % of the 60-minute response target is 45 minutes.
    assert [e.name for e in fired] == ["itsm.sla.warning"] and result.warned
    assert fired[0].data["clock"] == "response" and fired[0].data["reference"] == incident.reference
    with django_capture_on_commit_callbacks(execute=True):
        services.check_sla_clocks(now=p(2026, 3, 2, 10, 5))
    assert [e.name for e in fired] == ["itsm.sla.warning", "itsm.sla.breached"]
    assert clock(incident, "response").breached_at == p(2026, 3, 2, 10)
    with django_capture_on_commit_callbacks(execute=True):
        services.check_sla_clocks(now=p(2026, 3, 2, 10, 6))
    assert len(fired) == 2


def test_event_types_are_declared_for_rules():
    from steward.core.registry import registry

    assert "itsm.sla.warning" in registry.event_types and "itsm.sla.breached" in registry.event_types
    assert EventRule._meta.get_field("event_types")


def test_policy_without_calendar_is_refused_naming_the_field(admin_client, paris):
    with pytest.raises(ValidationError) as exc:
        SLAPolicy(name="No calendar", resolution_minutes=60).full_clean()
    assert "calendar" in exc.value.message_dict
    url = reverse("api:itsm-slapolicy-list")
    response = admin_client.post(
        url, {"name": "X", "resolution_minutes": 60}, content_type="application/json"
    )
    assert response.status_code == 400 and "calendar" in response.json()
    bad = {
        "name": "Y",
        "resolution_minutes": 60,
        "calendar": paris.pk,
        "pause_states": ["nap"],
        "priorities": ["9"],
    }
    response = admin_client.post(url, bad, content_type="application/json")
    assert response.status_code == 400 and {"pause_states", "priorities"} <= set(response.json())
    assert not SLAPolicy.objects.exists()


def test_compliance_counts_finished_clocks(policy):
    a = opened_at(p(2026, 3, 2, 9))
    move(a, p(2026, 3, 2, 9, 30), state="in_progress", responded_at=p(2026, 3, 2, 9, 30))
    b = opened_at(p(2026, 3, 2, 9))
    move(b, p(2026, 3, 2, 11), state="in_progress", responded_at=p(2026, 3, 2, 11))
    assert services.sla_compliance(SLAClock.objects.filter(kind="response")) == 50.0


def test_event_rules_turn_breaches_into_notifications_and_escalations(
    policy, team, django_capture_on_commit_callbacks
):
    from steward.core.models import Notification
    from steward.utilities.testing import make_user

    member = team.members.get()
    member.user = make_user("assignee")
    member.save()
    EventRule.objects.create(
        name="Tell the assignee", event_types=["itsm.sla.breached", "itsm.sla.warning"], action="job",
        job_name="itsm.notify_sla",
    )  # fmt: skip
    EventRule.objects.create(
        name="Escalate breaches", event_types=["itsm.sla.breached"], action="job", job_name="itsm.escalate_sla",
        conditions={"field": "data.clock", "op": "eq", "value": "resolution"},
    )  # fmt: skip
    incident = opened_at(p(2026, 3, 2, 9), assignment_team=team, assignee=member)
    with django_capture_on_commit_callbacks(execute=True):
        services.check_sla_clocks(now=p(2026, 3, 2, 10, 5))  # response breached (and warned)
    titles = list(Notification.objects.filter(recipient=member.user).values_list("title", flat=True))
    assert titles == [f"SLA breached: {incident.reference} (response)"]
    assert Incident.objects.get(pk=incident.pk).priority == "3"  # the response breach does not escalate
    with django_capture_on_commit_callbacks(execute=True):
        services.check_sla_clocks(now=p(2026, 3, 4, 9))  # resolution breached
    assert Incident.objects.get(pk=incident.pk).urgency == "1"
    assert Incident.objects.get(pk=incident.pk).priority == "2"
