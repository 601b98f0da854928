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
