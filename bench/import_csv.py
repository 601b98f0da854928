"""CSV import throughput: ``importexport.import_rows`` against raw ``bulk_create``, same rows.

The product path is what the UI import runs: parse the CSV, validate every row through the
model's form (foreign keys by natural key, custom fields, ``Model.clean``, unique checks),
upsert by natural key, write the change log, all in one transaction. The comparator parses
the same text and hands model instances straight to ``bulk_create`` (references resolved
from one dict): no validation, no change log. Two workloads: *create* (an empty table) and
*update* (every row exists; each gets a new title), the latter against ``bulk_update``.
"""

from __future__ import annotations

import csv
import io
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from bench import data
from bench.harness import Context, ratio, write_result

NAME = "import"


def wipe_people() -> None:
    from django.contrib.contenttypes.models import ContentType

    from steward.core.models import TaggedItem
    from steward.core.models.changelog import ObjectChange
    from steward.org.models import Person

    ct = ContentType.objects.get_for_model(Person)
    ObjectChange.objects.filter(changed_object_type=ct)._raw_delete("default")
    TaggedItem.objects.filter(content_type=ct)._raw_delete("default")
    Person.objects.all()._raw_delete("default")


def product_import(text: str) -> Any:
    from steward.core import importexport
    from steward.core.context import change_context
    from steward.org.forms import PersonForm
    from steward.org.models import Person

    rows = importexport.parse_rows(text, "csv")
    with change_context(actor="bench", source="import"):
        result = importexport.import_rows(model=Person, form_class=PersonForm, rows=rows, dry_run=False)
    if not result.ok:
        raise RuntimeError(f"import failed: {[str(e) for e in result.errors[:5]]}")
    return result


def raw_create(text: str) -> None:
    rows = list(csv.DictReader(io.StringIO(text)))
    data.bulk_people(rows, batch=1000)


def raw_update(text: str) -> None:
    from django.db import transaction

    from steward.org.models import Department, Location, Person

    rows = list(csv.DictReader(io.StringIO(text)))
    departments = dict(Department.objects.values_list("code", "pk"))
    locations = dict(Location.objects.values_list("code", "pk"))
    existing = Person.objects.in_bulk([r["email"] for r in rows], field_name="email")
    fields = [c for c in data.PERSON_COLUMNS if c != "email"]
    objs = []
    for r in rows:
        obj = existing[r["email"]]
        for name in fields:
            if name == "department":
                obj.department_id = departments.get(r[name])
            elif name == "location":
                obj.location_id = locations.get(r[name])
            else:
                setattr(obj, name, r[name])
        objs.append(obj)
    with transaction.atomic():
        Person.objects.bulk_update(objs, [f"{n}_id" if n in ("department", "location") else n for n in fields],
                                   batch_size=1000)  # fmt: skip


def measure(
    rounds: int, setup: Callable[[], None], contenders: dict[str, Callable[[], Any]]
) -> dict[str, list[float]]:
    """Interleaved rounds; ``setup`` (untimed) before every single run."""
    names = list(contenders)
    samples: dict[str, list[float]] = {n: [] for n in names}
    for r in range(rounds):
        for name in names if r % 2 == 0 else list(reversed(names)):
            setup()
            start = time.perf_counter()
            contenders[name]()
            samples[name].append(time.perf_counter() - start)
    return samples


def peak_memory(setup: Callable[[], None], fn: Callable[[], Any]) -> float:
    setup()
    tracemalloc.start()
    try:
        fn()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return round(peak / 2**20, 1)


def run(ctx: Context) -> dict[str, Any]:
    import statistics

    from steward.core.models.changelog import ObjectChange
    from steward.org.models import Person

    data.make_reference_data()
    rows = data.person_rows(ctx.size, ctx.seed)
    create_text = data.to_csv(rows)
    update_text = data.to_csv([{**r, "title": f"{r['title']} (renamed)".strip()} for r in rows])
    rounds = ctx.extra.get("import_rounds", 3)

    def seeded() -> None:
        wipe_people()
        data.bulk_people(rows)

    # Correctness first: the product path must really create, log and update every row.
    wipe_people()
    result = product_import(create_text)
    assert result.created == ctx.size and Person.objects.count() == ctx.size, result
    assert ObjectChange.objects.filter(action="create").count() >= ctx.size
    result = product_import(update_text)
    assert result.updated == ctx.size, result

    print(f"\n== CSV import: {ctx.size:,} people, {rounds} interleaved rounds ({ctx.engine})")
    figures: dict[str, Any] = {}
    for workload, setup, contenders in (
        ("create", wipe_people, {"import_rows": lambda: product_import(create_text),
                                 "bulk_create": lambda: raw_create(create_text)}),
        ("update", seeded, {"import_rows": lambda: product_import(update_text),
                            "bulk_update": lambda: raw_update(update_text)}),
    ):  # fmt: skip
        samples = measure(rounds, setup, contenders)
        product, comparator = list(contenders)
        med = {n: statistics.median(s) for n, s in samples.items()}
        rps = {n: round(ctx.size / m) for n, m in med.items()}
        figures[workload] = {
            "seconds": {n: [round(x, 3) for x in s] for n, s in samples.items()},
            "median_s": {n: round(m, 3) for n, m in med.items()},
            "rows_per_s": rps,
            "ratio": ratio(rps[product], rps[comparator]),
        }
        print(
            f"{workload:7} import_rows {rps[product]:>8,} rows/s   {comparator} {rps[comparator]:>8,} rows/s"
            f"   ratio {figures[workload]['ratio']:.3f}"
        )
    figures["peak_mib"] = {
        "import_rows": peak_memory(wipe_people, lambda: product_import(create_text)),
        "bulk_create": peak_memory(wipe_people, lambda: raw_create(create_text)),
    }
    figures["csv_mib"] = round(len(create_text.encode()) / 2**20, 1)
    print(
        f"peak memory (tracemalloc, create): import_rows {figures['peak_mib']['import_rows']} MiB,"
        f" bulk_create {figures['peak_mib']['bulk_create']} MiB (CSV text {figures['csv_mib']} MiB)"
    )
    path = write_result(NAME, ctx, {"figures": figures})
    print(f"-> {path}")
    return figures
