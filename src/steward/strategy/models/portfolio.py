"""Portfolio prioritisation: weighted scoring models and budget-constrained selection scenarios."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel
from steward.strategy.choices import CriterionSource
from steward.utilities.choices import ChoiceField
from steward.utilities.money import validate_currency


class ScoringModel(StewardModel):
    """A named set of weighted criteria that turns initiatives into comparable scores (0–100)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("scoring model")
        verbose_name_plural = _("scoring models")

    def __str__(self) -> str:
        return self.name


class ScoringCriterion(StewardModel):
    """One criterion of a scoring model, its weight and where its 0–10 value comes from."""

    scoring_model = models.ForeignKey(
        ScoringModel, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("scoring model")
    )
    name = models.CharField(_("name"), max_length=100)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    source = ChoiceField(_("source"), choices_class=CriterionSource, default=CriterionSource.MANUAL)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ("scoring_model", "-weight", "name", "id")
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")
        constraints = [
            models.UniqueConstraint(fields=("scoring_model", "name"), name="strategy_criterion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scoring_model}: {self.name} ×{self.weight}"


class CriterionScore(StewardModel):
    """The value (0–10) an assessor gave an initiative on a manual criterion."""

    initiative = models.ForeignKey(
        "strategy.Initiative", on_delete=models.CASCADE, related_name="scores", verbose_name=_("initiative")
    )
    criterion = models.ForeignKey(
        ScoringCriterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    value = models.DecimalField(
        _("value"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))],
    )
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        ordering = ("initiative", "criterion", "id")
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(fields=("initiative", "criterion"), name="strategy_score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.initiative.reference} {self.criterion.name}: {self.value}"


class PortfolioScenario(StewardModel):
    """A what-if: candidates in chosen states, a scoring model and a budget; the best affordable set."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    scoring_model = models.ForeignKey(
        ScoringModel, on_delete=models.PROTECT, related_name="scenarios", verbose_name=_("scoring model")
    )
    budget = models.DecimalField(
        _("budget"), max_digits=16, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR", validators=[validate_currency])
    candidate_states = models.JSONField(
        _("candidate states"),
        default=list,
        blank=True,
        help_text=_('Initiative states that compete, e.g. ["proposed"]; empty means proposed and approved.'),
    )
    mandatory = models.ManyToManyField(
        "strategy.Initiative",
        related_name="mandatory_in_scenarios",
        blank=True,
        verbose_name=_("mandatory initiatives"),
        help_text=_("Selected whatever their score (regulatory, already committed)."),
    )
    selected = models.ManyToManyField(
        "strategy.Initiative", related_name="selected_in_scenarios", blank=True, editable=False
    )
    total_cost = models.DecimalField(
        _("total cost"), max_digits=16, decimal_places=2, null=True, blank=True, editable=False
    )
    total_score = models.DecimalField(
        _("total score"), max_digits=10, decimal_places=2, null=True, blank=True, editable=False
    )
    computed = models.DateTimeField(_("computed"), null=True, blank=True, editable=False)
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("portfolio scenario")
        verbose_name_plural = _("portfolio scenarios")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.candidate_states in (None, ""):
            self.candidate_states = []
        if not isinstance(self.candidate_states, list) or not all(
            isinstance(s, str) and s for s in self.candidate_states
        ):
            raise ValidationError({"candidate_states": _('Give a list of state names, e.g. ["proposed"].')})

    def save(self, *args, **kwargs) -> None:
        if self.candidate_states is None:
            self.candidate_states = []
        super().save(*args, **kwargs)
