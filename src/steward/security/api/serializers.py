from __future__ import annotations

from rest_framework import serializers

from steward.core.api.serializers import StewardModelSerializer
from steward.security.models import (
    AccessDecision,
    AccessReview,
    Advisory,
    AffectedPackage,
    Entitlement,
    EvidenceEntry,
    Finding,
    SecurityIncident,
    SeverityPolicy,
)

COMMON = ("id", "url", "display", "tags", "custom_fields", "created", "last_updated")


class AdvisorySerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Advisory
        fields = (
            *COMMON, "identifier", "aliases", "source", "summary", "details", "severity", "cvss3_vector",
            "cvss3_score", "cvss4_vector", "cvss4_score", "known_exploited", "published", "modified",
            "withdrawn", "references",
        )  # fmt: skip
        read_only_fields = ("cvss3_score", "cvss4_score")
        brief_fields = ("id", "url", "display", "identifier", "severity")


class AffectedPackageSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = AffectedPackage
        fields = (
            *COMMON,
            "advisory",
            "ecosystem",
            "osv_ecosystem",
            "name",
            "purl",
            "ranges",
            "versions",
            "intervals",
        )
        read_only_fields = ("intervals",)
        brief_fields = ("id", "url", "display", "ecosystem", "name")


class SeverityPolicySerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = SeverityPolicy
        fields = (*COMMON, "severity", "remediation_days", "description")
        brief_fields = ("id", "url", "display", "severity", "remediation_days")


class VulnerabilityFindingSerializer(StewardModelSerializer):
    """A vulnerability finding (named apart from grc's audit findings in the OpenAPI schema)."""

    class Meta(StewardModelSerializer.Meta):
        model = Finding
        fields = (
            *COMMON, "reference", "state", "configuration_item", "advisory", "product", "installation",
            "installed_version", "fixed_version", "severity", "due_date", "first_detected", "last_detected",
            "closed_at", "closure_reason", "assignee", "justification", "risk_accepted_until",
        )  # fmt: skip
        read_only_fields = (
            "reference",
            "state",
            "first_detected",
            "last_detected",
            "closed_at",
            "closure_reason",
        )
        brief_fields = ("id", "url", "display", "reference", "state", "severity")


class AdvisoryImportSerializer(serializers.Serializer):
    """Input and result of an advisory import."""

    files = serializers.ListField(child=serializers.FileField(), write_only=True)
    created = serializers.ListField(child=serializers.CharField(), read_only=True)
    updated = serializers.ListField(child=serializers.CharField(), read_only=True)
    unchanged = serializers.IntegerField(read_only=True)
    findings = serializers.DictField(read_only=True)


class ExposedServiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    name = serializers.CharField()
    url = serializers.CharField()


class SecurityIncidentSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = SecurityIncident
        fields = (
            *COMMON, "reference", "state", "title", "description", "category", "severity", "detected_at",
            "reported_by", "handler", "affected_items", "affected_data", "related_incidents",
            "personal_data_breach", "aware_at", "notification_due", "regulator_notified_at", "lessons_learned",
            "closed_at",
        )  # fmt: skip
        read_only_fields = ("reference", "state", "notification_due", "closed_at")
        brief_fields = ("id", "url", "display", "reference", "state")


class EvidenceEntrySerializer(serializers.ModelSerializer):
    """Read-only: entries are appended through ``POST …/security-incidents/{id}/evidence/``."""

    class Meta:
        model = EvidenceEntry
        fields = (
            "id", "incident", "sequence", "recorded_at", "recorded_by_name", "action", "description", "custodian",
            "location", "file_name", "file_sha256", "previous_hash", "entry_hash",
        )  # fmt: skip
        read_only_fields = fields


class EvidenceInputSerializer(serializers.Serializer):
    action = serializers.CharField(default="collected")
    description = serializers.CharField()
    custodian = serializers.CharField(required=False, allow_blank=True, default="")
    location = serializers.CharField(required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False)


class EntitlementSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Entitlement
        fields = (*COMMON, "person", "system", "role", "granted_at", "active")
        brief_fields = ("id", "url", "display", "role")


class AccessReviewSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = AccessReview
        fields = (*COMMON, "reference", "state", "name", "description", "systems", "reviewer_rule",
                  "fallback_reviewer", "due_date", "completed_at")  # fmt: skip
        read_only_fields = ("reference", "state", "completed_at")
        brief_fields = ("id", "url", "display", "reference", "state")


class AccessDecisionSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = AccessDecision
        fields = (*COMMON, "review", "entitlement", "person", "system", "role", "reviewer", "decision", "new_role",
                  "comment", "decided_at", "decided_by", "fulfilment_incident")  # fmt: skip
        read_only_fields = ("decided_at", "decided_by", "fulfilment_incident")
        brief_fields = ("id", "url", "display", "decision")


class AccessReviewReportSerializer(serializers.Serializer):
    """The completion report of an access review."""

    review = serializers.CharField()
    state = serializers.CharField()
    total = serializers.IntegerField()
    decided = serializers.IntegerField()
    completion_percent = serializers.FloatField()
    by_decision = serializers.DictField(child=serializers.IntegerField())
    by_system = serializers.ListField(child=serializers.DictField())
    tickets = serializers.ListField(child=serializers.DictField())
