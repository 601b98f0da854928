"""Project rules: scheduling by the critical path, baselines and earned value."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from steward.projects.models import Baseline, Project, Task, TaskDependency, TimeEntry
from steward.projects.scheduling import CycleError, critical_path

ZERO = Decimal(0)


@transaction.atomic
def schedule_project(*, project: Project, actor: Any) -> int:
    """Compute every task's early/late dates, slack and criticality; returns the length in days.

    Dates are calendar days from the project start (a task of duration 5 starting on day 0
    runs days 0–4). Summary tasks (those with children) span their children. A dependency
    cycle is refused naming the tasks, and nothing is changed.
    """
    tasks = {t.pk: t for t in Task.objects.filter(project=project).select_for_update()}
    links = list(
        TaskDependency.objects.filter(successor__project=project).values_list("predecessor_id", "successor_id",
                                                                               "type", "lag")
    )  # fmt: skip
    parents = {t.parent_id for t in tasks.values() if t.parent_id}
    durations = {pk: (0 if pk in parents else t.duration) for pk, t in tasks.items()}
    try:
        timings, finish = critical_path(durations, links)
    except CycleError as exc:
        path = " → ".join(tasks[pk].name for pk in [*exc.cycle, exc.cycle[0]])
        raise ValidationError(
            {"dependencies": _("The dependencies make a cycle: %(path)s.") % {"path": path}}
        ) from None
    for pk, task in tasks.items():
        t = timings[pk]
        task.early_start, task.early_finish = t.early_start, t.early_finish
        task.late_start, task.late_finish, task.slack = t.late_start, t.late_finish, t.slack
        task.is_critical = t.critical and pk not in parents
    # Summary tasks span their children, deepest first.
    children: dict[int, list[Task]] = {}
    for task in tasks.values():
        if task.parent_id:
            children.setdefault(task.parent_id, []).append(task)

    def span(task: Task) -> None:
        kids = children.get(task.pk)
        if not kids:
            return
        for kid in kids:
            span(kid)
        task.early_start = min(k.early_start for k in kids)
        task.early_finish = max(k.early_finish for k in kids)
        task.late_start = min(k.late_start for k in kids)
        task.late_finish = max(k.late_finish for k in kids)
        task.slack = task.late_start - task.early_start
        task.is_critical = any(k.is_critical for k in kids)

    for task in tasks.values():
        if task.parent_id is None:
            span(task)
    for task in tasks.values():
        task.start_date = project.start_date + dt.timedelta(days=task.early_start)
        last = max(task.early_finish - 1, task.early_start)  # a milestone sits on its start day
        task.finish_date = project.start_date + dt.timedelta(days=last)
    Task.objects.bulk_update(
        tasks.values(),
        ["early_start", "early_finish", "late_start", "late_finish", "slack", "is_critical", "start_date",
         "finish_date"],
        batch_size=1000,
    )  # fmt: skip
    end = project.start_date + dt.timedelta(days=max(finish - 1, 0))
    if project.end_date != end:
        project.end_date = end
        project.save(update_fields=["end_date", "last_updated"])
    return finish


@transaction.atomic
def take_baseline(*, project: Project, name: str, actor: Any) -> Baseline:
    """Freeze every task's dates and budget; the new baseline becomes the current one."""
    tasks = Task.objects.filter(project=project)
    if tasks.filter(start_date__isnull=True).exists():
        raise ValidationError({"project": _("Schedule the project before taking a baseline.")})
    Baseline.objects.filter(project=project, is_current=True).update(is_current=False)
    data = {
        str(t.pk): {
            "start": t.start_date.isoformat(),
            "finish": t.finish_date.isoformat(),
            "budget": str(t.budget),
        }
        for t in tasks
    }
    baseline = Baseline(project=project, name=name, tasks=data, is_current=True)
    baseline.full_clean()
    baseline.save()
    return baseline


@dataclass(frozen=True)
class EarnedValue:
    status_date: dt.date
    bac: Decimal  # budget at completion
    pv: Decimal  # planned value
    ev: Decimal  # earned value
    ac: Decimal  # actual cost
    cpi: Decimal | None
    spi: Decimal | None
    eac: Decimal | None
    etc: Decimal | None
    vac: Decimal | None
    cv: Decimal
    sv: Decimal


def _planned_share(start: dt.date, finish: dt.date, status: dt.date) -> Decimal:
    """Share of a task's work planned to be done by the end of ``status`` (linear over its days)."""
    if status < start:
        return ZERO
    if status >= finish:
        return Decimal(1)
    return Decimal((status - start).days + 1) / Decimal((finish - start).days + 1)


def labour_cost(*, project: Project, until: dt.date | None = None) -> Decimal:
    """Cost of the time logged on ``project`` (up to and including ``until``)."""
    entries = TimeEntry.objects.filter(project=project)
    if until is not None:
        entries = entries.filter(date__lte=until)
    return entries.aggregate(total=Sum("cost"))["total"] or ZERO


def earned_value(*, project: Project, status_date: dt.date) -> EarnedValue:
    """PV from the current baseline (or the live schedule), EV from % complete, AC from actual costs.

    AC is every leaf task's ``actual_cost`` (costs other than people's time: purchases, fees),
    plus the cost of the time logged on the project up to the status date (hours × the rate
    frozen on each entry), whatever task — or none — the time was logged against, plus the
    finance expenses naming the project up to the status date. Summary tasks are left out so
    nothing is counted twice.
    """
    baseline = project.baselines.filter(is_current=True).first()
    planned = baseline.tasks if baseline else {}
    parents = set(
        Task.objects.filter(project=project, parent__isnull=False).values_list("parent_id", flat=True)
    )
    bac = pv = ev = ZERO
    ac = labour_cost(project=project, until=status_date)
    for task in Task.objects.filter(project=project).exclude(pk__in=parents):
        plan = planned.get(str(task.pk))
        budget = Decimal(plan["budget"]) if plan else task.budget
        start = dt.date.fromisoformat(plan["start"]) if plan else task.start_date
        finish = dt.date.fromisoformat(plan["finish"]) if plan else task.finish_date
        bac += budget
        if start and finish:
            pv += budget * _planned_share(start, finish, status_date)
        ev += task.budget * Decimal(task.percent_complete) / 100
        ac += task.actual_cost
    # Expenses booked against the project in finance (base currency, up to the status date) are
    # actual cost too; imported lazily so projects does not load finance at start-up.
    from steward.finance.services import project_actual_cost

    ac += project_actual_cost(project, until=status_date)
    q = Decimal("0.01")
    cpi = (ev / ac).quantize(Decimal("0.001")) if ac else None
    spi = (ev / pv).quantize(Decimal("0.001")) if pv else None
    eac = (bac / (ev / ac)).quantize(q) if ac and ev else None
    return EarnedValue(
        status_date=status_date, bac=bac.quantize(q), pv=pv.quantize(q), ev=ev.quantize(q), ac=ac.quantize(q),
        cpi=cpi, spi=spi, eac=eac, etc=(eac - ac).quantize(q) if eac is not None else None,
        vac=(bac - eac).quantize(q) if eac is not None else None, cv=(ev - ac).quantize(q), sv=(ev - pv).quantize(q),
    )  # fmt: skip


# --- creation from other domains -----------------------------------------------------------------
def create_project(
    *,
    name: str,
    start_date: dt.date,
    actor: Any,
    description: str = "",
    sponsor: Any = None,
    manager: Any = None,
    initiative: Any = None,
) -> Project:
    """Open a new project in planning, e.g. for an idea promoted from the innovation funnel."""
    with transaction.atomic():
        project = Project(
            name=name,
            start_date=start_date,
            description=description,
            sponsor=sponsor,
            manager=manager,
            initiative=initiative,
        )
        project.full_clean()
        project.save()
    return project
