from __future__ import annotations

import django_tables2 as tables

from steward.core.tables import ChoiceBadgeColumn, StateColumn, StewardTable
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


class AdvisoryTable(StewardTable):
    identifier = tables.Column(linkify=True)
    severity = ChoiceBadgeColumn()
    source = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = Advisory
        fields = (
            "pk", "identifier", "summary", "severity", "cvss3_score", "cvss4_score", "known_exploited",
            "source", "published", "modified", "withdrawn",
        )  # fmt: skip
        default_columns = ("identifier", "summary", "severity", "cvss3_score", "known_exploited", "published")


class AffectedPackageTable(StewardTable):
    name = tables.Column(linkify=True)
    advisory = tables.Column(linkify=True)
    ecosystem = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = AffectedPackage
        fields = ("pk", "name", "advisory", "ecosystem", "osv_ecosystem", "purl")
        default_columns = ("name", "advisory", "ecosystem", "osv_ecosystem")


class SeverityPolicyTable(StewardTable):
    severity = ChoiceBadgeColumn(linkify=True)

    class Meta(StewardTable.Meta):
        model = SeverityPolicy
        fields = ("pk", "severity", "remediation_days", "description")
        default_columns = ("severity", "remediation_days", "description")


class FindingTable(StewardTable):
    reference = tables.Column(linkify=True)
    configuration_item = tables.Column(linkify=True)
    advisory = tables.Column(linkify=True, accessor="advisory__identifier", verbose_name="Advisory")
    product = tables.Column(linkify=True)
    severity = ChoiceBadgeColumn()
    state = StateColumn()

    class Meta(StewardTable.Meta):
        model = Finding
        fields = (
            "pk", "reference", "configuration_item", "advisory", "product", "installed_version", "fixed_version",
            "severity", "state", "due_date", "first_detected", "last_detected", "closed_at", "assignee",
        )  # fmt: skip
        default_columns = (
            "reference", "configuration_item", "advisory", "product", "installed_version", "fixed_version",
            "severity", "state", "due_date",
        )  # fmt: skip


class SecurityIncidentTable(StewardTable):
    reference = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    category = ChoiceBadgeColumn()
    severity = ChoiceBadgeColumn()
    state = StateColumn()

    class Meta(StewardTable.Meta):
        model = SecurityIncident
        fields = (
            "pk", "reference", "title", "category", "severity", "state", "detected_at", "handler",
            "personal_data_breach", "notification_due", "regulator_notified_at", "closed_at",
        )  # fmt: skip
        default_columns = (
            "reference", "title", "category", "severity", "state", "detected_at", "personal_data_breach",
            "notification_due",
        )  # fmt: skip


class EntitlementTable(StewardTable):
    person = tables.Column(linkify=True)
    system = tables.Column(linkify=True)
    link = tables.Column(accessor="pk", verbose_name="", linkify=True, orderable=False)

    class Meta(StewardTable.Meta):
        model = Entitlement
        fields = ("pk", "person", "system", "role", "granted_at", "active", "link")
        default_columns = ("person", "system", "role", "granted_at", "active", "link")


class AccessReviewTable(StewardTable):
    reference = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    reviewer_rule = ChoiceBadgeColumn()
    state = StateColumn()

    class Meta(StewardTable.Meta):
        model = AccessReview
        fields = ("pk", "reference", "name", "reviewer_rule", "state", "due_date", "completed_at")
        default_columns = ("reference", "name", "reviewer_rule", "state", "due_date")


class AccessDecisionTable(StewardTable):
    review = tables.Column(linkify=True)
    person = tables.Column(linkify=True)
    system = tables.Column(linkify=True)
    decision = ChoiceBadgeColumn()
    fulfilment_incident = tables.Column(linkify=True)
    link = tables.Column(accessor="pk", verbose_name="", linkify=True, orderable=False)

    class Meta(StewardTable.Meta):
        model = AccessDecision
        fields = ("pk", "review", "person", "system", "role", "reviewer", "decision", "new_role", "decided_at",
                  "fulfilment_incident", "link")  # fmt: skip
        default_columns = (
            "review",
            "person",
            "system",
            "role",
            "reviewer",
            "decision",
            "fulfilment_incident",
            "link",
        )
