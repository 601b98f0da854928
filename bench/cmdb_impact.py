"""Impact analysis at depth 6: Steward's recursive SQL walk against networkx BFS in memory.

``python -m bench.cmdb_impact --edges 100000`` builds a random directed graph on a fresh
throwaway database (SQLite under STEWARD_DATA_DIR, or a new PostgreSQL database when
STEWARD_DATABASE_URL names one), then times, for the same random start items and in
interleaved order:

- ``sql``: ``services.impact_rows`` — the recursive CTE with its path cycle guard, returning
  every reached item with its depth and path;
- ``service``: ``services.impact`` — the same plus loading the reached items as objects;
- ``networkx``: ``single_source_shortest_path`` with ``cutoff=depth`` on the same graph held in
  memory (also depth and path per reached node). Loading that graph is timed apart.

Every sample's reached set and depths are checked to agree with networkx. The graph has
``edges / 3`` items (three outgoing relationships per item on average, like a real estate's
runs-on/uses/member-of mix). Results: ``bench/results/cmdb_impact-<engine>-<time>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import statistics
import sys
import time
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def summary(samples: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples]
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 3),
        "p95_ms": round(percentile(ms, 95), 3),
        "min_ms": round(min(ms), 3),
        "max_ms": round(max(ms), 3),
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.cmdb_impact", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--edges", type=int, default=100_000, help="relationships in the graph (default 100,000)"
    )
    parser.add_argument("--samples", type=int, default=50, help="start items per direction (default 50)")
    parser.add_argument("--depth", type=int, default=6)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    return parser.parse_args(argv)


def fresh_database() -> tuple[str, str, Any]:
    """Point STEWARD_DATABASE_URL at a new database before Django starts; return (engine, url, drop)."""
    base = os.environ.get("STEWARD_DATABASE_URL", "")
    stamp = time.strftime("%Y%m%d%H%M%S") + "_" + secrets.token_hex(3)
    if base.startswith("postgres"):
        from urllib.parse import urlsplit, urlunsplit

        import psycopg

        parts = urlsplit(base)
        name = f"steward_bench_{stamp}"
        admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = urlunsplit(parts._replace(path=f"/{name}"))

        def drop() -> None:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        engine = "postgresql"
    else:
        data_dir = Path(os.environ.setdefault("STEWARD_DATA_DIR", str(Path.cwd() / "var" / "bench")))
        data_dir.mkdir(parents=True, exist_ok=True)
        path = data_dir / f"bench-cmdb-{stamp}.sqlite3"
        url = f"sqlite:///{path}"

        def drop() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

        engine = "sqlite"
    os.environ["STEWARD_DATABASE_URL"] = url
    return engine, url, drop


def build_graph(edges: int, seed: int) -> tuple[list[int], list[tuple[int, int]]]:
    """Create ``edges / 3`` items and ``edges`` random relationships; return item ids and edges."""
    from django.db import connection, transaction

    from steward.cmdb.models import CIClass, ConfigurationItem, Relationship, RelationshipType

    rng = random.Random(seed)
    count = max(10, edges // 3)
    cls = CIClass.objects.get(slug="software")
    with transaction.atomic():
        refs = ConfigurationItem.allocate_references(count)
        items = ConfigurationItem.objects.bulk_create(
            (ConfigurationItem(name=f"item-{i}", ci_class=cls, reference=refs[i]) for i in range(count)),
            batch_size=5000,
        )
    ids = [i.pk for i in items]
    type_ids = list(RelationshipType.objects.values_list("pk", flat=True))
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < edges:
        a, b = rng.choice(ids), rng.choice(ids)
        if a != b:
            pairs.add((a, b))
    table = connection.ops.quote_name(Relationship._meta.db_table)
    sql = (
        f"INSERT INTO {table} (created, last_updated, custom_field_data, source_id, type_id, target_id, description)"
        " VALUES (%s, %s, %s, %s, %s, %s, '')"
    )
    from django.utils import timezone

    now = timezone.now()
    ordered = sorted(pairs)
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(ordered), 10_000):
            cursor.executemany(
                sql,
                [(now, now, "{}", a, rng.choice(type_ids), b) for a, b in ordered[start : start + 10_000]],
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return ids, ordered


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")
    engine, url, drop = fresh_database()
    try:
        import django

        django.setup()
        import networkx as nx
        from django.core.management import call_command
        from django.db import connection

        from steward.cmdb import services
        from steward.cmdb.models import ConfigurationItem

        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        print(f"fresh {engine} database migrated in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        ids, edges = build_graph(args.edges, args.seed)
        build_s = time.perf_counter() - started
        print(f"graph: {len(ids)} items, {len(edges)} relationships, built in {build_s:.1f} s")

        started = time.perf_counter()
        from steward.cmdb.models import Relationship

        graph = nx.DiGraph()
        graph.add_edges_from(
            Relationship.objects.values_list("source_id", "target_id").iterator(chunk_size=20_000)
        )
        load_s = time.perf_counter() - started
        reverse = graph.reverse(copy=False)

        rng = random.Random(args.seed + 1)
        starts = rng.sample(ids, args.samples)
        items = ConfigurationItem.objects.in_bulk(starts)
        results: dict[str, Any] = {}
        disagreements = 0
        for direction, reference in (("downstream", graph), ("upstream", reverse)):
            samples: dict[str, list[float]] = {"sql": [], "service": [], "networkx": []}
            reached = []
            for n, start in enumerate(starts):
                contenders = {
                    "sql": lambda s=start, d=direction: services.impact_rows(
                        item_id=s, direction=d, depth=args.depth
                    ),
                    "service": lambda s=start, d=direction: services.impact(
                        item=items[s], direction=d, depth=args.depth
                    ),
                    "networkx": lambda s=start, r=reference: (
                        nx.single_source_shortest_path(r, s, cutoff=args.depth) if s in r else {}
                    ),
                }
                order = list(contenders) if n % 2 == 0 else list(reversed(contenders))
                outputs = {}
                for name in order:
                    t = time.perf_counter()
                    outputs[name] = contenders[name]()
                    samples[name].append(time.perf_counter() - t)
                sql = {node: depth for node, depth, _path in outputs["sql"]}
                nxr = {node: len(path) - 1 for node, path in outputs["networkx"].items() if node != start}
                disagreements += sql != nxr
                reached.append(len(sql))
            results[direction] = {
                **{name: summary(values) for name, values in samples.items()},
                "p50_ratio_sql_to_networkx": round(
                    statistics.median(samples["sql"]) / statistics.median(samples["networkx"]), 2
                ),
                "reached_p50": statistics.median(reached),
                "reached_max": max(reached),
            }
            row = results[direction]
            print(
                f"{direction:>10}: sql p50 {row['sql']['p50_ms']} ms p95 {row['sql']['p95_ms']} ms | "
                f"service p50 {row['service']['p50_ms']} ms | networkx p50 {row['networkx']['p50_ms']} ms "
                f"p95 {row['networkx']['p95_ms']} ms | reached p50 {row['reached_p50']}"
            )
        print(f"networkx graph load: {load_s:.2f} s; disagreements with networkx: {disagreements}")
        payload = {
            "benchmark": "cmdb_impact",
            "engine": engine,
            "database_version": connection.Database.sqlite_version
            if engine == "sqlite"
            else connection.cursor().connection.info.server_version,
            "items": len(ids),
            "edges": len(edges),
            "depth": args.depth,
            "samples": args.samples,
            "seed": args.seed,
            "graph_build_s": round(build_s, 2),
            "networkx_load_s": round(load_s, 3),
            "networkx_version": nx.__version__,
            "disagreements": disagreements,
            "results": results,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        out = RESULTS_DIR / f"cmdb_impact-{engine}-{time.strftime('%Y%m%dT%H%M%S')}.json"
        out.write_text(json.dumps(payload, indent=2) + "\n")
        print(f"written {out}")
        return 1 if disagreements else 0
    finally:
        if args.keep:
            print(f"kept {url}")
        else:
            from django.db import connections

            connections.close_all()
            drop()


if __name__ == "__main__":
    sys.exit(main())
