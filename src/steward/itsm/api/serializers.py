from __future__ import annotations

from rest_framework import serializers

from steward.core.api.serializers import StewardModelSerializer
from steward.itsm import services
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
    SLAClock,
    SLAPolicy,
    TimeEntry,
)

COMMON = ("id", "url", "display", "tags", "custom_fields", "created", "last_updated")


class ServiceSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Service
        fields = (
            *COMMON, "name", "kind", "description", "owner", "support_team", "criticality", "status",
            "default_sla_policy", "business_calendar", "configuration_items",
        )  # fmt: skip
        brief_fields = ("id", "url", "display", "name")


class ServiceOfferingSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = ServiceOffering
        fields = (*COMMON, "service", "name", "description", "status", "support_team", "default_sla_policy")
        brief_fields = ("id", "url", "display", "name")


class PriorityMatrixSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = PriorityMatrix
        fields = (*COMMON, "name", "is_default", "entries", "description")
        brief_fields = ("id", "url", "display", "name")


class IncidentSerializer(StewardModelSerializer):
    state = serializers.CharField(read_only=True)

    class Meta(StewardModelSerializer.Meta):
        model = Incident
        fields = (
            *COMMON, "reference", "state", "short_description", "description", "type", "caller", "service",
            "service_offering", "category", "subcategory", "impact", "urgency", "priority", "assignment_team",
            "assignee", "parent", "major_incident", "hold_reason", "resolution_code", "resolution_notes",
            "responded_at", "resolved_at", "closed_at", "caused_by_change", "configuration_item",
            "external_reference",
        )  # fmt: skip
        read_only_fields = (
            "created", "last_updated", "reference", "priority", "hold_reason", "resolution_code",
            "resolution_notes", "responded_at", "resolved_at", "closed_at", "external_reference",
        )  # fmt: skip
        brief_fields = ("id", "url", "display", "reference", "state", "priority")


class IncidentNoteSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = IncidentNote
        fields = (*COMMON, "incident", "kind", "author", "body")
        read_only_fields = ("created", "last_updated", "author")
        brief_fields = ("id", "url", "display", "kind")


class TimeEntrySerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = TimeEntry
        fields = (*COMMON, "incident", "person", "date", "minutes", "note")
        brief_fields = ("id", "url", "display", "minutes")


class SLAPolicySerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = SLAPolicy
        fields = (
            *COMMON, "name", "description", "enabled", "order", "priorities", "service", "incident_type",
            "response_minutes", "resolution_minutes", "calendar", "pause_states", "warning_percent",
        )  # fmt: skip
        brief_fields = ("id", "url", "display", "name")


class SLAClockSerializer(StewardModelSerializer):
    elapsed_minutes = serializers.SerializerMethodField()
    percent_used = serializers.SerializerMethodField()

    class Meta(StewardModelSerializer.Meta):
        model = SLAClock
        fields = (
            "id", "url", "display", "created", "last_updated", "incident", "policy", "kind", "status",
            "target_minutes", "started_at", "running_since", "elapsed_minutes", "percent_used", "due_at",
            "stopped_at", "warned_at", "breached", "breached_at",
        )  # fmt: skip
        read_only_fields = fields
        brief_fields = ("id", "url", "display", "kind", "status")

    def get_elapsed_minutes(self, obj: SLAClock) -> float:
        return round(services.clock_elapsed(obj), 2)

    def get_percent_used(self, obj: SLAClock) -> float:
        return services.clock_percent(obj)


class ProblemSerializer(StewardModelSerializer):
    state = serializers.CharField(read_only=True)

    class Meta(StewardModelSerializer.Meta):
        model = Problem
        fields = (
            *COMMON, "reference", "state", "short_description", "description", "service", "category", "priority",
            "assignment_team", "assignee", "incidents", "root_cause", "workaround", "fix", "known_error",
        )  # fmt: skip
        read_only_fields = ("created", "last_updated", "reference")
        brief_fields = ("id", "url", "display", "reference", "state", "known_error")


class RiskQuestionSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = RiskQuestion
        fields = (*COMMON, "key", "text", "options", "order", "enabled")
        brief_fields = ("id", "url", "display", "key")


class FreezeWindowSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = FreezeWindow
        fields = (*COMMON, "name", "start", "end", "services", "description")
        brief_fields = ("id", "url", "display", "name", "start", "end")


class ChangeSerializer(StewardModelSerializer):
    state = serializers.CharField(read_only=True)

    class Meta(StewardModelSerializer.Meta):
        model = Change
        fields = (
            *COMMON, "reference", "state", "short_description", "description", "type", "service", "requested_by",
            "assignment_team", "assignee", "planned_start", "planned_end", "actual_start", "actual_end",
            "implementation_plan", "backout_plan", "test_plan", "risk_answers", "risk_score", "risk_level",
            "review_notes", "has_conflicts", "conflicts",
        )  # fmt: skip
        read_only_fields = ("created", "last_updated", "reference", "risk_score", "risk_level", "has_conflicts",
                            "conflicts")  # fmt: skip
        brief_fields = ("id", "url", "display", "reference", "state", "type")


class AlertIntakeSettingsSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = AlertIntakeSettings
        fields = (
            *COMMON, "receiver", "service", "assignment_team", "category", "default_impact", "default_urgency",
            "severity_map", "resolve_on_clear", "resolution_code", "description",
        )  # fmt: skip
        brief_fields = ("id", "url", "display", "receiver")


class AlertSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Alert
        fields = (
            *COMMON, "fingerprint", "name", "status", "severity", "receiver", "host", "labels", "annotations",
            "starts_at", "ends_at", "last_received", "generator_url", "incident", "configuration_item",
        )  # fmt: skip
        read_only_fields = ("last_received",)
        brief_fields = ("id", "url", "display", "fingerprint", "status")
