"""The vendor/model catalogue: manufacturers and the device models they make."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.cmdb.choices import Airflow
from steward.core.models import StewardModel
from steward.utilities.choices import ChoiceField


class Manufacturer(StewardModel):
    """A company that makes hardware or publishes software."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("slug",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("manufacturer")
        verbose_name_plural = _("manufacturers")

    def __str__(self) -> str:
        return self.name


class DeviceModel(StewardModel):
    """A product of a manufacturer (PowerEdge R650), with its rack and port facts."""

    manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.PROTECT, related_name="device_models", verbose_name=_("manufacturer")
    )
    name = models.CharField(_("model"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    part_number = models.CharField(_("part number"), max_length=100, blank=True)
    ci_class = models.ForeignKey(
        "cmdb.CIClass",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="device_models",
        verbose_name=_("default class"),
    )
    u_height = models.DecimalField(_("height (U)"), max_digits=4, decimal_places=1, default=1)
    is_full_depth = models.BooleanField(_("full depth"), default=True)
    airflow = ChoiceField(_("airflow"), choices_class=Airflow, blank=True)
    interface_count = models.PositiveIntegerField(_("interfaces"), default=0)
    power_port_count = models.PositiveIntegerField(_("power ports"), default=0)
    console_port_count = models.PositiveIntegerField(_("console ports"), default=0)
    power_outlet_count = models.PositiveIntegerField(_("power outlets"), default=0)
    end_of_sale = models.DateField(_("end of sale"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("slug",)

    class Meta:
        ordering = ("manufacturer__name", "name", "id")
        verbose_name = _("device model")
        verbose_name_plural = _("device models")
        constraints = [
            models.UniqueConstraint(fields=("manufacturer", "name"), name="cmdb_devicemodel_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.manufacturer} {self.name}" if self.manufacturer_id else self.name
