"""List tables of the resource, RAID and status-report models."""

from __future__ import annotations

import django_tables2 as tables

from steward.core.tables import ChoiceBadgeColumn, RowLinkColumn, StateColumn, StewardTable
from steward.projects.models import RaidItem, ResourceProfile, StatusReport, TimeEntry, Timesheet


class ResourceProfileTable(StewardTable):
    person = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(StewardTable.Meta):
        model = ResourceProfile
        fields = ("pk", "person", "hourly_rate", "currency", "weekly_capacity", "calendar")
        default_columns = ("person", "hourly_rate", "currency", "weekly_capacity", "calendar")


class TimesheetTable(StewardTable):
    week_start = tables.Column(linkify=True)
    person = tables.Column(linkify=True)
    state = StateColumn()

    class Meta(StewardTable.Meta):
        model = Timesheet
        fields = ("pk", "week_start", "person", "state")
        default_columns = ("week_start", "person", "state")


class TimeEntryTable(StewardTable):
    project = tables.Column(linkify=True)
    task = tables.Column(linkify=True)
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = TimeEntry
        fields = ("pk", "date", "person", "hours", "project", "task", "billable", "cost", "note", "link")
        default_columns = ("date", "person", "hours", "project", "task", "billable", "cost", "link")


class RaidItemTable(StewardTable):
    reference = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    project = tables.Column(linkify=True)
    type = ChoiceBadgeColumn()
    status = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = RaidItem
        fields = ("pk", "reference", "project", "type", "title", "owner", "status", "due_date", "probability",
                  "impact", "score", "grc_risk")  # fmt: skip
        default_columns = ("reference", "project", "type", "title", "owner", "status", "due_date", "score")


class StatusReportTable(StewardTable):
    period_end = tables.Column(linkify=True)
    project = tables.Column(linkify=True)
    overall = ChoiceBadgeColumn()
    schedule = ChoiceBadgeColumn()
    cost = ChoiceBadgeColumn()
    scope = ChoiceBadgeColumn()
    state = StateColumn()

    class Meta(StewardTable.Meta):
        model = StatusReport
        fields = (
            "pk",
            "project",
            "period_end",
            "overall",
            "schedule",
            "cost",
            "scope",
            "state",
            "cpi",
            "spi",
        )
        default_columns = ("project", "period_end", "overall", "schedule", "cost", "scope", "state")
