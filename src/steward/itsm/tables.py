from __future__ import annotations

import django_tables2 as tables

from steward.core.tables import ChoiceBadgeColumn, StateColumn, StewardTable
from steward.itsm.models import (
    Change,
    FreezeWindow,
    Incident,
    IncidentNote,
    PriorityMatrix,
    Problem,
    RiskQuestion,
    Service,
    ServiceOffering,
    SLAClock,
    SLAPolicy,
    TimeEntry,
)


class ServiceTable(StewardTable):
    name = tables.Column(linkify=True)
    kind = ChoiceBadgeColumn()
    criticality = ChoiceBadgeColumn()
    status = ChoiceBadgeColumn()
    owner = tables.Column(linkify=True)
    support_team = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Service
        fields = (
            "pk",
            "name",
            "kind",
            "criticality",
            "status",
            "owner",
            "support_team",
            "default_sla_policy",
        )
        default_columns = ("name", "kind", "criticality", "status", "owner", "support_team")


class ServiceOfferingTable(StewardTable):
    name = tables.Column(linkify=True)
    service = tables.Column(linkify=True)
    status = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = ServiceOffering
        fields = ("pk", "name", "service", "status", "support_team", "default_sla_policy")
        default_columns = ("name", "service", "status", "support_team")


class PriorityMatrixTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = PriorityMatrix
        fields = ("pk", "name", "is_default")
        default_columns = ("name", "is_default")


class IncidentTable(StewardTable):
    reference = tables.Column(linkify=True)
    state = StateColumn()
    priority = ChoiceBadgeColumn()
    type = ChoiceBadgeColumn()
    caller = tables.Column(linkify=True)
    service = tables.Column(linkify=True)
    assignment_team = tables.Column(linkify=True)
    assignee = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Incident
        fields = (
            "pk", "reference", "short_description", "state", "priority", "type", "caller", "service", "category",
            "assignment_team", "assignee", "major_incident", "created", "resolved_at",
        )  # fmt: skip
        default_columns = (
            "reference", "short_description", "state", "priority", "service", "assignment_team", "assignee",
            "created",
        )  # fmt: skip


class IncidentNoteTable(StewardTable):
    id = tables.Column(linkify=True, verbose_name="#")
    incident = tables.Column(linkify=True)
    kind = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = IncidentNote
        fields = ("pk", "id", "incident", "kind", "author", "body", "created")
        default_columns = ("id", "incident", "kind", "author", "body", "created")


class TimeEntryTable(StewardTable):
    id = tables.Column(linkify=True, verbose_name="#")
    incident = tables.Column(linkify=True)
    person = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = TimeEntry
        fields = ("pk", "id", "incident", "person", "date", "minutes", "note")
        default_columns = ("id", "incident", "person", "date", "minutes", "note")


class SLAPolicyTable(StewardTable):
    name = tables.Column(linkify=True)
    calendar = tables.Column(linkify=True)
    incident_type = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = SLAPolicy
        fields = (
            "pk", "name", "enabled", "order", "priorities", "service", "incident_type", "response_minutes",
            "resolution_minutes", "calendar", "warning_percent",
        )  # fmt: skip
        default_columns = (
            "name",
            "order",
            "priorities",
            "response_minutes",
            "resolution_minutes",
            "calendar",
        )


class SLAClockTable(StewardTable):
    id = tables.Column(linkify=True, verbose_name="#")
    incident = tables.Column(linkify=True)
    kind = ChoiceBadgeColumn()
    status = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = SLAClock
        fields = (
            "pk", "id", "incident", "policy", "kind", "status", "target_minutes", "elapsed_minutes", "due_at",
            "breached",
        )  # fmt: skip
        default_columns = ("id", "incident", "policy", "kind", "status", "due_at", "breached")


class ProblemTable(StewardTable):
    reference = tables.Column(linkify=True)
    state = StateColumn()
    priority = ChoiceBadgeColumn()
    service = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Problem
        fields = (
            "pk", "reference", "short_description", "state", "priority", "service", "category", "known_error",
            "assignment_team", "created",
        )  # fmt: skip
        default_columns = ("reference", "short_description", "state", "priority", "service", "known_error")


class RiskQuestionTable(StewardTable):
    text = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = RiskQuestion
        fields = ("pk", "key", "text", "order", "enabled")
        default_columns = ("key", "text", "order", "enabled")


class FreezeWindowTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = FreezeWindow
        fields = ("pk", "name", "start", "end")
        default_columns = ("name", "start", "end")


class ChangeTable(StewardTable):
    reference = tables.Column(linkify=True)
    state = StateColumn()
    type = ChoiceBadgeColumn()
    risk_level = ChoiceBadgeColumn()
    service = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Change
        fields = (
            "pk", "reference", "short_description", "state", "type", "service", "planned_start", "planned_end",
            "risk_level", "risk_score", "has_conflicts", "assignment_team",
        )  # fmt: skip
        default_columns = (
            "reference", "short_description", "state", "type", "service", "planned_start", "risk_level",
            "has_conflicts",
        )  # fmt: skip
