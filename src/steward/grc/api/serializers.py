from __future__ import annotations

from rest_framework import serializers

from steward.core.api.serializers import StewardModelSerializer
from steward.grc.models import (
    Acknowledgement,
    AcknowledgementCampaign,
    Assessment,
    AssessmentResult,
    Control,
    Evidence,
    Finding,
    Framework,
    Indicator,
    Measurement,
    Policy,
    PolicyVersion,
    RaciAssignment,
    RaciMatrix,
    RemediationTask,
    Requirement,
    Risk,
    RiskMatrix,
    Scoping,
)

COMMON = ("id", "url", "display", "tags", "custom_fields", "created", "last_updated")
READ_ONLY = ("created", "last_updated")


class FrameworkSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Framework
        fields = (*COMMON, "name", "identifier", "version", "source", "source_uuid", "based_on", "publisher",
                  "description", "imported_at")  # fmt: skip
        read_only_fields = (*READ_ONLY, "imported_at")
        brief_fields = ("id", "url", "display", "name", "version")


class RequirementSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Requirement
        fields = (*COMMON, "framework", "parent", "control_id", "kind", "label", "title", "statement", "guidance",
                  "parameters", "sort_order", "withdrawn")  # fmt: skip
        brief_fields = ("id", "url", "display", "control_id", "title")


class ControlSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Control
        fields = (*COMMON, "reference", "name", "description", "owner", "implementation_status", "requirements",
                  "organisations", "departments", "services", "test_result", "tested_on", "test_notes")  # fmt: skip
        read_only_fields = (*READ_ONLY, "reference")
        brief_fields = ("id", "url", "display", "reference", "name")


class ScopingSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Scoping
        fields = (
            *COMMON,
            "requirement",
            "organisation",
            "department",
            "service",
            "applicable",
            "justification",
        )
        brief_fields = ("id", "url", "display", "applicable")


class EvidenceSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Evidence
        fields = (*COMMON, "name", "kind", "link", "query", "description", "controls", "collected_at", "row_count",
                  "data")  # fmt: skip
        read_only_fields = (*READ_ONLY, "collected_at", "row_count", "data")
        brief_fields = ("id", "url", "display", "name", "kind")


class AssessmentSerializer(StewardModelSerializer):
    state = serializers.CharField(read_only=True)

    class Meta(StewardModelSerializer.Meta):
        model = Assessment
        fields = (*COMMON, "reference", "state", "name", "framework", "organisations", "departments", "services",
                  "assessor", "start_date", "end_date", "description")  # fmt: skip
        read_only_fields = (*READ_ONLY, "reference")
        brief_fields = ("id", "url", "display", "reference", "state")


class AssessmentResultSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = AssessmentResult
        fields = (*COMMON, "assessment", "requirement", "status", "score", "notes", "evidence", "inherited_from",
                  "assessed_at")  # fmt: skip
        read_only_fields = (*READ_ONLY, "inherited_from", "assessed_at")
        brief_fields = ("id", "url", "display", "status", "score")


class FindingSerializer(StewardModelSerializer):
    state = serializers.CharField(read_only=True)

    class Meta(StewardModelSerializer.Meta):
        model = Finding
        fields = (*COMMON, "reference", "state", "title", "description", "assessment", "requirement", "severity",
                  "owner", "due_date", "resolution")  # fmt: skip
        read_only_fields = (*READ_ONLY, "reference")
        brief_fields = ("id", "url", "display", "reference", "state", "severity")


class RemediationTaskSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = RemediationTask
        fields = (*COMMON, "title", "finding", "risk", "assignee", "due_date", "done", "notes")
        brief_fields = ("id", "url", "display", "title", "done")


class RiskMatrixSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = RiskMatrix
        fields = (*COMMON, "name", "description", "is_default", "likelihood", "impact", "levels", "appetite")
        brief_fields = ("id", "url", "display", "name")


class RiskSerializer(StewardModelSerializer):
    state = serializers.CharField(read_only=True)

    class Meta(StewardModelSerializer.Meta):
        model = Risk
        fields = (*COMMON, "reference", "state", "title", "description", "category", "owner", "services",
                  "configuration_items", "threats", "matrix", "inherent_likelihood", "inherent_impact",
                  "residual_likelihood", "residual_impact", "inherent_score", "residual_score", "controls",
                  "treatment", "treatment_plan", "accepted_by", "acceptance_expires", "review_every_days",
                  "last_reviewed")  # fmt: skip
        read_only_fields = (*READ_ONLY, "reference", "inherent_score", "residual_score")
        brief_fields = ("id", "url", "display", "reference", "state", "residual_score")


class PolicySerializer(StewardModelSerializer):
    state = serializers.CharField(read_only=True)

    class Meta(StewardModelSerializer.Meta):
        model = Policy
        fields = (*COMMON, "reference", "state", "title", "policy_type", "owner", "body", "version",
                  "review_every_months", "next_review")  # fmt: skip
        read_only_fields = (*READ_ONLY, "reference", "version")
        brief_fields = ("id", "url", "display", "reference", "state", "version")


class PolicyVersionSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = PolicyVersion
        fields = (*COMMON, "policy", "version", "body", "published_at", "approved_by")
        brief_fields = ("id", "url", "display", "version")


class AcknowledgementCampaignSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = AcknowledgementCampaign
        fields = (*COMMON, "name", "policy_version", "people", "due_date", "last_chased")
        read_only_fields = (*READ_ONLY, "last_chased")
        brief_fields = ("id", "url", "display", "name")


class AcknowledgementSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Acknowledgement
        fields = (*COMMON, "campaign", "person", "acknowledged_at")
        brief_fields = ("id", "url", "display", "acknowledged_at")

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        campaign = attrs.get("campaign") or getattr(self.instance, "campaign", None)
        person = attrs.get("person") or getattr(self.instance, "person", None)
        if campaign and person and not campaign.people.filter(pk=person.pk).exists():
            raise serializers.ValidationError(
                {"person": f"{person} is not asked to acknowledge this policy."}
            )
        return attrs


class RaciMatrixSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = RaciMatrix
        fields = (*COMMON, "name", "description")
        brief_fields = ("id", "url", "display", "name")


class RaciAssignmentSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = RaciAssignment
        fields = (*COMMON, "matrix", "activity", "person", "team", "role", "responsibility")
        brief_fields = ("id", "url", "display", "activity", "responsibility")


class IndicatorSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Indicator
        fields = (*COMMON, "name", "kind", "description", "unit", "direction", "target", "green_at", "red_at",
                  "frequency", "owner", "metric", "service")  # fmt: skip
        brief_fields = ("id", "url", "display", "name")


class MeasurementSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Measurement
        fields = (*COMMON, "indicator", "measured_at", "value", "computed", "note")
        read_only_fields = (*READ_ONLY, "computed")
        brief_fields = ("id", "url", "display", "value")
