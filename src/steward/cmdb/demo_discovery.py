"""Demo discovery: agents reporting on part of the demo estate, with drift and stale machines.

Runs after the CMDB demo (``registry.demo_loaders`` weight 21): Linux servers and VMs report
through the real reconciliation service with packages of their distribution, a few report values
that contradict what the demo data says (drift), and a few stopped reporting weeks ago (stale).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

#: A small but real-looking package base per distribution (name, Debian 12 / Ubuntu 24.04 / RHEL 9 version).
PACKAGES = {
    "Debian": ("deb", [
        ("bash", "5.2.15-2+b7"), ("coreutils", "9.1-1"), ("openssl", "3.0.15-1~deb12u1"),
        ("libssl3", "3.0.15-1~deb12u1"), ("openssh-server", "1:9.2p1-2+deb12u3"), ("curl", "7.88.1-10+deb12u8"),
        ("libcurl4", "7.88.1-10+deb12u8"), ("systemd", "252.31-1~deb12u1"), ("libc6", "2.36-9+deb12u9"),
        ("sudo", "1.9.13p3-1+deb12u1"), ("nginx", "1.22.1-9"), ("python3.11", "3.11.2-6+deb12u4"),
        ("postgresql-15", "15.8-0+deb12u1"), ("zlib1g", "1:1.2.13.dfsg-1"), ("tzdata", "2024a-0+deb12u1"),
        ("ca-certificates", "20230311"), ("rsyslog", "8.2302.0-1"), ("cron", "3.0pl1-162"),
    ]),
    "Ubuntu": ("deb", [
        ("bash", "5.2.21-2ubuntu4"), ("coreutils", "9.4-3ubuntu6"), ("openssl", "3.0.13-0ubuntu3.4"),
        ("libssl3t64", "3.0.13-0ubuntu3.4"), ("openssh-server", "1:9.6p1-3ubuntu13.5"),
        ("curl", "8.5.0-2ubuntu10.4"), ("systemd", "255.4-1ubuntu8.4"), ("libc6", "2.39-0ubuntu8.3"),
        ("sudo", "1.9.15p5-3ubuntu5"), ("nginx", "1.24.0-2ubuntu7.1"), ("python3.12", "3.12.3-1ubuntu0.2"),
        ("zlib1g", "1:1.3.dfsg-3.1ubuntu2.1"), ("tzdata", "2024a-3ubuntu1.1"), ("snapd", "2.63+24.04"),
    ]),
    "RHEL": ("rpm", [
        ("bash", "5.1.8-9.el9"), ("coreutils", "8.32-35.el9"), ("openssl", "1:3.0.7-28.el9_4"),
        ("openssh-server", "8.7p1-38.el9_4.4"), ("curl", "7.76.1-29.el9_4.1"), ("systemd", "252-32.el9_4.7"),
        ("glibc", "2.34-100.el9_4.4"), ("sudo", "1.9.5p2-10.el9_3"), ("python3", "3.9.18-3.el9_4.5"),
        ("postgresql", "13.16-1.el9_4"), ("tzdata", "2024b-2.el9"),
    ]),
}  # fmt: skip
VENDOR = {"Debian": "debian", "Ubuntu": "ubuntu", "RHEL": "rhel"}


def payload_for(item: Any, rng: random.Random, *, drift: bool) -> dict[str, Any]:
    attrs = item.attributes or {}
    os_name = attrs.get("os", "Debian")
    ecosystem, packages = PACKAGES[os_name]
    fqdn = attrs.get("hostname") or f"{item.name}.northwind.example"
    cpus = attrs.get("cpu_count") or attrs.get("vcpus") or 2
    memory = attrs.get("memory_gb") or 8
    os_version = attrs.get("os_version", "")
    if drift:  # someone upgraded or resized the machine without telling the CMDB
        if rng.random() < 0.5:
            os_version = {"22.04": "24.04", "24.04": "24.10", "12": "13", "9.4": "9.5"}.get(
                os_version, os_version + ".1"
            )
        else:
            memory = memory * 2
    chosen = packages if len(packages) < 12 else rng.sample(packages, len(packages) - rng.randrange(0, 4))
    return {
        "version": 1,
        "hostname": fqdn.split(".")[0],
        "fqdn": fqdn,
        "serial_number": item.serial_number,
        "os": {"id": VENDOR[os_name], "name": os_name, "version": os_version},
        "kernel": {
            "name": "Linux",
            "release": "6.1.0-26-amd64" if ecosystem == "deb" else "5.14.0-427.el9.x86_64",
        },
        "architecture": "x86_64",
        "cpu": {"model": "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz", "count": cpus},
        "memory_bytes": int(memory * 2**30),
        "uptime_seconds": rng.randrange(3600, 90 * 86400),
        "virtualization": "vmware" if item.ci_class.slug == "virtual-machine" else "",
        "interfaces": [
            {
                "name": "ens192" if item.ci_class.slug == "virtual-machine" else "eno1",
                "mac": f"00:50:56:{item.pk >> 16 & 255:02x}:{item.pk >> 8 & 255:02x}:{item.pk & 255:02x}",
                "addresses": [attrs["ip_address"]] if attrs.get("ip_address") else [],
            }
        ],
        "packages": [
            {
                "ecosystem": ecosystem,
                "name": name,
                "version": version,
                "architecture": "amd64" if ecosystem == "deb" else "x86_64",
            }
            for name, version in chosen
        ],
    }


def load(*, rng: random.Random, scale: float) -> str:
    from steward.cmdb import discovery
    from steward.cmdb.models import ConfigurationItem, Drift

    candidates = list(
        ConfigurationItem.objects.filter(
            ci_class__slug__in=("server", "virtual-machine"),
            status="in_use",
            attributes__os__in=list(PACKAGES),
        )
        .select_related("ci_class")
        .order_by("pk")
    )
    hosts = rng.sample(candidates, min(len(candidates), max(3, round(80 * scale))))
    drifting = {h.pk for h in hosts[: max(1, len(hosts) // 8)]}
    for host in hosts:
        discovery.ingest_agent_payload(data=payload_for(host, rng, drift=host.pk in drifting), actor=None)
    stale = hosts[-max(1, len(hosts) // 10) :]
    now = timezone.now()
    for host in stale:  # these agents stopped reporting: decommissioned without telling the CMDB?
        ConfigurationItem.objects.filter(pk=host.pk).update(
            last_discovered=now - dt.timedelta(days=rng.randint(10, 45))
        )
    drifts = Drift.objects.filter(state="open").count()
    return f"discovery: {len(hosts)} hosts reported, {drifts} open drifts, {len(stale)} stale"
