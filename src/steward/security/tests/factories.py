"""Small builders for security tests, and the builders the registry-driven tests use (no test classes here)."""

from __future__ import annotations

from typing import Any

from steward.cmdb.models import CIClass, ConfigurationItem, SoftwareInstallation, SoftwareProduct
from steward.security.models import Advisory, AffectedPackage
from steward.utilities.testing.factories import factory, make_instance

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


# --- builders for the registry-driven tests (permission matrix, hardening) ---------------------------
@factory("security.finding")
def _finding(n: int, **overrides: Any) -> Any:
    from steward.security.models import Finding

    values = {
        "configuration_item": make_instance(ConfigurationItem),
        "advisory": Advisory.objects.create(identifier=f"CVE-2099-{n:05d}"),
        "product": make_instance(SoftwareProduct),
        "severity": "high",
        **overrides,
    }
    return Finding.objects.create(**values)


@factory("security.severitypolicy")
def _severity_policy(n: int, **overrides: Any) -> Any:
    from steward.security.choices import Severity
    from steward.security.models import SeverityPolicy

    severity = overrides.pop("severity", Severity.values[n % len(Severity.values)])
    SeverityPolicy.objects.filter(severity=severity).delete()  # the shipped defaults hold every severity
    return SeverityPolicy.objects.create(severity=severity, remediation_days=overrides.pop("remediation_days", 30),
                                         **overrides)  # fmt: skip


@factory("security.accessreview")
def _access_review(n: int, **overrides: Any) -> Any:
    import datetime as dt

    from steward.security.models import AccessReview

    review = AccessReview.objects.create(name=f"Review {n}", due_date=dt.date(2027, 1, 1), **overrides)
    review.systems.add(make_instance(ConfigurationItem))
    return review
