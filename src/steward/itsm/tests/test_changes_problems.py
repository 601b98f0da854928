"""Changes (risk, CAB approvals, conflicts, iCalendar feed), problems and known errors."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from steward.core import workflow as wf
from steward.core.models import WorkflowApproval
from steward.itsm import services
from steward.itsm.ical import feed_url
from steward.itsm.models import Change, FreezeWindow, Incident, Problem, Service
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 12, 1, 20, tzinfo=dt.UTC)


def role_user(name, *roles):
    user = make_user(name)
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    grant(user, Change, "view", "change")
    return user


@pytest.fixture
def erp(db):
    return Service.objects.create(name="ERP")


def change(service, start=T0, hours=2, **extra):
    return services.create_change(
        actor=None, short_description="Patch", service=service, planned_start=start,
        planned_end=start + dt.timedelta(hours=hours), **extra,
    )  # fmt: skip


def test_risk_score_from_the_seeded_questions(erp):
    chg = change(erp, risk_answers={"outage": "full", "tested": "no", "backout": "yes"})
    assert chg.reference.startswith("CHG") and (chg.risk_score, chg.risk_level) == (8, "medium")
    with pytest.raises(ValidationError) as exc:
        change(erp, risk_answers={"outage": "sometimes"})
    assert "risk_answers" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        change(erp, hours=-1)
    assert "planned_end" in exc.value.message_dict


def test_overlaps_on_the_same_service_and_freeze_windows_are_flagged(erp, admin_client):
    other = Service.objects.create(name="CRM")
    a = change(erp)
    b = change(erp, start=T0 + dt.timedelta(hours=1))
    c = change(other, start=T0)
    d = change(erp, start=T0 + dt.timedelta(hours=2))  # touches a's end: no overlap with a
    a.refresh_from_db()
    assert a.has_conflicts and [x["change"] for x in a.conflicts] == [b.reference]
    assert Change.objects.get(pk=b.pk).has_conflicts
    assert not Change.objects.get(pk=c.pk).has_conflicts
    assert [x["change"] for x in Change.objects.get(pk=d.pk).conflicts] == [b.reference]
    # Moving b away clears a.
    b.planned_start, b.planned_end = T0 + dt.timedelta(days=5), T0 + dt.timedelta(days=5, hours=1)
    b.save()
    assert not Change.objects.get(pk=a.pk).has_conflicts
    freeze = FreezeWindow.objects.create(
        name="Year end", start=T0 - dt.timedelta(days=1), end=T0 + dt.timedelta(days=1)
    )
    freeze.services.set([erp])
    services.refresh_all_conflicts()
    assert [x["kind"] for x in Change.objects.get(pk=a.pk).conflicts] == ["freeze"]
    assert not Change.objects.get(pk=c.pk).has_conflicts
    response = admin_client.get(reverse("api:itsm-change-conflicts", kwargs={"pk": a.pk}))
    assert response.status_code == 200 and response.json()[0]["kind"] == "freeze"
    listed = admin_client.get(reverse("api:itsm-change-list") + "?has_conflicts=true").json()
    assert {r["reference"] for r in listed["results"]} == {a.reference, d.reference}


def test_cab_needs_two_approvals_from_the_board(erp):
    manager = role_user("manager", "Change managers")
    member1 = role_user("cab1", "Change advisory board")
    member2 = role_user("cab2", "Change advisory board")
    outsider = role_user("outsider")
    chg = change(erp)
    wf.transition(obj=chg, name="submit", actor=manager)
    wf.transition(obj=chg, name="request_approval", actor=manager)
    with pytest.raises(wf.TransitionForbidden):
        wf.transition(obj=chg, name="approve", actor=outsider)
    assert not WorkflowApproval.objects.exists()
    first = wf.transition(obj=chg, name="approve", actor=member1)
    assert not first.completed and Change.objects.get(pk=chg.pk).state == "authorise"
    assert wf.transition(obj=chg, name="approve", actor=member2).completed
    assert Change.objects.get(pk=chg.pk).state == "scheduled"


def test_standard_changes_skip_the_board(erp):
    manager = role_user("manager", "Change managers")
    chg = change(erp, type="standard")
    wf.transition(obj=chg, name="submit", actor=manager)
    with pytest.raises(wf.TransitionNotAllowed):
        wf.transition(obj=chg, name="request_approval", actor=manager)
    wf.transition(obj=chg, name="schedule_standard", actor=manager)
    assert Change.objects.get(pk=chg.pk).state == "scheduled"


def test_api_approval_by_a_non_approver_is_403_and_records_nothing(client, erp):
    manager = role_user("manager", "Change managers")
    chg = change(erp)
    wf.transition(obj=chg, name="submit", actor=manager)
    wf.transition(obj=chg, name="request_approval", actor=manager)
    client.force_login(role_user("nobody"))
    url = reverse("api:itsm-change-transition", kwargs={"pk": chg.pk})
    response = client.post(url, {"transition": "approve"}, content_type="application/json")
    assert response.status_code == 403 and not WorkflowApproval.objects.exists()


def test_icalendar_feed_parses_and_needs_a_valid_token(client, erp):
    viewer = role_user("viewer")
    a = change(erp)
    change(erp, start=T0 + dt.timedelta(hours=1))
    url = feed_url(viewer)
    response = client.get(url)  # no session: the token authenticates
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = cal.walk("VEVENT")
    assert len(events) == 2
    first = next(e for e in events if str(e["uid"]).startswith(a.reference))
    assert first.decoded("dtstart") == T0 and "Conflicts" in str(first["description"])
    assert client.get(url + "x").status_code == 403
    assert client.get(reverse("itsm:change_calendar_feed")).status_code == 403
    assert client.get(feed_url(make_user("noperm"))).status_code == 403
    client.force_login(viewer)
    assert client.get(reverse("api:itsm-change-calendar-feed")).json()["url"].endswith(url)
    viewer.set_password("new-password")
    viewer.save()
    assert client.get(url).status_code == 403  # a password change revokes the old feed URL


def test_problem_workflow_and_known_errors_on_the_incident(admin_client, erp):
    boss = make_user("boss", superuser=True)
    incident = services.create_incident(actor=boss, short_description="ERP timeout on invoices", service=erp)
    with pytest.raises(ValidationError) as exc:
        Problem(short_description="ERP timeouts", known_error=True).full_clean()
    assert "workaround" in exc.value.message_dict
    problem = Problem.objects.create(
        short_description="ERP timeouts", service=erp, known_error=True, workaround="Use the batch screen."
    )
    Problem.objects.create(short_description="Unrelated printer", known_error=True, workaround="Power cycle")
    services.link_incidents(problem=problem, actor=boss, incidents=[incident])
    assert problem.reference.startswith("PRB") and list(incident.problems.all()) == [problem]
    assert services.matching_known_errors(incident=incident, user=boss) == [problem]
    page = admin_client.get(reverse("itsm:incident_detail", kwargs={"pk": incident.pk})).content.decode()
    assert "Matching known errors" in page and problem.reference in page and "Unrelated printer" not in page
    api = admin_client.get(reverse("api:itsm-problem-list") + "?known_error=true&q=timeouts").json()
    assert [r["reference"] for r in api["results"]] == [problem.reference]
    known = admin_client.get(reverse("api:itsm-incident-known-errors", kwargs={"pk": incident.pk})).json()
    assert [r["reference"] for r in known] == [problem.reference]
    for name, data in (("assess", {}), ("analyse", {}), ("start_fix", {"root_cause": "Index missing"}),
                       ("resolve", {"fix": "Index added"}), ("close", {})):  # fmt: skip
        wf.transition(obj=problem, name=name, actor=boss, data=data)
    assert Problem.objects.get(pk=problem.pk).state == "closed"
    assert Incident.objects.get(pk=incident.pk).problems.count() == 1
