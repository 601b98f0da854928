"""An agent's day on the service desk: take an incident from the team queue, see it pass the SLA
warning (the check job run with a shifted clock), resolve it — keyboard first where it can."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PASSWORD, log_in
from steward.itsm import services
from steward.itsm.models import CannedResponse, Incident, IncidentNote, SLAClock, SLAPolicy
from steward.org.models import BusinessCalendar, Person, Team
from steward.utilities.testing import grant

pytestmark = pytest.mark.e2e
ALL_DAY = "00:00-24:00"


@pytest.fixture
def desk(transactional_db):
    agent = get_user_model().objects.create_user("agent", "agent@example.org", PASSWORD)
    agent.groups.add(Group.objects.get_or_create(name="Service desk agents")[0])
    grant(agent, Incident, "view", "add", "change")
    grant(agent, IncidentNote, "view", "add")
    grant(agent, CannedResponse, "view")
    person = Person.objects.create(
        first_name="Alice", last_name="Agent", email="alice@example.org", user=agent
    )
    team = Team.objects.create(name="Desk", slug="desk")
    team.members.add(person)
    calendar = BusinessCalendar(name="Always", time_zone="UTC", **{
        f"{d}_hours": ALL_DAY for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    })  # fmt: skip
    calendar.full_clean()
    calendar.save()
    SLAPolicy.objects.create(name="Standard", order=1, response_minutes=30, resolution_minutes=120,
                             calendar=calendar, warning_percent=50)  # fmt: skip
    CannedResponse.objects.create(
        name="On it", body="Hello {{ caller.first_name }}, {{ incident.reference }} is ours."
    )
    caller = Person.objects.create(first_name="Carla", last_name="Caller", email="carla@example.org")
    incident = services.create_incident(actor=None, short_description="VPN drops every hour", caller=caller,
                                        assignment_team=team)  # fmt: skip
    return {"agent": agent, "incident": incident}


def test_take_from_the_queue_pass_the_sla_warning_and_resolve(page, live_server, desk):
    incident = desk["incident"]
    log_in(page, live_server.url, "agent")
    page.wait_for_url(live_server.url + "/")

    # The team queue shows one open, unassigned incident.
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Team queues").click()
    row = page.locator("#queues tbody tr", has_text="Desk")
    expect(row.locator("td").nth(1)).to_have_text("1")
    expect(row.locator("td").nth(2)).to_have_text("1")

    # My work lists it under my teams' unassigned incidents; take it.
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="My work").click()
    page.locator(f'[data-take="{incident.reference}"]').click()
    expect(page.get_by_role("status")).to_contain_text(f"{incident.reference} is yours.")
    expect(page.locator("#my-incidents")).to_contain_text(incident.reference)
    incident.refresh_from_db()
    assert incident.assignee.user == desk["agent"]

    # On the ticket: start work, then answer the caller with a canned response, keyboard first.
    page.locator("#my-incidents").get_by_role("link", name=incident.reference).click()
    page.get_by_role("button", name="Start work").click()
    expect(page.locator("[data-workflow-state]")).to_have_text("In progress")
    page.locator("body").press("c")
    expect(page.locator("#note-body")).to_be_focused()
    page.get_by_label("Insert a canned response").select_option(label="On it")
    expect(page.locator("#note-body")).to_have_value(f"Hello Carla, {incident.reference} is ours.")
    page.get_by_role("button", name="Add comment for the caller").click()
    expect(page.locator("#timeline")).to_contain_text(f"Hello Carla, {incident.reference} is ours.")

    # The SLA check job, run an hour and ten minutes later, passes the resolution warning (50 %).
    result = services.check_sla_clocks(now=timezone.now() + dt.timedelta(minutes=70))
    assert len(result.warned) == 1 and not result.breached
    assert SLAClock.objects.get(incident=incident, kind="resolution").warned_at is not None
    page.reload()
    expect(page.locator("#timeline")).to_contain_text("SLA Resolution clock warning")

    # Resolve through the workflow form; the timeline shows the state change from the change log.
    page.get_by_role("link", name="Resolve").click()
    page.get_by_label("Resolution code").select_option("solved")
    page.get_by_label("Resolution notes").fill("Replaced the VPN concentrator's power supply.")
    page.get_by_role("button", name="Resolve").click()
    expect(page.locator("[data-workflow-state]")).to_have_text("Resolved")
    expect(page.locator("#timeline")).to_contain_text("State: In progress → Resolved")
    incident.refresh_from_db()
    assert incident.state == "resolved" and incident.resolved_at is not None
    clock = SLAClock.objects.get(incident=incident, kind="resolution")
    assert clock.status == "stopped" and not clock.breached
    expect(page).to_have_url(re.compile(rf"/itsm/incidents/{incident.pk}/$"))
