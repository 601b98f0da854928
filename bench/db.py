"""A fresh, throwaway database per benchmark run, on whichever engine STEWARD_DATABASE_URL names.

SQLite: a new file under STEWARD_DATA_DIR. PostgreSQL: a new database on the same server,
created through the server's maintenance database and dropped afterwards. Either way the
environment is pointed at it *before* Django is set up, then ``migrate`` builds the schema.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


@dataclass
class ThrowawayDatabase:
    engine: str
    url: str
    name: str
    admin_url: str | None = None
    path: Path | None = None

    def drop(self) -> None:
        from django.db import connections

        connections.close_all()
        if self.engine == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def create() -> ThrowawayDatabase:
    """Create the database and point STEWARD_DATABASE_URL at it (call before django.setup())."""
    data_dir = Path(os.environ.setdefault("STEWARD_DATA_DIR", str(Path.cwd() / "var" / "bench")))
    data_dir.mkdir(parents=True, exist_ok=True)
    base = os.environ.get("STEWARD_DATABASE_URL", "")
    stamp = time.strftime("%Y%m%d%H%M%S") + "_" + secrets.token_hex(3)
    scheme = urlsplit(base).scheme if base else "sqlite"
    if scheme.startswith("postgres"):
        from steward.utilities.testing.live import throwaway_database

        made = throwaway_database(data_dir, base, prefix="steward_bench")
        db = ThrowawayDatabase("postgresql", made.url, made.name, admin_url=made.admin_url)
    elif scheme == "sqlite":
        path = data_dir / f"bench-{stamp}.sqlite3"
        db = ThrowawayDatabase("sqlite", f"sqlite:///{path}", path.name, path=path)
    else:
        raise SystemExit(f"Unsupported database for benchmarks: {scheme}")
    os.environ["STEWARD_DATABASE_URL"] = db.url
    return db


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
