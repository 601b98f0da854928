"""Deterministic demo projects for `steward demo`: a few waterfall plans with dependencies,
scheduled by the critical path, baselined, and part-way through with costs booked."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from steward.projects import services
from steward.projects.models import Portfolio, Programme, Project, Task, TaskDependency

PHASES = [
    ("Initiate", [("Charter approved", 0), ("Stakeholder analysis", 5)]),
    ("Design", [("Requirements", 10), ("Solution design", 15), ("Design sign-off", 0)]),
    ("Build", [("Infrastructure", 20), ("Configuration", 25), ("Integration", 15)]),
    ("Test", [("System test", 10), ("User acceptance", 10), ("Go/no-go", 0)]),
    ("Deploy", [("Cut-over", 3), ("Hypercare", 10), ("Project closed", 0)]),
]


def load(*, rng: random.Random, scale: float) -> str:
    from steward.org.models import Person

    people = list(Person.objects.order_by("pk")[:30])
    portfolio = Portfolio.objects.create(name="IT change portfolio")
    programme = Programme.objects.create(portfolio=portfolio, name="Digital workplace")
    today = dt.date.today()
    names = ["Service portal roll-out", "ERP upgrade", "Network refresh", "Backup modernisation"]
    tasks_made = 0
    for n, name in enumerate(names):
        project = Project.objects.create(
            name=name, programme=programme, start_date=today - dt.timedelta(days=30 * (n + 1)),
            manager=rng.choice(people) if people else None, budget=Decimal(rng.randrange(200, 900) * 1000),
            status="executing",
        )  # fmt: skip
        previous_leaf = None
        for p, (phase, steps) in enumerate(PHASES, start=1):
            summary = Task.objects.create(project=project, wbs=str(p), name=phase, duration=0)
            for s, (step, days) in enumerate(steps, start=1):
                task = Task.objects.create(
                    project=project, parent=summary, wbs=f"{p}.{s}", name=step, duration=days,
                    budget=Decimal(days * rng.randrange(400, 900)), assignee=rng.choice(people) if people else None,
                )  # fmt: skip
                if previous_leaf is not None:
                    TaskDependency.objects.create(predecessor=previous_leaf, successor=task,
                                                  lag=rng.choice([0, 0, 0, 2]))  # fmt: skip
                previous_leaf = task
                tasks_made += 1
        services.schedule_project(project=project, actor=None)
        services.take_baseline(project=project, name="Approved plan", actor=None)
        for task in Task.objects.filter(project=project, parent__isnull=False, start_date__lte=today):
            done = min(100, max(0, int(((today - task.start_date).days + 1) / max(task.duration, 1) * 100)))
            task.percent_complete = min(100, int(done * rng.uniform(0.7, 1.1)))
            task.actual_cost = (task.budget * Decimal(task.percent_complete) / 100 * Decimal(rng.uniform(0.9, 1.3))
                                ).quantize(Decimal("0.01"))  # fmt: skip
            task.save()
    return f"projects: {len(names)} projects, {tasks_made} tasks"
