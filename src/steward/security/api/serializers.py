from __future__ import annotations

from rest_framework import serializers

from steward.core.api.serializers import StewardModelSerializer
from steward.security.models import Advisory, AffectedPackage, Finding, SeverityPolicy

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


class FindingSerializer(StewardModelSerializer):
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
