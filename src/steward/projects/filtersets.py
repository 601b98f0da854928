from __future__ import annotations

import django_filters

from steward.core.filtersets import StewardFilterSet
from steward.projects.choices import DependencyType, Health, Methodology, ProjectStatus
from steward.projects.models import Baseline, Portfolio, Programme, Project, Task, TaskDependency


class PortfolioFilterSet(StewardFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = Portfolio
        fields = ("name", "owner")


class ProgrammeFilterSet(StewardFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = Programme
        fields = ("portfolio", "manager")


class ProjectFilterSet(StewardFilterSet):
    search_fields = ("reference", "name", "description")
    methodology = django_filters.MultipleChoiceFilter(choices=Methodology.choices)
    status = django_filters.MultipleChoiceFilter(choices=ProjectStatus.choices)
    health = django_filters.MultipleChoiceFilter(choices=Health.choices)

    class Meta:
        model = Project
        fields = (
            "reference",
            "programme",
            "initiative",
            "objectives",
            "methodology",
            "status",
            "health",
            "sponsor",
            "manager",
        )


class TaskFilterSet(StewardFilterSet):
    search_fields = ("name", "wbs")

    class Meta:
        model = Task
        fields = ("project", "parent", "assignee", "is_critical")


class TaskDependencyFilterSet(StewardFilterSet):
    search_fields = ("predecessor__name", "successor__name")
    type = django_filters.MultipleChoiceFilter(choices=DependencyType.choices)

    class Meta:
        model = TaskDependency
        fields = ("predecessor", "successor", "type")


class BaselineFilterSet(StewardFilterSet):
    search_fields = ("name",)

    class Meta:
        model = Baseline
        fields = ("project", "is_current")
