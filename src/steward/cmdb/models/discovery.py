"""What discovery found on items: their network interfaces, and drift from manual data.

Interfaces give discovery its second identity key (a MAC address survives a rename and a
reinstall). A drift record says that discovery reported a value that contradicts one a person
maintains on the item; it stays open until someone accepts the manual value or lets the
discovered one overwrite it (the ``cmdb.drift`` workflow).
"""

from __future__ import annotations

import ipaddress
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from steward.cmdb.choices import InstallationSource
from steward.core.models import StewardModel
from steward.core.models.workflow import WorkflowMixin
from steward.utilities.choices import ChoiceField

MAC_RE = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")


def normalise_mac(value: str) -> str:
    """``AA-BB-CC-DD-EE-FF`` / ``aabb.ccdd.eeff`` → ``aa:bb:cc:dd:ee:ff``; "" stays ""."""
    raw = re.sub(r"[^0-9a-fA-F]", "", value or "").lower()
    if len(raw) != 12:
        return (value or "").strip().lower()
    return ":".join(raw[i : i + 2] for i in range(0, 12, 2))


def split_addresses(value: str) -> list[str]:
    return [a.strip() for a in (value or "").replace(";", ",").split(",") if a.strip()]


class NetworkInterface(StewardModel):
    """A network interface of an item, with its MAC address and IP addresses."""

    configuration_item = models.ForeignKey(
        "cmdb.ConfigurationItem",
        on_delete=models.CASCADE,
        related_name="interfaces",
        verbose_name=_("configuration item"),
    )
    name = models.CharField(_("name"), max_length=64)
    mac_address = models.CharField(_("MAC address"), max_length=17, blank=True, db_index=True)
    ip_addresses = models.CharField(
        _("IP addresses"), max_length=1000, blank=True, help_text=_("Comma-separated IPv4/IPv6 addresses.")
    )
    source = ChoiceField(_("source"), choices_class=InstallationSource, default=InstallationSource.MANUAL)

    class Meta:
        ordering = ("configuration_item", "name", "id")
        verbose_name = _("network interface")
        verbose_name_plural = _("network interfaces")
        constraints = [
            models.UniqueConstraint(fields=("configuration_item", "name"), name="cmdb_interface_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        self.mac_address = normalise_mac(self.mac_address)
        if self.mac_address and not MAC_RE.match(self.mac_address):
            raise ValidationError({"mac_address": _("Give six hexadecimal pairs, e.g. 52:54:00:12:34:56.")})
        addresses = split_addresses(self.ip_addresses)
        for address in addresses:
            try:
                ipaddress.ip_address(address)
            except ValueError:
                raise ValidationError(
                    {"ip_addresses": _("%(a)s is not an IPv4 or IPv6 address.") % {"a": address}}
                ) from None
        self.ip_addresses = ", ".join(addresses)


class Drift(WorkflowMixin, StewardModel):
    """Discovery reported a value that contradicts the value a person maintains on an item."""

    workflow = "cmdb.drift"

    configuration_item = models.ForeignKey(
        "cmdb.ConfigurationItem",
        on_delete=models.CASCADE,
        related_name="drifts",
        verbose_name=_("configuration item"),
    )
    field = models.CharField(
        _("field"), max_length=100, help_text=_("serial_number, or attributes.<name> for a class attribute.")
    )
    manual_value = models.CharField(_("manual value"), max_length=500, blank=True)
    discovered_value = models.CharField(_("discovered value"), max_length=500, blank=True)
    discovered_data = models.JSONField(
        _("discovered data"), null=True, blank=True, editable=False, help_text=_("The value as reported.")
    )
    source = ChoiceField(_("source"), choices_class=InstallationSource, default=InstallationSource.AGENT)
    last_detected = models.DateTimeField(_("last detected"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ("-created", "id")
        verbose_name = _("drift")
        verbose_name_plural = _("drifts")
        constraints = [
            models.UniqueConstraint(
                fields=("configuration_item", "field"),
                condition=Q(state="open"),
                name="cmdb_drift_one_open_per_field",
            )
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.manual_value} ≠ {self.discovered_value}"

    def clean(self) -> None:
        super().clean()
        from steward.cmdb.discovery import DRIFT_FIELDS

        name = self.field.removeprefix("attributes.")
        if not (self.field in DRIFT_FIELDS or (self.field.startswith("attributes.") and name)):
            raise ValidationError({"field": _("Use serial_number or attributes.<name>.")})
        if (
            self.configuration_item_id
            and (self.state or "open") == "open"
            and Drift.objects.filter(
                configuration_item_id=self.configuration_item_id, field=self.field, state="open"
            )
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError({"field": _("This item already has an open drift for this field.")})
