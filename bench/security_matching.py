"""Vulnerability matching: Steward's set-based match against a straightforward nested loop.

``python -m bench.security_matching`` (10,000 installations × 2,000 advisories by default;
``--installations 100000 --advisories 20000`` for the issue's size) builds a seeded estate on a
fresh throwaway database (SQLite under STEWARD_DATA_DIR, or a new PostgreSQL database when
STEWARD_DATABASE_URL names one): Debian, PyPI and npm products, items each running a few dozen
of them at realistic version strings, and advisories with OSV ranges (introduced/fixed,
last_affected, explicit versions). Then, in interleaved rounds:

- ``steward``: ``services.compute_matches()`` — reads the affected packages and installations
  from the database (two streamed queries), joins them on (ecosystem, name) and checks each
  candidate's ranges with cached per-ecosystem version keys;
- ``nested``: the textbook loop — for each installation, for each affected package, compare
  ecosystem and name, then the ranges (the same version keys, the data already in memory, so
  the comparison is of the algorithm, not of I/O). The full nested loop over 10^5 × 10^4
  pairs would take hours, so it runs on a random sample of installations and its rate is
  per installation; ``matches/s`` of the loop is that rate times the matches per installation.

Both must find exactly the same findings for the sampled installations. Afterwards the full
``match_findings()`` (findings written, change log) is timed once cold, once again (the
idempotent re-run) and once after a fifth of the installations were upgraded past every fix and a
tenth of the advisories re-scored (findings closed through the workflow, updated and created, with
history and change log): its milliseconds per finding written are the write path's figure. Results: ``bench/results/security_matching-<engine>-<time>.json``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from typing import Any

from bench import db
from bench.harness import Context, ratio, summary_ms, write_result

ECOSYSTEMS = (("deb", "Debian:12", 0.5), ("pypi", "PyPI", 0.3), ("npm", "npm", 0.2))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.security_matching", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--installations", type=int, default=10_000, help="installations (issue size 100,000)"
    )
    parser.add_argument("--advisories", type=int, default=2_000, help="advisories (issue size 20,000)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument(
        "--sample", type=int, default=300, help="installations the nested loop checks per round"
    )
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--no-write", action="store_true", help="skip timing match_findings() (the writes)")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    return parser.parse_args(argv)


def version_for(ecosystem: str, major: int, minor: int, patch: int, rng: random.Random) -> str:
    if ecosystem == "deb":
        suffix = rng.choice(["", "~deb12u1", "+deb12u2", "+b1"])
        return f"{major}.{minor}.{patch}-{rng.randint(1, 3)}{suffix}"
    if ecosystem == "npm" and rng.random() < 0.1:
        return f"{major}.{minor}.{patch}-beta.{rng.randint(1, 4)}"
    return f"{major}.{minor}.{patch}"


def pick_ecosystem(roll: float) -> str:
    acc = 0.0
    for eco, _osv, share in ECOSYSTEMS:
        acc += share
        if roll <= acc:
            return eco
    return ECOSYSTEMS[-1][0]


def build(args: argparse.Namespace) -> dict[str, Any]:
    """The seeded estate, written with bulk inserts; returns counts."""
    from django.db import transaction

    from steward.cmdb.models import CIClass, ConfigurationItem, SoftwareInstallation, SoftwareProduct
    from steward.security import ranges
    from steward.security.models import Advisory, AffectedPackage

    rng = random.Random(args.seed)
    per_item = 25
    n_products = max(100, args.installations // 10)
    n_items = max(1, args.installations // per_item)
    with transaction.atomic():
        products = []
        for i in range(n_products):
            eco = pick_ecosystem(rng.random())
            products.append(SoftwareProduct(ecosystem=eco, vendor="debian" if eco == "deb" else "", name=f"pkg{i}",
                                            purl=f"pkg:{eco}/pkg{i}"))  # fmt: skip
        products = SoftwareProduct.objects.bulk_create(products, batch_size=5000)
        versions = {
            p.pk: [version_for(p.ecosystem, rng.randint(0, 3), rng.randint(0, 20), rng.randint(0, 12), rng)
                   for _ in range(8)]
            for p in products
        }  # fmt: skip
        cls = CIClass.objects.get(slug="server")
        refs = ConfigurationItem.allocate_references(n_items)
        items = ConfigurationItem.objects.bulk_create(
            (ConfigurationItem(name=f"host-{i}", ci_class=cls, reference=refs[i]) for i in range(n_items)),
            batch_size=5000,
        )
        rows = []
        for item in items:
            for product in rng.sample(products, per_item):
                rows.append(
                    SoftwareInstallation(configuration_item=item, product=product,
                                         version=rng.choice(versions[product.pk]), source="agent")
                )  # fmt: skip
        SoftwareInstallation.objects.bulk_create(rows, batch_size=5000)
        advisories = Advisory.objects.bulk_create(
            (Advisory(identifier=f"BENCH-{i}", severity=rng.choice(["critical", "high", "medium", "low"]))
             for i in range(args.advisories)),
            batch_size=5000,
        )  # fmt: skip
        osv_names = {eco: osv for eco, osv, _share in ECOSYSTEMS}
        packages = []
        for adv in advisories:
            product = rng.choice(products)
            eco = product.ecosystem
            pool = sorted(versions[product.pk], key=lambda v, e=eco: ranges.key_for(e, v))
            lo, hi = sorted(rng.sample(range(len(pool)), 2))
            kind = rng.random()
            if kind < 0.6:
                events = [{"introduced": "0" if rng.random() < 0.4 else pool[lo]}, {"fixed": pool[hi]}]
            elif kind < 0.8:
                events = [{"introduced": pool[lo]}, {"last_affected": pool[hi]}]
            else:
                events = [{"introduced": pool[hi]}]
            explicit = [pool[lo]] if rng.random() < 0.2 else []
            raw = [{"type": "ECOSYSTEM", "events": events}]
            packages.append(
                AffectedPackage(advisory=adv, ecosystem=eco, osv_ecosystem=osv_names[eco], name=product.name,
                                ranges=raw, versions=explicit, intervals=ranges.intervals(eco, raw, explicit))
            )  # fmt: skip
        AffectedPackage.objects.bulk_create(packages, batch_size=5000)
    return {
        "products": n_products,
        "items": n_items,
        "installations": len(rows),
        "advisories": len(advisories),
    }


def nested_loop(sample: list[tuple[int, int, int, str, str, str]], packages: list[tuple[Any, ...]]) -> set:
    """The reference: every installation against every affected package."""
    from steward.security import ranges
    from steward.security.versions import safe_key

    found = set()
    for _inst, item_id, product_id, eco, name, version in sample:
        for advisory_id, p_eco, p_name, intervals, explicit in packages:
            if p_eco != eco or p_name != name:
                continue
            if version in explicit:
                found.add((item_id, advisory_id, product_id))
                continue
            for interval in intervals:
                key = safe_key("npm" if interval[0] == ranges.SEMVER else interval[0], version)
                if key is not None and ranges.affected(key, interval):
                    found.add((item_id, advisory_id, product_id))
                    break
    return found


def change_estate_and_match(args: argparse.Namespace, services: Any) -> tuple[Any, float]:
    """Upgrade a fifth of the installations past every fix and re-score a tenth of the advisories,
    then time ``match_findings()``: findings are closed, updated (severity, due date) and created."""
    from steward.cmdb.models import SoftwareInstallation
    from steward.security.models import Advisory

    rng = random.Random(args.seed + 2)
    ids = list(SoftwareInstallation.objects.order_by("pk").values_list("pk", flat=True))
    upgraded = rng.sample(ids, len(ids) // 5)
    for start in range(0, len(upgraded), 5000):
        SoftwareInstallation.objects.filter(pk__in=upgraded[start : start + 5000]).update(version="99.0.0")
    advisories = list(Advisory.objects.order_by("pk").values_list("pk", "severity"))
    for pk, severity in rng.sample(advisories, len(advisories) // 10):
        Advisory.objects.filter(pk=pk).update(severity="low" if severity != "low" else "critical")
    t = time.perf_counter()
    changed = services.match_findings()
    return changed, time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")
    database = db.create()
    try:
        import django

        django.setup()
        from steward.cmdb.models import SoftwareInstallation
        from steward.security import services
        from steward.security.models import AffectedPackage
        from steward.security.versions import version_key

        started = time.perf_counter()
        db.migrate()
        print(f"fresh {database.engine} database migrated in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        counts = build(args)
        print(f"estate: {counts} built in {time.perf_counter() - started:.1f} s")

        packages = [
            (a, e, n, i, frozenset(v))
            for a, e, n, i, v in AffectedPackage.objects.values_list(
                "advisory_id", "ecosystem", "name", "intervals", "versions"
            )
        ]
        installs = list(
            SoftwareInstallation.objects.values_list(
                "id", "configuration_item_id", "product_id", "product__ecosystem", "product__name", "version"
            )
        )
        rng = random.Random(args.seed + 1)
        samples: dict[str, list[float]] = {"steward": [], "nested": []}
        matches = 0
        disagreements = 0
        for r in range(args.rounds):
            version_key.cache_clear()  # each round parses versions afresh, like a new process
            sample = rng.sample(installs, min(args.sample, len(installs)))
            order = ("steward", "nested") if r % 2 == 0 else ("nested", "steward")
            for name in order:
                t = time.perf_counter()
                if name == "steward":
                    desired, _unreadable = services.compute_matches()
                else:
                    reference = nested_loop(sample, packages)
                samples[name].append(time.perf_counter() - t)
            matches = len(desired)
            sampled_items = {(s[1], s[2]) for s in sample}
            ours = {k for k in desired if (k[0], k[2]) in sampled_items}
            disagreements += ours != reference

        n_inst = len(installs)
        steward_s = statistics.median(samples["steward"])
        nested_s = statistics.median(samples["nested"])
        per_inst_nested = nested_s / min(args.sample, n_inst)
        steward_inst_rate = n_inst / steward_s
        nested_inst_rate = 1 / per_inst_nested
        matches_per_inst = matches / n_inst if n_inst else 0
        result: dict[str, Any] = {
            **counts,
            "matches": matches,
            "sample": min(args.sample, n_inst),
            "steward": summary_ms(samples["steward"]),
            "nested_sample": summary_ms(samples["nested"]),
            "steward_installations_per_s": round(steward_inst_rate),
            "nested_installations_per_s": round(nested_inst_rate),
            "steward_matches_per_s": round(matches / steward_s),
            "nested_matches_per_s": round(nested_inst_rate * matches_per_inst),
            "ratio_steward_to_nested": ratio(steward_inst_rate, nested_inst_rate),
            "nested_full_estimate_s": round(per_inst_nested * n_inst, 1),
            "disagreements": disagreements,
        }
        print(
            f"steward: p50 {result['steward']['p50_ms']:.0f} ms for {n_inst} installations × "
            f"{counts['advisories']} advisories → {matches} matches; "
            f"{result['steward_matches_per_s']} matches/s, {result['steward_installations_per_s']} installations/s"
        )
        print(
            f"nested loop: p50 {result['nested_sample']['p50_ms']:.0f} ms for {result['sample']} installations → "
            f"{result['nested_installations_per_s']} installations/s, ≈{result['nested_matches_per_s']} matches/s "
            f"(full run ≈ {result['nested_full_estimate_s']} s)"
        )
        print(f"ratio (installations/s, steward ÷ nested): {result['ratio_steward_to_nested']}×; "
              f"disagreements on the samples: {disagreements}")  # fmt: skip

        if args.no_write:
            ctx = Context(size=n_inst, rounds=args.rounds, engine=database.engine, seed=args.seed)
            print(f"written {write_result('security_matching', ctx, result)}")
            return 1 if disagreements else 0
        t = time.perf_counter()
        first = services.match_findings()
        result["match_findings_first_s"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        again = services.match_findings()
        result["match_findings_again_s"] = round(time.perf_counter() - t, 2)
        result["match_findings_first"] = str(first)
        result["match_findings_again"] = str(again)
        print(f"match_findings: first {result['match_findings_first_s']} s ({first}); "
              f"again {result['match_findings_again_s']} s ({again})")  # fmt: skip
        changed, seconds = change_estate_and_match(args, services)
        writes = changed.created + changed.updated + changed.closed + changed.reopened
        result["match_findings_changed_s"] = round(seconds, 2)
        result["match_findings_changed"] = str(changed)
        result["match_findings_changed_ms_per_write"] = round(1000 * seconds / max(writes, 1), 2)
        print(f"match_findings after upgrades and re-scored advisories: {seconds:.2f} s ({changed}); "
              f"{result['match_findings_changed_ms_per_write']} ms per finding written")  # fmt: skip
        ctx = Context(size=n_inst, rounds=args.rounds, engine=database.engine, seed=args.seed)
        path = write_result("security_matching", ctx, result)
        print(f"written {path}")
        return 1 if disagreements or again.created or again.closed else 0
    finally:
        if args.keep:
            print(f"kept {database.url}")
        else:
            database.drop()


if __name__ == "__main__":
    raise SystemExit(main())
