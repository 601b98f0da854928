"""Impact analysis at depth 6: Steward's in-memory and SQL walks against a recursive CTE and networkx.

``python -m bench.cmdb_impact --edges 100000`` builds a random directed graph on a fresh
throwaway database (SQLite under STEWARD_DATA_DIR, or a new PostgreSQL database when
STEWARD_DATABASE_URL names one), then times, for the same random start items and in
interleaved order:

- ``memory``: ``services.impact_rows`` — the process's in-memory copy of the graph (ADR 31),
  checked against the journal's newest number (one query) and walked, returning every reached item with
  its depth and path; loading the copy is timed apart, like networkx's graph;
- ``walk``: ``services.impact_rows_sql`` — one indexed query per level, visited set in Python
  (ADR 28);
- ``cte``: the recursive CTE Steward used before (path text as cycle guard, every simple path
  explored, ``ROW_NUMBER`` keeping the shallowest), kept here as the comparator;
- ``service``: ``services.impact`` — the in-memory walk plus loading the reached items
  (``IMPACT_FIELDS``); ``service_full``: the SQL walk loading whole items, as it used to;
- ``networkx``: ``single_source_shortest_path`` with ``cutoff=depth`` on the same graph held in
  memory (also depth and path per reached node). Loading that graph is timed apart.

Then a large traversal: an outage of ``--outage`` random items at once (``memory`` and ``walk`` with all
of them as start items; the CTE seeded with all; networkx from a virtual node linked to all),
``--outage-rounds`` times per direction. Every sample's reached set and depths are checked to
agree across the contenders. The graph has ``edges / 3`` items (three outgoing relationships per
item on average, like a real estate's runs-on/uses/member-of mix). Results:
``bench/results/cmdb_impact-<engine>-<time>.json``.
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


def timed_round(contenders: dict[str, Any], n: int, samples: dict[str, list[float]]) -> dict[str, Any]:
    """Run every contender once (order reversed on odd rounds), timing each; their outputs."""
    order = list(contenders) if n % 2 == 0 else list(reversed(contenders))
    outputs = {}
    for name in order:
        t = time.perf_counter()
        outputs[name] = contenders[name]()
        samples[name].append(time.perf_counter() - t)
    return outputs


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.cmdb_impact", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--edges", type=int, default=100_000, help="relationships in the graph (default 100,000)"
    )
    parser.add_argument("--samples", type=int, default=50, help="start items per direction (default 50)")
    parser.add_argument("--depth", type=int, default=6)
    parser.add_argument("--outage", type=int, default=200, help="start items of the large traversal")
    parser.add_argument("--outage-rounds", type=int, default=5, help="large traversals per direction")
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


def recursive_cte(starts: list[int], direction: str, depth: int) -> list[tuple[int, int, tuple[int, ...]]]:
    """The former ``impact_rows``: a recursive CTE with the path text as cycle guard, many seeds."""
    from django.db import connection

    from steward.cmdb.models import Relationship

    table = connection.ops.quote_name(Relationship._meta.db_table)
    here, there = ("source_id", "target_id") if direction == "downstream" else ("target_id", "source_id")
    seeds = " UNION ALL ".join(["SELECT CAST(%s AS BIGINT), 0, ',' || CAST(%s AS TEXT) || ','"] * len(starts))
    sql = f"""
        WITH RECURSIVE walk(node, depth, path) AS (
            {seeds}
            UNION ALL
            SELECT r.{there}, w.depth + 1, w.path || CAST(r.{there} AS TEXT) || ','
            FROM walk w JOIN {table} r ON r.{here} = w.node
            WHERE w.depth < %s
              AND w.path NOT LIKE '%%,' || CAST(r.{there} AS TEXT) || ',%%'
        )
        SELECT node, depth, path FROM (
            SELECT node, depth, path,
                   ROW_NUMBER() OVER (PARTITION BY node ORDER BY depth, path) AS rank
            FROM walk
        ) ranked
        WHERE rank = 1 AND depth > 0
        ORDER BY depth, node
    """  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, [v for s in starts for v in (s, s)] + [depth])
        rows = cursor.fetchall()
    return [(node, d, tuple(int(p) for p in path.strip(",").split(","))) for node, d, path in rows]


def service_full(item: Any, direction: str, depth: int) -> list[Any]:
    """``services.impact`` as it loaded its items before: whole rows (JSON attributes included)."""
    from steward.cmdb import services
    from steward.cmdb.models import CIClass, ConfigurationItem

    rows = services.impact_rows_sql(item_ids=[item.pk], direction=direction, depth=depth)
    items = ConfigurationItem.objects.in_bulk({r[0] for r in rows})
    classes = CIClass.objects.in_bulk({i.ci_class_id for i in items.values()})
    for ci in items.values():
        ci.ci_class = classes[ci.ci_class_id]
    return [(items[node], d, path) for node, d, path in rows]


def networkx_outage(
    nx: Any, graph: Any, starts: list[int], direction: str, depth: int
) -> dict[int, list[int]]:
    """networkx BFS with paths from a virtual node linked to every start item (removed after)."""
    virtual = -1
    graph.add_edges_from(((virtual, s) if direction == "downstream" else (s, virtual)) for s in starts)
    try:
        view = graph if direction == "downstream" else graph.reverse(copy=False)
        paths = nx.single_source_shortest_path(view, virtual, cutoff=depth + 1)
    finally:
        graph.remove_node(virtual)
    return {node: path[1:] for node, path in paths.items() if len(path) > 2}


def ratio(samples: dict[str, list[float]], a: str, b: str) -> float:
    return round(statistics.median(samples[a]) / statistics.median(samples[b]), 2)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")
    load_start = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else None
    engine, url, drop = fresh_database()
    try:
        import django

        django.setup()
        import networkx as nx
        from django.core.management import call_command
        from django.db import connection

        from steward.cmdb import graph as graph_module
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
        started = time.perf_counter()
        copy = graph_module.current()
        copy_load_s = time.perf_counter() - started
        print(
            f"in-memory copy loaded in {copy_load_s:.2f} s ({copy.nbytes / 2**20:.1f} MiB of arrays, "
            f"numpy {'on' if graph_module.numpy is not None else 'off'}); networkx graph in {load_s:.2f} s"
        )

        rng = random.Random(args.seed + 1)
        starts = rng.sample(ids, args.samples)
        items = ConfigurationItem.objects.in_bulk(starts)
        results: dict[str, Any] = {}
        disagreements = 0
        for direction, reference in (("downstream", graph), ("upstream", reverse)):
            samples: dict[str, list[float]] = {
                "memory": [], "walk": [], "cte": [], "service": [], "service_full": [], "networkx": []
            }  # fmt: skip
            reached = []
            for n, start in enumerate(starts):
                contenders = {
                    "memory": lambda s=start, d=direction: services.impact_rows(
                        item_ids=[s], direction=d, depth=args.depth
                    ),
                    "walk": lambda s=start, d=direction: services.impact_rows_sql(
                        item_ids=[s], direction=d, depth=args.depth
                    ),
                    "cte": lambda s=start, d=direction: recursive_cte([s], d, args.depth),
                    "service": lambda s=start, d=direction: services.impact(
                        item=items[s], direction=d, depth=args.depth
                    ),
                    "service_full": lambda s=start, d=direction: service_full(items[s], d, args.depth),
                    "networkx": lambda s=start, r=reference: (
                        nx.single_source_shortest_path(r, s, cutoff=args.depth) if s in r else {}
                    ),
                }
                outputs = timed_round(contenders, n, samples)
                walk = {node: depth for node, depth, _path in outputs["walk"]}
                cte = {node: depth for node, depth, _path in outputs["cte"]}
                nxr = {node: len(path) - 1 for node, path in outputs["networkx"].items() if node != start}
                disagreements += walk != nxr or cte != nxr or outputs["memory"] != outputs["walk"]
                reached.append(len(walk))
            results[direction] = {
                **{name: summary(values) for name, values in samples.items()},
                "p50_ratio_memory_to_networkx": ratio(samples, "memory", "networkx"),
                "p50_ratio_walk_to_networkx": ratio(samples, "walk", "networkx"),
                "p50_ratio_walk_to_cte": ratio(samples, "walk", "cte"),
                "p50_ratio_service_to_service_full": ratio(samples, "service", "service_full"),
                "reached_p50": statistics.median(reached),
                "reached_max": max(reached),
            }
            row = results[direction]
            print(
                f"{direction:>10}: memory p50 {row['memory']['p50_ms']} ms p95 {row['memory']['p95_ms']} ms | "
                f"walk p50 {row['walk']['p50_ms']} ms p95 {row['walk']['p95_ms']} ms | "
                f"cte p50 {row['cte']['p50_ms']} ms | networkx p50 {row['networkx']['p50_ms']} ms "
                f"p95 {row['networkx']['p95_ms']} ms | service p50 {row['service']['p50_ms']} ms "
                f"(whole items {row['service_full']['p50_ms']} ms) | reached p50 {row['reached_p50']} | "
                f"memory/networkx {row['p50_ratio_memory_to_networkx']} "
                f"walk/networkx {row['p50_ratio_walk_to_networkx']} walk/cte {row['p50_ratio_walk_to_cte']}"
            )
        outage = rng.sample(ids, args.outage)
        for direction in ("downstream", "upstream"):
            samples = {"memory": [], "walk": [], "cte": [], "networkx": []}
            for n in range(args.outage_rounds):
                contenders = {
                    "memory": lambda d=direction: services.impact_rows(
                        item_ids=outage, direction=d, depth=args.depth
                    ),
                    "walk": lambda d=direction: services.impact_rows_sql(
                        item_ids=outage, direction=d, depth=args.depth
                    ),
                    "cte": lambda d=direction: recursive_cte(outage, d, args.depth),
                    "networkx": lambda d=direction: networkx_outage(nx, graph, outage, d, args.depth),
                }
                outputs = timed_round(contenders, n, samples)
                walk = {node: depth for node, depth, _path in outputs["walk"]}
                cte = {node: depth for node, depth, _path in outputs["cte"] if node not in outage}
                nxr = {
                    node: len(path) - 1 for node, path in outputs["networkx"].items() if node not in outage
                }
                disagreements += walk != nxr or cte != nxr or outputs["memory"] != outputs["walk"]
            results[f"outage_{direction}"] = {
                **{name: summary(values) for name, values in samples.items()},
                "p50_ratio_memory_to_cte": ratio(samples, "memory", "cte"),
                "p50_ratio_memory_to_networkx": ratio(samples, "memory", "networkx"),
                "p50_ratio_walk_to_cte": ratio(samples, "walk", "cte"),
                "p50_ratio_walk_to_networkx": ratio(samples, "walk", "networkx"),
                "start_items": args.outage,
                "reached": len(walk),
            }
            row = results[f"outage_{direction}"]
            print(
                f"outage of {args.outage} {direction:>10}: memory p50 {row['memory']['p50_ms']} ms | "
                f"walk p50 {row['walk']['p50_ms']} ms | "
                f"cte p50 {row['cte']['p50_ms']} ms | networkx p50 {row['networkx']['p50_ms']} ms | "
                f"reached {row['reached']} | memory/cte {row['p50_ratio_memory_to_cte']} "
                f"memory/networkx {row['p50_ratio_memory_to_networkx']} walk/cte {row['p50_ratio_walk_to_cte']} "
                f"walk/networkx {row['p50_ratio_walk_to_networkx']}"
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
            "outage": args.outage,
            "outage_rounds": args.outage_rounds,
            "loadavg_start": load_start,
            "loadavg_end": Path("/proc/loadavg").read_text().split()[:3]
            if Path("/proc/loadavg").exists()
            else None,
            "seed": args.seed,
            "graph_build_s": round(build_s, 2),
            "networkx_load_s": round(load_s, 3),
            "memory_load_s": round(copy_load_s, 3),
            "memory_mib": round(copy.nbytes / 2**20, 1),
            "memory_numpy": graph_module.numpy is not None,
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
