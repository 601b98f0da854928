"""Resource rules: logging time, the weekly timesheet grid, and capacity against demand per person per week.

Capacity model (ADR 0021): a person's available hours in a week are their weekly capacity
(profile, default 40) scaled by the working days their business calendar has that week
(holidays and closed days removed). Demand is the sum over their assigned, unfinished leaf
tasks of allocation % × the task's working days in that week × hours per working day, plus
service-desk work: for weeks before the current one the incident time actually logged, for the
current and later weeks each open incident or fulfilment task assigned to them ×
``PROJECTS_ITSM_HOURS_PER_ITEM``. Everything for a page is read in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.projects.models import Project, ResourceProfile, Task, TimeEntry, Timesheet
from steward.projects.models.resources import week_start

DEFAULT_WEEKLY_HOURS = Decimal(40)
ZERO = Decimal(0)
FINISHED_PROJECTS = ("closed", "cancelled")
OPEN_INCIDENT_STATES = ("new", "in_progress", "on_hold")
OPEN_FULFILMENT_STATES = ("pending", "open", "in_progress")


# --- time entries ---------------------------------------------------------------------------------
@transaction.atomic
def log_time(
    *, actor: Any, person: Any, date: dt.date, hours: Decimal, project: Project, task: Task | None = None,
    billable: bool = True, note: str = "",
) -> TimeEntry:  # fmt: skip
    """Book ``hours`` of ``person`` on ``project`` (and ``task``); the cost counts in the project's AC."""
    entry = TimeEntry(person=person, date=date, hours=hours, project=project, task=task, billable=billable,
                      note=note)  # fmt: skip
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def set_timesheet_cell(
    *, timesheet: Timesheet, actor: Any, project: Project, task: Task | None, date: dt.date, hours: Decimal
) -> TimeEntry | None:
    """Make the person's hours on (project, task, date) equal ``hours``; 0 removes the entry.

    A cell with several entries (logged one by one elsewhere) is refused: which one to change
    would be a guess.
    """
    if not timesheet.week_start <= date <= timesheet.week_end:
        raise ValidationError({"date": _("%(date)s is outside this timesheet's week.") % {"date": date}})
    locked = Timesheet.objects.select_for_update().get(pk=timesheet.pk)
    if locked.is_locked:
        raise ValidationError({"date": _("This timesheet is %(state)s; send it back to draft first.")
                               % {"state": locked.workflow_state.label.lower()}})  # fmt: skip
    if hours < 0:
        raise ValidationError({"hours": _("Hours cannot be negative.")})
    entries = list(
        TimeEntry.objects.filter(person_id=timesheet.person_id, project=project, task=task, date=date)
    )
    if len(entries) > 1:
        raise ValidationError({"hours": _("%(n)d entries make this cell; change them in the time entry list.")
                               % {"n": len(entries)}})  # fmt: skip
    entry = entries[0] if entries else None
    if not hours:
        if entry is not None:
            entry.delete()
        return None
    if entry is None:
        entry = TimeEntry(person_id=timesheet.person_id, project=project, task=task, date=date)
    entry.hours = hours
    entry.full_clean()
    entry.save()
    return entry


@dataclass
class GridRow:
    project: Project
    task: Task | None
    hours: list[Decimal]
    days: list[dt.date] = field(default_factory=list)

    @property
    def cells(self) -> list[tuple[dt.date, Decimal]]:
        return list(zip(self.days, self.hours, strict=True))

    @property
    def total(self) -> Decimal:
        return sum(self.hours, ZERO)


@dataclass
class TimesheetGrid:
    days: list[dt.date]
    rows: list[GridRow]
    incident_hours: list[Decimal]

    @property
    def day_totals(self) -> list[Decimal]:
        return [
            sum((r.hours[n] for r in self.rows), ZERO) + self.incident_hours[n] for n in range(len(self.days))
        ]

    @property
    def total(self) -> Decimal:
        return sum(self.day_totals, ZERO)


def timesheet_grid(timesheet: Timesheet) -> TimesheetGrid:
    """Rows of (project, task) × the seven days: every row with time this week, plus the person's
    unfinished assigned tasks running that week (so they can log against them). Incident time
    logged in the service desk shows as one read-only row."""
    from steward.itsm.models import TimeEntry as IncidentTime

    days = [timesheet.week_start + dt.timedelta(days=n) for n in range(7)]
    cells: dict[tuple[int, int | None], list[Decimal]] = {}
    keys: dict[tuple[int, int | None], tuple[Project, Task | None]] = {}
    entries = TimeEntry.objects.filter(person_id=timesheet.person_id, date__range=(days[0], days[-1]))
    for entry in entries.select_related("project", "task"):
        key = (entry.project_id, entry.task_id)
        keys.setdefault(key, (entry.project, entry.task))
        cells.setdefault(key, [ZERO] * 7)[(entry.date - days[0]).days] += entry.hours
    assigned = (
        Task.objects.filter(assignee_id=timesheet.person_id, start_date__lte=days[-1], finish_date__gte=days[0],
                            children__isnull=True, percent_complete__lt=100)
        .exclude(project__status__in=FINISHED_PROJECTS)
        .select_related("project")
    )  # fmt: skip
    for task in assigned:
        key = (task.project_id, task.pk)
        if key not in keys:
            keys[key] = (task.project, task)
            cells[key] = [ZERO] * 7
    rows = [GridRow(project=p, task=t, hours=cells[k], days=days) for k, (p, t) in keys.items()]
    rows.sort(key=lambda r: (r.project.reference, r.task.wbs if r.task else "", r.task.pk if r.task else 0))
    incident = [ZERO] * 7
    for day, minutes in (
        IncidentTime.objects.filter(person_id=timesheet.person_id, date__range=(days[0], days[-1]))
        .values_list("date")
        .annotate(total=Sum("minutes"))
    ):
        incident[(day - days[0]).days] = (Decimal(minutes) / 60).quantize(Decimal("0.01"))
    return TimesheetGrid(days=days, rows=rows, incident_hours=incident)


@transaction.atomic
def open_timesheet(*, person: Any, week: dt.date, actor: Any) -> Timesheet:
    """The person's timesheet of the week holding ``week``, created as a draft if missing."""
    sheet, _created = Timesheet.objects.get_or_create(person=person, week_start=week_start(week))
    return sheet


# --- capacity -------------------------------------------------------------------------------------
MAX_WEEKS = 26


def capacity_window(params: Any) -> tuple[dt.date, int]:
    """``start`` (any day; its week is used) and ``weeks`` (1–26) from query parameters."""
    raw = params.get("start")
    try:
        start = dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        raise ValidationError({"start": [_("Give a date as YYYY-MM-DD.")]}) from None
    raw_weeks = params.get("weeks") or "8"
    if not raw_weeks.isdigit() or not 1 <= int(raw_weeks) <= MAX_WEEKS:
        raise ValidationError({"weeks": [_("Give a number of weeks from 1 to %(n)d.") % {"n": MAX_WEEKS}]})
    return start, int(raw_weeks)


@dataclass
class CapacityCell:
    week: dt.date
    available: Decimal = ZERO
    project: Decimal = ZERO
    service: Decimal = ZERO

    @property
    def demand(self) -> Decimal:
        return self.project + self.service

    @property
    def load(self) -> int | None:
        """Demand as a percentage of the available hours; None when nothing is available or needed."""
        if self.available:
            return int((self.demand / self.available * 100).to_integral_value(rounding=ROUND_HALF_UP))
        return None if not self.demand else 999

    @property
    def over(self) -> bool:
        return self.demand > self.available


@dataclass
class CapacityRow:
    person: Any
    cells: list[CapacityCell] = field(default_factory=list)

    @property
    def over_weeks(self) -> int:
        return sum(1 for c in self.cells if c.over)


@dataclass
class CapacityGrid:
    weeks: list[dt.date]
    rows: list[CapacityRow]


def _working_days(profile: ResourceProfile | None, first: dt.date, last: dt.date, closed: dict[int, set[dt.date]],
                  opened: dict[int, set[dt.date]]) -> tuple[set[dt.date], int]:  # fmt: skip
    """The person's working dates in [first, last] and how many working days a normal week has."""
    calendar = profile.calendar if profile is not None else None
    if calendar is None:
        pattern = [True] * 5 + [False] * 2
        holidays: set[dt.date] = set()
        off: set[dt.date] = set()
        on: set[dt.date] = set()
    else:
        pattern = [bool(day) for day in calendar.weekly_hours()]
        holidays = set()
        if calendar.holiday_country:
            import holidays as holidays_lib

            holidays = set(
                holidays_lib.country_holidays(
                    calendar.holiday_country, subdiv=calendar.holiday_subdivision or None,
                    years=range(first.year, last.year + 1),
                )
            )  # fmt: skip
        off, on = closed.get(calendar.pk, set()), opened.get(calendar.pk, set())
    days = set()
    day = first
    while day <= last:
        if day in on or (pattern[day.weekday()] and day not in holidays and day not in off):
            days.add(day)
        day += dt.timedelta(days=1)
    return days, sum(pattern)


def capacity(
    *, people: Iterable[Any], start: dt.date, weeks: int, today: dt.date | None = None
) -> CapacityGrid:
    """Available hours against project and service-desk demand for ``people`` over ``weeks`` weeks.

    Reads profiles, calendar dates, task assignments, incident time and open ITSM assignments
    once each, whatever the number of people and weeks (see the module docstring for the rules).
    """
    from steward.itsm.models import FulfilmentTask, Incident
    from steward.itsm.models import TimeEntry as IncidentTime
    from steward.org.models import CalendarDate

    people = list(people)
    ids = [p.pk for p in people]
    first = week_start(start)
    week_starts = [first + dt.timedelta(weeks=n) for n in range(weeks)]
    last = week_starts[-1] + dt.timedelta(days=6)
    current = week_start(today or timezone.localdate())

    profiles = {
        p.person_id: p for p in ResourceProfile.objects.filter(person_id__in=ids).select_related("calendar")
    }
    calendar_ids = {p.calendar_id for p in profiles.values() if p.calendar_id}
    closed: dict[int, set[dt.date]] = defaultdict(set)
    opened: dict[int, set[dt.date]] = defaultdict(set)
    if calendar_ids:
        for cal, date, kind in CalendarDate.objects.filter(
            calendar_id__in=calendar_ids, date__range=(first, last)
        ).values_list("calendar_id", "date", "kind"):
            (closed if kind == "closed" else opened)[cal].add(date)

    tasks: dict[int, list[tuple[dt.date, dt.date, int]]] = defaultdict(list)
    for person_id, s, f, allocation in (
        Task.objects.filter(assignee_id__in=ids, start_date__lte=last, finish_date__gte=first, children__isnull=True,
                            percent_complete__lt=100, duration__gt=0)
        .exclude(project__status__in=FINISHED_PROJECTS)
        .values_list("assignee_id", "start_date", "finish_date", "allocation")
    ):  # fmt: skip
        tasks[person_id].append((s, f, allocation))

    logged: dict[tuple[int, dt.date], Decimal] = defaultdict(lambda: ZERO)
    if first < current:
        for person_id, date, minutes in (
            IncidentTime.objects.filter(
                person_id__in=ids, date__range=(first, min(last, current - dt.timedelta(1)))
            )
            .values_list("person_id", "date")
            .annotate(total=Sum("minutes"))
        ):
            logged[(person_id, week_start(date))] += Decimal(minutes) / 60
    open_items: dict[int, int] = defaultdict(int)
    if last >= current:
        for model, states in ((Incident, OPEN_INCIDENT_STATES), (FulfilmentTask, OPEN_FULFILMENT_STATES)):
            for person_id, count in (
                model.objects.filter(assignee_id__in=ids, state__in=states)
                .values_list("assignee_id")
                .annotate(n=Count("pk"))
                .order_by()
            ):
                open_items[person_id] += count
    per_item = Decimal(settings.PROJECTS_ITSM_HOURS_PER_ITEM)

    rows = []
    for person in people:
        profile = profiles.get(person.pk)
        weekly = profile.weekly_capacity if profile is not None else DEFAULT_WEEKLY_HOURS
        working, normal = _working_days(profile, first, last, closed, opened)
        per_day = weekly / normal if normal else ZERO
        row = CapacityRow(person=person)
        for monday in week_starts:
            week = {monday + dt.timedelta(days=n) for n in range(7)}
            days = week & working
            cell = CapacityCell(week=monday, available=(per_day * len(days)).quantize(Decimal("0.1")))
            demand = ZERO
            for s, f, allocation in tasks.get(person.pk, ()):
                overlap = sum(1 for d in days if s <= d <= f)
                demand += Decimal(allocation) / 100 * overlap * per_day
            cell.project = demand.quantize(Decimal("0.1"))
            if monday < current:
                cell.service = logged[(person.pk, monday)].quantize(Decimal("0.1"))
            else:
                cell.service = (open_items.get(person.pk, 0) * per_item).quantize(Decimal("0.1"))
            row.cells.append(cell)
        rows.append(row)
    return CapacityGrid(weeks=week_starts, rows=rows)


def capacity_people(
    *, user: Any, team: Any = None, start: dt.date, weeks: int, limit: int = 200
) -> list[Any]:
    """Whom the capacity page shows: a team's members, or everyone with a resource profile or a task
    assigned in the window; only people ``user`` may see."""
    from steward.org.models import Person

    visible = Person.objects.restrict(user, "view").filter(status="active")
    if team is not None:
        return list(visible.filter(teams=team).order_by("last_name", "first_name", "pk")[:limit])
    first = week_start(start)
    last = first + dt.timedelta(weeks=weeks, days=-1)
    with_tasks = Task.objects.filter(
        start_date__lte=last, finish_date__gte=first, assignee__isnull=False
    ).values("assignee_id")
    with_profile = ResourceProfile.objects.values("person_id")
    return list(
        visible.filter(Q(pk__in=with_tasks) | Q(pk__in=with_profile))
        .order_by("last_name", "first_name", "pk")
        .distinct()[:limit]
    )
