"""Objectives and their key results: what the business wants IT to achieve, and how it is measured."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel
from steward.strategy.choices import Confidence, ObjectiveStatus, Perspective
from steward.utilities.choices import ChoiceField


class Objective(ReferenceMixin, StewardModel):
    """A business objective for a period, possibly a part of a wider one."""

    reference_prefix = "OBJ"
    reference_digits = 4

    title = models.CharField(_("title"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent objective"),
    )
    perspective = ChoiceField(_("perspective"), choices_class=Perspective, default=Perspective.CUSTOMER)
    status = ChoiceField(_("status"), choices_class=ObjectiveStatus, default=ObjectiveStatus.ACTIVE)
    owner = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_objectives",
        verbose_name=_("owner"),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("period_start", "title", "id")
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})
        ancestor, seen = self.parent, {self.pk}
        while ancestor is not None:
            if ancestor.pk in seen:
                raise ValidationError({"parent": _("An objective cannot be a part of itself.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class KeyResult(StewardModel):
    """A measurable result that shows progress on an objective, from a baseline to a target."""

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="key_results", verbose_name=_("objective")
    )
    title = models.CharField(_("title"), max_length=200)
    metric = models.CharField(
        _("metric"), max_length=100, help_text=_("What is measured, e.g. 'MTTR (hours)'.")
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=4)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=4)
    current = models.DecimalField(
        _("current value"), max_digits=16, decimal_places=4, null=True, blank=True, editable=False
    )
    confidence = ChoiceField(_("confidence"), choices_class=Confidence, default=Confidence.MEDIUM)
    owner = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_key_results",
        verbose_name=_("owner"),
    )

    class Meta:
        ordering = ("objective", "title", "id")
        verbose_name = _("key result")
        verbose_name_plural = _("key results")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.baseline is not None and self.target is not None and self.baseline == self.target:
            raise ValidationError({"target": _("The target must differ from the baseline.")})

    @property
    def progress(self) -> Decimal | None:
        """Share of the way from baseline to target, 0–100; works for 'lower is better' too."""
        if self.current is None or self.target == self.baseline:
            return None
        share = (self.current - self.baseline) / (self.target - self.baseline) * 100
        return max(Decimal(0), min(Decimal(100), share)).quantize(Decimal("0.1"))


class KeyResultMeasurement(StewardModel):
    """One reading of a key result's metric on a date."""

    key_result = models.ForeignKey(
        KeyResult, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("key result")
    )
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ("key_result", "-date", "-id")
        verbose_name = _("key-result measurement")
        verbose_name_plural = _("key-result measurements")
        constraints = [
            models.UniqueConstraint(fields=("key_result", "date"), name="strategy_measurement_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.key_result}: {self.value} ({self.date})"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        refresh_current(self.key_result_id)

    def delete(self, *args, **kwargs):  # noqa: ANN201 - Django's signature
        key_result_id = self.key_result_id
        result = super().delete(*args, **kwargs)
        refresh_current(key_result_id)
        return result


def refresh_current(key_result_id: int) -> None:
    """Cache the latest measurement on its key result (a derived fact, so no change-log row)."""
    latest = (
        KeyResultMeasurement.objects.filter(key_result_id=key_result_id)
        .order_by("-date", "-id")
        .values_list("value", flat=True)
        .first()
    )
    KeyResult.objects.filter(pk=key_result_id).update(current=latest)
