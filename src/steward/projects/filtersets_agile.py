from __future__ import annotations

import django_filters

from steward.core.filtersets import StewardFilterSet
from steward.projects.choices import ItemKind, ItemStatus, Methodology, ProjectStatus
from steward.projects.models import BacklogItem, GateCriterion, GateTemplate, Sprint, StageGate, WipLimit


class SprintFilterSet(StewardFilterSet):
    search_fields = ("name", "goal")
    # Free choices: the states come from the workflow definition in force, not from code.
    state = django_filters.AllValuesMultipleFilter(field_name="state")

    class Meta:
        model = Sprint
        fields = ("project", "state", "start_date", "end_date")


class BacklogItemFilterSet(StewardFilterSet):
    search_fields = ("reference", "title", "description")
    kind = django_filters.MultipleChoiceFilter(choices=ItemKind.choices)
    state = django_filters.AllValuesMultipleFilter(field_name="state")
    in_sprint = django_filters.BooleanFilter(field_name="sprint", lookup_expr="isnull", exclude=True,
                                             label="In a sprint")  # fmt: skip

    class Meta:
        model = BacklogItem
        fields = ("reference", "project", "sprint", "epic", "kind", "state", "assignee", "story_points")


class WipLimitFilterSet(StewardFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ItemStatus.choices)

    class Meta:
        model = WipLimit
        fields = ("project", "status")


class GateTemplateFilterSet(StewardFilterSet):
    search_fields = ("name", "description")
    methodology = django_filters.MultipleChoiceFilter(choices=Methodology.choices)

    class Meta:
        model = GateTemplate
        fields = ("name", "methodology")


class StageGateFilterSet(StewardFilterSet):
    search_fields = ("name", "description")
    state = django_filters.AllValuesMultipleFilter(field_name="state")
    opens = django_filters.MultipleChoiceFilter(choices=ProjectStatus.choices)

    class Meta:
        model = StageGate
        fields = ("project", "state", "opens", "approvers")


class GateCriterionFilterSet(StewardFilterSet):
    search_fields = ("text", "evidence")

    class Meta:
        model = GateCriterion
        fields = ("gate", "met")
