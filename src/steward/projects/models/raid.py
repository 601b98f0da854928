"""A project's RAID log (risks, assumptions, issues, decisions) and its periodic status reports."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel, WorkflowMixin
from steward.projects.choices import Health, RaidStatus, RaidType
from steward.utilities.choices import ChoiceField

SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class RaidItem(ReferenceMixin, StewardModel):
    """One entry of a project's RAID log.

    One model with a ``type`` rather than four: the four share owner, status, due date, linked
    tasks and one list page; only risks carry probability × impact and only decisions carry who
    decided and when (``clean`` keeps each to its type).
    """

    reference_prefix = "RAID-"
    reference_digits = 5

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="raid_items", verbose_name=_("project")
    )
    type = ChoiceField(_("type"), choices_class=RaidType, default=RaidType.RISK)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_raid_items",
        verbose_name=_("owner"),
    )  # fmt: skip
    status = ChoiceField(_("status"), choices_class=RaidStatus, default=RaidStatus.OPEN)
    due_date = models.DateField(_("due"), null=True, blank=True)
    probability = models.PositiveSmallIntegerField(
        _("probability (1–5)"), null=True, blank=True, validators=SCALE
    )
    impact = models.PositiveSmallIntegerField(_("impact (1–5)"), null=True, blank=True, validators=SCALE)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True, editable=False)
    tasks = models.ManyToManyField(
        "projects.Task", blank=True, related_name="raid_items", verbose_name=_("tasks")
    )
    decided_by = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="raid_decisions",
        verbose_name=_("decided by"),
    )  # fmt: skip
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    grc_risk = models.ForeignKey(
        "grc.Risk", on_delete=models.SET_NULL, null=True, blank=True, related_name="project_raid_items",
        verbose_name=_("risk register entry"),
    )  # fmt: skip

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("project", "type", "-score", "reference")
        verbose_name = _("RAID item")
        verbose_name_plural = _("RAID items")
        indexes = [models.Index(fields=("project", "type", "status"), name="projects_raid_type_status")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.type == RaidType.RISK:
            for name in ("probability", "impact"):
                if getattr(self, name) is None:
                    errors[name] = _("A risk needs a probability and an impact from 1 to 5.")
        else:
            for name in ("probability", "impact"):
                if getattr(self, name) is not None:
                    errors[name] = _("Only risks are scored.")
        if self.type == RaidType.DECISION:
            if self.status == RaidStatus.CLOSED and not (self.decided_by_id and self.decided_on):
                field = "decided_on" if self.decided_by_id else "decided_by"
                errors[field] = _("Record who decided and when before closing a decision.")
        elif self.decided_by_id or self.decided_on:
            errors["decided_by" if self.decided_by_id else "decided_on"] = _(
                "Only decisions record who decided."
            )
        if self.grc_risk_id and self.type != RaidType.RISK:
            errors["grc_risk"] = _("Only a risk links to the risk register.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: object, **kwargs: object) -> None:
        if self.type == RaidType.RISK and self.probability and self.impact:
            self.score = self.probability * self.impact
        else:
            self.score = None
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class StatusReport(WorkflowMixin, StewardModel):
    """A project's status for one period, written by its manager and frozen when published.

    The earned-value figures are copied from the EV service at the report date when the report is
    published, so later bookings do not change what was reported; a published report is read-only.
    """

    workflow = "projects.status_report"

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="status_reports", verbose_name=_("project")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(
        _("report date"), help_text=_("End of the period; earned value is taken here.")
    )
    overall = ChoiceField(_("overall"), choices_class=Health, default=Health.GREEN)
    schedule = ChoiceField(_("schedule"), choices_class=Health, default=Health.GREEN)
    cost = ChoiceField(_("cost"), choices_class=Health, default=Health.GREEN)
    scope = ChoiceField(_("scope"), choices_class=Health, default=Health.GREEN)
    summary = models.TextField(_("summary"), blank=True)
    accomplishments = models.TextField(_("accomplishments"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    key_risks = models.ManyToManyField(
        RaidItem, blank=True, related_name="status_reports", verbose_name=_("key risks")
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    bac = models.DecimalField(
        _("BAC"), max_digits=18, decimal_places=2, null=True, blank=True, editable=False
    )
    pv = models.DecimalField(_("PV"), max_digits=18, decimal_places=2, null=True, blank=True, editable=False)
    ev = models.DecimalField(_("EV"), max_digits=18, decimal_places=2, null=True, blank=True, editable=False)
    ac = models.DecimalField(_("AC"), max_digits=18, decimal_places=2, null=True, blank=True, editable=False)
    cpi = models.DecimalField(
        _("CPI"), max_digits=10, decimal_places=3, null=True, blank=True, editable=False
    )
    spi = models.DecimalField(
        _("SPI"), max_digits=10, decimal_places=3, null=True, blank=True, editable=False
    )
    eac = models.DecimalField(
        _("EAC"), max_digits=18, decimal_places=2, null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ("project", "-period_end", "id")
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        constraints = [
            models.UniqueConstraint(fields=("project", "period_end"), name="projects_statusreport_period"),
        ]

    def __str__(self) -> str:
        if not self.project_id or not self.period_end:
            return str(_("status report"))
        return f"{self.project.reference} · {self.period_end.isoformat()}"

    @property
    def is_published(self) -> bool:
        return self.state == "published"

    def clean(self) -> None:
        super().clean()
        if getattr(self, "_loaded_values", {}).get("state") == "published":
            raise ValidationError(_("A published status report cannot be changed."))
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ValidationError({"period_start": _("The period starts after its report date.")})
