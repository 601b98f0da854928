"""Small builders for security tests (plain functions: no test classes here)."""

from __future__ import annotations

from typing import Any

from steward.cmdb.models import CIClass, ConfigurationItem, SoftwareInstallation, SoftwareProduct
from steward.security.models import Advisory, AffectedPackage

N = 0


def item(name: str, cls: str = "server") -> ConfigurationItem:
    return ConfigurationItem.objects.create(name=name, ci_class=CIClass.objects.get(slug=cls))


def product(name: str, ecosystem: str = "deb") -> SoftwareProduct:
    vendor = "debian" if ecosystem == "deb" else ""
    return SoftwareProduct.objects.get_or_create(ecosystem=ecosystem, vendor=vendor, name=name)[0]


def install(on: ConfigurationItem, prod: SoftwareProduct, version: str) -> SoftwareInstallation:
    return SoftwareInstallation.objects.create(
        configuration_item=on, product=prod, version=version, source="agent"
    )


def advisory(
    identifier: str,
    package: str,
    events: list[dict[str, str]],
    *,
    ecosystem: str = "deb",
    osv_ecosystem: str = "Debian:12",
    vector: str = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    versions: list[str] | None = None,
    **fields: Any,
) -> Advisory:
    adv = Advisory(identifier=identifier, cvss3_vector=vector, summary=f"Flaw in {package}", **fields)
    adv.full_clean()
    adv.save()
    affected = AffectedPackage(
        advisory=adv,
        ecosystem=ecosystem,
        osv_ecosystem=osv_ecosystem,
        name=package,
        ranges=[{"type": "ECOSYSTEM", "events": events}],
        versions=versions or [],
    )
    affected.full_clean()
    affected.save()
    return adv
