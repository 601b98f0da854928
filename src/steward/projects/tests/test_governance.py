"""Stage gates (templates as data, checklist, approvals, blocking the project status) and promoting an
approved initiative to a project — services, pages and endpoints."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from steward.core.workflow import TransitionForbidden, TransitionNotAllowed
from steward.org.models import Person
from steward.projects import services_governance as gov
from steward.projects.models import GateTemplate, Project, StageGate
from steward.strategy.models import BusinessCaseLine, Initiative, InitiativeAlignment, Objective
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db
START = dt.date(2027, 3, 1)


@pytest.fixture
def admin(db):
    return make_user("boss", superuser=True)


@pytest.fixture
def gated(db):
    ann, bob = make_user("ann"), make_user("bob")
    people = [
        Person.objects.create(first_name="Ann", last_name="A", email="ann@example.org", user=ann),
        Person.objects.create(first_name="Bob", last_name="B", email="bob@example.org", user=bob),
    ]
    project = Project.objects.create(name="ERP", start_date=START, status="proposed", sponsor=people[0])
    template = GateTemplate.objects.create(name="T", stages=[
        {"name": "Initiation", "opens": "planning", "criteria": ["Business case approved", "Sponsor named"]},
        {"name": "Planning", "opens": "executing", "criteria": ["Plan baselined"]},
    ])  # fmt: skip
    return {"project": project, "template": template, "ann": ann, "bob": bob, "people": people}


def approve_ready(gate: StageGate, actor) -> None:
    gate.criteria.update(met=True)
    gov.request_gate_approval(gate=gate, actor=actor)


# --- templates ------------------------------------------------------------------------------------
def test_shipped_templates_load_and_reload_without_duplicates():
    first = gov.load_gate_templates()
    again = gov.load_gate_templates()
    assert {t.methodology for t in first} == {"waterfall", "agile", "hybrid"}
    assert [t.pk for t in first] == [t.pk for t in again]
    assert GateTemplate.objects.count() == 3


def test_a_template_with_a_bad_stage_is_refused_naming_the_stage(tmp_path):
    bad = tmp_path / "t.yaml"
    bad.write_text("templates:\n  - name: X\n    stages:\n      - name: A\n        opens: planning\n"
                   "      - name: B\n        opens: heaven\n")  # fmt: skip
    with pytest.raises(ValidationError, match="Stage 2 opens an unknown project status 'heaven'"):
        gov.load_gate_templates(path=bad)
    assert not GateTemplate.objects.exists()


def test_applying_a_template_creates_gates_checklists_and_the_sponsor_as_approver(gated, admin):
    gates = gov.apply_gate_template(project=gated["project"], template=gated["template"], actor=admin)
    assert [(g.name, g.opens, g.state) for g in gates] == [("Initiation", "planning", "open"),
                                                           ("Planning", "executing", "open")]  # fmt: skip
    assert list(gates[0].criteria.values_list("text", flat=True)) == [
        "Business case approved",
        "Sponsor named",
    ]
    assert list(gates[0].approvers.all()) == [gated["people"][0]]
    with pytest.raises(ValidationError, match="already has the gate 'Initiation'"):
        gov.apply_gate_template(project=gated["project"], template=gated["template"], actor=admin)
    assert StageGate.objects.count() == 2


# --- blocking the project -------------------------------------------------------------------------
def test_the_project_cannot_pass_an_unapproved_gate(gated, admin):
    gov.apply_gate_template(project=gated["project"], template=gated["template"], actor=admin)
    project = gated["project"]
    project.status = "executing"
    with pytest.raises(ValidationError) as exc:
        project.full_clean()
    assert "The gate 'Initiation' is not approved" in exc.value.message_dict["status"][0]
    project.status = "on_hold"  # stepping aside is always allowed
    project.full_clean()


def test_editing_other_fields_of_a_project_past_a_gate_still_works(gated, admin):
    Project.objects.filter(pk=gated["project"].pk).update(status="executing")
    gov.apply_gate_template(project=gated["project"], template=gated["template"], actor=admin)
    project = Project.objects.get(pk=gated["project"].pk)
    project.health = "amber"
    project.full_clean()


def test_the_edit_form_refuses_the_status_naming_the_gate(client, gated, admin):
    gov.apply_gate_template(project=gated["project"], template=gated["template"], actor=admin)
    client.force_login(admin)
    project = gated["project"]
    url = reverse("projects:project_edit", args=[project.pk])
    data = {"name": project.name, "methodology": "waterfall", "status": "planning", "health": "green",
            "start_date": "2027-03-01", "budget": "0", "currency": "EUR",
            "_last_updated": project.last_updated.isoformat()}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code in (200, 422) and "Initiation" in response.content.decode()
    assert Project.objects.get(pk=project.pk).status == "proposed"


def test_the_api_refuses_the_status_naming_the_gate(client, gated, admin):
    gov.apply_gate_template(project=gated["project"], template=gated["template"], actor=admin)
    client.force_login(admin)
    url = reverse("api:projects-project-detail", kwargs={"pk": gated["project"].pk})
    response = client.patch(url, {"status": "planning"}, content_type="application/json")
    assert response.status_code == 400 and "Initiation" in str(response.json()["status"])


# --- approvals ------------------------------------------------------------------------------------
def test_request_approval_needs_every_criterion_met(gated, admin):
    gate = gov.apply_gate_template(project=gated["project"], template=gated["template"], actor=admin)[0]
    gate.criteria.filter(text="Sponsor named").update(met=True)
    with pytest.raises(TransitionNotAllowed, match="Business case approved"):
        gov.request_gate_approval(gate=gate, actor=admin)
    assert StageGate.objects.get(pk=gate.pk).state == "open"


def test_request_approval_needs_an_approver(gated, admin):
    gate = StageGate.objects.create(project=gated["project"], name="Lonely", opens="closing")
    with pytest.raises(TransitionNotAllowed, match="approver"):
        gov.request_gate_approval(gate=gate, actor=admin)


def test_every_approver_must_approve_then_the_project_moves_on(gated, admin):
    gate = gov.apply_gate_template(project=gated["project"], template=gated["template"], actor=admin)[0]
    gate.approvers.add(gated["people"][1])
    approve_ready(gate, admin)
    first = gov.decide_gate(gate=gate, actor=gated["ann"], approve=True, comment="Fine by me")
    assert not first.completed and StageGate.objects.get(pk=gate.pk).state == "submitted"
    with pytest.raises(TransitionNotAllowed, match="already approved"):
        gov.decide_gate(gate=gate, actor=gated["ann"], approve=True)
    assert gov.decide_gate(gate=gate, actor=gated["bob"], approve=True).completed
    assert StageGate.objects.get(pk=gate.pk).state == "approved"
    project = Project.objects.get(pk=gated["project"].pk)
    project.status = "planning"
    project.full_clean()
    project.status = "executing"  # the planning gate is still open
    with pytest.raises(ValidationError, match="Planning"):
        project.full_clean()


def test_someone_who_is_not_an_approver_cannot_decide(gated, admin):
    gate = gov.apply_gate_template(project=gated["project"], template=gated["template"], actor=admin)[0]
    approve_ready(gate, admin)
    with pytest.raises(TransitionForbidden):
        gov.decide_gate(gate=gate, actor=gated["bob"], approve=True)
    with pytest.raises(TransitionForbidden):
        gov.decide_gate(gate=gate, actor=admin, approve=True)  # even a superuser: approvers are named
    assert StageGate.objects.get(pk=gate.pk).state == "submitted"


def test_a_rejection_needs_a_comment_and_sends_the_gate_back(gated, admin):
    gate = gov.apply_gate_template(project=gated["project"], template=gated["template"], actor=admin)[0]
    approve_ready(gate, admin)
    with pytest.raises(ValidationError) as exc:
        gov.decide_gate(gate=gate, actor=gated["ann"], approve=False, comment="  ")
    assert "comment" in exc.value.message_dict
    gov.decide_gate(gate=gate, actor=gated["ann"], approve=False, comment="Business case is thin")
    gate.refresh_from_db()
    assert gate.state == "rejected"
    from steward.core.workflow import history

    assert history(gate).first().comment == "Business case is thin"


def test_gates_page_and_decision_endpoint(client, gated, admin):
    gate = gov.apply_gate_template(project=gated["project"], template=gated["template"], actor=admin)[0]
    approve_ready(gate, admin)
    grant(gated["ann"], Project, "view")
    grant(gated["ann"], StageGate, "view")
    client.force_login(gated["ann"])
    page = client.get(reverse("projects:project_gates", args=[gated["project"].pk])).content.decode()
    assert 'data-gate="Initiation"' in page and "Approve" in page
    url = reverse("projects:project_gate_decide", args=[gated["project"].pk, gate.pk, "approve"])
    client.post(url, {"comment": "ok"})
    assert StageGate.objects.get(pk=gate.pk).state == "approved"
    client.force_login(gated["bob"])  # no permission on the model at all
    assert client.post(url, {"comment": "x"}).status_code == 403


# --- promotion --------------------------------------------------------------------------------------
@pytest.fixture
def initiative(db):
    sponsor = Person.objects.create(first_name="Sue", last_name="Sponsor", email="sue@example.org")
    objective = Objective.objects.create(title="Faster onboarding", period_start=dt.date(2027, 1, 1),
                                         period_end=dt.date(2027, 12, 31))  # fmt: skip
    ini = Initiative.objects.create(title="Self-service portal", state="approved", sponsor=sponsor, currency="GBP",
                                    start_date=START, summary="Let people help themselves.")  # fmt: skip
    BusinessCaseLine.objects.create(initiative=ini, year=0, kind="cost", category="capex", planned=D(120000))
    BusinessCaseLine.objects.create(initiative=ini, year=1, kind="cost", category="opex", planned=D(30000))
    BusinessCaseLine.objects.create(
        initiative=ini, year=1, kind="benefit", category="saving", planned=D(90000)
    )
    InitiativeAlignment.objects.create(initiative=ini, objective=objective, score=5)
    return ini


def test_promotion_creates_the_project_and_moves_the_initiative_to_delivery(initiative, admin):
    project = gov.promote_initiative(initiative=initiative, actor=admin)
    initiative.refresh_from_db()
    assert (project.name, project.sponsor, project.currency, project.budget) == (
        "Self-service portal", initiative.sponsor, "GBP", D(150000))  # fmt: skip
    assert project.initiative == initiative and project.start_date == START and project.status == "planning"
    objective = initiative.objectives.get()
    assert objective.reference in project.description
    assert list(project.objectives.all()) == [objective] and list(objective.projects.all()) == [project]
    assert (initiative.state, initiative.project) == ("in_delivery", project.reference)


def test_promotion_refuses_an_initiative_that_is_not_approved(initiative, admin):
    Initiative.objects.filter(pk=initiative.pk).update(state="proposed")
    initiative.refresh_from_db()
    with pytest.raises(ValidationError, match="Only an approved initiative"):
        gov.promote_initiative(initiative=initiative, actor=admin)
    assert not Project.objects.exists()


def test_promotion_refuses_a_second_project(initiative, admin):
    Project.objects.create(name="Already", start_date=START, initiative=initiative)
    with pytest.raises(ValidationError, match="already delivered"):
        gov.promote_initiative(initiative=initiative, actor=admin)


def test_promotion_by_someone_who_may_not_start_delivery_creates_nothing(initiative):
    user = make_user("clerk")
    grant(user, Initiative, "view", "change")
    with pytest.raises(TransitionForbidden):
        gov.promote_initiative(initiative=initiative, actor=user)
    assert not Project.objects.exists()
    assert Initiative.objects.get(pk=initiative.pk).state == "approved"


def test_promote_button_on_the_initiative_page_and_its_endpoint(client, initiative):
    manager = make_user("pm")
    manager.groups.add(Group.objects.get_or_create(name="Portfolio managers")[0])
    grant(manager, Initiative, "view", "change")
    grant(manager, Project, "view", "add")
    client.force_login(manager)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "data-promote" in page
    response = client.post(reverse("projects:project_promote", args=[initiative.pk]))
    project = Project.objects.get(initiative=initiative)
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "data-promote" not in page  # in delivery now


def test_promote_button_is_hidden_without_permission_and_the_endpoint_refuses(client, initiative):
    viewer = make_user("viewer")
    grant(viewer, Initiative, "view")
    client.force_login(viewer)
    assert "data-promote" not in client.get(initiative.get_absolute_url()).content.decode()
    assert client.post(reverse("projects:project_promote", args=[initiative.pk])).status_code == 403
    assert not Project.objects.exists()


def test_promote_api(client, initiative, admin):
    client.force_login(admin)
    url = reverse("api:projects-project-promote")
    response = client.post(url, {"initiative": initiative.pk}, content_type="application/json")
    assert response.status_code == 201 and response.json()["budget"] == "150000.00"
    again = client.post(url, {"initiative": initiative.pk}, content_type="application/json")
    assert again.status_code == 400 and "initiative" in again.json()
    assert client.post(url, {"initiative": "x"}, content_type="application/json").status_code == 400
