"""Service requests: forms as data, approval chains with delegation, fulfilment tasks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from steward.core import workflow as wf
from steward.core.models import Attachment, WorkflowApproval
from steward.itsm import services_requests as svc
from steward.itsm.models import CatalogueItem, FulfilmentTask, RequestApproval, ServiceRequest
from steward.itsm.request_forms import FormDefinitionError, RequestForm, parse_definition, validate_answers
from steward.itsm.tests.catalogue_fixtures import GOOD, laptop_item, people
from steward.utilities.testing import grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def p(db):
    return people()


@pytest.fixture
def item(p):
    return laptop_item(p)


def submit(p, item, **answers):
    return svc.submit_request(
        item=item, requester=p["requester"], actor=p["requester"].user, answers={**GOOD, **answers}
    )


def statuses(request):
    return [
        (a.step_name, a.approver.first_name, a.status) for a in request.approvals.order_by("step_order", "id")
    ]


# --- form definitions -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("definition", "message"),
    [
        ({"name": "x"}, "must be a list"),
        ([{"name": "Bad Name"}], "Field #1 needs a name"),
        ([{"name": "a"}, {"name": "a"}], "appears twice"),
        ([{"name": "a", "type": "colour"}], "unknown type 'colour'"),
        ([{"name": "a", "type": "choice"}], "needs a list of choices"),
        ([{"name": "a", "regex": "("}], "regex is invalid"),
        ([{"name": "a", "type": "number", "min": 5, "max": 1}], "min is above max"),
        ([{"name": "a", "type": "date", "min": "yesterday"}], "is not a date"),
        ([{"name": "a", "colour": "red"}], "unknown key(s) colour"),
        ([{"name": "a", "type": "date", "regex": "x"}], "only text fields take a regex"),
    ],
)
def test_bad_form_definitions_are_refused_naming_the_field(definition, message):
    with pytest.raises(FormDefinitionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_definition(definition)
    item = CatalogueItem(name="X", form_fields=definition)
    with pytest.raises(ValidationError) as exc:
        item.full_clean()
    assert "form_fields" in exc.value.message_dict


def test_answers_are_validated_server_side_naming_each_field(p, item):
    with pytest.raises(ValidationError) as exc:
        validate_answers(item.form_fields, {"reason": "no", "cost_centre": "1234", "model": "17-inch",
                                            "needed_by": "2019-05-01", "monitors": 9, "backup": 999999,
                                            "extra": "x"})  # fmt: skip
    problems = " | ".join(exc.value.message_dict["answers"])
    for expected in ("Business reason: At least 5", "Cost centre: This does not have the expected format",
                     "Model: Choose one of", "Needed by: On or after 2020-01-01", "Monitors: At most 3",
                     "Stand-in: Choose an existing person", "extra: this form has no such field"):  # fmt: skip
        assert expected in problems
    assert validate_answers(
        item.form_fields, {**GOOD, "backup": p["tech"].pk, "needed_by": "2030-01-02"}
    ) == {**GOOD, "backup": p["tech"].pk, "needed_by": "2030-01-02"}


def test_a_bad_answer_writes_nothing(p, item):
    with pytest.raises(ValidationError):
        submit(p, item, cost_centre="nope")
    assert not ServiceRequest.objects.exists() and not RequestApproval.objects.exists()


def test_the_rendered_form_validates_and_names_fields(p, item):
    form = RequestForm(item.form_fields, data={"reason": "Because", "cost_centre": "x", "model": "13-inch",
                                                "backup": "nobody@example.org"})  # fmt: skip
    assert not form.is_valid()
    assert set(form.errors) == {"cost_centre", "backup"}
    form = RequestForm(
        item.form_fields,
        data={**GOOD, "backup": p["tech"].email},
        files={"quote": SimpleUploadedFile("quote.txt", b"40 EUR", content_type="text/plain")},
    )
    assert form.is_valid(), form.errors
    assert form.answers()["backup"] == p["tech"].pk and "quote" in form.files_to_attach()


# --- approvals --------------------------------------------------------------------------------
def test_sequential_steps_then_tasks_in_order_then_fulfilled(p, item):
    request = submit(p, item)
    assert request.reference.startswith("REQ") and request.state == "awaiting_approval"
    assert statuses(request) == [("Manager", "Manager", "pending"), ("Finance", "Fin1", "waiting"),
                                 ("Finance", "Fin2", "waiting")]  # fmt: skip
    result = svc.approve_request(request=request, actor=p["manager"].user, comment="ok")
    assert not result.completed
    assert [s for _n, _a, s in statuses(request)] == ["approved", "pending", "pending"]
    svc.approve_request(request=request, actor=p["finance1"].user)
    request.refresh_from_db()
    assert request.state == "awaiting_approval"
    svc.approve_request(request=request, actor=p["finance2"].user)
    request.refresh_from_db()
    assert request.state == "fulfilling" and request.approved_at
    tasks = list(request.tasks.order_by("order", "id"))
    assert [(t.short_description, t.state) for t in tasks] == [
        ("Order the laptop", "open"),
        ("Create the account", "open"),
        ("Hand over", "pending"),
    ]
    assert all(t.reference.startswith("RTASK") and t.assignment_team == p["team"] for t in tasks)
    svc.complete_task(task=tasks[0], actor=svc.system_actor())
    assert FulfilmentTask.objects.get(pk=tasks[2].pk).state == "pending"
    svc.complete_task(task=tasks[1], actor=svc.system_actor(), close_notes="done")
    assert FulfilmentTask.objects.get(pk=tasks[2].pk).state == "open"
    svc.complete_task(task=tasks[2], actor=svc.system_actor())
    request.refresh_from_db()
    assert request.state == "fulfilled" and request.fulfilled_at
    assert WorkflowApproval.objects.filter(object_id=request.pk, history__isnull=False).count() == 3


def test_any_rule_needs_one_approver_and_skips_the_others(p):
    item = laptop_item(p, finance_rule="any")
    request = submit(p, item)
    svc.approve_request(request=request, actor=p["manager"].user)
    svc.approve_request(request=request, actor=p["finance2"].user)
    request.refresh_from_db()
    assert request.state == "fulfilling"
    assert [s for _n, _a, s in statuses(request)] == ["approved", "skipped", "approved"]


def test_parallel_steps_share_an_order_number(p, item):
    item.approval_steps.filter(name="Finance").update(order=1)
    request = submit(p, item)
    assert [s for _n, _a, s in statuses(request)] == ["pending", "pending", "pending"]
    svc.approve_request(request=request, actor=p["finance1"].user)
    svc.approve_request(request=request, actor=p["finance2"].user)
    svc.approve_request(request=request, actor=p["manager"].user)
    request.refresh_from_db()
    assert request.state == "fulfilling"


def test_no_chain_approves_at_once_and_no_tasks_fulfils_at_once(p):
    item = CatalogueItem.objects.create(name="Password reset")
    request = svc.submit_request(item=item, requester=p["requester"], actor=p["requester"].user, answers={})
    assert request.state == "fulfilled" and not request.approvals.exists()


def test_a_stranger_cannot_approve_403_and_nothing_is_recorded(p, item):
    request = submit(p, item)
    with pytest.raises(wf.TransitionForbidden):
        svc.approve_request(request=request, actor=p["stranger"].user)
    with pytest.raises(wf.TransitionForbidden):
        # Finance may not approve before its step is reached.
        svc.approve_request(request=request, actor=p["finance1"].user)
    assert not WorkflowApproval.objects.exists()
    assert [s for _n, _a, s in statuses(request)] == ["pending", "waiting", "waiting"]
    client = APIClient()
    grant(p["stranger"].user, ServiceRequest, "view")
    client.force_login(p["stranger"].user)
    url = reverse("api:itsm-servicerequest-transition", kwargs={"pk": request.pk})
    response = client.post(url, {"transition": "approve"}, format="json")
    assert response.status_code == 403
    assert not WorkflowApproval.objects.exists()
    grant(p["manager"].user, ServiceRequest, "view")
    client.force_login(p["manager"].user)
    response = client.post(url, {"transition": "fulfil"}, format="json")
    assert response.status_code == 409 and "approve" in response.json()["allowed"]
    assert client.post(url, {"transition": "approve"}, format="json").status_code == 202


def test_rejection_needs_a_reason_ends_the_request_and_skips_the_rest(p, item):
    request = submit(p, item)
    with pytest.raises(ValidationError) as exc:
        svc.reject_request(request=request, actor=p["manager"].user, comment=" ")
    assert "comment" in exc.value.message_dict
    svc.reject_request(request=request, actor=p["manager"].user, comment="Not in budget")
    request.refresh_from_db()
    assert request.state == "rejected" and request.closed_at
    assert statuses(request)[0][2] == "rejected" and {s for _n, _a, s in statuses(request)[1:]} == {"skipped"}
    assert request.approvals.get(status="rejected").comment == "Not in budget"
    assert not request.tasks.exists()


def test_delegation_routes_approvals_to_the_delegate_while_absent(p, item):
    today = timezone.localdate()
    svc.delegate_approvals(person=p["manager"], delegate=p["deputy"], start=today, end=today + dt.timedelta(days=3),
                           actor=p["manager"].user)  # fmt: skip
    request = submit(p, item)
    row = request.approvals.get(step_name="Manager")
    assert row.approver == p["deputy"] and row.delegated_from == p["manager"]
    svc.approve_request(request=request, actor=p["deputy"].user)
    assert request.approvals.get(step_name="Manager").status == "approved"


def test_a_delegation_moves_pending_approvals_and_refuses_bad_dates(p, item):
    request = submit(p, item)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        svc.delegate_approvals(person=p["manager"], delegate=p["manager"], start=today, end=today - dt.timedelta(1),
                               actor=None)  # fmt: skip
    assert {"delegate", "end"} <= set(exc.value.message_dict)
    svc.delegate_approvals(person=p["manager"], delegate=p["deputy"], start=today, end=today, actor=None)
    assert request.approvals.get(step_name="Manager").approver == p["deputy"]
    future = today + dt.timedelta(days=30)
    svc.delegate_approvals(person=p["finance1"], delegate=p["deputy"], start=future, end=future, actor=None)
    assert request.approvals.get(approver=p["finance1"]).status == "waiting"


def test_requester_without_manager_gets_a_clear_error_and_nothing_is_written(p, item):
    p["requester"].manager = None
    p["requester"].save()
    with pytest.raises(ValidationError) as exc:
        submit(p, item)
    assert "no manager" in exc.value.message_dict["requester"][0]
    assert not ServiceRequest.objects.exists()


def test_only_the_requester_or_an_agent_submits_and_cancels(p, item):
    with pytest.raises(PermissionDenied):
        svc.submit_request(item=item, requester=p["requester"], actor=p["stranger"].user, answers=GOOD)
    request = submit(p, item)
    with pytest.raises(wf.TransitionForbidden):
        wf.transition(obj=request, name="cancel", actor=p["stranger"].user)
    wf.transition(obj=request, name="cancel", actor=p["requester"].user)
    request.refresh_from_db()
    assert request.state == "cancelled" and {a.status for a in request.approvals.all()} == {"skipped"}


def test_cancelling_during_fulfilment_cancels_open_tasks(p, item):
    request = submit(p, item)
    for who in ("manager", "finance1", "finance2"):
        svc.approve_request(request=request, actor=p[who].user)
    wf.transition(obj=request, name="cancel", actor=p["requester"].user)
    assert set(FulfilmentTask.objects.values_list("state", flat=True)) == {"cancelled"}


def test_an_inactive_item_cannot_be_requested(p, item):
    item.active = False
    item.save()
    with pytest.raises(ValidationError) as exc:
        submit(p, item)
    assert "item" in exc.value.message_dict


def test_attachments_are_stored_on_the_request(p, item):
    upload = SimpleUploadedFile("quote.txt", b"40 EUR", content_type="text/plain")
    request = svc.submit_request(item=item, requester=p["requester"], actor=p["requester"].user, answers=GOOD,
                                 files={"quote": upload})  # fmt: skip
    att = Attachment.objects.get()
    assert request.answers["quote"] == {"attachment": att.pk, "name": "quote.txt"}


def test_request_detail_page_shows_answers_approvals_and_tasks(admin_client, p, item):
    request = submit(p, item)
    page = admin_client.get(reverse("itsm:servicerequest_detail", kwargs={"pk": request.pk})).content.decode()
    assert "Business reason" in page and "CC-1234" in page and "approval-pending" in page
    page = admin_client.get(reverse("itsm:catalogueitem_detail", kwargs={"pk": item.pk})).content.decode()
    assert "Order the laptop" in page and "Finance" in page and "cost_centre" in page
