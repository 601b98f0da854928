from __future__ import annotations

from django import forms

from steward.core.forms import StewardModelForm
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
    SLAPolicy,
    TimeEntry,
)

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ServiceForm(StewardModelForm):
    class Meta:
        model = Service
        fields = (
            "name", "kind", "criticality", "status", "owner", "support_team", "default_sla_policy",
            "business_calendar", "description", "tags",
        )  # fmt: skip


class ServiceOfferingForm(StewardModelForm):
    class Meta:
        model = ServiceOffering
        fields = ("service", "name", "status", "support_team", "default_sla_policy", "description", "tags")


class PriorityMatrixForm(StewardModelForm):
    class Meta:
        model = PriorityMatrix
        fields = ("name", "is_default", "entries", "description", "tags")


class IncidentForm(StewardModelForm):
    class Meta:
        model = Incident
        fields = (
            "short_description", "type", "caller", "service", "service_offering", "category", "subcategory",
            "impact", "urgency", "assignment_team", "assignee", "parent", "major_incident", "caused_by_change",
            "description", "tags",
        )  # fmt: skip


class IncidentNoteForm(StewardModelForm):
    class Meta:
        model = IncidentNote
        fields = ("incident", "kind", "body")


class TimeEntryForm(StewardModelForm):
    class Meta:
        model = TimeEntry
        fields = ("incident", "person", "date", "minutes", "note")
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class SLAPolicyForm(StewardModelForm):
    class Meta:
        model = SLAPolicy
        fields = (
            "name", "enabled", "order", "priorities", "service", "incident_type", "response_minutes",
            "resolution_minutes", "calendar", "pause_states", "warning_percent", "description", "tags",
        )  # fmt: skip


class ProblemForm(StewardModelForm):
    class Meta:
        model = Problem
        fields = (
            "short_description", "service", "category", "priority", "assignment_team", "assignee", "incidents",
            "known_error", "root_cause", "workaround", "fix", "description", "tags",
        )  # fmt: skip


class RiskQuestionForm(StewardModelForm):
    class Meta:
        model = RiskQuestion
        fields = ("key", "text", "options", "order", "enabled", "tags")


class FreezeWindowForm(StewardModelForm):
    class Meta:
        model = FreezeWindow
        fields = ("name", "start", "end", "services", "description", "tags")
        widgets = {"start": DATETIME, "end": DATETIME}


class ChangeForm(StewardModelForm):
    class Meta:
        model = Change
        fields = (
            "short_description", "type", "service", "requested_by", "assignment_team", "assignee",
            "planned_start", "planned_end", "risk_answers", "implementation_plan", "backout_plan", "test_plan",
            "review_notes", "description", "tags",
        )  # fmt: skip
        widgets = {"planned_start": DATETIME, "planned_end": DATETIME}
