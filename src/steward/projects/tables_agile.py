from __future__ import annotations

import django_tables2 as tables

from steward.core.tables import ChoiceBadgeColumn, RowLinkColumn, StateColumn, StewardTable
from steward.projects.models import BacklogItem, GateCriterion, GateTemplate, Sprint, StageGate, WipLimit


class SprintTable(StewardTable):
    name = tables.Column(linkify=True)
    state = StateColumn()
    project = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Sprint
        fields = (
            "pk",
            "project",
            "name",
            "state",
            "start_date",
            "end_date",
            "committed_points",
            "completed_points",
        )
        default_columns = ("project", "name", "state", "start_date", "end_date", "committed_points",
                           "completed_points")  # fmt: skip


class BacklogItemTable(StewardTable):
    reference = tables.Column(linkify=True)
    state = StateColumn()
    title = tables.Column(linkify=True)
    project = tables.Column(linkify=True)
    kind = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = BacklogItem
        fields = ("pk", "reference", "project", "rank", "kind", "title", "state", "story_points", "sprint", "epic",
                  "assignee")  # fmt: skip
        default_columns = ("reference", "project", "rank", "kind", "title", "state", "story_points", "sprint",
                           "assignee")  # fmt: skip


class WipLimitTable(StewardTable):
    project = tables.Column(linkify=True)
    status = ChoiceBadgeColumn()
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = WipLimit
        fields = ("pk", "project", "status", "limit", "link")
        default_columns = ("project", "status", "limit", "link")


class GateTemplateTable(StewardTable):
    name = tables.Column(linkify=True)
    methodology = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = GateTemplate
        fields = ("pk", "name", "methodology", "description")
        default_columns = ("name", "methodology", "description")


class StageGateTable(StewardTable):
    name = tables.Column(linkify=True)
    state = StateColumn()
    project = tables.Column(linkify=True)
    opens = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = StageGate
        fields = ("pk", "project", "order", "name", "opens", "state")
        default_columns = ("project", "order", "name", "opens", "state")


class GateCriterionTable(StewardTable):
    text = tables.Column(linkify=True)
    gate = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = GateCriterion
        fields = ("pk", "gate", "order", "text", "met", "evidence")
        default_columns = ("gate", "order", "text", "met", "evidence")
