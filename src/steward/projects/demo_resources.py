"""Demo resources for `steward demo`: rates and capacities, four weeks of logged time (the older weeks
approved), a RAID log per project and a published status report plus a draft one."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from steward.projects import services_raid
from steward.projects.models import (
    Project,
    RaidItem,
    ResourceProfile,
    StatusReport,
    Task,
    TimeEntry,
    Timesheet,
)
from steward.projects.models.resources import week_start

RISKS = [
    ("Key supplier delivers late", 3, 4),
    ("Test environment not ready in time", 4, 3),
    ("Specialist leaves the team", 2, 5),
]
OTHERS = [
    ("assumption", "Users are trained by the service desk before go-live"),
    ("issue", "Licence keys missing for the staging system"),
    ("decision", "Cut over on a weekend to limit disruption"),
]


def load(*, rng: random.Random, scale: float) -> str:
    from steward.grc import services as grc_services
    from steward.org.models import Person

    today = dt.date.today()
    projects = list(Project.objects.filter(status="executing").order_by("pk"))
    assignees = list(
        Person.objects.filter(project_tasks__project__in=projects).distinct().order_by("pk")[:30]
    )
    if not projects:
        return "projects resources: no projects"
    ResourceProfile.objects.bulk_create(
        [
            ResourceProfile(person=p, hourly_rate=Decimal(rng.randrange(45, 110)), currency="EUR",
                            weekly_capacity=Decimal(rng.choice([40, 40, 40, 32, 24])))
            for p in assignees
        ]
    )  # fmt: skip
    this_week = week_start(today)
    entries = 0
    for person in assignees:
        tasks = list(Task.objects.filter(assignee=person, children__isnull=True, project__in=projects,
                                         start_date__lte=today).order_by("start_date")[:4])  # fmt: skip
        if not tasks:
            continue
        for week in range(4, 0, -1):
            monday = this_week - dt.timedelta(weeks=week)
            for offset in range(5):
                day = monday + dt.timedelta(days=offset)
                task = rng.choice(tasks)
                TimeEntry.objects.create(person=person, date=day, project=task.project, task=task,
                                         hours=Decimal(rng.choice([4, 6, 7, 8])), billable=rng.random() < 0.8)  # fmt: skip
                entries += 1
    # Demo history is written directly (like the ITSM demo), not replayed through the workflow.
    Timesheet.objects.filter(week_start__lt=this_week - dt.timedelta(weeks=1)).update(state="approved")
    Timesheet.objects.filter(week_start=this_week - dt.timedelta(weeks=1)).update(state="submitted")

    items = 0
    for project in projects:
        people = assignees or [None]
        risks = []
        for title, p, i in RISKS:
            risks.append(RaidItem.objects.create(project=project, type="risk", title=title, probability=p, impact=i,
                                                 owner=rng.choice(people), due_date=today + dt.timedelta(days=30)))  # fmt: skip
        for kind, title in OTHERS:
            decided = {"decided_by": project.manager, "decided_on": today - dt.timedelta(days=10),
                       "status": "closed"} if kind == "decision" and project.manager else {}  # fmt: skip
            RaidItem.objects.create(
                project=project, type=kind, title=title, owner=rng.choice(people), **decided
            )
        items += len(RISKS) + len(OTHERS)
        published = StatusReport.objects.create(
            project=project, period_start=this_week - dt.timedelta(weeks=4), period_end=this_week - dt.timedelta(days=1),
            overall="amber", schedule="amber", cost="green", scope="green",
            summary="Build is under way; testing starts next month.",
            accomplishments="- Design signed off\n- Infrastructure ordered", next_steps="- Configure\n- Integrate",
        )  # fmt: skip
        published.key_risks.set(risks[:2])
        services_raid.freeze_status_report(report=published)
        StatusReport.objects.filter(pk=published.pk).update(state="published")
        draft = StatusReport.objects.create(
            project=project, period_start=this_week, period_end=this_week + dt.timedelta(days=6),
            overall="green", schedule="amber", cost="green", scope="green", summary="Draft for this week.",
        )  # fmt: skip
        draft.key_risks.set(risks[:1])
    top = RaidItem.objects.filter(type="risk").order_by("-score", "pk").first()
    if top is not None and grc_services.default_matrix() is not None:
        services_raid.escalate_risk(item=top, actor=None)
    return f"projects resources: {len(assignees)} profiles, {entries} time entries, {items} RAID items"
