"""Software inventory: normalised products and their installations on configuration items.

Products are named once per ecosystem (``deb``/``openssl``, ``pypi``/``django``) so that licence
compliance and vulnerability matching compare like with like; an installation says which version of
a product an item runs, who reported it and when it was first and last seen.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.cmdb.choices import Ecosystem, InstallationSource
from steward.core.models import StewardModel
from steward.utilities.choices import ChoiceField


def package_url(ecosystem: str, name: str, namespace: str = "") -> str:
    """The package URL (purl) of a product without its version, e.g. ``pkg:deb/debian/openssl``."""
    parts = [p for p in (namespace, name) if p]
    return f"pkg:{ecosystem}/{'/'.join(parts)}"


class SoftwareProduct(StewardModel):
    """A piece of software as published: one row per ecosystem, vendor and name."""

    ecosystem = ChoiceField(_("ecosystem"), choices_class=Ecosystem, default=Ecosystem.GENERIC)
    vendor = models.CharField(
        _("vendor"), max_length=100, blank=True, help_text=_("Publisher or distribution (debian, microsoft).")
    )
    name = models.CharField(_("name"), max_length=200)
    purl = models.CharField(
        _("package URL"),
        max_length=300,
        blank=True,
        db_index=True,
        help_text=_("Package URL without version, e.g. pkg:deb/debian/openssl; derived when left empty."),
    )
    manufacturer = models.ForeignKey(
        "cmdb.Manufacturer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="software_products",
        verbose_name=_("manufacturer"),
    )
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("ecosystem", "vendor", "name")

    class Meta:
        ordering = ("name", "ecosystem", "vendor", "id")
        verbose_name = _("software product")
        verbose_name_plural = _("software products")
        constraints = [
            models.UniqueConstraint(
                fields=("ecosystem", "vendor", "name"), name="cmdb_softwareproduct_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_ecosystem_display()})"

    def clean(self) -> None:
        super().clean()
        self.name = self.name.strip()
        self.vendor = self.vendor.strip().lower()
        if self.ecosystem in (Ecosystem.DEBIAN, Ecosystem.RPM, Ecosystem.PYPI):
            self.name = self.name.lower()
        if self.purl and not self.purl.startswith("pkg:"):
            raise ValidationError({"purl": _("A package URL starts with 'pkg:'.")})

    def save(self, *args, **kwargs) -> None:
        if not self.purl and self.ecosystem != Ecosystem.GENERIC:
            self.purl = package_url(self.ecosystem, self.name, self.vendor)
        super().save(*args, **kwargs)


class SoftwareInstallation(StewardModel):
    """One version of a product installed on one item, as last reported by a source."""

    configuration_item = models.ForeignKey(
        "cmdb.ConfigurationItem",
        on_delete=models.CASCADE,
        related_name="installations",
        verbose_name=_("configuration item"),
    )
    product = models.ForeignKey(
        SoftwareProduct, on_delete=models.PROTECT, related_name="installations", verbose_name=_("product")
    )
    version = models.CharField(_("version"), max_length=100, blank=True)
    architecture = models.CharField(_("architecture"), max_length=30, blank=True)
    source = ChoiceField(_("source"), choices_class=InstallationSource, default=InstallationSource.MANUAL)
    first_seen = models.DateTimeField(_("first seen"), null=True, blank=True)
    last_seen = models.DateTimeField(_("last seen"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ("configuration_item", "product", "version", "id")
        verbose_name = _("software installation")
        verbose_name_plural = _("software installations")
        constraints = [
            models.UniqueConstraint(
                fields=("configuration_item", "product", "version", "architecture"),
                name="cmdb_softwareinstallation_unique",
            ),
        ]
        indexes = [models.Index(fields=("product", "version"), name="cmdb_install_product_version")]

    def __str__(self) -> str:
        return f"{self.product.name} {self.version}".strip()
