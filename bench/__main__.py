"""``python -m bench``: run Steward's benchmarks on a fresh throwaway database.

The engine comes from STEWARD_DATABASE_URL (SQLite under STEWARD_DATA_DIR when unset; a
PostgreSQL URL gets a new database on that server, dropped at the end).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time

BENCHMARKS = (
    "list",
    "import",
    "search",
    "events",
    "grc",
    "discovery",
    "cmdb-import",
    "sla",
    "incidents",
    "kbsuggest",
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--size", type=int, default=10_000, help="rows per benchmark (default 10,000)")
    parser.add_argument("--only", choices=BENCHMARKS, action="append", help="run only this benchmark")
    parser.add_argument("--rounds", type=int, default=30, help="interleaved rounds per list scenario")
    parser.add_argument("--import-rounds", type=int, default=3, help="interleaved rounds per import workload")
    parser.add_argument(
        "--hosts", type=int, default=20, help="discovery: agent payloads per round (issue: 1,000)"
    )
    parser.add_argument(
        "--packages", type=int, default=1500, help="discovery: packages per payload (default 1,500)"
    )
    parser.add_argument("--discovery-rounds", type=int, default=3, help="discovery: interleaved rounds")
    parser.add_argument("--seed", type=int, default=20260101, help="seed of the generated data")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database afterwards")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # A stopped run (timeout, Ctrl-C) still drops its throwaway database in ``finally``.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")
    os.environ.setdefault("STEWARD_ALLOWED_HOSTS", "localhost,127.0.0.1")
    from bench import db

    selected = args.only or list(BENCHMARKS)
    failures = 0
    for name in selected:
        # One fresh database per benchmark, so neither sees the other's rows.
        database = db.create()
        try:
            import django

            django.setup()
            from django.conf import settings
            from django.db import connections

            settings.DATABASES["default"].update(_database_settings(database.url))
            connections.close_all()
            started = time.perf_counter()
            db.migrate()
            print(f"[{name}] fresh {database.engine} database {database.name} migrated in "
                  f"{time.perf_counter() - started:.1f} s")  # fmt: skip
            from bench.harness import Context

            ctx = Context(
                size=args.size,
                rounds=args.rounds,
                engine=database.engine,
                seed=args.seed,
                extra={
                    "import_rounds": args.import_rounds,
                    "hosts": args.hosts,
                    "packages": args.packages,
                    "discovery_rounds": args.discovery_rounds,
                },
            )
            module = __import__(f"bench.{_module(name)}", fromlist=["run"])
            module.run(ctx)
        except Exception:
            failures += 1
            import traceback

            traceback.print_exc()
        finally:
            if args.keep:
                print(f"kept {database.url}")
            else:
                database.drop()
            if _base_url:
                os.environ["STEWARD_DATABASE_URL"] = _base_url
            else:
                os.environ.pop("STEWARD_DATABASE_URL", None)
    return 1 if failures else 0


def _module(name: str) -> str:
    return {
        "list": "list_endpoint",
        "import": "import_csv",
        "search": "search",
        "events": "events",
        "grc": "grc_import",
        "discovery": "discovery",
        "cmdb-import": "cmdb_import",
        "sla": "sla",
        "incidents": "incidents",
        "kbsuggest": "kb_suggest",
    }[name]


def _database_settings(url: str) -> dict:
    """Django's settings for ``url``: the engine's options stay as settings.py set them."""
    import dj_database_url

    parsed = dj_database_url.parse(url, conn_max_age=0)
    return {k: v for k, v in parsed.items() if k in ("NAME", "USER", "PASSWORD", "HOST", "PORT")}


_base_url = os.environ.get("STEWARD_DATABASE_URL", "")

if __name__ == "__main__":
    sys.exit(main())
