"""Service desk rules: routing, queues, my work, taking, canned responses, bulk actions, timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from steward.core import workflow as wf
from steward.core.models import WorkflowHistory
from steward.itsm import services
from steward.itsm.models import AssignmentRule, CannedResponse, Incident, IncidentNote, MailMessage, Service
from steward.itsm.servicedesk import services as desk
from steward.org.models import Person, Team
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(db):
    team = Team.objects.create(name="Network", slug="network")
    people = [
        Person.objects.create(first_name=n, last_name="Net", email=f"{n.lower()}@example.org")
        for n in ("Ann", "Bob", "Cid")
    ]
    team.members.add(*people)
    return team


def new(**fields):
    return services.create_incident(
        actor=None, short_description=fields.pop("short_description", "x"), **fields
    )


# --- routing ----------------------------------------------------------------------------------
def test_rule_on_category_routes_to_the_team_only(network):
    AssignmentRule.objects.create(name="Wifi", category="WiFi", team=network)
    assert new(category="wifi").assignment_team == network
    incident = new(category="printer")
    assert incident.assignment_team is None and incident.assignee is None


def test_rules_match_service_and_priority_and_run_in_order(network, team):
    email = Service.objects.create(name="Email")
    AssignmentRule.objects.create(name="P1 anything", order=1, priorities=["1"], team=team)
    AssignmentRule.objects.create(name="Email", order=2, service=email, team=network)
    AssignmentRule.objects.create(name="Disabled", order=0, team=team, enabled=False)
    assert new(service=email, impact="1", urgency="1").assignment_team == team  # priority 1 wins first
    assert new(service=email).assignment_team == network
    assert new().assignment_team is None  # the disabled catch-all never applies


def test_round_robin_cycles_through_active_members(network):
    rule = AssignmentRule.objects.create(name="RR", team=network, method="round_robin")
    ann, bob, cid = network.members.order_by("pk")
    cid.status = "on_leave"
    cid.save()
    assignees = [new().assignee for _ in range(4)]
    assert assignees == [ann, bob, ann, bob]
    rule.refresh_from_db()
    assert rule.last_assignee == bob


def test_least_loaded_picks_the_member_with_fewest_open_incidents(network):
    ann, bob, cid = network.members.order_by("pk")
    for person, n in ((ann, 2), (bob, 0), (cid, 1)):
        for _ in range(n):
            new(assignment_team=network, assignee=person)
    resolved = new(assignment_team=network, assignee=bob)
    Incident.objects.filter(pk=resolved.pk).update(state="closed")  # closed work does not count
    AssignmentRule.objects.create(name="LL", team=network, method="least_loaded")
    assert new().assignee == bob
    # Bob and Cid now have one each: the tie goes round-robin after Bob.
    assert new().assignee == cid


def test_incident_with_a_team_or_already_resolved_is_not_routed(network, team):
    AssignmentRule.objects.create(name="All", team=network, method="round_robin")
    assert new(assignment_team=team).assignment_team == team
    historic = Incident(short_description="old", state="closed")
    historic.save()
    assert historic.assignment_team is None


def test_rule_refuses_bad_priorities(network):
    with pytest.raises(ValidationError) as exc:
        AssignmentRule(name="Bad", team=network, priorities=["7"]).full_clean()
    assert "priorities" in exc.value.message_dict


def test_api_created_incident_is_routed(client, network):
    AssignmentRule.objects.create(name="Net", category="network", team=network, method="round_robin")
    user = make_user("api")
    grant(user, Incident, "add", "view")
    client.force_login(user)
    response = client.post(
        reverse("api:itsm-incident-list"), {"short_description": "Switch down", "category": "network"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    incident = Incident.objects.get()
    assert incident.assignment_team == network and incident.assignee == network.members.order_by("pk")[0]


# --- queues, my work, take --------------------------------------------------------------------
def test_team_queues_count_open_unassigned_and_oldest(network, team):
    now = timezone.now()
    ann = network.members.order_by("pk")[0]
    old = new(assignment_team=network)
    Incident.objects.filter(pk=old.pk).update(created=now - dt.timedelta(hours=5))
    new(assignment_team=network, assignee=ann)
    new(assignment_team=team)
    closed = new(assignment_team=team)
    Incident.objects.filter(pk=closed.pk).update(state="closed")
    new()
    queues = {q.team_name: q for q in desk.team_queues(user=make_user("boss", superuser=True), now=now)}
    net = queues["Network"]
    assert (net.open, net.unassigned, net.assigned) == (2, 1, 1)
    assert dt.timedelta(hours=4, minutes=59) < net.oldest_age <= dt.timedelta(hours=5, minutes=1)
    assert net.oldest_unassigned == net.oldest
    assert queues["Desk"].open == 1
    assert desk.team_queues(user=make_user("boss2", superuser=True))[0].team_id is None  # no team first


def test_queues_and_my_work_pages(client, agent, team):
    mine = new(assignment_team=team, assignee=team.members.get())
    waiting = new(assignment_team=team, short_description="Nobody has it")
    client.force_login(make_user("nobody"))
    assert client.get(reverse("itsm:incident_queues")).status_code == 403
    assert client.get(reverse("itsm:incident_my_work")).status_code == 403
    client.force_login(agent)
    page = client.get(reverse("itsm:incident_queues"))
    assert page.status_code == 200 and b"Desk" in page.content
    page = client.get(reverse("itsm:incident_my_work"))
    assert [i.pk for i in page.context["mine"]] == [mine.pk]
    assert [i.pk for i in page.context["team_unassigned"]] == [waiting.pk]


def test_take_assigns_to_me_and_needs_change_permission(client, agent, team):
    incident = new(assignment_team=team)
    reader = make_user("reader")
    grant(reader, Incident, "view")
    client.force_login(reader)
    assert client.post(reverse("itsm:incident_take", args=[incident.pk])).status_code == 403
    client.force_login(agent)
    response = client.post(reverse("itsm:incident_take", args=[incident.pk]))
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.assignee.user == agent


def test_take_without_a_person_says_so(team):
    user = make_user("lonely")
    grant(user, Incident, "view", "change")
    with pytest.raises(ValidationError) as exc:
        desk.take_incident(incident=new(assignment_team=team), actor=user)
    assert "assignee" in exc.value.message_dict


# --- canned responses -------------------------------------------------------------------------
def test_canned_response_fills_placeholders_and_becomes_a_note(agent, team):
    caller = Person.objects.create(first_name="Carla", last_name="Caller", email="carla@example.org")
    incident = new(assignment_team=team, caller=caller, short_description="Printer jam")
    response = CannedResponse.objects.create(
        name="Ack", body="Hello {{ caller.first_name }}, {{ incident.reference }} ({{ incident.short_description }})"
        " is with {{ team.name }}. {{ agent.first_name }} {{ incident.nothing }}",
    )  # fmt: skip
    text = desk.render_canned_response(response=response, incident=incident, actor=agent)
    assert text == f"Hello Carla, {incident.reference} (Printer jam) is with Desk. Alice "
    note = desk.add_note_from_canned(incident=incident, actor=agent, response=response)
    assert note.kind == "comment" and note.body == text
    incident.refresh_from_db()
    assert incident.responded_at is not None  # a comment to the caller is the first response


def test_canned_response_refuses_unknown_placeholders():
    with pytest.raises(ValidationError) as exc:
        CannedResponse(name="Bad", body="{{ settings.SECRET_KEY }}").full_clean()
    assert "body" in exc.value.message_dict
    with pytest.raises(ValidationError):
        CannedResponse(name="Bad", body="{{ incident.reference").full_clean()


def test_canned_response_view_swaps_the_note_box(client, agent, team):
    incident = new(assignment_team=team)
    response = CannedResponse.objects.create(name="Ack", body="Got {{ incident.reference }}")
    other_team = Team.objects.create(name="Other", slug="other")
    foreign = CannedResponse.objects.create(name="Foreign", body="x", team=other_team)
    grant(agent, CannedResponse, "view")
    client.force_login(agent)
    url = reverse("itsm:incident_canned", args=[incident.pk])
    page = client.get(url, {"canned": response.pk})
    assert page.status_code == 200 and f"Got {incident.reference}".encode() in page.content
    assert client.get(url, {"canned": foreign.pk}).status_code == 404  # another team's response
    assert client.get(url, {"canned": "x"}).status_code == 404
    detail = client.get(incident.get_absolute_url())
    assert b'id="canned"' in detail.content and b"Foreign" not in detail.content


# --- bulk actions -----------------------------------------------------------------------------
@pytest.fixture
def lead(db, team):
    user = make_user("lead")
    user.groups.add(Group.objects.get_or_create(name="Incident managers")[0])
    grant(user, Incident, "view", "change")
    grant(user, IncidentNote, "view", "add")
    return user


def test_bulk_assign_transition_and_note(lead, team, network):
    incidents = [new() for _ in range(3)]
    ann = network.members.order_by("pk")[0]
    assert (
        desk.bulk_update_incidents(
            incidents=incidents, actor=lead, action="assign", team=network, assignee=ann
        )
        == 3
    )
    assert set(Incident.objects.values_list("assignee", flat=True)) == {ann.pk}
    desk.bulk_update_incidents(
        incidents=Incident.objects.all(), actor=lead, action="transition", transition="start"
    )
    assert set(Incident.objects.values_list("state", flat=True)) == {"in_progress"}
    assert WorkflowHistory.objects.filter(transition="start").count() == 3
    desk.bulk_update_incidents(
        incidents=Incident.objects.all(), actor=lead, action="transition", transition="resolve",
        data={"resolution_code": "solved", "resolution_notes": "Fixed the switch"},
    )  # fmt: skip
    assert set(Incident.objects.values_list("state", flat=True)) == {"resolved"}
    desk.bulk_update_incidents(incidents=Incident.objects.all(), actor=lead, action="note", body="Checked")
    assert IncidentNote.objects.filter(body="Checked", kind="work_note").count() == 3


def test_bulk_is_all_or_nothing_naming_each_refused_incident(lead, team):
    ok = new()
    done = new()
    wf.transition(
        obj=done, name="resolve", actor=lead, data={"resolution_code": "solved", "resolution_notes": "x"}
    )
    with pytest.raises(ValidationError) as exc:
        desk.bulk_update_incidents(incidents=[ok, done], actor=lead, action="transition", transition="start")
    assert exc.value.messages[0].startswith(done.reference)
    assert Incident.objects.get(pk=ok.pk).state == "new"  # the valid row was rolled back too
    with pytest.raises(ValidationError) as exc:
        desk.bulk_update_incidents(incidents=[ok], actor=lead, action="transition", transition="resolve")
    assert "resolution_code" in exc.value.messages[0]


def test_bulk_checks_permission_per_row(team, network):
    mine = new(assignment_team=team)
    theirs = new(assignment_team=network)
    user = make_user("scoped")
    grant(user, Incident, "view")
    grant(user, Incident, "change", constraints={"assignment_team": team.pk})
    with pytest.raises(ValidationError) as exc:
        desk.bulk_update_incidents(incidents=[mine, theirs], actor=user, action="assign", team=team)
    assert exc.value.messages == [f"{theirs.reference}: you may not change it"]
    assert Incident.objects.get(pk=theirs.pk).assignment_team == network
    with pytest.raises(PermissionDenied):
        desk.bulk_update_incidents(incidents=[mine], actor=user, action="note", body="x")
    assert not IncidentNote.objects.exists()


def test_bulk_action_page(client, lead, team, network):
    incidents = [new() for _ in range(2)]
    pks = [i.pk for i in incidents]
    client.force_login(lead)
    listing = client.get(reverse("itsm:incident_list"))
    assert b"data-bulk-action" in listing.content
    page = client.post(reverse("itsm:incident_bulk_action"), {"pk": pks})
    assert page.status_code == 200 and len(page.context["objects"]) == 2
    hostile = client.post(reverse("itsm:incident_bulk_action"), {"pk": [pks[0], "1' OR '1'='1"], "_apply": "1",
                                                                 "action": "assign", "team": network.pk})  # fmt: skip
    assert hostile.status_code == 302 and not Incident.objects.filter(assignment_team=network).exists()
    bad = client.post(reverse("itsm:incident_bulk_action"), {"pk": pks, "_apply": "1", "action": "assign"})
    assert bad.status_code == 422 and "team" in bad.context["form"].errors
    refused = client.post(reverse("itsm:incident_bulk_action"),
                          {"pk": pks, "_apply": "1", "action": "transition", "transition": "close"})  # fmt: skip
    assert refused.status_code == 422 and incidents[0].reference in refused.content.decode()
    done = client.post(reverse("itsm:incident_bulk_action"),
                       {"pk": pks, "_apply": "1", "action": "assign", "team": network.pk})  # fmt: skip
    assert done.status_code == 302
    assert set(Incident.objects.values_list("assignment_team", flat=True)) == {network.pk}
    nobody = make_user("nobody")
    client.force_login(nobody)
    assert client.post(reverse("itsm:incident_bulk_action"), {"pk": pks}).status_code == 403


# --- timeline ---------------------------------------------------------------------------------
def test_timeline_merges_notes_changes_sla_and_mail(client, agent, team, paris):
    from steward.itsm.models import SLAPolicy

    SLAPolicy.objects.create(name="All", order=1, response_minutes=60, resolution_minutes=480, calendar=paris)
    incident = new(assignment_team=team)
    services.add_note(incident=incident, actor=agent, body="Looking **now**", kind="work_note")
    wf.transition(obj=incident, name="start", actor=agent)
    desk.take_incident(incident=incident, actor=agent)
    MailMessage.objects.create(incident=incident, message_id="m1@example.org", subject="Still broken",
                               from_address="carla@example.org", body_text="Please hurry")  # fmt: skip
    grant(agent, MailMessage, "view")
    kinds = [e.kind for e in desk.timeline(incident=incident, user=agent)]
    assert {"work_note", "state", "change", "sla", "email"} <= set(kinds)
    titles = [str(e.title) for e in desk.timeline(incident=incident, user=agent)]
    assert "State: New → In progress" in titles and any(t.startswith("Assignee: Alice") for t in titles)
    caller_view = make_user("caller")
    grant(caller_view, Incident, "view")
    assert "work_note" not in [e.kind for e in desk.timeline(incident=incident, user=caller_view)]
    assert "email" not in [e.kind for e in desk.timeline(incident=incident, user=caller_view)]
    client.force_login(agent)
    page = client.get(incident.get_absolute_url())
    assert b'id="timeline"' in page.content and b"<strong>now</strong>" in page.content
    assert b'data-shortcut="c"' in page.content


# --- demo and the service map -----------------------------------------------------------------
def test_demo_loads_rules_canned_responses_and_service_maps():
    import random

    from steward.cmdb import demo as cmdb_demo
    from steward.itsm import demo
    from steward.itsm.servicedesk import demo as desk_demo
    from steward.org import demo as org_demo

    rng = random.Random(7)
    org_demo.load(rng=rng, scale=0.05)
    cmdb_demo.load(rng=rng, scale=0.05)
    demo.load(rng=rng, scale=0.05)
    summary = desk_demo.load(rng=rng, scale=0.05)
    assert "assignment rules" in summary
    assert AssignmentRule.objects.count() == 5 and CannedResponse.objects.count() == 4
    assert Service.objects.filter(configuration_items__isnull=False).exists()
    routed = new(category="network", short_description="Switch down")
    assert routed.assignment_team.slug == "network" and routed.assignee is not None


def test_service_links_configuration_items_in_api_and_filter(admin_client):
    from steward.cmdb.models import CIClass, ConfigurationItem

    cls = CIClass.objects.first() or CIClass.objects.create(name="Server", slug="server")
    items = [ConfigurationItem.objects.create(name=f"srv{i}", ci_class=cls) for i in range(2)]
    response = admin_client.post(
        reverse("api:itsm-service-list"), {"name": "Email", "configuration_items": [items[0].pk, items[1].pk]},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    service = Service.objects.get(name="Email")
    assert set(service.configuration_items.values_list("pk", flat=True)) == {i.pk for i in items}
    listing = admin_client.get(reverse("api:itsm-service-list"), {"configuration_item": items[1].reference})
    assert [r["name"] for r in listing.json()["results"]] == ["Email"]
    assert list(items[0].services.all()) == [service]
    page = admin_client.get(service.get_absolute_url())
    assert items[0].reference.encode() in page.content or b"srv0" in page.content
