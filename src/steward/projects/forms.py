from __future__ import annotations

from steward.core.forms import StewardModelForm
from steward.projects.models import Baseline, Portfolio, Programme, Project, Task, TaskDependency


class PortfolioForm(StewardModelForm):
    class Meta:
        model = Portfolio
        fields = ("name", "owner", "description", "tags")


class ProgrammeForm(StewardModelForm):
    class Meta:
        model = Programme
        fields = ("portfolio", "name", "manager", "description", "tags")


class ProjectForm(StewardModelForm):
    class Meta:
        model = Project
        fields = (
            "name", "programme", "initiative", "objectives", "methodology", "status", "health", "sponsor", "manager", "start_date",
            "budget", "currency", "description", "tags",
        )  # fmt: skip


class TaskForm(StewardModelForm):
    class Meta:
        model = Task
        fields = (
            "project", "parent", "wbs", "name", "duration", "assignee", "allocation", "estimate_hours", "budget",
            "actual_cost", "percent_complete", "tags",
        )  # fmt: skip


class TaskDependencyForm(StewardModelForm):
    class Meta:
        model = TaskDependency
        fields = ("predecessor", "successor", "type", "lag", "tags")


class BaselineForm(StewardModelForm):
    class Meta:
        model = Baseline
        fields = ("project", "name", "is_current", "tags")
