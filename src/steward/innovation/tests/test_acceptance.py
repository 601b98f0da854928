"""Issue 8's acceptance, tried as a new user would: load the demo, sign in with the demo account, and
walk the three stories through the pages, the API and the scheduled job.

1. The gap analysis names the services where only one person holds the needed skill.
2. An idea moves through evaluation to a pilot and a project.
3. A change plan sends its scheduled communication on the day.

One test, because the demo takes a while to load; each story is checked against an independent
count on the database, not against the service that drew the page.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from steward.core.dashboards import render_widgets
from steward.core.jobs import JobContext
from steward.core.models import Notification
from steward.innovation import jobs, services
from steward.innovation import models as m
from steward.org.models import Person
from steward.projects.models import Project
from steward.talent.models import EstateSkillRequirement, Proficiency

pytestmark = pytest.mark.django_db

ROW = re.compile(
    r'<tr class="table-(?:warning|danger)">\s*<td><a [^>]*>(?P<target>[^<]+)</a> '
    r'<span class="text-secondary small">(?P<kind>[^<]+)</span></td>.*?'
    r"<td class=\"text-end\" data-count>(?P<count>\d+)</td><td>(?P<who>[^<]*)</td>",
    re.S,
)


def key_person_rows(page: str) -> dict[str, tuple[str, int, str]]:
    table = page.split('id="key-person-risks"')[1].split("</table>")[0]
    return {
        html.unescape(r["target"]): (r["kind"], int(r["count"]), html.unescape(r["who"]))
        for r in ROW.finditer(table)
    }


def holders(service_name: str) -> list[str]:
    """Independent oracle: active people holding every skill the service requires at its level."""
    sets = []
    for req in EstateSkillRequirement.objects.filter(service__name=service_name):
        sets.append(
            set(
                Proficiency.objects.filter(
                    skill=req.skill, level__gte=req.min_level, person__status="active"
                ).values_list("person_id", flat=True)
            )
        )
    return sorted(str(p) for p in Person.objects.filter(pk__in=set.intersection(*sets)))


def due_on_the_home_page(user) -> list[str]:
    """Subjects in the home page's "Change communications due" widget."""
    widget = next(w for w in render_widgets(user) if w["widget"].name == "innovation.communications_due")
    assert not widget["error"]
    return [row[1] for row in widget["data"]["rows"]]


def api_post(client, url: str, body: dict, expect: int) -> dict:
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == expect, (url, response.status_code, response.content[:500])
    return response.json()


def test_issue_8_acceptance_with_the_demo(client, django_capture_on_commit_callbacks):
    call_command("demo", scale=0.05, stdout=io.StringIO())
    assert client.login(username="admin", password="admin"), "the demo account the demo command announces"
    today = timezone.localdate()

    # --- 1. the gap analysis names the services where only one person holds the needed skill ------
    page = client.get(reverse("talent:estateskillrequirement_coverage")).content.decode()
    rows = key_person_rows(page)
    single = {target: who for target, (kind, count, who) in rows.items() if kind == "service" and count == 1}
    assert {"ERP", "Payroll", "Identity and access"} <= set(single), rows
    for service_name, who in single.items():
        assert holders(service_name) == [who], (service_name, who)
    # Services that two or more people can support are not listed as one-person services.
    for service_name in ("Server hosting", "CRM", "Email and calendar"):
        assert len(holders(service_name)) >= 2 and service_name not in single
    # The same answer from the API a script would use.
    api_rows = client.get(
        reverse("api:talent-estateskillrequirement-key-person-risk"), {"minimum": 2, "kind": "service"}
    ).json()
    assert {r["target_name"]: r["names"] for r in api_rows if r["qualified_count"] == 1} == {
        name: [who] for name, who in single.items()
    }

    # --- 2. an idea moves through evaluation to a pilot and a project ------------------------------
    idea = m.Idea.objects.get(title="Paperless change approvals")
    assert idea.state == "new"
    criteria_set = m.CriteriaSet.objects.get(name="Standard idea evaluation")
    transition = reverse("api:innovation-idea-transition", args=[idea.pk])
    api_post(client, transition, {"transition": "evaluate", "data": {"criteria_set": criteria_set.pk}}, 200)
    evaluators = list(Person.objects.order_by("pk")[:2])
    weights = {c.pk: c.weight for c in criteria_set.criteria.all()}
    given: dict[int, list[int]] = {pk: [] for pk in weights}
    for n, evaluator in enumerate(evaluators):
        for k, pk in enumerate(sorted(weights)):
            value = 4 + n * 3 + k  # distinct values, so a wrong mean or weighting shows
            given[pk].append(value)
            api_post(client, reverse("api:innovation-ideascore-list"),
                     {"idea": idea.pk, "criterion": pk, "evaluator": evaluator.pk, "value": value}, 201)  # fmt: skip
    means = {pk: Decimal(sum(v)) / len(v) for pk, v in given.items()}
    expected = sum(weights[pk] * means[pk] for pk in weights) / sum(weights.values())
    evaluation = client.get(reverse("api:innovation-idea-evaluation", args=[idea.pk])).json()
    assert Decimal(evaluation["total"]) == expected.quantize(Decimal("0.01"))
    assert evaluation["evaluators"] == 2
    api_post(client, transition, {"transition": "pilot", "data": {}}, 200)

    pilot = api_post(client, reverse("api:innovation-pilot-list"), {
        "title": "Paperless CAB for standard changes", "idea": idea.pk,
        "hypothesis": "We believe approving in the platform halves the time to approve a change.",
        "start_date": str(today), "end_date": str(today + dt.timedelta(days=28)),
    }, 201)  # fmt: skip
    criterion = api_post(client, reverse("api:innovation-successcriterion-list"),
                         {"pilot": pilot["id"], "name": "Time to approve", "target": "< 2 days"}, 201)  # fmt: skip
    pilot_transition = reverse("api:innovation-pilot-transition", args=[pilot["id"]])
    api_post(client, pilot_transition, {"transition": "start", "data": {}}, 200)
    decide = {"transition": "decide", "data": {"decision": "scale_up", "decision_rationale": "Halved."}}
    api_post(client, pilot_transition, decide, 409)  # the criterion is not measured yet
    response = client.patch(
        reverse("api:innovation-successcriterion-detail", args=[criterion["id"]]),
        {"result": "0.8 days", "outcome": "met"}, content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    api_post(client, pilot_transition, decide, 200)

    promoted = api_post(
        client, reverse("api:innovation-idea-promote", args=[idea.pk]), {"to": "project"}, 201
    )
    project = Project.objects.get(pk=promoted["id"])
    idea.refresh_from_db()
    assert (idea.state, idea.project, project.name) == ("pilot", project, idea.title)
    assert list(m.Pilot.objects.get(pk=pilot["id"]).projects.all()) == [project]
    idea_page = client.get(idea.get_absolute_url()).content.decode()
    assert project.get_absolute_url() in idea_page and pilot["reference"] in idea_page
    api_post(client, reverse("api:innovation-idea-promote", args=[idea.pk]), {"to": "project"}, 400)  # once

    # --- 3. a change plan sends its scheduled communication on the day -----------------------------
    plan = m.ChangePlan.objects.get(title="Roll out the laptop swap lockers")
    due_today = plan.messages.get(send_on=today)
    later = list(plan.messages.filter(send_on__gt=today).order_by("send_on"))
    assert due_today.sent_at is None and due_today.channel == "notification" and later
    admin = get_user_model().objects.get(username="admin")
    assert due_today.subject in due_on_the_home_page(admin)

    members = set().union(*services.group_members(due_today.audience.all()).values())
    users = set(Person.objects.filter(pk__in=members, user__isnull=False).values_list("user_id", flat=True))
    assert users, "the demo audience includes people who can sign in"
    for _run in range(2):  # the job runs every 15 minutes; the message leaves once
        with django_capture_on_commit_callbacks(execute=True):
            jobs.send_communications(JobContext(name="innovation.send_communications"))
    due_today.refresh_from_db()
    assert due_today.sent_at is not None and due_today.recipient_count == len(users)
    notified = Notification.objects.filter(kind=services.COMMUNICATION_NOTIFICATION, title=due_today.subject)
    assert sorted(notified.values_list("recipient_id", flat=True)) == sorted(users)
    assert all(not c.sent_at for c in m.CommunicationMessage.objects.filter(pk__in=[c.pk for c in later]))
    assert mail.outbox == []  # the email messages are not due yet

    # A week later the email goes to each member with an address, one message per recipient.
    week = later[0]
    addresses = set(
        Person.objects.filter(pk__in=set().union(*services.group_members(week.audience.all()).values()))
        .exclude(email="")
        .values_list("email", flat=True)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.send_due_communications(today=week.send_on)
    assert sorted(to for msg in mail.outbox for to in msg.to) == sorted(addresses)
    assert all(len(msg.to) == 1 and msg.subject == week.subject for msg in mail.outbox)
    assert due_today.subject not in due_on_the_home_page(admin)
