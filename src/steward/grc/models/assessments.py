"""Assessments and audits: a result per requirement, findings and their remediation tasks."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel
from steward.core.models.workflow import WorkflowMixin
from steward.grc.choices import ResultStatus, Severity
from steward.utilities.choices import ChoiceField


class Assessment(ReferenceMixin, WorkflowMixin, StewardModel):
    """An assessment or audit of one framework over a scope of units and services."""

    reference_prefix = "ASM-"
    reference_digits = 4
    workflow = "grc.assessment"

    name = models.CharField(_("name"), max_length=300)
    framework = models.ForeignKey(
        "grc.Framework", on_delete=models.PROTECT, related_name="assessments", verbose_name=_("framework")
    )
    organisations = models.ManyToManyField(
        "org.Organisation", blank=True, related_name="grc_assessments", verbose_name=_("organisations")
    )
    departments = models.ManyToManyField(
        "org.Department", blank=True, related_name="grc_assessments", verbose_name=_("departments")
    )
    services = models.ManyToManyField(
        "itsm.Service", blank=True, related_name="grc_assessments", verbose_name=_("services")
    )
    assessor = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grc_assessments",
        verbose_name=_("assessor"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    oscal_uuid = models.UUIDField(_("OSCAL UUID"), default=uuid.uuid4, editable=False)

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("-created", "-id")
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.reference} {self.name}" if self.reference else self.name

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


class AssessmentResult(StewardModel):
    """The verdict on one requirement in one assessment, with its evidence and score."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="results", verbose_name=_("assessment")
    )
    requirement = models.ForeignKey(
        "grc.Requirement", on_delete=models.PROTECT, related_name="results", verbose_name=_("requirement")
    )
    status = ChoiceField(_("result"), choices_class=ResultStatus, default=ResultStatus.NOT_ASSESSED)
    score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MaxValueValidator(100)], help_text=_("0–100 %.")
    )
    notes = models.TextField(_("notes"), blank=True)
    evidence = models.ManyToManyField(
        "grc.Evidence", blank=True, related_name="results", verbose_name=_("evidence")
    )
    inherited_from = models.ForeignKey(
        "grc.Control",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inherited_results",
        verbose_name=_("inherited from"),
    )
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)

    natural_key_fields = ("assessment", "requirement")

    class Meta:
        ordering = ("assessment", "requirement__sort_order", "id")
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        constraints = [
            models.UniqueConstraint(
                fields=("assessment", "requirement"), name="grc_result_unique_requirement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requirement.control_id}: {self.get_status_display()}"

    def clean(self) -> None:
        super().clean()
        if (
            self.assessment_id
            and self.requirement_id
            and self.requirement.framework_id != self.assessment.framework_id
        ):
            raise ValidationError({"requirement": _("The requirement belongs to another framework.")})
        # Held here, not only in services.record_result, so the generic edit form, the API and
        # the bulk import cannot rewrite the verdicts of a completed or cancelled assessment.
        if self.assessment_id and self.assessment.state in ("completed", "cancelled"):
            raise ValidationError({"status": _("The assessment is closed; its results cannot change.")})


class Finding(ReferenceMixin, WorkflowMixin, StewardModel):
    """A gap an assessment found, owned and remediated by a due date."""

    reference_prefix = "FND-"
    reference_digits = 4
    workflow = "grc.finding"

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="findings",
        verbose_name=_("assessment"),
    )  # fmt: skip
    requirement = models.ForeignKey(
        "grc.Requirement", on_delete=models.SET_NULL, null=True, blank=True, related_name="findings",
        verbose_name=_("requirement"),
    )  # fmt: skip
    severity = ChoiceField(_("severity"), choices_class=Severity, default=Severity.MODERATE)
    owner = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="grc_findings",
        verbose_name=_("owner"),
    )  # fmt: skip
    due_date = models.DateField(_("due date"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    oscal_uuid = models.UUIDField(_("OSCAL UUID"), default=uuid.uuid4, editable=False)

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("-created", "-id")
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}" if self.reference else self.title

    def clean(self) -> None:
        super().clean()
        if (
            self.assessment_id
            and self.requirement_id
            and self.requirement.framework_id != self.assessment.framework_id
        ):
            raise ValidationError({"requirement": _("The requirement belongs to another framework.")})


class RemediationTask(StewardModel):
    """A piece of work that closes a finding or treats a risk."""

    title = models.CharField(_("title"), max_length=300)
    finding = models.ForeignKey(
        Finding,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("finding"),
    )
    risk = models.ForeignKey(
        "grc.Risk",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("risk"),
    )
    assignee = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="grc_tasks",
        verbose_name=_("assignee"),
    )  # fmt: skip
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ("done", "due_date", "id")
        verbose_name = _("remediation task")
        verbose_name_plural = _("remediation tasks")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if bool(self.finding_id) == bool(self.risk_id):
            errors["finding"] = errors["risk"] = _("A task belongs to exactly one finding or one risk.")
        if errors:
            raise ValidationError(errors)
