from __future__ import annotations

import django_tables2 as tables

from steward.core.tables import ChoiceBadgeColumn, StateColumn, StewardTable
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


class FrameworkTable(StewardTable):
    name = tables.Column(linkify=True)
    source = ChoiceBadgeColumn()
    based_on = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Framework
        fields = ("pk", "name", "version", "source", "identifier", "based_on", "publisher", "imported_at")
        default_columns = ("name", "version", "source", "based_on", "imported_at")


class RequirementTable(StewardTable):
    control_id = tables.Column(linkify=True)
    kind = ChoiceBadgeColumn()
    framework = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Requirement
        fields = ("pk", "control_id", "label", "title", "kind", "framework", "parent", "withdrawn")
        default_columns = ("control_id", "label", "title", "kind", "framework", "withdrawn")


class ControlTable(StewardTable):
    reference = tables.Column(linkify=True)
    implementation_status = ChoiceBadgeColumn()
    test_result = ChoiceBadgeColumn()
    owner = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Control
        fields = ("pk", "reference", "name", "owner", "implementation_status", "test_result", "tested_on")
        default_columns = ("reference", "name", "owner", "implementation_status", "test_result", "tested_on")


class ScopingTable(StewardTable):
    id = tables.Column(linkify=True, verbose_name="#")
    requirement = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Scoping
        fields = (
            "pk",
            "id",
            "requirement",
            "organisation",
            "department",
            "service",
            "applicable",
            "justification",
        )
        default_columns = ("id", "requirement", "organisation", "department", "service", "applicable")


class EvidenceTable(StewardTable):
    name = tables.Column(linkify=True)
    kind = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = Evidence
        fields = ("pk", "name", "kind", "link", "query", "collected_at", "row_count")
        default_columns = ("name", "kind", "query", "collected_at", "row_count")


class AssessmentTable(StewardTable):
    reference = tables.Column(linkify=True)
    framework = tables.Column(linkify=True)
    state = StateColumn()

    class Meta(StewardTable.Meta):
        model = Assessment
        fields = ("pk", "reference", "name", "framework", "assessor", "state", "start_date", "end_date")
        default_columns = ("reference", "name", "framework", "assessor", "state", "start_date", "end_date")


class AssessmentResultTable(StewardTable):
    id = tables.Column(linkify=True, verbose_name="#")
    requirement = tables.Column(linkify=True)
    status = ChoiceBadgeColumn()
    assessment = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = AssessmentResult
        fields = ("pk", "id", "assessment", "requirement", "status", "score", "inherited_from", "assessed_at")
        default_columns = ("id", "requirement", "status", "score", "inherited_from", "assessed_at")


class FindingTable(StewardTable):
    reference = tables.Column(linkify=True)
    severity = ChoiceBadgeColumn()
    state = StateColumn()

    class Meta(StewardTable.Meta):
        model = Finding
        fields = (
            "pk",
            "reference",
            "title",
            "severity",
            "state",
            "owner",
            "due_date",
            "assessment",
            "requirement",
        )
        default_columns = ("reference", "title", "severity", "state", "owner", "due_date")


class RemediationTaskTable(StewardTable):
    title = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = RemediationTask
        fields = ("pk", "title", "finding", "risk", "assignee", "due_date", "done")
        default_columns = ("title", "finding", "risk", "assignee", "due_date", "done")


class RiskMatrixTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = RiskMatrix
        fields = ("pk", "name", "is_default", "appetite")
        default_columns = ("name", "is_default", "appetite")


class RiskTable(StewardTable):
    reference = tables.Column(linkify=True)
    state = StateColumn()
    treatment = ChoiceBadgeColumn()
    owner = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Risk
        fields = (
            "pk", "reference", "title", "category", "owner", "state", "inherent_score", "residual_score",
            "treatment", "acceptance_expires", "last_reviewed",
        )  # fmt: skip
        default_columns = (
            "reference",
            "title",
            "owner",
            "state",
            "inherent_score",
            "residual_score",
            "treatment",
        )


class PolicyTable(StewardTable):
    reference = tables.Column(linkify=True)
    policy_type = ChoiceBadgeColumn()
    state = StateColumn()

    class Meta(StewardTable.Meta):
        model = Policy
        fields = ("pk", "reference", "title", "policy_type", "owner", "state", "version", "next_review")
        default_columns = ("reference", "title", "policy_type", "owner", "state", "version", "next_review")


class PolicyVersionTable(StewardTable):
    policy = tables.Column(linkify=True)
    version = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = PolicyVersion
        fields = ("pk", "policy", "version", "published_at", "approved_by")
        default_columns = ("policy", "version", "published_at", "approved_by")


class AcknowledgementCampaignTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = AcknowledgementCampaign
        fields = ("pk", "name", "policy_version", "due_date", "last_chased")
        default_columns = ("name", "policy_version", "due_date", "last_chased")


class AcknowledgementTable(StewardTable):
    id = tables.Column(linkify=True, verbose_name="#")
    person = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Acknowledgement
        fields = ("pk", "id", "campaign", "person", "acknowledged_at")
        default_columns = ("id", "campaign", "person", "acknowledged_at")


class RaciMatrixTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = RaciMatrix
        fields = ("pk", "name", "description")
        default_columns = ("name", "description")


class RaciAssignmentTable(StewardTable):
    activity = tables.Column(linkify=True)
    responsibility = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = RaciAssignment
        fields = ("pk", "matrix", "activity", "person", "team", "role", "responsibility")
        default_columns = ("matrix", "activity", "person", "team", "role", "responsibility")


class IndicatorTable(StewardTable):
    name = tables.Column(linkify=True)
    kind = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = Indicator
        fields = ("pk", "name", "kind", "unit", "direction", "target", "green_at", "red_at", "frequency", "owner",
                  "metric")  # fmt: skip
        default_columns = ("name", "kind", "unit", "target", "frequency", "owner", "metric")


class MeasurementTable(StewardTable):
    indicator = tables.Column(linkify=True)
    value = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Measurement
        fields = ("pk", "indicator", "measured_at", "value", "computed", "note")
        default_columns = ("indicator", "measured_at", "value", "computed", "note")
