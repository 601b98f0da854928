"""Edit forms of the resource, RAID and status-report models."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from steward.core.forms import StewardModelForm
from steward.projects import services_raid
from steward.projects.models import RaidItem, ResourceProfile, StatusReport, TimeEntry, Timesheet


class ResourceProfileForm(StewardModelForm):
    class Meta:
        model = ResourceProfile
        fields = ("person", "hourly_rate", "currency", "weekly_capacity", "calendar", "tags")


class TimesheetForm(StewardModelForm):
    class Meta:
        model = Timesheet
        fields = ("person", "week_start", "note", "tags")


class TimeEntryForm(StewardModelForm):
    class Meta:
        model = TimeEntry
        fields = ("person", "date", "hours", "project", "task", "billable", "note", "tags")


class RaidItemForm(StewardModelForm):
    class Meta:
        model = RaidItem
        fields = (
            "project", "type", "title", "description", "owner", "status", "due_date", "probability", "impact",
            "tasks", "decided_by", "decided_on", "grc_risk", "tags",
        )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("project") and data.get("tasks"):
            try:
                services_raid.check_linked_tasks(project=data["project"], tasks=data["tasks"])
            except ValidationError as exc:
                self._update_errors(exc)
        return data


class StatusReportForm(StewardModelForm):
    class Meta:
        model = StatusReport
        fields = (
            "project", "period_start", "period_end", "overall", "schedule", "cost", "scope", "summary",
            "accomplishments", "next_steps", "key_risks", "tags",
        )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("project") and data.get("key_risks"):
            try:
                services_raid.check_key_risks(project=data["project"], risks=data["key_risks"])
            except ValidationError as exc:
                self._update_errors(exc)
        return data
