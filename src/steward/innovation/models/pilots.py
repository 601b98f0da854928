"""Pilots: a time-boxed trial of an idea, judged against explicit success criteria."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel, WorkflowMixin
from steward.innovation.choices import Outcome, PilotDecision
from steward.utilities.choices import ChoiceField


class Pilot(ReferenceMixin, WorkflowMixin, StewardModel):
    """A trial that tests a hypothesis and ends with a decision: scale up, iterate or stop."""

    reference_prefix = "PIL"
    reference_digits = 5
    workflow = "innovation.pilot"

    title = models.CharField(_("title"), max_length=200)
    idea = models.ForeignKey(
        "innovation.Idea", on_delete=models.SET_NULL, null=True, blank=True, related_name="pilots",
        verbose_name=_("idea"),
    )  # fmt: skip
    hypothesis = models.TextField(_("hypothesis"), help_text=_("We believe that … will result in …"))
    owner = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="pilots",
        verbose_name=_("owner"),
    )  # fmt: skip
    projects = models.ManyToManyField(
        "projects.Project", blank=True, related_name="pilots", verbose_name=_("projects")
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    decision = ChoiceField(_("decision"), choices_class=PilotDecision, blank=True)
    decision_rationale = models.TextField(_("decision rationale"), blank=True)

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("-start_date", "-id")
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A pilot cannot end before it starts.")})
        if self.decision and not (self.decision_rationale or "").strip():
            raise ValidationError({"decision_rationale": _("Give the rationale of the decision.")})


class SuccessCriterion(StewardModel):
    """What a pilot must show: a target, the measured result and whether it was met."""

    pilot = models.ForeignKey(
        Pilot, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("pilot")
    )
    name = models.CharField(_("criterion"), max_length=200)
    target = models.CharField(_("target"), max_length=200)
    result = models.CharField(_("measured result"), max_length=200, blank=True)
    outcome = ChoiceField(_("outcome"), choices_class=Outcome, default=Outcome.PENDING)

    class Meta:
        ordering = ("pilot", "id")
        verbose_name = _("success criterion")
        verbose_name_plural = _("success criteria")

    def __str__(self) -> str:
        return f"{self.pilot.reference} {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.outcome and self.outcome != Outcome.PENDING and not (self.result or "").strip():
            raise ValidationError(
                {"result": _("Record the measured result before saying whether it was met.")}
            )
