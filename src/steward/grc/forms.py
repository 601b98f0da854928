from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.core.forms import StewardModelForm
from steward.grc.metrics import metric_choices
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
from steward.grc.queries import query_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S")


class FrameworkForm(StewardModelForm):
    class Meta:
        model = Framework
        fields = ("name", "identifier", "version", "source", "based_on", "publisher", "description", "tags")


class RequirementForm(StewardModelForm):
    class Meta:
        model = Requirement
        fields = (
            "framework", "parent", "control_id", "kind", "label", "title", "statement", "guidance",
            "sort_order", "withdrawn", "tags",
        )  # fmt: skip


class ControlForm(StewardModelForm):
    class Meta:
        model = Control
        fields = (
            "name", "description", "owner", "implementation_status", "requirements", "organisations",
            "departments", "services", "test_result", "tested_on", "test_notes", "tags",
        )  # fmt: skip
        widgets = {"tested_on": DATE}


class ScopingForm(StewardModelForm):
    class Meta:
        model = Scoping
        fields = (
            "requirement",
            "organisation",
            "department",
            "service",
            "applicable",
            "justification",
            "tags",
        )


class EvidenceForm(StewardModelForm):
    query = forms.ChoiceField(label=_("Query"), required=False, choices=query_choices)

    class Meta:
        model = Evidence
        fields = ("name", "kind", "link", "query", "description", "controls", "tags")


class AssessmentForm(StewardModelForm):
    class Meta:
        model = Assessment
        fields = (
            "name", "framework", "organisations", "departments", "services", "assessor", "start_date", "end_date",
            "description", "tags",
        )  # fmt: skip
        widgets = {"start_date": DATE, "end_date": DATE}


class AssessmentResultForm(StewardModelForm):
    class Meta:
        model = AssessmentResult
        fields = ("assessment", "requirement", "status", "score", "notes", "evidence", "tags")


class FindingForm(StewardModelForm):
    class Meta:
        model = Finding
        fields = (
            "title", "description", "assessment", "requirement", "severity", "owner", "due_date", "resolution",
            "tags",
        )  # fmt: skip
        widgets = {"due_date": DATE}


class RemediationTaskForm(StewardModelForm):
    class Meta:
        model = RemediationTask
        fields = ("title", "finding", "risk", "assignee", "due_date", "done", "notes", "tags")
        widgets = {"due_date": DATE}


class RiskMatrixForm(StewardModelForm):
    class Meta:
        model = RiskMatrix
        fields = ("name", "is_default", "likelihood", "impact", "levels", "appetite", "description", "tags")


class RiskForm(StewardModelForm):
    class Meta:
        model = Risk
        fields = (
            "title", "description", "category", "owner", "services", "configuration_items", "threats", "matrix",
            "inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact", "controls",
            "treatment", "treatment_plan", "accepted_by", "acceptance_expires", "review_every_days",
            "last_reviewed", "tags",
        )  # fmt: skip
        widgets = {"acceptance_expires": DATE, "last_reviewed": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "matrix" in self.fields and not self.instance.pk and not self.initial.get("matrix"):
            from steward.grc.services import default_matrix

            matrix = default_matrix()
            self.initial["matrix"] = matrix.pk if matrix else None


class PolicyForm(StewardModelForm):
    class Meta:
        model = Policy
        fields = ("title", "policy_type", "owner", "body", "review_every_months", "next_review", "tags")
        widgets = {"next_review": DATE}


class PolicyVersionForm(StewardModelForm):
    class Meta:
        model = PolicyVersion
        fields = ("policy", "version", "body", "published_at", "approved_by", "tags")
        widgets = {"published_at": DATETIME}


class AcknowledgementCampaignForm(StewardModelForm):
    class Meta:
        model = AcknowledgementCampaign
        fields = ("name", "policy_version", "people", "due_date", "tags")
        widgets = {"due_date": DATE}


class AcknowledgementForm(StewardModelForm):
    class Meta:
        model = Acknowledgement
        fields = ("campaign", "person", "acknowledged_at", "tags")
        widgets = {"acknowledged_at": DATETIME}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        campaign, person = data.get("campaign"), data.get("person")
        if campaign and person and not campaign.people.filter(pk=person.pk).exists():
            self.add_error("person", _("%s is not asked to acknowledge this policy.") % person)
        return data


class RaciMatrixForm(StewardModelForm):
    class Meta:
        model = RaciMatrix
        fields = ("name", "description", "tags")


class RaciAssignmentForm(StewardModelForm):
    class Meta:
        model = RaciAssignment
        fields = ("matrix", "activity", "person", "team", "role", "responsibility", "tags")


class IndicatorForm(StewardModelForm):
    metric = forms.ChoiceField(label=_("Metric"), required=False, choices=metric_choices)

    class Meta:
        model = Indicator
        fields = (
            "name", "kind", "description", "unit", "direction", "target", "green_at", "red_at", "frequency",
            "owner", "metric", "service", "tags",
        )  # fmt: skip


class MeasurementForm(StewardModelForm):
    class Meta:
        model = Measurement
        fields = ("indicator", "measured_at", "value", "note", "tags")
        widgets = {"measured_at": DATETIME}


class FrameworkUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Framework file"), help_text=_("OSCAL catalog or profile (JSON) or a Steward library (YAML).")
    )
    catalog = forms.ModelChoiceField(
        queryset=Framework.objects.exclude(source="oscal-profile"), required=False, label=_("Catalog"),
        help_text=_("For a profile: the imported catalog it selects from, when it cannot be found by itself."),
    )  # fmt: skip


class AssessmentUploadForm(forms.Form):
    file = forms.FileField(label=_("OSCAL assessment results (JSON)"))
    framework = forms.ModelChoiceField(
        queryset=Framework.objects.all(), required=False, label=_("Framework"),
        help_text=_("Only needed when the file does not name an imported framework."),
    )  # fmt: skip
