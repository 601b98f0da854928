from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from steward.core.forms import RemoteSelect, RemoteSelectMultiple, StewardModelForm
from steward.itsm.forms_catalogue import SuggestingTextInput
from steward.itsm.models import (
    Alert,
    AlertIntakeSettings,
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


class ReferenceField(forms.Field):
    """A record picked by its human reference (``INC0001234``) rather than from a select.

    Tickets number in the tens of thousands; a select listing them all would be megabytes.
    With ``many=True`` it takes a comma- or space-separated list.
    """

    def __init__(self, model: Any, *, many: bool = False, **kwargs: Any) -> None:
        self.model, self.many = model, many
        kwargs.setdefault("help_text", _("References such as %s0000042, separated by commas.") % model.reference_prefix
                          if many else _("A reference such as %s0000042.") % model.reference_prefix)  # fmt: skip
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> str:
        if value in (None, "", []):
            return ""
        items = value if isinstance(value, (list, tuple, QuerySet)) else [value]
        pks = [getattr(v, "pk", v) for v in items]
        if all(isinstance(v, str) and not v.isdigit() for v in pks):
            return ", ".join(pks)
        return ", ".join(
            self.model.objects.filter(pk__in=pks).order_by("pk").values_list("reference", flat=True)
        )

    def to_python(self, value: Any) -> Any:
        text = value if isinstance(value, str) else self.prepare_value(value)
        refs = [r.strip().upper() for r in re.split(r"[,\s]+", text or "") if r.strip()]
        if not refs:
            return [] if self.many else None
        if not self.many and len(refs) > 1:
            raise forms.ValidationError(_("Give one reference."))
        found = {o.reference: o for o in self.model.objects.filter(reference__in=refs)}
        missing = [r for r in refs if r not in found]
        if missing:
            raise forms.ValidationError(_("No such record: %s.") % ", ".join(missing))
        return [found[r] for r in dict.fromkeys(refs)] if self.many else found[refs[0]]


class ServiceForm(StewardModelForm):
    class Meta:
        model = Service
        fields = (
            "name", "kind", "criticality", "status", "owner", "support_team", "default_sla_policy",
            "business_calendar", "configuration_items", "description", "tags",
        )  # fmt: skip
        widgets = {
            "configuration_items": RemoteSelectMultiple(
                format_lazy("{}?brief=1", reverse_lazy("api:cmdb-configurationitem-list"))
            )
        }


class ServiceOfferingForm(StewardModelForm):
    class Meta:
        model = ServiceOffering
        fields = ("service", "name", "status", "support_team", "default_sla_policy", "description", "tags")


class PriorityMatrixForm(StewardModelForm):
    class Meta:
        model = PriorityMatrix
        fields = ("name", "is_default", "entries", "description", "tags")


class IncidentForm(StewardModelForm):
    parent = ReferenceField(Incident, required=False, label=_("Parent incident"))
    caused_by_change = ReferenceField(Change, required=False, label=_("Caused by change"))

    class Meta:
        model = Incident
        fields = (
            "short_description", "type", "caller", "service", "service_offering", "configuration_item", "category",
            "subcategory", "impact", "urgency", "assignment_team", "assignee", "parent", "major_incident",
            "caused_by_change", "description", "tags",
        )  # fmt: skip
        # Items are many: the select searches the CMDB's API instead of listing every row.
        widgets = {
            "configuration_item": RemoteSelect(
                format_lazy("{}?brief=1", reverse_lazy("api:cmdb-configurationitem-list"))
            ),
            # Knowledge articles similar to the short description appear below it as it is typed.
            "short_description": SuggestingTextInput(),
        }


class IncidentNoteForm(StewardModelForm):
    incident = ReferenceField(Incident, label=_("Incident"))

    class Meta:
        model = IncidentNote
        fields = ("incident", "kind", "body")


class TimeEntryForm(StewardModelForm):
    incident = ReferenceField(Incident, label=_("Incident"))

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
    incidents = ReferenceField(Incident, many=True, required=False, label=_("Incidents"))

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


class AlertIntakeSettingsForm(StewardModelForm):
    class Meta:
        model = AlertIntakeSettings
        fields = (
            "receiver", "service", "assignment_team", "category", "default_impact", "default_urgency",
            "severity_map", "resolve_on_clear", "resolution_code", "description", "tags",
        )  # fmt: skip


class AlertForm(StewardModelForm):
    class Meta:
        model = Alert
        fields = (
            "fingerprint", "name", "status", "severity", "receiver", "host", "labels", "annotations", "starts_at",
            "ends_at", "generator_url", "incident", "configuration_item", "tags",
        )  # fmt: skip
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME}
