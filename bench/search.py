"""Global search benchmark: Steward's search against the engine's own FTS and a LIKE scan.

    python -m bench.search --size 20000          # SQLite in a throw-away data dir
    STEWARD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/steward_bench python -m bench.search

Builds N people (seeded, deterministic) through ``bulk_create`` and the product's bulk index
path, then times two-word queries (last word a prefix) at three selectivities -- rare, medium
and common -- on three paths, interleaved round by round so drift hits them all alike:

* ``steward``: ``steward.core.search.query.search`` for a user with a view grant on every
  type (permission scoping, per-type top 10, totals, grouping, URLs);
* ``scoped``: the same for a user whose grant covers one person in ten (a constraint);
* ``fts``: the engine's own ranked top 20 queried directly (FTS5 bm25 / tsvector ts_rank);
* ``like``: ``LIKE '% word %'`` over the same text, unranked, first 20 rows.

Prints p50/p95 in ms and ratios; writes JSON to ``bench/results/search-<engine>-<time>.json``.
Generated data is reused when the database already holds exactly N bench people. For the
``python -m bench`` runner, ``run(ctx)`` takes its Context (size, rounds, seed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
BENCH_DOMAIN = "bench.invalid"
SYLLABLES = [
    "ka", "lo", "mi", "ra", "to", "ve", "su", "ne", "di", "pa", "zo", "ri", "bu", "fe", "go", "ha",
    "ju", "ly", "mo", "ni", "qua", "se", "ti", "wo", "xe", "ya", "zu", "bra", "cre", "dro",
]  # fmt: skip
COMMON = ["senior", "engineer"]  # each in ~30 % of records
N_MEDIUM = 50  # each in ~1 %
N_RARE = 5000  # each in ~0.01 %


def _word(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(n))


def vocabulary(seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    seen: set[str] = set(COMMON)

    def fresh(length: int) -> str:
        while True:
            w = _word(rng, length)
            if w not in seen:
                seen.add(w)
                return w

    return {
        "first": [fresh(2) for _ in range(300)],
        "last": [fresh(3) for _ in range(5000)],
        "medium": [fresh(3) for _ in range(N_MEDIUM)],
        "rare": [fresh(4) for _ in range(N_RARE)],
        "filler": [fresh(3) for _ in range(2000)],
    }


def title_for(rng: random.Random, vocab: dict[str, list[str]]) -> str:
    parts = [w for w in COMMON if rng.random() < 0.3]
    if rng.random() < 0.5:
        parts.append(rng.choice(vocab["medium"]))
    if rng.random() < 0.5:
        parts.append(rng.choice(vocab["rare"]))
    parts.extend(rng.choice(vocab["filler"]) for _ in range(2))
    rng.shuffle(parts)
    return " ".join(parts)


def setup_django() -> None:
    if "STEWARD_DATABASE_URL" not in os.environ and "STEWARD_DATA_DIR" not in os.environ:
        os.environ["STEWARD_DATA_DIR"] = tempfile.mkdtemp(prefix="steward-bench-search-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def build(size: int, seed: int) -> dict[str, float]:
    """Create ``size`` bench people and index them; returns timings (skipped if already there)."""
    from django.db import transaction

    from steward.core.models import SearchEntry
    from steward.core.search import index
    from steward.org.models import Person

    bench = Person.objects.filter(email__endswith=f"@{BENCH_DOMAIN}")
    if bench.count() == size and SearchEntry.objects.filter(object_id__in=bench.values("pk")).count() == size:
        return {"reused": 1}
    print(f"building {size:,} people …", flush=True)
    SearchEntry.objects.filter(object_id__in=bench.values("pk")).delete()
    bench._raw_delete(bench.db)
    vocab = vocabulary(seed)
    rng = random.Random(seed + 1)
    insert = indexing = 0.0
    batch = 5000
    for start in range(0, size, batch):
        people = [
            Person(
                first_name=rng.choice(vocab["first"]).title(),
                last_name=rng.choice(vocab["last"]).title(),
                email=f"p{n}@{BENCH_DOMAIN}",
                title=title_for(rng, vocab),
                employee_id=f"E{n:07d}",
            )
            for n in range(start, min(size, start + batch))
        ]
        with transaction.atomic():
            t0 = time.perf_counter()
            Person.objects.bulk_create(people)
            t1 = time.perf_counter()
            index.index_many(people, batch_size=batch)
            t2 = time.perf_counter()
        insert += t1 - t0
        indexing += t2 - t1
    return {"insert_s": insert, "index_s": indexing, "index_rows_per_s": size / indexing if indexing else 0}


def queries(seed: int) -> dict[str, list[str]]:
    vocab = vocabulary(seed)
    rng = random.Random(seed + 2)
    return {
        "rare": [f"{w} {COMMON[1][:4]}" for w in rng.sample(vocab["rare"], 5)],
        "medium": [f"{w} {COMMON[1][:4]}" for w in rng.sample(vocab["medium"], 5)],
        "common": [f"{COMMON[0]} {COMMON[1][:4]}", f"{COMMON[1]} {COMMON[0][:4]}"],
    }


def engine_sql(kind: str) -> tuple[str, callable]:
    from steward.core.search.query import (
        FTS_TABLE,
        POSTGRES_WEIGHTS,
        SQLITE_WEIGHTS,
        fts5_expression,
        tsquery_expression,
    )

    if kind == "fts5":
        sql = (
            f"SELECT rowid, bm25({FTS_TABLE}, {SQLITE_WEIGHTS}) AS r FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s ORDER BY r LIMIT 20"
        )
        return sql, fts5_expression
    sql = (
        f"SELECT id, ts_rank('{POSTGRES_WEIGHTS}', search_vector, q) AS r "
        "FROM core_searchentry, to_tsquery('simple', %s) q WHERE search_vector @@ q ORDER BY r DESC LIMIT 20"
    )
    return sql, tsquery_expression


LIKE_SQL = (
    "SELECT id FROM core_searchentry WHERE "
    "(' ' || text_a || ' ' || text_b || ' ' || text_c || ' ') LIKE %s AND "
    "(' ' || text_a || ' ' || text_b || ' ' || text_c || ' ') LIKE %s LIMIT 20"
)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure(size: int, rounds: int, seed: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from steward.core.search import index
    from steward.core.search.query import engine, search
    from steward.core.search.spec import words
    from steward.org.models import Person
    from steward.utilities.testing import grant

    build_info = build(size, seed)
    kind = engine()
    if kind == "like":
        sys.exit("This database has no full-text engine (FTS5 or tsvector); nothing to compare.")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA optimize")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE core_searchentry")
    User = get_user_model()
    user = User.objects.filter(username="bench-search").first()
    if user is None:
        user = User.objects.create_user("bench-search", "bench@example.org", "unused-password")
        for model, _spec in index.searchable_models():
            grant(user, model, "view", name=f"bench-search-{model._meta.label_lower}")
    scoped = User.objects.filter(username="bench-search-scoped").first()
    if scoped is None:  # sees one person in ten: permission scoping inside the ranked query
        scoped = User.objects.create_user("bench-search-scoped", "scoped@example.org", "unused-password")
        grant(scoped, Person, "view", constraints={"employee_id__endswith": "7"}, name="bench-search-scoped")
    fts_sql, fts_expr = engine_sql(kind)

    def product(q: str) -> int:
        return sum(len(g.hits) for g in search(user, q, per_type=10))

    def product_scoped(q: str) -> int:
        return sum(len(g.hits) for g in search(scoped, q, per_type=10))

    def raw_fts(q: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(fts_sql, [fts_expr(words(q))])
            return len(cursor.fetchall())

    def like(q: str) -> int:
        first, last = words(q)
        with connection.cursor() as cursor:
            cursor.execute(LIKE_SQL, [f"% {first} %", f"% {last}%"])
            return len(cursor.fetchall())

    paths = {"steward": product, "scoped": product_scoped, "fts": raw_fts, "like": like}
    timings: dict[str, dict[str, list[float]]] = {}
    hits: dict[str, dict[str, int]] = {}
    for category, qs in queries(seed).items():
        timings[category] = {p: [] for p in paths}
        hits[category] = {}
        for q in qs:  # warm up once per query and record how many hits each path returns
            for name, fn in paths.items():
                hits[category][name] = max(hits[category].get(name, 0), fn(q))
        for r in range(rounds):
            q = qs[r % len(qs)]
            order = list(paths.items())
            if r % 2:
                order.reverse()
            for name, fn in order:
                t0 = time.perf_counter()
                fn(q)
                timings[category][name].append((time.perf_counter() - t0) * 1000)
    summary: dict[str, dict] = {}
    if "index_s" in build_info:
        print(
            f"built: insert {build_info['insert_s']:.1f} s, index {build_info['index_s']:.1f} s "
            f"({build_info['index_rows_per_s']:,.0f} rows/s through index_many)"
        )
    print(f"\nsearch over {size:,} records, engine {kind}, {rounds} rounds per selectivity")
    print(f"{'terms':8} {'path':8} {'p50 ms':>9} {'p95 ms':>9} {'hits':>6}")
    for category, by_path in timings.items():
        summary[category] = {}
        for name, values in by_path.items():
            summary[category][name] = {
                "p50_ms": round(statistics.median(values), 3),
                "p95_ms": round(percentile(values, 95), 3),
                "hits": hits[category][name],
            }
            s = summary[category][name]
            print(f"{category:8} {name:8} {s['p50_ms']:9.2f} {s['p95_ms']:9.2f} {s['hits']:6}")
        p = summary[category]
        p["ratio_p50_steward_vs_fts"] = round(p["steward"]["p50_ms"] / max(p["fts"]["p50_ms"], 1e-6), 2)
        p["ratio_p50_steward_vs_like"] = round(p["steward"]["p50_ms"] / max(p["like"]["p50_ms"], 1e-6), 2)
        print(
            f"{'':8} ratios p50: steward/fts {p['ratio_p50_steward_vs_fts']}, "
            f"steward/like {p['ratio_p50_steward_vs_like']}"
        )
    return {
        "benchmark": "search",
        "engine": kind,
        "vendor": connection.vendor,
        "size": size,
        "rounds": rounds,
        "seed": seed,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "build": build_info,
        "queries": queries(seed),
        "results": summary,
    }


def write(report: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"search-{report['engine']}-{stamp}.json"
    path.write_text(json.dumps(report, indent=2))
    print(f"\nwrote {path}")
    return path


def run(ctx: object) -> dict:
    """Entry point for the ``python -m bench`` runner: Django is set up on a fresh database.

    ``ctx`` carries ``size``, ``rounds`` and ``seed`` (bench.harness.Context).
    """
    report = measure(ctx.size, ctx.rounds, ctx.seed)
    write(report)
    return report


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=20_000, help="records to index (default 20,000)")
    parser.add_argument("--rounds", type=int, default=40, help="timed queries per selectivity and path")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="print only, write no JSON")
    args = parser.parse_args(argv)
    setup_django()
    report = measure(args.size, args.rounds, args.seed)
    if not args.no_write:
        write(report)
    return report


if __name__ == "__main__":
    main()
