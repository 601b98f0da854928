"""A catalogue request from the portal to fulfilment, and a survey answered by its link.

A user submits a laptop request (fixing a field the form refuses), their manager approves it
in "My approvals", the fulfilment tasks appear on the request; then the caller of a resolved
incident answers the satisfaction survey from the link they were sent, without signing in.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import PASSWORD, log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def catalogue(transactional_db):
    from django.contrib.auth import get_user_model

    from steward.itsm.models import ApprovalStep, CatalogueCategory, CatalogueItem, FulfilmentTaskTemplate
    from steward.org.models import Person, Team

    User = get_user_model()
    boss = Person.objects.create(first_name="Mona", last_name="Manager", email="mona@example.org",
                                 user=User.objects.create_user("mona", "mona@example.org", PASSWORD))  # fmt: skip
    rita = Person.objects.create(first_name="Rita", last_name="Requester", email="rita@example.org", manager=boss,
                                 user=User.objects.create_user("rita", "rita@example.org", PASSWORD))  # fmt: skip
    team = Team.objects.create(name="End-user computing", slug="euc")
    item = CatalogueItem.objects.create(
        name="Laptop", category=CatalogueCategory.objects.create(name="Hardware"), fulfilment_team=team,
        short_description="A laptop for your work.",
        form_fields=[
            {"name": "model", "label": "Model", "type": "choice", "choices": ["14-inch", "16-inch"], "required": True},
            {"name": "cost_centre", "label": "Cost centre", "type": "text", "required": True, "regex": "CC-[0-9]{4}"},
            {"name": "reason", "label": "Business reason", "type": "long_text", "required": True},
        ],
    )  # fmt: skip
    ApprovalStep.objects.create(item=item, order=1, name="Manager approval", approver_type="manager")
    FulfilmentTaskTemplate.objects.create(item=item, order=1, short_description="Order the laptop")
    FulfilmentTaskTemplate.objects.create(item=item, order=2, short_description="Hand over the laptop")
    return {"rita": rita, "boss": boss, "item": item}


def sign_out(page, base_url):
    page.context.clear_cookies()
    page.goto(base_url + "/login/")


def test_request_approved_by_the_manager_gets_its_tasks(page, live_server, catalogue):
    from steward.itsm.models import ServiceRequest

    base = live_server.url
    log_in(page, base, "rita")
    page.wait_for_url(base + "/")
    page.goto(base + "/portal/")
    page.get_by_role("searchbox", name="Search the catalogue").fill("lapt")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=re.compile("Laptop")).click()
    page.get_by_label("Model").select_option("16-inch")
    page.get_by_label("Cost centre").fill("1234")
    page.get_by_label("Business reason").fill("My old one died.")
    page.get_by_role("button", name="Submit request").click()
    expect(page.locator('[data-error-for="cost_centre"]')).to_contain_text("expected format")
    assert not ServiceRequest.objects.exists()
    page.get_by_label("Cost centre").fill("CC-4100")
    page.get_by_role("button", name="Submit request").click()
    expect(page.locator("[data-state]")).to_have_text("Awaiting approval")
    request = ServiceRequest.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(request.reference)

    sign_out(page, base)
    log_in(page, base, "mona")
    page.wait_for_url(base + "/")
    page.goto(base + "/portal/approvals/")
    row = page.locator(f'[data-approval-for="{request.reference}"]')
    row.get_by_role("textbox", name="Comment").fill("Approved, enjoy.")
    row.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Nothing waits for your approval.")).to_be_visible()

    page.goto(base + f"/portal/requests/{request.reference}/")
    expect(page.locator("[data-state]")).to_have_text("Fulfilling")
    tasks = page.locator("[data-task]")
    expect(tasks).to_have_count(2)
    expect(tasks.first).to_contain_text("Order the laptop")
    expect(tasks.first).to_contain_text("Open")
    expect(tasks.nth(1)).to_contain_text("Pending")
    request.refresh_from_db()
    assert request.state == "fulfilling" and request.approvals.get().comment == "Approved, enjoy."


def test_the_caller_answers_the_survey_from_the_link(page, live_server, catalogue):
    from django.contrib.auth.models import Group

    from steward.core import workflow as wf
    from steward.core.models import Notification
    from steward.itsm import services
    from steward.itsm.models import Incident, SurveyResponse
    from steward.utilities.testing import grant, make_user

    agent = make_user("agent")
    agent.groups.add(Group.objects.get_or_create(name="Service desk agents")[0])
    grant(agent, Incident, "view", "add", "change")
    incident = services.create_incident(actor=agent, short_description="Laptop will not boot",
                                        caller=catalogue["rita"])  # fmt: skip
    wf.transition(obj=incident, name="resolve", actor=agent,
                  data={"resolution_code": "solved", "resolution_notes": "Replaced the disk."})  # fmt: skip
    link = Notification.objects.get(recipient=catalogue["rita"].user, kind="itsm.survey").url

    sign_out(page, live_server.url)
    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", name="How did we do?")).to_be_visible()
    expect(page.get_by_text(incident.reference)).to_be_visible()
    page.get_by_text("5", exact=True).click()
    page.get_by_label("Comment (optional)").fill("Fixed the same day.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator('[data-survey="thanks"]')).to_be_visible()
    answer = SurveyResponse.objects.get()
    assert (answer.incident_id, answer.rating, answer.comment) == (incident.pk, 5, "Fixed the same day.")

    page.goto(live_server.url + link)
    expect(page.locator('[data-survey="refused"]')).to_contain_text("already answered")
