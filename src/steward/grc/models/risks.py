"""The risk register and the configurable matrix its scores are read on."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel
from steward.core.models.workflow import WorkflowMixin
from steward.grc.choices import Treatment
from steward.utilities.choices import ChoiceField

COLOURS = {"green", "lime", "yellow", "orange", "red", "purple", "blue", "cyan", "secondary"}


def matrix_problems(likelihood: Any, impact: Any, levels: Any, appetite: Any) -> dict[str, str]:
    """Problems with a matrix definition, keyed by field (empty when it is well formed)."""
    problems: dict[str, str] = {}
    for name, scale in (("likelihood", likelihood), ("impact", impact)):
        if not isinstance(scale, list) or not 2 <= len(scale) <= 10:
            problems[name] = _("A scale is a list of 2 to 10 steps.")
            continue
        for i, step in enumerate(scale):
            if (
                not isinstance(step, dict)
                or step.get("value") != i + 1
                or not str(step.get("label") or "").strip()
            ):
                problems[name] = _("Step %(n)d: give {value: %(n)d, label: …} (values count up from 1).") % {
                    "n": i + 1
                }
                break
    if not isinstance(levels, list) or not levels:
        problems["levels"] = _("Give at least one level.")
    else:
        previous = 0
        for i, level in enumerate(levels):
            ok = (
                isinstance(level, dict)
                and str(level.get("label") or "").strip()
                and level.get("colour") in COLOURS
            )
            top = level.get("max_score") if isinstance(level, dict) else None
            if not ok or not isinstance(top, int) or isinstance(top, bool) or top <= previous:
                problems["levels"] = _(
                    "Level %(n)d: give {label, colour (one of %(colours)s), max_score above the previous level's}."
                ) % {"n": i + 1, "colours": ", ".join(sorted(COLOURS))}
                break
            previous = top
        if (
            "likelihood" not in problems
            and "impact" not in problems
            and previous < len(likelihood) * len(impact)
        ):
            problems["levels"] = _("The last level's max_score must reach %d (the highest score).") % (
                len(likelihood) * len(impact)
            )
    if appetite is not None and (isinstance(appetite, bool) or not isinstance(appetite, int) or appetite < 1):
        problems["appetite"] = _("The appetite is a score of 1 or more.")
    return problems


class RiskMatrix(StewardModel):
    """Likelihood × impact scales, the levels a score falls into and the appetite threshold.

    Shipped as data (``grc/data/risk_matrix_5x5.yaml``); people may add their own.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_default = models.BooleanField(_("default"), default=False)
    likelihood = models.JSONField(_("likelihood scale"), default=list)
    impact = models.JSONField(_("impact scale"), default=list)
    levels = models.JSONField(_("levels"), default=list, help_text=_("Ascending: label, colour, max_score."))
    appetite = models.PositiveSmallIntegerField(
        _("appetite"),
        null=True,
        blank=True,
        help_text=_("The highest residual score the organisation accepts."),
    )

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("risk matrix")
        verbose_name_plural = _("risk matrices")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        problems = matrix_problems(self.likelihood, self.impact, self.levels, self.appetite)
        if problems:
            raise ValidationError(problems)

    def level(self, score: int | None) -> dict[str, Any] | None:
        if not score:
            return None
        return next((lv for lv in self.levels if score <= lv["max_score"]), self.levels[-1])


class Risk(ReferenceMixin, WorkflowMixin, StewardModel):
    """A risk: what could happen, how likely and how bad, before and after controls."""

    reference_prefix = "RISK-"
    reference_digits = 4
    workflow = "grc.risk"

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    owner = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_risks",
        verbose_name=_("owner"),
    )  # fmt: skip
    services = models.ManyToManyField(
        "itsm.Service", blank=True, related_name="risks", verbose_name=_("services")
    )
    configuration_items = models.ManyToManyField(
        "cmdb.ConfigurationItem", blank=True, related_name="risks", verbose_name=_("configuration items")
    )
    threats = models.TextField(_("threats"), blank=True)
    matrix = models.ForeignKey(
        RiskMatrix, on_delete=models.PROTECT, related_name="risks", verbose_name=_("matrix")
    )
    inherent_likelihood = models.PositiveSmallIntegerField(_("inherent likelihood"), null=True, blank=True)
    inherent_impact = models.PositiveSmallIntegerField(_("inherent impact"), null=True, blank=True)
    residual_likelihood = models.PositiveSmallIntegerField(_("residual likelihood"), null=True, blank=True)
    residual_impact = models.PositiveSmallIntegerField(_("residual impact"), null=True, blank=True)
    inherent_score = models.PositiveSmallIntegerField(
        _("inherent score"), null=True, blank=True, editable=False
    )
    residual_score = models.PositiveSmallIntegerField(
        _("residual score"), null=True, blank=True, editable=False
    )
    controls = models.ManyToManyField(
        "grc.Control", blank=True, related_name="risks", verbose_name=_("controls")
    )
    treatment = ChoiceField(_("treatment"), choices_class=Treatment, blank=True)
    treatment_plan = models.TextField(_("treatment plan"), blank=True)
    accepted_by = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="accepted_risks",
        verbose_name=_("accepted by"),
    )  # fmt: skip
    acceptance_expires = models.DateField(_("acceptance expires"), null=True, blank=True)
    acceptance_expiry_raised = models.DateField(
        _("expiry raised for"), null=True, blank=True, editable=False,
        help_text=_("The expiry date whose event was raised, so it is raised once."),
    )  # fmt: skip
    review_every_days = models.PositiveSmallIntegerField(_("review every (days)"), default=90)
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    review_due_raised = models.DateField(
        _("review due raised for"), null=True, blank=True, editable=False,
        help_text=_("The review due date whose event was raised, so it is raised once per due date."),
    )  # fmt: skip

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("-residual_score", "-inherent_score", "reference", "id")
        verbose_name = _("risk")
        verbose_name_plural = _("risks")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}" if self.reference else self.title

    def _score(self, likelihood: int | None, impact: int | None) -> int | None:
        return likelihood * impact if likelihood and impact else None

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.inherent_score = self._score(self.inherent_likelihood, self.inherent_impact)
        self.residual_score = self._score(self.residual_likelihood, self.residual_impact)
        super().save(*args, **kwargs)

    @property
    def current_score(self) -> int | None:
        return self.residual_score or self.inherent_score

    @property
    def level(self) -> dict[str, Any] | None:
        return self.matrix.level(self.current_score)

    @property
    def exceeds_appetite(self) -> bool:
        appetite = self.matrix.appetite
        return bool(appetite and self.current_score and self.current_score > appetite)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.matrix_id:
            for name, scale in (("likelihood", self.matrix.likelihood), ("impact", self.matrix.impact)):
                for stage in ("inherent", "residual"):
                    value = getattr(self, f"{stage}_{name}")
                    if value is not None and not 1 <= value <= len(scale):
                        errors[f"{stage}_{name}"] = _("Choose a value from 1 to %d.") % len(scale)
        if self.treatment == Treatment.ACCEPT and self.accepted_by_id and not self.acceptance_expires:
            errors["acceptance_expires"] = _("An acceptance needs an expiry date.")
        if self.acceptance_expires and not self.accepted_by_id:
            errors["accepted_by"] = _("Name who accepted the risk.")
        if errors:
            raise ValidationError(errors)
