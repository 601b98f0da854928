"""CMDB bulk CSV import: ``services.import_items_csv`` against raw ``bulk_create`` of the same rows.

The product path streams the file from disk (``csv.DictReader`` over the open file), checks
every row (choices, dates, money, the item's ``clean()`` with its class attribute schema),
upserts by natural key, allocates references, writes the change log and the search index, all
in one transaction, in batches of 2,000. The comparator reads the same file into memory and
hands instances straight to ``bulk_create`` (class from one dict, references from a counter):
no validation, no change log, no search index. Also measured: tracemalloc peak memory of one
run of each, at the given size and at a tenth of it (flat = streamed).

``python -m bench --only cmdb-import --size 100000 --import-rounds 3``
"""

from __future__ import annotations

import csv
import os
import random
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.harness import Context, ratio, write_result

NAME = "cmdb_import"
HEADER = ["name", "class", "status", "environment", "criticality", "serial_number", "asset_tag", "warranty_end",
          "attr_hostname", "attr_os", "attr_cpu_count"]  # fmt: skip


def write_items(path: Path, size: int, seed: int) -> None:
    rng = random.Random(seed)
    statuses = ["in_use"] * 6 + ["in_stock", "maintenance", "planned"]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(size):
            kind = "server" if n % 3 else "virtual-machine"
            writer.writerow([
                f"host-{n:06d}", kind, rng.choice(statuses), rng.choice(["production", "test", "development"]),
                rng.choice(["low", "medium", "high"]), f"SN{n:08d}", f"AT{n:07d}",
                f"202{rng.randint(6, 9)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                f"host-{n:06d}.example.org", rng.choice(["Debian 12", "Ubuntu 24.04", "RHEL 9"]),
                rng.choice([2, 4, 8, 16]) if kind == "server" else "",
            ])  # fmt: skip


def wipe() -> None:
    from django.contrib.contenttypes.models import ContentType

    from steward.cmdb.models import ConfigurationItem
    from steward.core.models import SearchEntry
    from steward.core.models.changelog import ObjectChange

    ct = ContentType.objects.get_for_model(ConfigurationItem)
    ObjectChange.objects.filter(changed_object_type=ct)._raw_delete("default")
    SearchEntry.objects.filter(content_type=ct)._raw_delete("default")
    ConfigurationItem.objects.all()._raw_delete("default")


def product(path: Path) -> Any:
    from steward.cmdb import services
    from steward.core.context import change_context

    with path.open(newline="") as stream, change_context(actor="bench", source="import"):
        return services.import_items_csv(items=stream, actor=None)


def raw_create(path: Path) -> None:
    from django.db import transaction

    from steward.cmdb.models import CIClass, ConfigurationItem

    classes = dict(CIClass.objects.values_list("slug", "pk"))
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    objs = []
    for n, r in enumerate(rows):
        attrs = {"hostname": r["attr_hostname"], "os": r["attr_os"]}
        if r["attr_cpu_count"]:
            attrs["cpu_count"] = int(r["attr_cpu_count"])
        objs.append(ConfigurationItem(
            reference=f"RAW{n:09d}", name=r["name"], ci_class_id=classes[r["class"]], status=r["status"],
            environment=r["environment"], criticality=r["criticality"], serial_number=r["serial_number"],
            asset_tag=r["asset_tag"], warranty_end=r["warranty_end"], attributes=attrs,
        ))  # fmt: skip
    with transaction.atomic():
        ConfigurationItem.objects.bulk_create(objs, batch_size=2000)


def peak_mib(fn: Callable[[], Any]) -> float:
    wipe()
    tracemalloc.start()
    try:
        fn()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return round(peak / 2**20, 1)


def ensure_schema() -> None:
    """The generated rows use the server's cpu_count and the hardware's os attributes."""
    from steward.cmdb.models import CIClass

    for slug in ("server", "virtual-machine"):
        cls = CIClass.objects.get(slug=slug)
        schema = cls.effective_schema()
        extra = {k: v for k, v in {"os": {"type": "string"}, "cpu_count": {"type": "integer", "min": 1},
                                   "hostname": {"type": "string"}}.items() if k not in schema}  # fmt: skip
        if extra:
            cls.attribute_schema = {**cls.attribute_schema, **extra}
            cls.save()


def run(ctx: Context) -> dict[str, Any]:
    from steward.cmdb.models import ConfigurationItem
    from steward.core.models.changelog import ObjectChange

    ensure_schema()
    rounds = ctx.extra.get("import_rounds", 3)
    folder = Path(tempfile.mkdtemp(prefix="steward-bench-"))
    big, small = folder / "items.csv", folder / "items-tenth.csv"
    write_items(big, ctx.size, ctx.seed)
    write_items(small, max(ctx.size // 10, 1), ctx.seed)

    wipe()  # correctness first: every row created, logged; a re-import changes nothing
    result = product(big)
    assert result.created == ctx.size == ConfigurationItem.objects.count(), result
    assert ObjectChange.objects.filter(action="create").count() >= ctx.size
    again = product(big)
    assert again.unchanged == ctx.size, again

    print(f"\n== CMDB CSV import: {ctx.size:,} items, {rounds} interleaved rounds ({ctx.engine})")

    # Interleaved rounds; the wipe before each run is not timed. CPU time is recorded beside the
    # wall clock: on a shared machine it estimates what a quiet one would show (it leaves out
    # waiting for the CPU, not the database's own work in this process).
    samples: dict[str, list[float]] = {"import_items_csv": [], "bulk_create": []}
    cpu: dict[str, list[float]] = {name: [] for name in samples}
    for r in range(rounds):
        order = list(samples) if r % 2 == 0 else list(reversed(samples))
        for name in order:
            wipe()
            start, start_cpu = time.perf_counter(), time.process_time()
            (product if name == "import_items_csv" else raw_create)(big)
            samples[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    med = {n: statistics.median(s) for n, s in samples.items()}
    rps = {n: round(ctx.size / m) for n, m in med.items()}
    med_cpu = {n: statistics.median(s) for n, s in cpu.items()}
    rps_cpu = {n: round(ctx.size / m) for n, m in med_cpu.items()}
    peaks = {
        "import_items_csv": peak_mib(lambda: product(big)),
        "import_items_csv_tenth": peak_mib(lambda: product(small)),
        "bulk_create": peak_mib(lambda: raw_create(big)),
    }
    figures = {
        "seconds": {n: [round(x, 3) for x in s] for n, s in samples.items()},
        "median_s": {n: round(m, 3) for n, m in med.items()},
        "rows_per_s": rps,
        "ratio": ratio(rps["import_items_csv"], rps["bulk_create"]),
        "cpu_seconds": {n: [round(x, 3) for x in s] for n, s in cpu.items()},
        "rows_per_cpu_s": rps_cpu,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "peak_mib": peaks,
        "csv_mib": round(big.stat().st_size / 2**20, 1),
    }
    print(f"import_items_csv {rps['import_items_csv']:>8,} rows/s   bulk_create {rps['bulk_create']:>8,} rows/s"
          f"   ratio {figures['ratio']:.3f}")  # fmt: skip
    print(f"per CPU second: import_items_csv {rps_cpu['import_items_csv']:>8,} rows/s   bulk_create "
          f"{rps_cpu['bulk_create']:>8,} rows/s   (load average {os.getloadavg()[0]:.2f})")  # fmt: skip
    print(f"peak memory (tracemalloc): import {peaks['import_items_csv']} MiB at {ctx.size:,} rows, "
          f"{peaks['import_items_csv_tenth']} MiB at a tenth; bulk_create {peaks['bulk_create']} MiB "
          f"(CSV file {figures['csv_mib']} MiB)")  # fmt: skip
    for path in (big, small):
        path.unlink()
    folder.rmdir()
    path = write_result(NAME, ctx, {"figures": figures})
    print(f"-> {path}")
    return figures
