"""Builders of projects rows for the registry-driven tests (permission matrix, hardening, fuzzing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from steward.utilities.testing.factories import factory, make_instance


@factory("projects.project")
def _project(n: int, **overrides: Any) -> Any:
    from steward.projects.models import Project

    return Project.objects.create(**{"name": f"Project {n}", "start_date": dt.date(2027, 1, 4), **overrides})


@factory("projects.task")
def _task(n: int, **overrides: Any) -> Any:
    from steward.projects.models import Project, Task

    values = {"project": make_instance(Project), "name": f"Task {n}", "wbs": str(n), "duration": 1}
    return Task.objects.create(**{**values, **overrides})


@factory("projects.taskdependency")
def _dependency(n: int, **overrides: Any) -> Any:
    from steward.projects.models import Project, Task, TaskDependency

    project = make_instance(Project)
    first = Task.objects.create(project=project, name=f"A{n}", duration=1)
    second = Task.objects.create(project=project, name=f"B{n}", duration=1)
    return TaskDependency.objects.create(**{"predecessor": first, "successor": second, **overrides})


@factory("projects.sprint")
def _sprint(n: int, **overrides: Any) -> Any:
    from steward.projects.models import Project, Sprint

    values = {"project": make_instance(Project), "name": f"Sprint {n}", "start_date": dt.date(2027, 1, 4),
              "end_date": dt.date(2027, 1, 17)}  # fmt: skip
    return Sprint.objects.create(**{**values, **overrides})


@factory("projects.backlogitem")
def _item(n: int, **overrides: Any) -> Any:
    from steward.projects.models import BacklogItem, Project

    values = {"project": make_instance(Project), "title": f"Item {n}", "story_points": 3, "rank": n * 10}
    return BacklogItem.objects.create(**{**values, **overrides})


@factory("projects.wiplimit")
def _wip(n: int, **overrides: Any) -> Any:
    from steward.projects.models import Project, WipLimit

    values = {"project": make_instance(Project), "status": "in_progress", "limit": 3}
    return WipLimit.objects.create(**{**values, **overrides})


@factory("projects.gatetemplate")
def _template(n: int, **overrides: Any) -> Any:
    from steward.projects.models import GateTemplate

    stages = [{"name": "Initiation", "opens": "planning", "criteria": ["Business case approved"]}]
    return GateTemplate.objects.create(**{"name": f"Template {n}", "stages": stages, **overrides})


@factory("projects.stagegate")
def _gate(n: int, **overrides: Any) -> Any:
    from steward.projects.models import Project, StageGate

    values = {"project": make_instance(Project), "name": f"Gate {n}", "opens": "executing"}
    return StageGate.objects.create(**{**values, **overrides})


@factory("projects.gatecriterion")
def _criterion(n: int, **overrides: Any) -> Any:
    from steward.projects.models import GateCriterion, StageGate

    values = {"gate": make_instance(StageGate), "text": f"Criterion {n}"}
    return GateCriterion.objects.create(**{**values, **overrides})


@factory("projects.raiditem")
def _raid_item(n: int, **overrides: Any) -> Any:
    from steward.projects.models import Project, RaidItem

    values = {
        "project": make_instance(Project),
        "type": "risk",
        "title": f"Risk {n}",
        "probability": 2,
        "impact": 3,
    }
    return RaidItem.objects.create(**{**values, **overrides})


@factory("projects.timesheet")
def _timesheet(n: int, **overrides: Any) -> Any:
    from steward.org.models import Person
    from steward.projects.models import Timesheet

    values = {"person": make_instance(Person), "week_start": dt.date(2027, 1, 4) + dt.timedelta(weeks=n)}
    return Timesheet.objects.create(**{**values, **overrides})


@factory("projects.timeentry")
def _time_entry(n: int, **overrides: Any) -> Any:
    from steward.org.models import Person
    from steward.projects.models import Project, TimeEntry

    values = {"person": make_instance(Person), "project": make_instance(Project), "hours": 1,
              "date": dt.date(2027, 1, 4) + dt.timedelta(days=n)}  # fmt: skip
    return TimeEntry.objects.create(**{**values, **overrides})


@factory("projects.statusreport")
def _status_report(n: int, **overrides: Any) -> Any:
    from steward.projects.models import Project, StatusReport

    end = dt.date(2027, 1, 10) + dt.timedelta(weeks=n)
    values = {
        "project": make_instance(Project),
        "period_start": end - dt.timedelta(days=6),
        "period_end": end,
    }
    return StatusReport.objects.create(**{**values, **overrides})
