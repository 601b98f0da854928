"""Framework import throughput: the NIST SP 800-53 LOW resolved catalog, controls per second.

Product: ``steward.grc.services.import_framework_file`` — parse the OSCAL JSON, check every
element (errors by JSON path), render statements with their parameters, upsert the
requirement tree by control id, write the change log and the search index, raise the
``grc.framework.imported`` event, all in one transaction. Two workloads: *create* (the
framework is absent) and *reimport* (the same version again: every row compared, none
changed).

Comparator (same run, interleaved rounds): ``json.loads`` of the same file, a plain walk of
groups and (nested) controls taking id, title and label, and ``bulk_create`` of the same
rows level by level so parents exist — no validation, no statement rendering, no change log,
no search index.

``python -m bench --only grc`` (or ``python -m bench.grc_import`` with the same options).
Results: ``bench/results/grc-<engine>-<time>.json``.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

from bench.harness import Context, ratio, summary_ms, timed, write_result

NAME = "grc"
CATALOG = Path("/work/shared/data/oscal/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json")


def catalog_path() -> Path:
    here = Path(__file__).resolve().parents[2] / "shared" / "data" / "oscal" / CATALOG.name
    return here if here.is_file() else CATALOG


def wipe() -> None:
    from django.contrib.contenttypes.models import ContentType

    from steward.core.models import SearchEntry
    from steward.core.models.changelog import ObjectChange
    from steward.grc.models import Framework, Requirement

    ct = ContentType.objects.get_for_model(Requirement)
    ObjectChange.objects.filter(changed_object_type=ct)._raw_delete("default")
    SearchEntry.objects.filter(content_type=ct)._raw_delete("default")
    Requirement.objects.all()._raw_delete("default")
    Framework.objects.all().delete()


def product(content: bytes) -> Any:
    from steward.grc import services

    return services.import_framework_file(content=content, actor=None)


def comparator(content: bytes) -> int:
    from django.db import transaction

    from steward.grc.models import Framework, Requirement

    doc = json.loads(content)["catalog"]
    rows: list[tuple[int, str, str | None, str, str, str]] = []

    def label(node: dict[str, Any]) -> str:
        return next((p["value"] for p in node.get("props", []) if p.get("name") == "label"), "")

    def walk_controls(controls: list[dict[str, Any]], parent: str, depth: int, kind: str) -> None:
        for c in controls:
            rows.append((depth, c["id"], parent, kind, c["title"], label(c)))
            walk_controls(c.get("controls", []), c["id"], depth + 1, "enhancement")

    for g in doc.get("groups", []):
        rows.append((0, g["id"], None, "group", g["title"], label(g)))
        walk_controls(g.get("controls", []), g["id"], 1, "control")
    with transaction.atomic():
        fw = Framework.objects.create(name=doc["metadata"]["title"], identifier="bench:" + doc["uuid"])
        pks: dict[str, int] = {}
        for depth in sorted({r[0] for r in rows}):
            objs = [
                Requirement(framework=fw, control_id=cid, parent_id=pks.get(parent) if parent else None, kind=kind,
                            title=title, label=lab, sort_order=i)
                for i, (d, cid, parent, kind, title, lab) in enumerate(rows) if d == depth
            ]  # fmt: skip
            Requirement.objects.bulk_create(objs, batch_size=500)
            pks.update({o.control_id: o.pk for o in objs})
    return len(rows)


def measure(rounds: int) -> dict[str, Any]:
    content = catalog_path().read_bytes()
    controls = sum(1 for _ in _controls(json.loads(content)["catalog"]))

    contenders = {"product": product, "comparator": comparator}
    create: dict[str, list[float]] = {"product": [], "comparator": []}
    for r in range(rounds):  # interleaved; each run starts from an empty table (wiping is not timed)
        order = ["product", "comparator"] if r % 2 == 0 else ["comparator", "product"]
        for name in order:
            wipe()
            create[name].append(timed(lambda fn=contenders[name]: fn(content)))
    wipe()
    product(content)
    reimport = [timed(lambda: product(content)) for _ in range(rounds)]
    wipe()
    out: dict[str, Any] = {"controls": controls}
    for name, samples in create.items():
        median = statistics.median(samples)
        out[f"create_{name}"] = {**summary_ms(samples), "controls_per_s": round(controls / median, 1)}
    median = statistics.median(reimport)
    out["reimport_product"] = {**summary_ms(reimport), "controls_per_s": round(controls / median, 1)}
    out["create_ratio"] = ratio(statistics.median(create["product"]), statistics.median(create["comparator"]))
    return out


def _controls(catalog: dict[str, Any]) -> Any:
    def walk(controls: list[dict[str, Any]]) -> Any:
        for c in controls:
            yield c
            yield from walk(c.get("controls", []))

    for g in catalog.get("groups", []):
        yield from walk(g.get("controls", []))


def run(ctx: Context) -> None:
    rounds = max(3, min(ctx.rounds, 15))
    result = measure(rounds)
    p, c, re = result["create_product"], result["create_comparator"], result["reimport_product"]
    print(f"[grc] NIST LOW resolved catalog: {result['controls']} controls, {rounds} interleaved rounds")
    print(f"[grc] create   product    p50 {p['p50_ms']:.0f} ms  {p['controls_per_s']:.0f} controls/s")
    print(f"[grc] create   comparator p50 {c['p50_ms']:.0f} ms  {c['controls_per_s']:.0f} controls/s "
          f"(json.loads + bulk_create)")  # fmt: skip
    print(f"[grc] product / comparator time: {result['create_ratio']}×")
    print(
        f"[grc] reimport product    p50 {re['p50_ms']:.0f} ms  {re['controls_per_s']:.0f} controls/s (no changes)"
    )
    path = write_result(NAME, ctx, result)
    print(f"[grc] wrote {path}")
