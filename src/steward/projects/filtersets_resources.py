"""Filters of resource profiles, timesheets, time entries, RAID items and status reports."""

from __future__ import annotations

import django_filters

from steward.core.filtersets import StewardFilterSet
from steward.projects.choices import Health, RaidStatus, RaidType
from steward.projects.models import RaidItem, ResourceProfile, StatusReport, TimeEntry, Timesheet


class ResourceProfileFilterSet(StewardFilterSet):
    search_fields = ("person__first_name", "person__last_name", "person__email")

    class Meta:
        model = ResourceProfile
        fields = ("person", "currency", "calendar")


class TimesheetFilterSet(StewardFilterSet):
    search_fields = ("person__first_name", "person__last_name")
    # Free choices: the states come from the workflow definition in force, not from code.
    state = django_filters.AllValuesMultipleFilter(field_name="state")

    class Meta:
        model = Timesheet
        fields = ("person", "week_start", "state")


class TimeEntryFilterSet(StewardFilterSet):
    search_fields = ("note", "project__name", "task__name")
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = TimeEntry
        fields = ("person", "project", "task", "billable", "date", "timesheet")


class RaidItemFilterSet(StewardFilterSet):
    search_fields = ("reference", "title", "description")
    type = django_filters.MultipleChoiceFilter(choices=RaidType.choices)
    status = django_filters.MultipleChoiceFilter(choices=RaidStatus.choices)

    class Meta:
        model = RaidItem
        fields = ("reference", "project", "type", "status", "owner", "due_date", "grc_risk")


class StatusReportFilterSet(StewardFilterSet):
    search_fields = ("summary", "project__name", "project__reference")
    overall = django_filters.MultipleChoiceFilter(choices=Health.choices)
    state = django_filters.AllValuesMultipleFilter(field_name="state")

    class Meta:
        model = StatusReport
        fields = ("project", "overall", "period_end", "state")
