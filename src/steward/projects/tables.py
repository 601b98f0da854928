from __future__ import annotations

import django_tables2 as tables

from steward.core.tables import ChoiceBadgeColumn, RowLinkColumn, StewardTable
from steward.projects.models import Baseline, Portfolio, Programme, Project, Task, TaskDependency


class PortfolioTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Portfolio
        fields = ("pk", "name", "owner")
        default_columns = ("name", "owner")


class ProgrammeTable(StewardTable):
    name = tables.Column(linkify=True)
    portfolio = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Programme
        fields = ("pk", "name", "portfolio", "manager")
        default_columns = ("name", "portfolio", "manager")


class ProjectTable(StewardTable):
    reference = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    methodology = ChoiceBadgeColumn()
    status = ChoiceBadgeColumn()
    health = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = Project
        fields = ("pk", "reference", "name", "programme", "methodology", "status", "health", "manager", "start_date",
                  "end_date", "budget", "currency")  # fmt: skip
        default_columns = (
            "reference",
            "name",
            "methodology",
            "status",
            "health",
            "manager",
            "start_date",
            "end_date",
        )


class TaskTable(StewardTable):
    name = tables.Column(linkify=True)
    project = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Task
        fields = ("pk", "project", "wbs", "name", "duration", "start_date", "finish_date", "slack", "is_critical",
                  "percent_complete", "assignee", "budget", "actual_cost")  # fmt: skip
        default_columns = ("project", "wbs", "name", "duration", "start_date", "finish_date", "slack", "is_critical",
                           "percent_complete")  # fmt: skip


class TaskDependencyTable(StewardTable):
    predecessor = tables.Column(linkify=True)
    successor = tables.Column(linkify=True)
    type = ChoiceBadgeColumn()
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = TaskDependency
        fields = ("pk", "predecessor", "successor", "type", "lag", "link")
        default_columns = ("predecessor", "successor", "type", "lag", "link")


class BaselineTable(StewardTable):
    name = tables.Column(linkify=True)
    project = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Baseline
        fields = ("pk", "project", "name", "is_current", "created")
        default_columns = ("project", "name", "is_current", "created")
