"""The self-service portal: own records only, request forms, approvals, comments."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from steward.core.models import WorkflowApproval
from steward.itsm import services
from steward.itsm import services_requests as svc
from steward.itsm.models import Incident, IncidentNote, ServiceRequest
from steward.itsm.tests.catalogue_fixtures import GOOD, laptop_item, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def p(db):
    return people()


@pytest.fixture
def item(p):
    return laptop_item(p)


def login(client, p, who):
    client.force_login(p[who].user)
    return client


def test_portal_needs_a_login(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_browse_search_and_submit_a_request(client, p, item):
    login(client, p, "requester")
    page = client.get(reverse("portal:home"), {"q": "lapt"}).content.decode()
    assert 'data-item="Laptop"' in page
    assert 'data-item="Laptop"' not in client.get(reverse("portal:home"), {"q": "zzz"}).content.decode()
    url = reverse("portal:item", args=[item.pk])
    assert "Cost centre" in client.get(url).content.decode()
    response = client.post(url, {**GOOD, "cost_centre": "nope", "backup": "ghost@example.org"})
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"cost_centre", "backup"}
    assert 'data-error-for="cost_centre"' in response.content.decode()
    assert not ServiceRequest.objects.exists()
    upload = SimpleUploadedFile("quote.txt", b"quote", content_type="text/plain")
    response = client.post(url, {**GOOD, "backup": p["tech"].email, "quote": upload})
    created = ServiceRequest.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/portal/requests/{created.reference}/"
    )
    assert created.requester == p["requester"] and created.state == "awaiting_approval"
    assert created.answers["backup"] == p["tech"].pk and created.answers["quote"]["name"] == "quote.txt"
    page = client.get(response["Location"]).content.decode()
    assert "CC-1234" in page and "Awaiting approval" in page
    assert created.reference in client.get(reverse("portal:requests")).content.decode()


def test_end_users_see_only_their_own_records(client, p, item):
    mine = svc.submit_request(item=item, requester=p["requester"], actor=p["requester"].user, answers=GOOD)
    incident = services.create_incident(actor=None, short_description="Printer jam", caller=p["requester"])
    login(client, p, "stranger")
    assert client.get(reverse("portal:request_detail", args=[mine.reference])).status_code == 404
    assert client.get(reverse("portal:incident_detail", args=[incident.reference])).status_code == 404
    assert mine.reference not in client.get(reverse("portal:requests")).content.decode()
    assert incident.reference not in client.get(reverse("portal:incidents")).content.decode()
    assert (
        client.post(reverse("portal:request_detail", args=[mine.reference]), {"body": "hi"}).status_code
        == 404
    )
    # The approver may follow the request they are asked to decide on.
    login(client, p, "manager")
    assert client.get(reverse("portal:request_detail", args=[mine.reference])).status_code == 200


def test_approver_approves_in_my_approvals_and_a_stranger_gets_403(client, p, item):
    request = svc.submit_request(item=item, requester=p["requester"], actor=p["requester"].user, answers=GOOD)
    decide = reverse("portal:request_decide", args=[request.reference])
    login(client, p, "stranger")
    assert client.post(decide, {"decision": "approve"}).status_code == 403
    assert not WorkflowApproval.objects.exists()
    login(client, p, "manager")
    page = client.get(reverse("portal:approvals")).content.decode()
    assert f'data-approval-for="{request.reference}"' in page
    assert client.post(decide, {"decision": "approve", "comment": "fine"}).status_code == 302
    assert request.reference not in client.get(reverse("portal:approvals")).content.decode()
    login(client, p, "finance1")
    assert request.reference in client.get(reverse("portal:approvals")).content.decode()
    client.post(decide, {"decision": "approve"})
    login(client, p, "finance2")
    client.post(decide, {"decision": "approve"})
    request.refresh_from_db()
    assert request.state == "fulfilling"
    login(client, p, "requester")
    page = client.get(reverse("portal:request_detail", args=[request.reference])).content.decode()
    assert "Order the laptop" in page and "Fulfilling" in page
    assert client.post(decide, {"decision": "dance"}).status_code == 400


def test_reject_needs_a_reason_and_cancel_by_requester(client, p, item):
    request = svc.submit_request(item=item, requester=p["requester"], actor=p["requester"].user, answers=GOOD)
    decide = reverse("portal:request_decide", args=[request.reference])
    login(client, p, "manager")
    client.post(decide, {"decision": "reject", "comment": ""})
    request.refresh_from_db()
    assert request.state == "awaiting_approval"
    login(client, p, "requester")
    assert client.post(decide, {"decision": "approve"}).status_code == 403
    client.post(decide, {"decision": "cancel"})
    request.refresh_from_db()
    assert request.state == "cancelled"
    assert client.post(decide, {"decision": "cancel"}).status_code == 409


def test_report_an_incident_and_comment_but_never_see_work_notes(client, p):
    login(client, p, "requester")
    response = client.post(reverse("portal:incident_new"), {"short_description": "", "urgency": "2"})
    assert response.status_code == 422 and "short_description" in response.context["form"].errors
    response = client.post(reverse("portal:incident_new"), {"short_description": "VPN drops", "urgency": "1"})
    incident = Incident.objects.get()
    assert incident.caller == p["requester"] and incident.urgency == "1"
    url = reverse("portal:incident_detail", args=[incident.reference])
    assert response["Location"] == url
    IncidentNote.objects.create(incident=incident, kind="work_note", body="SECRET internal")
    IncidentNote.objects.create(incident=incident, kind="comment", body="We are on it")
    client.post(url, {"body": "Still broken"})
    page = client.get(url).content.decode()
    assert "We are on it" in page and "Still broken" in page and "SECRET" not in page
    assert incident.notes.filter(kind="comment", author=p["requester"].user).exists()


def test_request_comments_are_shown_to_the_requester(client, p, item):
    request = svc.submit_request(item=item, requester=p["requester"], actor=p["requester"].user, answers=GOOD)
    login(client, p, "requester")
    url = reverse("portal:request_detail", args=[request.reference])
    assert client.post(url, {"body": ""}).status_code == 422
    client.post(url, {"body": "Any news?"})
    assert "Any news?" in client.get(url).content.decode()


def test_a_user_without_person_is_told_so(client, p, item):
    from steward.utilities.testing import make_user

    client.force_login(make_user("loner"))
    response = client.post(reverse("portal:item", args=[item.pk]), GOOD, follow=True)
    assert "not linked to a person" in response.content.decode()
    assert not ServiceRequest.objects.exists()
