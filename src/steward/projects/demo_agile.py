"""Demo data for agile delivery and stage gates: one agile project with a ranked backlog, two closed
sprints and an active one (so velocity and burndown have something to show), and gates on a
waterfall project. Workflow history is written with past times, as if the team had moved the cards."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from steward.core.models.workflow import WorkflowHistory
from steward.projects import services_agile, services_governance
from steward.projects.models import BacklogItem, GateTemplate, Project, Sprint, Task, WipLimit

PATH = ["ready", "in_progress", "review", "done"]
NAMES = {("backlog", "ready"): "refine", ("ready", "in_progress"): "start", ("in_progress", "review"): "submit",
         ("review", "done"): "accept"}  # fmt: skip
STORIES = [
    "Sign up with e-mail", "Sign in with single sign-on", "Reset a forgotten password", "See my open orders",
    "Pay by card", "Pay by invoice", "Download an invoice as PDF", "Change my delivery address",
    "Get a push notification when shipped", "Rate a delivery", "Search the catalogue", "Filter by price",
    "Save a basket for later", "Reorder a past order", "Chat with support", "Export my data",
    "Delete my account", "Dark mode", "Accessibility audit fixes", "Load test the checkout",
    "Upgrade the payment SDK", "Spike: offline mode", "Fix crash on rotating the screen",
    "Fix wrong VAT on invoices",
]  # fmt: skip


def _walk(item: BacklogItem, steps: list[tuple[str, dt.datetime]], ct: ContentType) -> None:
    """Record the item's moves at the given times and leave it in the last state."""
    previous = item.state
    for to_state, when in steps:
        row = WorkflowHistory.objects.create(
            content_type=ct, object_id=item.pk, transition=NAMES[(previous, to_state)], from_state=previous,
            to_state=to_state, actor_name="demo",
        )  # fmt: skip
        WorkflowHistory.objects.filter(pk=row.pk).update(time=when)
        previous = to_state
    item.state = previous
    item.save(update_fields=["state", "last_updated"])


def load(*, rng: random.Random, scale: float) -> str:
    from steward.org.models import Person

    people = list(Person.objects.order_by("pk")[:8])
    templates = {t.methodology: t for t in services_governance.load_gate_templates()}
    today = timezone.localdate()
    project = Project.objects.create(
        name="Customer app", methodology="agile", status="executing", start_date=today - dt.timedelta(days=40),
        sponsor=people[0] if people else None, manager=people[1] if len(people) > 1 else None,
        budget=Decimal(350000), description="A mobile app for customers, delivered in two-week sprints.",
    )  # fmt: skip
    epics = [Task.objects.create(project=project, wbs=str(n), name=name, duration=0)
             for n, name in enumerate(["Accounts", "Checkout", "After sales"], start=1)]  # fmt: skip
    WipLimit.objects.create(project=project, status="in_progress", limit=6)
    WipLimit.objects.create(project=project, status="review", limit=3)
    ct = ContentType.objects.get_for_model(BacklogItem)
    items = []
    for n, title in enumerate(STORIES):
        kind = "bug" if title.startswith("Fix") else "spike" if title.startswith("Spike") else (
            "chore" if title.startswith(("Upgrade", "Load")) else "story")  # fmt: skip
        items.append(BacklogItem.objects.create(
            project=project, title=title, kind=kind, rank=(n + 1) * 10, epic=epics[n % 3],
            story_points=rng.choice([1, 2, 3, 5, 5, 8, 13]), assignee=rng.choice(people) if people else None,
            description=f"As a customer I want to **{title.lower()}**.",
        ))  # fmt: skip
    starts = [today - dt.timedelta(days=34), today - dt.timedelta(days=20), today - dt.timedelta(days=6)]
    sprints = [
        Sprint.objects.create(
            project=project,
            name=f"Sprint {n}",
            start_date=start,
            end_date=start + dt.timedelta(days=13),
            goal=goal,
        )  # fmt: skip
        for n, (start, goal) in enumerate(
            zip(starts, ["Sign-up and sign-in", "Pay for an order", "After sales"], strict=True), start=1
        )  # fmt: skip
    ]
    noon = dt.time(12, tzinfo=timezone.get_current_timezone())
    cursor = 0
    for number, sprint in enumerate(sprints):
        chunk = items[cursor : cursor + 7]
        cursor += 7
        BacklogItem.objects.filter(pk__in=[i.pk for i in chunk]).update(sprint=sprint)
        sprint.state = "active"
        sprint.committed_points = sum(sprint.items.values_list("story_points", flat=True), 0)
        sprint.save()
        length = 13 if number < 2 else (today - sprint.start_date).days
        for k, item in enumerate(chunk):
            finishes = number < 2 and k < 6 or number == 2 and k < 3
            day = sprint.start_date + dt.timedelta(days=min(length, 2 + k * 2))
            steps = [(state, dt.datetime.combine(sprint.start_date, noon) + dt.timedelta(hours=h))
                     for h, state in enumerate(PATH[:2])]  # fmt: skip
            if finishes:
                steps += [("review", dt.datetime.combine(day, noon) - dt.timedelta(hours=2)),
                          ("done", dt.datetime.combine(day, noon))]  # fmt: skip
            elif k == 6 and number == 2:
                steps = steps[:1]
            _walk(item, steps, ct)
        if number < 2:
            sprint.refresh_from_db()
            sprint.burndown = services_agile.burndown(sprint, today=sprint.end_date)
            sprint.completed_points = sum(i.story_points or 0 for i in chunk if i.state == "done")
            sprint.state = "closed"
            sprint.save()
            # The unfinished item carries over to the next sprint.
            BacklogItem.objects.filter(sprint=sprint).exclude(state="done").update(sprint=sprints[number + 1])
    waterfall = Project.objects.filter(methodology="waterfall").order_by("pk").first()
    gates = 0
    if waterfall is not None and "waterfall" in templates:
        made = services_governance.apply_gate_template(project=waterfall, template=templates["waterfall"],
                                                       actor=None)  # fmt: skip
        gates = len(made)
        first = made[0]
        first.criteria.update(met=True)
        first.state = "approved"
        first.save(update_fields=["state", "last_updated"])
    agile_gates = services_governance.apply_gate_template(
        project=project, template=templates.get("agile") or GateTemplate.objects.first(), actor=None
    )
    # The team is executing, so it passed its inception gate.
    inception = agile_gates[0]
    inception.criteria.update(met=True)
    inception.state = "approved"
    inception.save(update_fields=["state", "last_updated"])
    return f"projects (agile): {len(items)} backlog items, {len(sprints)} sprints, {gates + len(agile_gates)} gates"
