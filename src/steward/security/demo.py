"""Demo vulnerabilities: a software inventory on the demo's hosts, advisories and matched findings.

The advisories are written for the demo (identifiers shaped like real ones, our own words);
versions are chosen so that some hosts are affected, some already patched.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from steward.cmdb.models import ConfigurationItem, SoftwareInstallation, SoftwareProduct
from steward.core import changelog
from steward.core import workflow as wf
from steward.core.serialization import snapshot
from steward.security import services
from steward.security.models import Advisory, AffectedPackage, SeverityPolicy

#: (ecosystem, vendor, name, versions seen in the estate, oldest first)
PACKAGES = [
    (
        "deb",
        "debian",
        "openssl",
        ["3.0.11-1~deb12u1", "3.0.11-1~deb12u2", "3.0.13-1~deb12u1", "3.0.15-1~deb12u1"],
    ),
    ("deb", "debian", "openssh-server", ["1:9.2p1-2", "1:9.2p1-2+deb12u2", "1:9.2p1-2+deb12u3"]),
    ("deb", "debian", "libc6", ["2.36-9+deb12u3", "2.36-9+deb12u4", "2.36-9+deb12u7"]),
    ("deb", "debian", "sudo", ["1.9.13p3-1", "1.9.13p3-1+deb12u1"]),
    ("deb", "debian", "nginx", ["1.22.1-9", "1.22.1-9+deb12u1"]),
    ("pypi", "", "requests", ["2.28.1", "2.31.0", "2.32.3"]),
    ("pypi", "", "jinja2", ["3.1.2", "3.1.4", "3.1.5"]),
    ("npm", "", "lodash", ["4.17.15", "4.17.21"]),
]

#: (identifier, aliases, summary, CVSS 3.1 vector, known exploited, ecosystem, OSV ecosystem, package, events)
ADVISORIES = [
    ("DEMO-2024-0001", ["CVE-2024-0727"], "Crafted PKCS#12 file can crash applications reading it",
     "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", False, "deb", "Debian:12", "openssl",
     [{"introduced": "0"}, {"fixed": "3.0.13-1~deb12u1"}]),
    ("DEMO-2024-0002", ["CVE-2024-6387"], "Race in the SSH server's signal handler allows remote code execution",
     "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", True, "deb", "Debian:12", "openssh-server",
     [{"introduced": "0"}, {"fixed": "1:9.2p1-2+deb12u3"}]),
    ("DEMO-2024-0003", ["CVE-2024-2961"], "Out-of-bounds write in character-set conversion of the C library",
     "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", True, "deb", "Debian:12", "libc6",
     [{"introduced": "0"}, {"fixed": "2.36-9+deb12u7"}]),
    ("DEMO-2023-0004", ["CVE-2023-28486"], "Log output of the privilege tool does not escape control characters",
     "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:L/A:N", False, "deb", "Debian:12", "sudo",
     [{"introduced": "0"}, {"fixed": "1.9.13p3-1+deb12u1"}]),
    ("DEMO-2023-0005", ["CVE-2023-44487"], "HTTP/2 rapid stream resets exhaust server resources",
     "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", True, "deb", "Debian:12", "nginx",
     [{"introduced": "0"}, {"fixed": "1.22.1-9+deb12u1"}]),
    ("DEMO-2024-0006", ["CVE-2024-35195"], "HTTP client keeps certificate verification off for later requests",
     "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:H/I:H/A:N", False, "pypi", "PyPI", "requests",
     [{"introduced": "0"}, {"fixed": "2.32.0"}]),
    ("DEMO-2024-0007", ["CVE-2024-34064"], "Template attribute filter accepts keys that inject HTML attributes",
     "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N", False, "pypi", "PyPI", "jinja2",
     [{"introduced": "0"}, {"fixed": "3.1.4"}]),
    ("DEMO-2020-0008", ["CVE-2020-8203"], "Prototype pollution through object path helpers",
     "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H", False, "npm", "npm", "lodash",
     [{"introduced": "0"}, {"fixed": "4.17.19"}]),
]  # fmt: skip

HOST_CLASSES = ("server", "virtual-machine")


def load(*, rng: random.Random, scale: float = 1.0) -> str:
    hosts = list(
        ConfigurationItem.objects.filter(ci_class__slug__in=HOST_CLASSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not hosts:
        return "security: skipped (load the CMDB demo first)"
    for severity, days in services.DEFAULT_REMEDIATION_DAYS.items():
        if severity != "unknown":
            SeverityPolicy.objects.get_or_create(severity=severity, defaults={"remediation_days": days})
    now = timezone.now()
    products = []
    for ecosystem, vendor, name, _versions in PACKAGES:
        product, _created = SoftwareProduct.objects.get_or_create(
            ecosystem=ecosystem, vendor=vendor, name=name
        )
        products.append(product)
    rows = []
    wanted = max(20, int(len(hosts) * min(scale, 1.0)))
    for host in rng.sample(hosts, min(wanted, len(hosts))):
        for product, (_e, _v, _n, versions) in zip(products, PACKAGES, strict=True):
            if product.ecosystem != "deb" and rng.random() < 0.6:
                continue  # language packages only on application hosts
            rows.append(
                SoftwareInstallation(
                    configuration_item_id=host, product=product, version=rng.choice(versions),
                    architecture="amd64" if product.ecosystem == "deb" else "", source="agent",
                    first_seen=now - dt.timedelta(days=rng.randint(30, 400)), last_seen=now,
                )
            )  # fmt: skip
    SoftwareInstallation.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    stored = list(SoftwareInstallation.objects.filter(product__in=products))
    changelog.record_many(changelog.Change(i, "create", None, snapshot(i)) for i in stored)
    for ident, aliases, summary, vector, kev, eco, osv_eco, package, events in ADVISORIES:
        advisory = Advisory(
            identifier=ident, aliases=aliases, summary=summary, cvss3_vector=vector, known_exploited=kev,
            source="manual", published=now - dt.timedelta(days=rng.randint(20, 300)),
            details=f"Demo advisory. {summary}. Upgrade the package to the fixed version.",
        )  # fmt: skip
        advisory.full_clean()
        advisory.save()
        affected = AffectedPackage(
            advisory=advisory, ecosystem=eco, osv_ecosystem=osv_eco, name=package,
            ranges=[{"type": "ECOSYSTEM", "events": events}],
        )  # fmt: skip
        affected.full_clean()
        affected.save()
    # Detected some weeks ago, so the dashboard shows overdue work.
    result = services.match_findings(now=now - dt.timedelta(days=rng.randint(10, 40)))
    robot = services.automation_user()
    from steward.security.models import Finding

    for finding in Finding.objects.filter(severity="medium").order_by("pk")[:3]:
        wf.transition(
            obj=finding, name="accept_risk", actor=robot,
            data={"justification": "Only reachable from the admin network; patched in the next window.",
                  "risk_accepted_until": (now + dt.timedelta(days=60)).date()},
        )  # fmt: skip
    for finding in Finding.objects.filter(severity="critical", state="open").order_by("pk")[:5]:
        wf.transition(obj=finding, name="start", actor=robot)
    return f"security: {len(stored)} installations, {len(ADVISORIES)} advisories, {result}"
