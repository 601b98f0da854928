"""Capacity: metric samples per item (raw, then hourly and daily averages) and thresholds."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from steward.cmdb.choices import Metric, SampleResolution
from steward.core.models import StewardModel
from steward.utilities.choices import ChoiceField


class MetricSample(models.Model):
    """One measurement (or the average of ``samples`` measurements) of a metric of an item.

    Deliberately not a ``StewardModel``: samples arrive by the thousand per minute, so they get
    no change log, search entry, tags or custom fields; they are written by ``bulk_create`` and
    thinned out by the downsampling job (ADR 15).
    """

    configuration_item = models.ForeignKey(
        "cmdb.ConfigurationItem",
        on_delete=models.CASCADE,
        related_name="metric_samples",
        verbose_name=_("configuration item"),
    )
    metric = ChoiceField(_("metric"), choices_class=Metric, max_length=20)
    resolution = ChoiceField(
        _("resolution"), choices_class=SampleResolution, default=SampleResolution.RAW, max_length=10
    )
    timestamp = models.DateTimeField(_("time"))
    value = models.FloatField(_("value"))
    max_value = models.FloatField(_("maximum"), null=True, blank=True)
    samples = models.PositiveIntegerField(_("samples"), default=1)
    unit = models.CharField(_("unit"), max_length=20, blank=True)

    class Meta:
        ordering = ("configuration_item", "metric", "timestamp", "id")
        verbose_name = _("metric sample")
        verbose_name_plural = _("metric samples")
        indexes = [
            models.Index(
                fields=("configuration_item", "metric", "resolution", "timestamp"), name="cmdb_sample_series"
            ),
            models.Index(fields=("resolution", "timestamp"), name="cmdb_sample_age"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.value:g}{self.unit} at {self.timestamp:%Y-%m-%d %H:%M}"


class CapacityThreshold(StewardModel):
    """The value a metric must stay below: for one item, for a class (and its subclasses), or for all.

    The most specific threshold wins: the item's, then its class's (nearest ancestor first),
    then the one with neither.
    """

    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_('e.g. "Server disks".'))
    metric = ChoiceField(_("metric"), choices_class=Metric, max_length=20)
    ci_class = models.ForeignKey(
        "cmdb.CIClass",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="capacity_thresholds",
        verbose_name=_("class"),
    )
    configuration_item = models.ForeignKey(
        "cmdb.ConfigurationItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="capacity_thresholds",
        verbose_name=_("configuration item"),
    )
    value = models.FloatField(_("threshold"))
    unit = models.CharField(_("unit"), max_length=20, blank=True, help_text=_("e.g. %, GiB, Mbit/s."))
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("metric", "name", "id")
        verbose_name = _("capacity threshold")
        verbose_name_plural = _("capacity thresholds")
        constraints = [
            models.UniqueConstraint(
                fields=("metric",),
                condition=Q(ci_class__isnull=True, configuration_item__isnull=True),
                name="cmdb_threshold_one_default",
            ),
            models.UniqueConstraint(
                fields=("metric", "ci_class"),
                condition=Q(ci_class__isnull=False),
                name="cmdb_threshold_one_per_class",
            ),
            models.UniqueConstraint(
                fields=("metric", "configuration_item"),
                condition=Q(configuration_item__isnull=False),
                name="cmdb_threshold_one_per_item",
            ),
        ]

    def __str__(self) -> str:
        scope = self.configuration_item or self.ci_class or _("all items")
        return f"{self.get_metric_display()} ≤ {self.value:g}{self.unit} ({scope})"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.ci_class_id and self.configuration_item_id:
            errors["configuration_item"] = _("Give a class or an item, not both.")
        if self.value is not None and self.value != self.value:  # NaN
            errors["value"] = _("Give a number.")
        scope = Q(
            metric=self.metric, ci_class_id=self.ci_class_id, configuration_item_id=self.configuration_item_id
        )
        if not errors and CapacityThreshold.objects.filter(scope).exclude(pk=self.pk).exists():
            errors["metric"] = _("There is already a threshold for this metric here.")
        if errors:
            raise ValidationError(errors)
