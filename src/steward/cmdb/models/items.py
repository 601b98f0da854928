"""Configuration items and the typed, directed relationships between them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from steward.cmdb.choices import ISO_4217, Criticality, Environment, LifecycleStatus
from steward.cmdb.models.classes import AttributeRules
from steward.core.models import ReferenceMixin, StewardModel
from steward.utilities.choices import ChoiceField


class ConfigurationItem(ReferenceMixin, StewardModel):
    """Something the organisation runs and must manage: a server, a database, an application…"""

    reference_prefix = "CI"

    name = models.CharField(_("name"), max_length=200, db_index=True)
    ci_class = models.ForeignKey(
        "cmdb.CIClass", on_delete=models.PROTECT, related_name="items", verbose_name=_("class")
    )
    status = ChoiceField(_("lifecycle status"), choices_class=LifecycleStatus, default=LifecycleStatus.IN_USE)
    environment = ChoiceField(_("environment"), choices_class=Environment, default=Environment.PRODUCTION)
    criticality = ChoiceField(_("criticality"), choices_class=Criticality, default=Criticality.MEDIUM)
    owner = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_configuration_items",
        verbose_name=_("owner"),
    )
    support_team = models.ForeignKey(
        "org.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supported_configuration_items",
        verbose_name=_("support team"),
    )
    location = models.ForeignKey(
        "org.Location",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="configuration_items",
        verbose_name=_("location"),
    )
    manufacturer = models.ForeignKey(
        "cmdb.Manufacturer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="configuration_items",
        verbose_name=_("manufacturer"),
    )
    device_model = models.ForeignKey(
        "cmdb.DeviceModel",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="configuration_items",
        verbose_name=_("model"),
    )
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True, db_index=True)
    asset_tag = models.CharField(_("asset tag"), max_length=100, blank=True)
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    purchase_cost = models.DecimalField(
        _("purchase cost"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("ISO 4217 code, e.g. EUR.")
    )
    warranty_end = models.DateField(_("warranty end"), null=True, blank=True)
    end_of_life = models.DateField(_("end of life"), null=True, blank=True)
    end_of_support = models.DateField(_("end of support"), null=True, blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    last_discovered = models.DateTimeField(
        _("last discovered"), null=True, blank=True, editable=False, db_index=True
    )
    discovery = models.JSONField(
        _("discovered facts"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("The last report of discovery: hardware facts and the values it found per field."),
    )
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("name", "id")
        verbose_name = _("configuration item")
        verbose_name_plural = _("configuration items")
        constraints = [
            models.UniqueConstraint(
                fields=("asset_tag",), condition=~Q(asset_tag=""), name="cmdb_ci_unique_asset_tag"
            )
        ]
        indexes = [models.Index(fields=("ci_class", "status")), models.Index(fields=("environment",))]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors = self.invariant_errors()
        if errors:
            raise ValidationError(errors)

    def invariant_errors(self, attribute_rules: AttributeRules | None = None) -> dict[str, Any]:
        """What ``clean()`` refuses beyond custom fields, by field; normalises as ``clean()`` does.

        ``attribute_rules``: the item's class compiled (``CIClass.attribute_rules()``), compiled
        here when not given. The bulk importer compiles each class once and passes it for every
        row; ``clean()`` calls this too, so both refuse exactly the same values.
        """
        errors: dict[str, Any] = {}
        if self.ci_class_id:
            if self.ci_class.abstract:
                errors["ci_class"] = _("%(cls)s groups other classes; choose one of its subclasses.") % {
                    "cls": self.ci_class
                }
            else:
                rules = attribute_rules or self.ci_class.attribute_rules()
                errors.update(rules.check(self.attributes))
        if self.device_model_id:
            if not self.manufacturer_id:
                self.manufacturer_id = self.device_model.manufacturer_id
            elif self.device_model.manufacturer_id != self.manufacturer_id:
                errors["device_model"] = _("This model is made by %(m)s, not by the chosen manufacturer.") % {
                    "m": self.device_model.manufacturer
                }
        self.currency = (self.currency or "").strip().upper()
        if self.currency and self.currency not in ISO_4217:
            errors["currency"] = _("Unknown ISO 4217 currency code.")
        if self.purchase_cost is not None:
            if self.purchase_cost < 0:
                errors["purchase_cost"] = _("A cost cannot be negative.")
            if not self.currency:
                errors["currency"] = _("Give the currency of the purchase cost.")
        if self.purchase_date and self.warranty_end and self.warranty_end < self.purchase_date:
            errors["warranty_end"] = _("The warranty cannot end before the purchase.")
        if self.end_of_life and self.end_of_support and self.end_of_support < self.end_of_life:
            errors["end_of_support"] = _("Support cannot end before the end of life.")
        return errors


class Relationship(StewardModel):
    """``source`` —type→ ``target``: "app-01 runs on vm-07". Arrows point from dependant to dependency."""

    source = models.ForeignKey(
        ConfigurationItem,
        on_delete=models.CASCADE,
        related_name="outgoing_relationships",
        verbose_name=_("source"),
    )
    type = models.ForeignKey(
        "cmdb.RelationshipType",
        on_delete=models.PROTECT,
        related_name="relationships",
        verbose_name=_("type"),
    )
    target = models.ForeignKey(
        ConfigurationItem,
        on_delete=models.CASCADE,
        related_name="incoming_relationships",
        verbose_name=_("target"),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ("source__name", "type__name", "target__name", "id")
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.UniqueConstraint(fields=("source", "type", "target"), name="cmdb_relationship_unique"),
            models.CheckConstraint(condition=~Q(source=F("target")), name="cmdb_relationship_no_self_loop"),
        ]
        indexes = [
            models.Index(fields=("source", "target"), name="cmdb_rel_source_target"),
            models.Index(fields=("target", "source"), name="cmdb_rel_target_source"),
        ]

    def __str__(self) -> str:
        if not (self.source_id and self.target_id and self.type_id):
            return str(_("relationship"))
        return f"{self.source} {self.type} {self.target}"

    def clean(self) -> None:
        super().clean()
        if self.source_id and self.source_id == self.target_id:
            raise ValidationError({"target": _("An item cannot be related to itself.")})
        if (
            self.source_id
            and self.target_id
            and self.type_id
            and Relationship.objects.filter(
                source_id=self.source_id, target_id=self.target_id, type_id=self.type_id
            )
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError({"target": _("These items already have this relationship.")})
