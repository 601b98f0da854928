from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.text import format_lazy

from steward.core.forms import RemoteSelect, StewardModelForm
from steward.security.choices import EvidenceAction
from steward.security.models import (
    AccessDecision,
    AccessReview,
    Advisory,
    AffectedPackage,
    Entitlement,
    Finding,
    SecurityIncident,
    SeverityPolicy,
)

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


class RemoteSelectMultiple(RemoteSelect):
    """The searching select for many-to-many links to large tables."""

    allow_multiple_selected = True

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False


INCIDENTS_URL = format_lazy("{}?brief=1", reverse_lazy("api:itsm-incident-list"))


class SecurityIncidentForm(StewardModelForm):
    class Meta:
        model = SecurityIncident
        fields = (
            "title", "description", "category", "severity", "detected_at", "reported_by", "handler",
            "affected_items", "affected_data", "related_incidents", "personal_data_breach", "aware_at",
            "regulator_notified_at", "lessons_learned", "tags",
        )  # fmt: skip
        widgets = {
            "affected_items": RemoteSelectMultiple(ITEMS_URL),
            "related_incidents": RemoteSelectMultiple(INCIDENTS_URL),
        }


class EvidenceForm(forms.Form):
    """A new chain-of-custody entry, optionally with the file it is about."""

    action = forms.ChoiceField(choices=EvidenceAction.choices)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    custodian = forms.CharField(required=False, max_length=200)
    location = forms.CharField(required=False, max_length=200)
    file = forms.FileField(required=False)


class EntitlementForm(StewardModelForm):
    class Meta:
        model = Entitlement
        fields = ("person", "system", "role", "granted_at", "active", "tags")
        widgets = {"system": RemoteSelect(ITEMS_URL)}


class AccessReviewForm(StewardModelForm):
    class Meta:
        model = AccessReview
        fields = ("name", "description", "systems", "reviewer_rule", "fallback_reviewer", "due_date", "tags")
        widgets = {"systems": RemoteSelectMultiple(ITEMS_URL)}


class AccessDecisionForm(StewardModelForm):
    class Meta:
        model = AccessDecision
        fields = ("review", "entitlement", "person", "system", "role", "reviewer", "decision", "new_role", "comment",
                  "tags")  # fmt: skip
        widgets = {"system": RemoteSelect(ITEMS_URL)}
