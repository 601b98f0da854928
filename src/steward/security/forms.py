from __future__ import annotations

from django.urls import reverse_lazy
from django.utils.text import format_lazy

from steward.core.forms import RemoteSelect, StewardModelForm
from steward.security.models import Advisory, AffectedPackage, Finding, SeverityPolicy

ITEMS_URL = format_lazy("{}?brief=1", reverse_lazy("api:cmdb-configurationitem-list"))


class AdvisoryForm(StewardModelForm):
    class Meta:
        model = Advisory
        fields = (
            "identifier", "aliases", "source", "summary", "details", "severity", "cvss3_vector",
            "cvss4_vector", "known_exploited", "published", "modified", "withdrawn", "references", "tags",
        )  # fmt: skip


class AffectedPackageForm(StewardModelForm):
    class Meta:
        model = AffectedPackage
        fields = ("advisory", "ecosystem", "osv_ecosystem", "name", "purl", "ranges", "versions", "tags")


class SeverityPolicyForm(StewardModelForm):
    class Meta:
        model = SeverityPolicy
        fields = ("severity", "remediation_days", "description", "tags")


class FindingForm(StewardModelForm):
    """Matching creates findings; people edit who works on them and the dates."""

    class Meta:
        model = Finding
        fields = (
            "configuration_item", "advisory", "product", "installation", "installed_version", "fixed_version",
            "severity", "due_date", "assignee", "tags",
        )  # fmt: skip
        widgets = {"configuration_item": RemoteSelect(ITEMS_URL)}
