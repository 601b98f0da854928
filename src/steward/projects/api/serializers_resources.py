"""API serializers of the resource, RAID and status-report models, and of the capacity grid."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from steward.core.api.serializers import StewardModelSerializer
from steward.projects import services_raid
from steward.projects.api.serializers import COMMON
from steward.projects.models import RaidItem, ResourceProfile, StatusReport, TimeEntry, Timesheet


class ResourceProfileSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = ResourceProfile
        fields = (*COMMON, "person", "hourly_rate", "currency", "weekly_capacity", "calendar")
        brief_fields = ("id", "url", "display")


class TimesheetSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Timesheet
        fields = (*COMMON, "person", "week_start", "state", "note")
        read_only_fields = ("state",)
        brief_fields = ("id", "url", "display", "state")


class ProjectTimeEntrySerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = TimeEntry
        fields = (*COMMON, "person", "date", "hours", "project", "task", "billable", "note", "rate", "cost",
                  "timesheet")  # fmt: skip
        read_only_fields = ("rate", "cost", "timesheet")
        brief_fields = ("id", "url", "display", "date", "hours")


class RaidItemSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = RaidItem
        fields = (*COMMON, "reference", "project", "type", "title", "description", "owner", "status", "due_date",
                  "probability", "impact", "score", "tasks", "decided_by", "decided_on", "grc_risk")  # fmt: skip
        read_only_fields = ("score",)
        brief_fields = ("id", "url", "display", "reference")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        project = attrs.get("project") or getattr(self.instance, "project", None)
        if project is not None and attrs.get("tasks"):
            # A Django ValidationError raised in validate() is DRF's 400 keyed by field.
            services_raid.check_linked_tasks(project=project, tasks=attrs["tasks"])
        return attrs


class StatusReportSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = StatusReport
        fields = (*COMMON, "project", "state", "period_start", "period_end", "overall", "schedule", "cost", "scope",
                  "summary", "accomplishments", "next_steps", "key_risks", "published_at", "bac", "pv", "ev", "ac",
                  "cpi", "spi", "eac")  # fmt: skip
        read_only_fields = ("state", "published_at", "bac", "pv", "ev", "ac", "cpi", "spi", "eac")
        brief_fields = ("id", "url", "display", "state")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        project = attrs.get("project") or getattr(self.instance, "project", None)
        if project is not None and attrs.get("key_risks"):
            services_raid.check_key_risks(project=project, risks=attrs["key_risks"])
        return attrs


class CapacityCellSerializer(serializers.Serializer):
    week = serializers.DateField()
    available = serializers.DecimalField(max_digits=8, decimal_places=1)
    project = serializers.DecimalField(max_digits=8, decimal_places=1)
    service = serializers.DecimalField(max_digits=8, decimal_places=1)
    demand = serializers.DecimalField(max_digits=8, decimal_places=1)
    load = serializers.IntegerField(allow_null=True, help_text="Demand as % of available hours.")
    over = serializers.BooleanField(help_text="Demand above the available hours (load > 100 %).")


class CapacityRowSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person.pk")
    name = serializers.CharField(source="person")
    over_weeks = serializers.IntegerField()
    cells = CapacityCellSerializer(many=True)
