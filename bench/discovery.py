"""Discovery ingestion: agent payloads reconciled per second, against raw bulk inserts of the same rows.

Generated hosts (seeded) each report ``--packages`` packages drawn from a shared Debian-like
universe (most hosts run most of the same packages, as in a real estate), two interfaces and the
usual hardware facts. Workloads, interleaved per round on a wiped inventory:

- ``first`` — every host reported for the first time: ``discovery.ingest_agent_payload`` (payload
  validation, identity lookup, item create with schema check, product upsert, interface and
  installation bulk inserts, change-log rows for every new row, one transaction per payload)
  against the comparator ``bulk_create`` of the same items, products and installations with no
  validation and no change log.
- ``repeat`` — every host reports again unchanged (the steady state of a fleet): the same
  service, which must find nothing to change and write no history, against the comparator that
  reads each host's installations and bumps their ``last_seen`` with one UPDATE.

Printed: payloads/s (total and from the median payload), the ratio against the comparator, and
queries per payload. ``python -m bench --only discovery --hosts 1000 --packages 1500`` is the
issue's size; the default is smaller.
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

from bench.harness import Context, ratio, summary_ms, write_result


def payloads(hosts: int, packages: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    universe = [f"pkg-{i:05d}" for i in range(int(packages * 1.3) + 10)]
    versions = {name: f"{rng.randint(0, 9)}.{rng.randint(0, 30)}-{rng.randint(1, 5)}" for name in universe}
    result = []
    for h in range(hosts):
        chosen = rng.sample(universe, packages)
        result.append(
            {
                "version": 1,
                "hostname": f"host-{h:05d}",
                "fqdn": f"host-{h:05d}.example.org",
                "serial_number": f"SN{seed % 1000:03d}{h:07d}",
                "os": {"id": "debian", "name": "Debian GNU/Linux", "version": "12"},
                "kernel": {"name": "Linux", "release": "6.1.0-26-amd64", "version": "#1 SMP"},
                "architecture": "x86_64",
                "cpu": {"model": "AMD EPYC 7443", "count": rng.choice([2, 4, 8, 16])},
                "memory_bytes": rng.choice([8, 16, 32, 64]) * 2**30,
                "uptime_seconds": rng.randint(100, 10**7),
                "interfaces": [
                    {"name": "eth0", "mac": f"52:54:00:{h >> 16 & 255:02x}:{h >> 8 & 255:02x}:{h & 255:02x}",
                     "addresses": [f"10.{h >> 16 & 255}.{h >> 8 & 255}.{h & 255}"]},
                    {"name": "eth1", "mac": f"52:55:00:{h >> 16 & 255:02x}:{h >> 8 & 255:02x}:{h & 255:02x}",
                     "addresses": []},
                ],
                "packages": [
                    {"ecosystem": "deb", "name": n, "version": versions[n], "architecture": "amd64"} for n in chosen
                ],
            }
        )  # fmt: skip
    return result


def wipe() -> None:
    from steward.cmdb.models import (
        ConfigurationItem,
        Drift,
        NetworkInterface,
        SoftwareInstallation,
        SoftwareProduct,
    )
    from steward.core.models.changelog import ObjectChange

    for model in (
        SoftwareInstallation,
        NetworkInterface,
        Drift,
        ConfigurationItem,
        SoftwareProduct,
        ObjectChange,
    ):
        model.objects.all()._raw_delete(model.objects.db)


def progress(label: str, done: int, total: int, started: float) -> None:
    """A line every 100 payloads, so a long run (1,000 hosts) shows how far it got and its rate."""
    if total >= 200 and (done % 100 == 0 or done == total):
        elapsed = time.perf_counter() - started
        print(f"    [{label}] {done:,}/{total:,} payloads, {elapsed:,.0f} s, {done / elapsed:.2f} payloads/s",
              flush=True)  # fmt: skip


def product_ingest(items: list[dict[str, Any]], per_payload: list[float], label: str = "discovery") -> None:
    from steward.cmdb import discovery

    began = time.perf_counter()
    for n, data in enumerate(items, 1):
        start = time.perf_counter()
        discovery.ingest_agent_payload(data=data, actor=None)
        per_payload.append(time.perf_counter() - start)
        progress(label, n, len(items), began)


def raw_first(items: list[dict[str, Any]], per_payload: list[float]) -> None:
    """The same rows with bulk_create: no validation, no identity, no change log."""
    from django.db import transaction
    from django.utils import timezone

    from steward.cmdb.models import (
        CIClass,
        ConfigurationItem,
        NetworkInterface,
        SoftwareInstallation,
        SoftwareProduct,
    )

    server = CIClass.objects.get(slug="server")
    products: dict[str, int] = {}
    began = time.perf_counter()
    for n, data in enumerate(items, 1):
        start = time.perf_counter()
        now = timezone.now()
        with transaction.atomic():
            missing = [p["name"] for p in data["packages"] if p["name"] not in products]
            if missing:
                made = SoftwareProduct.objects.bulk_create(
                    [
                        SoftwareProduct(ecosystem="deb", vendor="debian", name=n, purl=f"pkg:deb/debian/{n}")
                        for n in missing
                    ],
                    batch_size=500,
                )
                products.update({p.name: p.pk for p in made})
            [ref] = ConfigurationItem.allocate_references(1)
            item = ConfigurationItem.objects.create(
                name=data["hostname"], ci_class=server, serial_number=data["serial_number"], reference=ref
            )
            NetworkInterface.objects.bulk_create(
                [
                    NetworkInterface(configuration_item=item, name=n["name"], mac_address=n["mac"])
                    for n in data["interfaces"]
                ]
            )
            SoftwareInstallation.objects.bulk_create(
                [
                    SoftwareInstallation(
                        configuration_item=item,
                        product_id=products[p["name"]],
                        version=p["version"],
                        architecture=p["architecture"],
                        source="agent",
                        first_seen=now,
                        last_seen=now,
                    )
                    for p in data["packages"]
                ],
                batch_size=500,
            )
        per_payload.append(time.perf_counter() - start)
        progress("bulk_create", n, len(items), began)


def raw_repeat(items: list[dict[str, Any]], per_payload: list[float]) -> None:
    """The least a re-report costs: find the item, read its installations, bump last_seen."""
    from django.db import transaction
    from django.utils import timezone

    from steward.cmdb.models import ConfigurationItem, SoftwareInstallation

    began = time.perf_counter()
    for n, data in enumerate(items, 1):
        start = time.perf_counter()
        with transaction.atomic():
            item_id = ConfigurationItem.objects.filter(serial_number=data["serial_number"]).values_list(
                "pk", flat=True
            )[0]
            rows = list(
                SoftwareInstallation.objects.filter(configuration_item_id=item_id).values_list(
                    "product__name", "version", "architecture"
                )
            )
            assert len(rows) == len(data["packages"])
            SoftwareInstallation.objects.filter(configuration_item_id=item_id).update(
                last_seen=timezone.now()
            )
        per_payload.append(time.perf_counter() - start)
        progress("read+update", n, len(items), began)


def count_queries(fn: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def run(ctx: Context) -> dict[str, Any]:
    from steward.cmdb import discovery
    from steward.cmdb.models import ConfigurationItem, SoftwareInstallation
    from steward.core.models.changelog import ObjectChange

    hosts = ctx.extra.get("hosts", 20)
    packages = ctx.extra.get("packages", 1500)
    rounds = ctx.extra.get("discovery_rounds", 3)
    items = payloads(hosts, packages, ctx.seed)

    print(
        f"\n== Discovery ingestion: {hosts:,} hosts × {packages:,} packages, {rounds} interleaved rounds ({ctx.engine})",
        flush=True,
    )
    # Correctness first: the product creates every row, and an identical second report writes nothing.
    # That full inventory is also the starting state of the "repeat" workload, which is therefore
    # measured first (a repeat changes nothing, so every round starts from the same state); the
    # "first" workload wipes before each run. At the size this saves two full ingests.
    wipe()
    product_ingest(items, [], label="correctness")
    assert ConfigurationItem.objects.count() == hosts
    assert SoftwareInstallation.objects.count() == hosts * packages
    history = ObjectChange.objects.count()
    assert not discovery.ingest_agent_payload(data=items[0], actor=None).changed
    assert ObjectChange.objects.count() == history
    queries = {
        "first": None,
        "repeat": count_queries(lambda: discovery.ingest_agent_payload(data=items[0], actor=None)),
    }

    figures: dict[str, Any] = {}
    for workload, contenders, prepare in (
        ("repeat", {"discovery": product_ingest, "read+update": raw_repeat}, None),
        ("first", {"discovery": product_ingest, "bulk_create": raw_first}, wipe),
    ):
        if workload == "first":
            # A new host among known products (as in a running estate): ten hosts already reported
            # register (nearly) the whole package universe, as the other 999 would.
            wipe()
            product_ingest(items[1:11], [])
            queries["first"] = count_queries(
                lambda: discovery.ingest_agent_payload(data=items[0], actor=None)
            )
        per: dict[str, list[float]] = {n: [] for n in contenders}
        totals: dict[str, list[float]] = {n: [] for n in contenders}
        for r in range(rounds):
            order = list(contenders) if r % 2 == 0 else list(reversed(contenders))
            for name in order:
                if prepare:
                    prepare()
                start = time.perf_counter()
                contenders[name](items, per[name])
                totals[name].append(time.perf_counter() - start)
        product, comparator = list(contenders)
        rate = {n: round(hosts / statistics.median(t), 2) for n, t in totals.items()}
        median_rate = {n: round(1 / statistics.median(s), 2) for n, s in per.items()}
        figures[workload] = {
            "payloads_per_s": rate,
            "payloads_per_s_from_median_payload": median_rate,
            "installations_per_s": {n: round(v * packages) for n, v in rate.items()},
            "ratio": ratio(rate[product], rate[comparator]),
            "per_payload": {n: summary_ms(s) for n, s in per.items()},
            "total_seconds": {n: [round(x, 3) for x in t] for n, t in totals.items()},
            "queries_per_payload": queries[workload],
        }
        print(
            f"  {workload:<6} {product}: {rate[product]:>8.2f} payloads/s "
            f"({rate[product] * packages:,.0f} installations/s, p50 {figures[workload]['per_payload'][product]['p50_ms']:.1f} ms, "
            f"{queries[workload]} queries)   {comparator}: {rate[comparator]:>8.2f} payloads/s   "
            f"ratio {figures[workload]['ratio']}×",
            flush=True,
        )
    path = write_result("discovery", ctx, {"hosts": hosts, "packages": packages, "workloads": figures})
    print(f"  results: {path}")
    return figures
