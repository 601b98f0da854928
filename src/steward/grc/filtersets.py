from __future__ import annotations

import django_filters

from steward.core.filtersets import StewardFilterSet
from steward.grc import choices
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


class FrameworkFilterSet(StewardFilterSet):
    search_fields = ("name", "identifier", "description")
    source = django_filters.MultipleChoiceFilter(choices=choices.FrameworkSource.choices)

    class Meta:
        model = Framework
        fields = ("source", "based_on", "name", "identifier", "version")


class RequirementFilterSet(StewardFilterSet):
    search_fields = ("control_id", "label", "title", "statement")
    kind = django_filters.MultipleChoiceFilter(choices=choices.RequirementKind.choices)

    class Meta:
        model = Requirement
        fields = ("framework", "parent", "kind", "withdrawn", "control_id")


class ControlFilterSet(StewardFilterSet):
    search_fields = ("reference", "name", "description")
    implementation_status = django_filters.MultipleChoiceFilter(choices=choices.ImplementationStatus.choices)
    test_result = django_filters.MultipleChoiceFilter(choices=choices.ResultStatus.choices)
    framework = django_filters.NumberFilter(field_name="requirements__framework", distinct=True)

    class Meta:
        model = Control
        fields = ("owner", "implementation_status", "test_result", "requirements", "services", "departments")


class ScopingFilterSet(StewardFilterSet):
    search_fields = ("justification", "requirement__control_id")
    framework = django_filters.NumberFilter(field_name="requirement__framework")

    class Meta:
        model = Scoping
        fields = ("requirement", "organisation", "department", "service", "applicable")


class EvidenceFilterSet(StewardFilterSet):
    search_fields = ("name", "description", "link")
    kind = django_filters.MultipleChoiceFilter(choices=choices.EvidenceKind.choices)

    class Meta:
        model = Evidence
        fields = ("kind", "query", "controls")


class AssessmentFilterSet(StewardFilterSet):
    search_fields = ("reference", "name", "description")

    class Meta:
        model = Assessment
        fields = ("framework", "assessor", "state", "start_date", "end_date")


class AssessmentResultFilterSet(StewardFilterSet):
    search_fields = ("requirement__control_id", "requirement__title", "notes")
    status = django_filters.MultipleChoiceFilter(choices=choices.ResultStatus.choices)

    class Meta:
        model = AssessmentResult
        fields = ("assessment", "requirement", "status", "inherited_from")


class FindingFilterSet(StewardFilterSet):
    search_fields = ("reference", "title", "description")
    severity = django_filters.MultipleChoiceFilter(choices=choices.Severity.choices)

    class Meta:
        model = Finding
        fields = ("assessment", "requirement", "severity", "owner", "state", "due_date")


class RemediationTaskFilterSet(StewardFilterSet):
    search_fields = ("title", "notes")

    class Meta:
        model = RemediationTask
        fields = ("finding", "risk", "assignee", "done", "due_date")


class RiskMatrixFilterSet(StewardFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = RiskMatrix
        fields = ("name", "is_default")


class RiskFilterSet(StewardFilterSet):
    search_fields = ("reference", "title", "description", "category", "threats")
    treatment = django_filters.MultipleChoiceFilter(choices=choices.Treatment.choices)
    residual_score__gte = django_filters.NumberFilter(field_name="residual_score", lookup_expr="gte")

    class Meta:
        model = Risk
        fields = ("owner", "category", "state", "matrix", "treatment", "services", "controls", "accepted_by")


class PolicyFilterSet(StewardFilterSet):
    search_fields = ("reference", "title", "body")
    policy_type = django_filters.MultipleChoiceFilter(choices=choices.PolicyType.choices)

    class Meta:
        model = Policy
        fields = ("policy_type", "owner", "state", "next_review")


class PolicyVersionFilterSet(StewardFilterSet):
    search_fields = ("body",)

    class Meta:
        model = PolicyVersion
        fields = ("policy", "version", "approved_by")


class AcknowledgementCampaignFilterSet(StewardFilterSet):
    search_fields = ("name",)

    class Meta:
        model = AcknowledgementCampaign
        fields = ("policy_version", "due_date")


class AcknowledgementFilterSet(StewardFilterSet):
    search_fields = ("person__last_name", "person__first_name")

    class Meta:
        model = Acknowledgement
        fields = ("campaign", "person")


class RaciMatrixFilterSet(StewardFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = RaciMatrix
        fields = ("name",)


class RaciAssignmentFilterSet(StewardFilterSet):
    search_fields = ("activity", "role")
    responsibility = django_filters.MultipleChoiceFilter(choices=choices.Raci.choices)

    class Meta:
        model = RaciAssignment
        fields = ("matrix", "activity", "person", "team", "responsibility")


class IndicatorFilterSet(StewardFilterSet):
    search_fields = ("name", "description")
    kind = django_filters.MultipleChoiceFilter(choices=choices.IndicatorKind.choices)

    class Meta:
        model = Indicator
        fields = ("kind", "owner", "frequency", "metric")


class MeasurementFilterSet(StewardFilterSet):
    search_fields = ("note",)

    class Meta:
        model = Measurement
        fields = ("indicator", "computed")
