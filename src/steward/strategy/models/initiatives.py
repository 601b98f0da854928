"""Initiatives (investment proposals), their business cases and their alignment with objectives."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel, WorkflowMixin
from steward.strategy.choices import CashFlowCategory, CashFlowKind
from steward.utilities.choices import ChoiceField
from steward.utilities.money import validate_currency


class Initiative(ReferenceMixin, WorkflowMixin, StewardModel):
    """A proposed or running investment: from idea through delivery to realised benefits."""

    reference_prefix = "INI"
    reference_digits = 5
    workflow = "strategy.initiative"

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True, help_text=_("The problem and the proposed answer."))
    sponsor = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sponsored_initiatives",
        verbose_name=_("sponsor"),
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("requesting department"),
    )
    objectives = models.ManyToManyField(
        "strategy.Objective",
        through="strategy.InitiativeAlignment",
        related_name="initiatives",
        blank=True,
        verbose_name=_("objectives"),
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR", validators=[validate_currency])
    discount_rate = models.DecimalField(
        _("discount rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("8.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    risk_score = models.PositiveSmallIntegerField(
        _("risk score"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(25)],
        help_text=_("Likelihood × impact, 1 (negligible) to 25 (severe)."),
    )
    start_date = models.DateField(_("planned start"), null=True, blank=True)
    end_date = models.DateField(_("planned end"), null=True, blank=True)
    project = models.CharField(
        _("delivery project"),
        max_length=100,
        blank=True,
        help_text=_("Reference of the project delivering it."),
    )

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("-created", "id")
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The initiative cannot end before it starts.")})


class InitiativeAlignment(StewardModel):
    """How strongly an initiative serves an objective (0 none – 5 essential): the alignment matrix."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="alignments", verbose_name=_("initiative")
    )
    objective = models.ForeignKey(
        "strategy.Objective", on_delete=models.CASCADE, related_name="alignments", verbose_name=_("objective")
    )
    score = models.PositiveSmallIntegerField(
        _("fit score"), default=3, validators=[MinValueValidator(0), MaxValueValidator(5)]
    )
    rationale = models.CharField(_("rationale"), max_length=300, blank=True)

    class Meta:
        ordering = ("initiative", "objective", "id")
        verbose_name = _("initiative alignment")
        verbose_name_plural = _("initiative alignments")
        constraints = [
            models.UniqueConstraint(fields=("initiative", "objective"), name="strategy_alignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} → {self.objective} ({self.score})"


class BusinessCaseLine(StewardModel):
    """A planned (and later realised) cost or benefit of an initiative in one year of its life.

    Year 0 is the investment year; cash flows are discounted to it.
    """

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="business_case", verbose_name=_("initiative")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MaxValueValidator(50)])
    kind = ChoiceField(_("kind"), choices_class=CashFlowKind)
    category = ChoiceField(_("category"), choices_class=CashFlowCategory)
    description = models.CharField(_("description"), max_length=200, blank=True)
    planned = models.DecimalField(
        _("planned amount"), max_digits=16, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    realised = models.DecimalField(
        _("realised amount"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ("initiative", "year", "kind", "id")
        verbose_name = _("business-case line")
        verbose_name_plural = _("business-case lines")

    def __str__(self) -> str:
        return f"{self.initiative.reference} year {self.year} {self.get_kind_display()}: {self.planned}"

    def clean(self) -> None:
        super().clean()
        costs = (CashFlowCategory.CAPEX, CashFlowCategory.OPEX)
        if self.kind and self.category and (self.kind == CashFlowKind.COST) != (self.category in costs):
            raise ValidationError(
                {"category": _("Costs are capital or operating expenditure; benefits are not.")}
            )
