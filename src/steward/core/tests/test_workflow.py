import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from steward.core import workflow as wf
from steward.core.models import ObjectChange, WorkflowApproval, WorkflowDefinition, WorkflowHistory
from steward.utilities.testing import grant, make_user
from steward.utilities.testing.testapp import ui
from steward.utilities.testing.testapp.models import Ticket

pytestmark = pytest.mark.django_db


def api_url(ticket):
    return f"/api/testapp/tickets/{ticket.pk}/transition/"


@pytest.fixture
def agent():
    user = make_user("agent")
    grant(user, Ticket, "view", "add", "change")
    return user


@pytest.fixture
def ticket():
    return Ticket.objects.create(title="Printer on fire", priority=3)


def api(user):
    client = APIClient()
    client.force_login(user)
    return client


# --- definitions ----------------------------------------------------------------------------
BASE = {
    "states": [{"name": "a"}, {"name": "b"}],
    "initial": "a",
    "terminal": ["b"],
    "transitions": [{"name": "go", "from": "a", "to": "b"}],
}


def variant(**changes):
    return {**BASE, **changes}


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        (
            variant(states=[{"name": "a"}, {"name": "b"}, {"name": "orphan"}]),
            "State 'orphan' cannot be reached",
        ),
        (
            variant(transitions=[{"name": "go", "from": "a", "to": "nowhere"}]),
            "goes to unknown state 'nowhere'",
        ),
        (variant(transitions=[{"name": "go", "from": "x", "to": "b"}]), "starts from unknown state 'x'"),
        (
            variant(
                transitions=[{"name": "go", "from": "a", "to": "b"}, {"name": "go", "from": "a", "to": "b"}]
            ),
            "Duplicate transition 'go'",
        ),
        (variant(states=[{"name": "a"}, {"name": "a"}]), "Duplicate state 'a'"),
        (variant(initial="zzz"), "initial state 'zzz'"),
        (
            variant(transitions=[{"name": "go", "from": "a", "to": "b", "guards": ["nope"]}]),
            "unknown guard 'nope'",
        ),
        (
            variant(transitions=[{"name": "go", "from": "a", "to": "b", "side_effects": ["nope"]}]),
            "unknown side effect 'nope'",
        ),
        (variant(transitions=[{"name": "go", "from": "a", "to": "b", "approvals": -1}]), "'approvals'"),
        (variant(transitions=[{"name": "go", "from": "a", "to": "b", "wat": 1}]), "unknown key(s) wat"),
        (
            variant(
                transitions=[{"name": "go", "from": "a", "to": "b"}, {"name": "back", "from": "b", "to": "a"}]
            ),
            "leaves the terminal state 'b'",
        ),
        (
            variant(transitions=[{"name": "go", "from": "a", "to": "b", "conditions": {"x__like": 1}}]),
            "'like'",
        ),
    ],
)
def test_bad_definitions_are_refused_naming_the_element(definition, message):
    with pytest.raises(wf.WorkflowDefinitionError) as exc:
        wf.build_definition(definition, name="t")
    assert message in str(exc.value)


def test_definition_fields_are_checked_against_the_model():
    bad = variant(transitions=[{"name": "go", "from": "a", "to": "b", "required_fields": ["no_such_field"]}])
    with pytest.raises(wf.WorkflowDefinitionError, match="Ticket has no field 'no_such_field'"):
        wf.build_definition(bad, name="t", model=Ticket)


def test_a_workflow_name_cannot_be_registered_twice():
    with pytest.raises(wf.WorkflowDefinitionError, match="registered twice"):
        wf.register_workflow("testapp.ticket", ui.TICKET_WORKFLOW)


def test_new_records_start_in_the_initial_state(ticket):
    assert ticket.state == "new"
    assert ticket.workflow_state.label == "New"


# --- engine ---------------------------------------------------------------------------------
def test_transition_moves_state_and_records_history_and_change_log(ticket, agent):
    before = ObjectChange.objects.count()
    result = wf.transition(obj=ticket, name="start", actor=agent, comment="on it")
    assert result.completed
    ticket.refresh_from_db()
    assert ticket.state == "in_progress"
    row = WorkflowHistory.objects.get()
    assert (row.from_state, row.to_state, row.transition, row.actor, row.comment) == (
        "new",
        "in_progress",
        "start",
        agent,
        "on it",
    )
    change = ObjectChange.objects.order_by("-seq").first()
    assert ObjectChange.objects.count() == before + 1
    assert change.prechange_data["state"] == "new" and change.postchange_data["state"] == "in_progress"
    assert change.user == agent


def test_transition_from_the_wrong_state_names_what_is_allowed(ticket, agent):
    with pytest.raises(wf.TransitionNotAllowed) as exc:
        wf.transition(obj=ticket, name="reopen", actor=agent)
    assert set(exc.value.allowed) == {"start", "resolve"}
    assert not WorkflowHistory.objects.exists()


def test_guard_refusal_and_field_conditions(ticket):
    manager = make_user("manager")
    grant(manager, Ticket, "view", "change")
    manager.groups.add(Group.objects.create(name="Managers"))
    Ticket.objects.filter(pk=ticket.pk).update(frozen=True)
    ticket.refresh_from_db()
    with pytest.raises(wf.TransitionNotAllowed, match="frozen ticket cannot be cancelled"):
        wf.transition(obj=ticket, name="cancel", actor=manager)
    wf.transition(obj=ticket, name="start", actor=manager)
    with pytest.raises(wf.TransitionNotAllowed, match="priority__lte"):
        wf.transition(obj=ticket, name="escalate", actor=manager)
    Ticket.objects.filter(pk=ticket.pk).update(priority=1)
    assert wf.transition(obj=ticket, name="escalate", actor=manager).completed


def test_side_effects_run_after_commit_only(ticket, django_capture_on_commit_callbacks):
    manager = make_user("manager")
    grant(manager, Ticket, "view", "change")
    manager.groups.add(Group.objects.create(name="Managers"))
    ui.EFFECTS.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        wf.transition(obj=ticket, name="cancel", actor=manager)
        assert ui.EFFECTS == []  # not yet: still inside the transaction
        raise RuntimeError("roll back")
    assert ui.EFFECTS == []
    ticket.refresh_from_db()
    assert ticket.state == "new" and not WorkflowHistory.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        wf.transition(obj=ticket, name="cancel", actor=manager)
        assert ui.EFFECTS == []
    assert [("cancel", ticket.pk)] == ui.EFFECTS


def test_events_are_emitted_after_commit(ticket, agent, django_capture_on_commit_callbacks, monkeypatch):
    from steward.core import events

    seen = []
    monkeypatch.setattr(events, "dispatch", lambda event, **kw: seen.append((event.name, event.data["to"])))
    with django_capture_on_commit_callbacks(execute=True):
        wf.transition(obj=ticket, name="start", actor=agent)
        assert seen == []
    assert ("core.workflow.transitioned", "in_progress") in seen


# --- API ------------------------------------------------------------------------------------
def test_api_runs_a_transition_and_reports_state(ticket, agent):
    response = api(agent).post(api_url(ticket), {"transition": "start", "comment": "go"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["state"]["name"] == "in_progress"
    assert response.json()["object"]["state"] == "in_progress"
    summary = api(agent).get(api_url(ticket)).json()
    assert set(summary["available"]) == {"resolve"}  # escalate needs priority ≤ 2, cancel a role
    assert summary["history"][0]["transition"] == "start"


def test_api_invalid_transition_is_409_with_allowed_list(ticket, agent):
    response = api(agent).post(api_url(ticket), {"transition": "close"}, format="json")
    assert response.status_code == 409
    assert sorted(response.json()["allowed"]) == ["resolve", "start"]
    response = api(agent).post(api_url(ticket), {"transition": "fly"}, format="json")
    assert response.status_code == 409 and "fly" in response.json()["detail"]


def test_api_missing_required_field_is_400_naming_it_and_changes_nothing(ticket, agent):
    response = api(agent).post(
        api_url(ticket), {"transition": "resolve", "data": {"priority": 1}}, format="json"
    )
    assert response.status_code == 400
    assert "resolution_code" in response.json()
    ticket.refresh_from_db()
    assert (ticket.state, ticket.priority) == ("new", 3)
    response = api(agent).post(
        api_url(ticket), {"transition": "resolve", "data": {"colour": "x"}}, format="json"
    )
    assert response.status_code == 400 and "colour" in response.json()
    response = api(agent).post(
        api_url(ticket), {"transition": "resolve", "data": {"resolution_code": "fixed"}}, format="json"
    )
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert (ticket.state, ticket.resolution_code) == ("resolved", "fixed")


def test_api_role_restriction_is_403(ticket, agent):
    response = api(agent).post(api_url(ticket), {"transition": "cancel"}, format="json")
    assert response.status_code == 403
    ticket.refresh_from_db()
    assert ticket.state == "new"


def test_api_without_view_permission_is_404_and_without_any_permission_403(ticket):
    stranger = make_user("stranger")
    assert api(stranger).post(api_url(ticket), {"transition": "start"}, format="json").status_code == 403
    viewer = make_user("viewer")
    grant(viewer, Ticket, "view", constraints={"title": "other"})
    assert api(viewer).post(api_url(ticket), {"transition": "start"}, format="json").status_code == 404


def test_api_transition_endpoint_only_exists_for_workflow_models(admin_client):
    from steward.org.models import Team

    team = Team.objects.create(name="Ops", slug="ops")
    assert admin_client.post(f"/api/org/teams/{team.pk}/transition/", {}).status_code == 404


def test_approvals_need_n_approvers_and_refuse_non_approvers(ticket, agent):
    wf.transition(obj=ticket, name="resolve", actor=agent, data={"resolution_code": "fixed"})
    approvers = Group.objects.create(name="Approvers")
    first, second = make_user("ann"), make_user("bob")
    for user in (first, second):
        grant(user, Ticket, "view", "approve")
        user.groups.add(approvers)
    # A non-approver (has change, not the approver role or the approve action) is refused.
    response = api(agent).post(api_url(ticket), {"transition": "close"}, format="json")
    assert response.status_code == 403
    assert not WorkflowApproval.objects.exists()
    # Right action but wrong role: refused too.
    outsider = make_user("outsider")
    grant(outsider, Ticket, "view", "approve")
    assert api(outsider).post(api_url(ticket), {"transition": "close"}, format="json").status_code == 403
    assert not WorkflowApproval.objects.exists()

    response = api(first).post(api_url(ticket), {"transition": "close", "comment": "ok"}, format="json")
    assert response.status_code == 202
    assert (response.json()["approvals"], response.json()["needed"]) == (1, 2)
    ticket.refresh_from_db()
    assert ticket.state == "resolved"
    assert api(first).post(api_url(ticket), {"transition": "close"}, format="json").status_code == 409
    assert WorkflowApproval.objects.count() == 1

    response = api(second).post(api_url(ticket), {"transition": "close"}, format="json")
    assert response.status_code == 200 and response.json()["completed"] is True
    ticket.refresh_from_db()
    assert ticket.state == "closed"
    history = WorkflowHistory.objects.get(transition="close")
    assert set(history.approvals.values_list("approver__username", flat=True)) == {"ann", "bob"}


# --- UI -------------------------------------------------------------------------------------
def test_detail_page_shows_state_and_only_permitted_transitions(client, ticket, agent):
    client.force_login(agent)
    html = client.get(ticket.get_absolute_url()).content.decode()
    assert 'data-workflow-state="new"' in html
    assert 'data-transition="start"' in html and 'data-transition="resolve"' in html
    assert 'data-transition="cancel"' not in html  # needs the Managers role
    assert 'data-transition="close"' not in html  # not from this state


def test_ui_transition_post_and_required_field_prompt(client, ticket, agent):
    client.force_login(agent)
    url = reverse("testapp:ticket_transition", kwargs={"pk": ticket.pk, "transition": "resolve"})
    page = client.get(url)
    assert page.status_code == 200 and 'name="resolution_code"' in page.content.decode()
    response = client.post(url, {"resolution_code": "", "priority": 3})
    assert response.status_code == 422
    assert "resolution_code" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.state == "new"
    response = client.post(url, {"resolution_code": "fixed", "priority": 2, "comment": "done"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.state, ticket.priority) == ("resolved", 2)
    assert WorkflowHistory.objects.get().comment == "done"


def test_ui_role_restricted_transition_is_403(client, ticket, agent):
    client.force_login(agent)
    url = reverse("testapp:ticket_transition", kwargs={"pk": ticket.pk, "transition": "cancel"})
    assert client.post(url).status_code == 403
    ticket.refresh_from_db()
    assert ticket.state == "new"


# --- overrides from data --------------------------------------------------------------------
def test_admin_override_is_validated_and_then_used(ticket, agent):
    ct = ContentType.objects.get_for_model(Ticket)
    bad = WorkflowDefinition(object_type=ct, definition=variant(states=[{"name": "a"}, {"name": "b"}, "c"]))
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert "definition" in exc.value.message_dict
    assert "State 'c' cannot be reached" in exc.value.message_dict["definition"][0]

    override = {
        "states": [{"name": "new"}, {"name": "done", "colour": "green"}],
        "initial": "new",
        "terminal": ["done"],
        "transitions": [{"name": "finish", "from": "new", "to": "done"}],
    }
    row = WorkflowDefinition(object_type=ct, definition=override)
    row.full_clean()
    row.save()
    assert [t.name for t in wf.available_transitions(ticket, agent)] == ["finish"]
    wf.transition(obj=ticket, name="finish", actor=agent)
    ticket.refresh_from_db()
    assert ticket.state == "done"


def test_admins_edit_overrides_through_the_api_with_validation(admin_client):
    ct = ContentType.objects.get_for_model(Ticket)
    bad = {**ui.TICKET_WORKFLOW, "transitions": [{"name": "x", "from": "new", "to": "limbo"}]}
    response = admin_client.post(
        "/api/core/workflow-definitions/",
        {"object_type": ct.pk, "definition": bad},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "unknown state 'limbo'" in str(response.json()["definition"])
    assert not WorkflowDefinition.objects.exists()
    response = admin_client.post(
        "/api/core/workflow-definitions/",
        {"object_type": ct.pk, "definition": ui.TICKET_WORKFLOW},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert admin_client.get(reverse("core:workflowdefinition_list")).status_code == 200
    row = WorkflowDefinition.objects.get()
    assert admin_client.get(row.get_absolute_url()).status_code == 200
    assert admin_client.get(reverse("core:workflowdefinition_add")).status_code == 200


# --- approver policies and in-transaction actions --------------------------------------------
class TwoNamedApprovers(wf.ApproverPolicy):
    """Test policy: only 'ann' and 'bob' may vote; both votes complete the transition."""

    def may_act(self, *, obj, actor, transition):
        return actor.username in ("ann", "bob")

    def record(self, *, obj, actor, transition, approval):
        return wf.pending_approvals(obj, transition.name).count() == 2


@pytest.fixture
def policy_override(monkeypatch):
    monkeypatch.setitem(wf.registry.workflow_approvers, "test_two", TwoNamedApprovers())
    calls = []

    def start_after(*, obj, transition, actor, history):
        calls.append(history.to_state)
        if obj.priority == 9:
            raise ValidationError({"priority": "refused by the action"})
        wf.transition(obj=obj, name="start", actor=actor)

    monkeypatch.setitem(wf.registry.workflow_actions, "test_start", start_after)
    definition = {
        "states": [{"name": "new"}, {"name": "approved"}, {"name": "in_progress"}, {"name": "no"}],
        "initial": "new",
        "terminal": ["no"],
        "transitions": [
            {"name": "approve", "from": "new", "to": "approved", "approvals": 1, "approvers": "test_two",
             "actions": ["test_start"]},
            {"name": "reject", "from": "new", "to": "no", "approvers": "test_two"},
            {"name": "start", "from": "approved", "to": "in_progress", "approvers": "test_two"},
        ],
    }  # fmt: skip
    row = WorkflowDefinition(object_type=ContentType.objects.get_for_model(Ticket), definition=definition)
    row.full_clean()
    row.save()
    return calls


def test_unknown_actions_and_approver_policies_are_refused():
    with pytest.raises(wf.WorkflowDefinitionError, match="unknown action 'nope'"):
        wf.build_definition(variant(transitions=[{"name": "go", "from": "a", "to": "b", "actions": ["nope"]}]),
                            name="x")  # fmt: skip
    with pytest.raises(wf.WorkflowDefinitionError, match="unknown approver policy 'nope'"):
        wf.build_definition(variant(transitions=[{"name": "go", "from": "a", "to": "b", "approvers": "nope"}]),
                            name="x")  # fmt: skip


def test_an_approver_policy_decides_who_votes_and_when_it_completes(ticket, policy_override):
    carol, ann, bob = make_user("carol", superuser=True), make_user("ann"), make_user("bob")
    with pytest.raises(wf.TransitionForbidden):
        wf.transition(obj=ticket, name="approve", actor=carol)  # even a superuser is not an approver
    assert not WorkflowApproval.objects.exists()
    assert not wf.transition(obj=ticket, name="approve", actor=ann).completed
    result = wf.transition(obj=ticket, name="approve", actor=bob)
    ticket.refresh_from_db()
    # The action ran in the same transaction and moved the record on; the caller sees the final state.
    assert result.completed and ticket.state == "in_progress" and result.obj.state == "in_progress"
    assert policy_override == ["approved"]
    assert WorkflowApproval.objects.filter(history__isnull=False).count() == 2


def test_an_action_that_fails_rolls_the_transition_back(ticket, policy_override):
    Ticket.objects.filter(pk=ticket.pk).update(priority=9)
    ticket.refresh_from_db()
    wf.transition(obj=ticket, name="approve", actor=make_user("ann"))
    with pytest.raises(ValidationError):
        wf.transition(obj=ticket, name="approve", actor=make_user("bob"))
    ticket.refresh_from_db()
    assert ticket.state == "new" and not WorkflowHistory.objects.filter(transition="approve").exists()
    assert WorkflowApproval.objects.filter(history__isnull=True).count() == 1


def test_a_policy_gates_plain_transitions_too(ticket, policy_override):
    api_user = make_user("dave")
    grant(api_user, Ticket, "view", "change")
    response = api(api_user).post(api_url(ticket), {"transition": "reject"}, format="json")
    assert response.status_code == 403
    wf.transition(obj=ticket, name="reject", actor=make_user("ann"))
    ticket.refresh_from_db()
    assert ticket.state == "no"
