"""Governance: policies with versions and acknowledgements, RACI matrices, KPIs and KRIs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel
from steward.core.models.workflow import WorkflowMixin
from steward.grc.choices import Direction, Frequency, IndicatorKind, PolicyType, Raci, Rag
from steward.utilities.choices import ChoiceField


class Policy(ReferenceMixin, WorkflowMixin, StewardModel):
    """A policy document (Markdown, sanitised when shown), approved before it is published."""

    reference_prefix = "POL-"
    reference_digits = 4
    workflow = "grc.policy"

    title = models.CharField(_("title"), max_length=300)
    policy_type = ChoiceField(_("type"), choices_class=PolicyType, default=PolicyType.IT)
    owner = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_policies",
        verbose_name=_("owner"),
    )  # fmt: skip
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    review_every_months = models.PositiveSmallIntegerField(_("review every (months)"), default=12)
    next_review = models.DateField(_("next review"), null=True, blank=True)
    review_reminded = models.DateField(_("review reminder sent for"), null=True, blank=True, editable=False)

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("title", "id")
        verbose_name = _("policy")
        verbose_name_plural = _("policies")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}" if self.reference else self.title


class PolicyVersion(StewardModel):
    """The text of a policy as it was published; people acknowledge a version."""

    policy = models.ForeignKey(
        Policy, on_delete=models.CASCADE, related_name="versions", verbose_name=_("policy")
    )
    version = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published at"))
    approved_by = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="approved_policy_versions",
        verbose_name=_("approved by"),
    )  # fmt: skip

    natural_key_fields = ("policy", "version")

    class Meta:
        ordering = ("policy", "-version")
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        constraints = [
            models.UniqueConstraint(fields=("policy", "version"), name="grc_policy_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.policy} v{self.version}"


class AcknowledgementCampaign(StewardModel):
    """Asks a set of people to attest they have read one version of a policy."""

    name = models.CharField(_("name"), max_length=300)
    policy_version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("policy version")
    )
    people = models.ManyToManyField(
        "org.Person", blank=True, related_name="policy_campaigns", verbose_name=_("people")
    )
    due_date = models.DateField(_("due date"))
    last_chased = models.DateField(_("last chased"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ("-due_date", "id")
        verbose_name = _("acknowledgement campaign")
        verbose_name_plural = _("acknowledgement campaigns")

    def __str__(self) -> str:
        return self.name


class Acknowledgement(StewardModel):
    """One person's attestation that they read a policy version."""

    campaign = models.ForeignKey(
        AcknowledgementCampaign,
        on_delete=models.CASCADE,
        related_name="acknowledgements",
        verbose_name=_("campaign"),
    )
    person = models.ForeignKey(
        "org.Person",
        on_delete=models.CASCADE,
        related_name="policy_acknowledgements",
        verbose_name=_("person"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"))

    class Meta:
        ordering = ("campaign", "-acknowledged_at", "id")
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [models.UniqueConstraint(fields=("campaign", "person"), name="grc_ack_once")]

    def __str__(self) -> str:
        return f"{self.person} – {self.campaign}"


class RaciMatrix(StewardModel):
    """Decision rights: who is Responsible, Accountable, Consulted and Informed per activity."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("RACI matrix")
        verbose_name_plural = _("RACI matrices")

    def __str__(self) -> str:
        return self.name


class RaciAssignment(StewardModel):
    """One cell of a RACI matrix: an activity, a party (person, team or role) and a letter."""

    matrix = models.ForeignKey(
        RaciMatrix, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("matrix")
    )
    activity = models.CharField(_("activity"), max_length=200)
    person = models.ForeignKey(
        "org.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="raci_assignments",
        verbose_name=_("person"),
    )  # fmt: skip
    team = models.ForeignKey(
        "org.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="raci_assignments",
        verbose_name=_("team"),
    )  # fmt: skip
    role = models.CharField(_("role"), max_length=100, blank=True)
    responsibility = ChoiceField(_("responsibility"), choices_class=Raci, max_length=1)

    class Meta:
        ordering = ("matrix", "activity", "responsibility", "id")
        verbose_name = _("RACI assignment")
        verbose_name_plural = _("RACI assignments")

    def __str__(self) -> str:
        return f"{self.activity}: {self.responsibility} {self.party}"

    @property
    def party(self) -> Any:
        return self.person or self.team or self.role

    def clean(self) -> None:
        super().clean()
        if sum(1 for v in (self.person_id, self.team_id, (self.role or "").strip()) if v) != 1:
            message = _("Choose exactly one person, team or role.")
            raise ValidationError({"person": message, "team": message, "role": message})
        if self.responsibility == Raci.ACCOUNTABLE and self.matrix_id:
            others = RaciAssignment.objects.filter(
                matrix_id=self.matrix_id, activity=self.activity, responsibility=Raci.ACCOUNTABLE
            ).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError(
                    {"responsibility": _("%s already has an Accountable; an activity has exactly one.")
                     % self.activity}
                )  # fmt: skip


class Indicator(StewardModel):
    """A KPI or KRI: what is measured, its target and its green/amber/red thresholds.

    ``green_at`` and ``red_at`` are read in the indicator's direction: with "higher is
    better", a value at or above ``green_at`` is green and one at or below ``red_at`` red.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = ChoiceField(_("kind"), choices_class=IndicatorKind, default=IndicatorKind.KPI)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    direction = ChoiceField(_("direction"), choices_class=Direction, default=Direction.HIGHER)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=4, null=True, blank=True)
    green_at = models.DecimalField(_("green at"), max_digits=14, decimal_places=4)
    red_at = models.DecimalField(_("red at"), max_digits=14, decimal_places=4)
    frequency = ChoiceField(_("frequency"), choices_class=Frequency, default=Frequency.MONTHLY)
    owner = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_indicators",
        verbose_name=_("owner"),
    )  # fmt: skip
    metric = models.CharField(
        _("metric"), max_length=100, blank=True,
        help_text=_("A registered metric computed from live data; empty for measurements entered by hand."),
    )  # fmt: skip
    service = models.ForeignKey(
        "itsm.Service", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("service"),
        help_text=_("Measure only this service, for metrics that can be split by service; empty for all."),
    )  # fmt: skip

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        from steward.grc.metrics import METRICS

        errors: dict[str, Any] = {}
        if self.metric and self.metric not in METRICS:
            errors["metric"] = _("Choose one of the registered metrics: %s.") % ", ".join(sorted(METRICS))
        elif self.service_id and not (self.metric and METRICS[self.metric].by_service):
            errors["service"] = _(
                "Only metrics that can be split by service take a service: %s."
            ) % ", ".join(sorted(m.name for m in METRICS.values() if m.by_service))
        if self.green_at is not None and self.red_at is not None:
            if self.direction == Direction.HIGHER and self.green_at <= self.red_at:
                errors["green_at"] = errors["red_at"] = _("When higher is better, green must be above red.")
            if self.direction == Direction.LOWER and self.green_at >= self.red_at:
                errors["green_at"] = errors["red_at"] = _("When lower is better, green must be below red.")
        if errors:
            raise ValidationError(errors)

    def rag(self, value: Decimal | None) -> str | None:
        if value is None:
            return None
        if self.direction == Direction.HIGHER:
            return Rag.GREEN if value >= self.green_at else Rag.RED if value <= self.red_at else Rag.AMBER
        return Rag.GREEN if value <= self.green_at else Rag.RED if value >= self.red_at else Rag.AMBER


class Measurement(StewardModel):
    """One value of an indicator at a time, entered by hand or computed by its metric."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("indicator")
    )
    measured_at = models.DateTimeField(_("measured at"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    computed = models.BooleanField(_("computed"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ("indicator", "-measured_at", "id")
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"
