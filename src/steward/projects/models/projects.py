"""Portfolios, programmes and projects, and the baselines a project's plan is measured against."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel
from steward.projects.choices import Health, Methodology, ProjectStatus
from steward.utilities.choices import ChoiceField
from steward.utilities.money import validate_currency


class Portfolio(StewardModel):
    """A set of programmes and projects managed together (e.g. 'Infrastructure 2027')."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    owner = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_portfolios",
        verbose_name=_("owner"),
    )  # fmt: skip
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("portfolio")
        verbose_name_plural = _("portfolios")

    def __str__(self) -> str:
        return self.name


class Programme(StewardModel):
    """Related projects delivering a shared outcome."""

    portfolio = models.ForeignKey(
        Portfolio, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("portfolio")
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    manager = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="managed_programmes",
        verbose_name=_("programme manager"),
    )  # fmt: skip
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class Project(ReferenceMixin, StewardModel):
    """A temporary endeavour with a plan, a budget and a manager."""

    reference_prefix = "PRJ"
    reference_digits = 5

    name = models.CharField(_("name"), max_length=200)
    programme = models.ForeignKey(
        Programme, on_delete=models.SET_NULL, null=True, blank=True, related_name="projects",
        verbose_name=_("programme"),
    )  # fmt: skip
    initiative = models.ForeignKey(
        "strategy.Initiative", on_delete=models.SET_NULL, null=True, blank=True, related_name="projects",
        verbose_name=_("initiative"),
    )  # fmt: skip
    objectives = models.ManyToManyField(
        "strategy.Objective", blank=True, related_name="projects", verbose_name=_("objectives"),
        help_text=_("The business objectives the project serves (its initiative's, when promoted)."),
    )  # fmt: skip
    methodology = ChoiceField(_("methodology"), choices_class=Methodology, default=Methodology.WATERFALL)
    status = ChoiceField(_("status"), choices_class=ProjectStatus, default=ProjectStatus.PLANNING)
    health = ChoiceField(_("health"), choices_class=Health, default=Health.GREEN)
    sponsor = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="sponsored_projects",
        verbose_name=_("sponsor"),
    )  # fmt: skip
    manager = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="managed_projects",
        verbose_name=_("project manager"),
    )  # fmt: skip
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("planned finish"), null=True, blank=True, editable=False)
    budget = models.DecimalField(
        _("budget"), max_digits=16, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR", validators=[validate_currency])
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("-start_date", "reference")
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return f"{self.reference} {self.name}".strip()

    def clean(self) -> None:
        super().clean()
        from steward.projects.models.gates import gate_refusal

        reason = gate_refusal(self)
        if reason:
            raise ValidationError({"status": reason})


class Baseline(StewardModel):
    """A frozen copy of the plan (dates and budget of every task) to measure progress against."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="baselines", verbose_name=_("project")
    )
    name = models.CharField(_("name"), max_length=100)
    tasks = models.JSONField(_("tasks"), default=dict, editable=False)
    is_current = models.BooleanField(_("current"), default=True)

    class Meta:
        ordering = ("project", "-created", "id")
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")

    def __str__(self) -> str:
        return f"{self.project.reference} {self.name}"

    def clean(self) -> None:
        super().clean()
        if not isinstance(self.tasks, dict):
            raise ValidationError({"tasks": _("A baseline holds one entry per task.")})
