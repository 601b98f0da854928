"""Real Steward processes on loopback for the crash, load, scale-out and attack batteries.

Each helper starts ``python -m steward.cli …`` as a subprocess in its own session (process
group), so a test can ``kill -9`` a whole server (gunicorn master, its workers and the job
worker of ``steward run``) the way a power cut or the OOM killer would, and always stop what
it started. Nothing here is imported by the application.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

SRC = Path(__file__).resolve().parents[3]


def spawn_problem() -> str:
    """Why real subprocesses cannot run here ("" when they can)."""
    if os.environ.get("STEWARD_SKIP_PROCESS_TESTS") == "1":
        return "STEWARD_SKIP_PROCESS_TESTS=1"
    try:
        subprocess.run([sys.executable, "-c", "pass"], check=True, timeout=20)  # noqa: S603 - fixed argv
    except (OSError, subprocess.SubprocessError) as exc:
        return f"cannot start a Python subprocess here: {exc}"
    return ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_env(data_dir: Path, *, database_url: str = "", **extra: str) -> dict[str, str]:
    """A clean environment for a Steward child process: none of the parent's test settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST", "STEWARD_", "DJANGO_")) and k != "PYTHONPATH"
    }
    env.update(
        {
            "PYTHONPATH": str(SRC),
            "DJANGO_SETTINGS_MODULE": "steward.settings",
            "STEWARD_DATA_DIR": str(data_dir),
            "STEWARD_DATABASE_URL": database_url or f"sqlite:///{data_dir / 'steward.sqlite3'}",
            "STEWARD_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STEWARD_SECRET_KEY": "live-test-key-" + "x" * 40,
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    """Run one ``steward`` command to completion; its stdout, or an error with its output."""
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [sys.executable, "-m", "steward.cli", *args],
        env=env,
        cwd=env["STEWARD_DATA_DIR"],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        raise RuntimeError(f"steward {' '.join(args)} failed ({result.returncode}):\n{result.stderr[-4000:]}")
    return result.stdout


def python(env: dict[str, str], code: str, *, timeout: float = 120) -> str:
    """Run ``code`` in a Django-configured child process; its stdout."""
    return manage(env, "shell", "--no-imports", "-c", code, timeout=timeout)


SUPERUSER_CODE = """
from django.contrib.auth import get_user_model
from steward.core.models import Token
User = get_user_model()
user = User.objects.filter(username={name!r}).first() or User.objects.create_superuser(
    {name!r}, {name!r} + "@example.org", {password!r})
user.set_password({password!r})
user.save()
print(Token.issue(user=user, write_enabled=True)[1])
"""


def run_agent(url: str, key: str, *, extra_path: Path | None = None) -> subprocess.CompletedProcess:
    """Run the discovery agent once, as its own process, against the server at ``url``.

    ``extra_path`` is put first on its ``PYTHONPATH`` (e.g. package metadata the agent should
    find besides the machine's own)."""
    path = [str(extra_path)] if extra_path else []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([*path, str(SRC)])}
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "steward.cli", "agent", "--server", url, "--token", key, "--once"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )


def prepare_site(env: dict[str, str], *, demo: bool = False, username: str = "live-admin") -> dict[str, str]:
    """Migrate (and load demo data); create a superuser with a write token.

    Returns ``{"username", "password", "token"}``.
    """
    manage(env, "migrate", "--no-input", "-v", "0", timeout=300)
    if demo:
        manage(env, "demo", "--if-empty", timeout=600)
    password = "Live-pw-" + os.urandom(6).hex()
    token = python(env, SUPERUSER_CODE.format(name=username, password=password)).strip().splitlines()[-1]
    return {"username": username, "password": password, "token": token}


@dataclass
class Proc:
    """A started process (its own session) and the log it writes."""

    name: str
    popen: subprocess.Popen
    log_path: Path
    log: IO[str] = field(repr=False)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill9(self) -> None:
        """SIGKILL the whole process group at once: no handler, no cleanup, no flush."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=20)
        self._reap_group()

    def stop(self, timeout: float = 15) -> None:
        """SIGTERM the group, wait, then SIGKILL whatever is left."""
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=timeout)
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=20)
        self._reap_group()
        self.log.close()

    def _reap_group(self) -> None:
        # Children (gunicorn workers) may outlive a killed parent for a moment.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)

    def output(self, tail: int = 4000) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-tail:]

    def group_pids(self) -> list[int]:
        """Every live process of this group (the server and its workers)."""
        return sorted(pid for pid, _parent, group in processes() if group == self.popen.pid)

    def children(self) -> list[int]:
        """Its live child processes, in whatever group (RQ puts a work horse in its own session)."""
        return sorted(pid for pid, parent, _group in processes() if parent == self.popen.pid)


def processes() -> Iterator[tuple[int, int, int]]:
    """``(pid, parent pid, process group)`` of every live process, from /proc/<pid>/stat."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()  # fields 3… after the command name
            yield int(entry.name), int(fields[1]), int(fields[2])


def start(name: str, env: dict[str, str], *args: str) -> Proc:
    """Start ``steward <args>`` in its own session, logging to ``<data dir>/<name>.log``."""
    return start_raw(name, env, sys.executable, "-m", "steward.cli", *args)


def start_raw(name: str, env: dict[str, str], *argv: str) -> Proc:
    """Start any command (e.g. gunicorn alone) the same way."""
    log_path = Path(env["STEWARD_DATA_DIR"]) / f"{name}.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed by Proc.stop
    popen = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
        list(argv),
        env=env,
        cwd=env["STEWARD_DATA_DIR"],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return Proc(name=name, popen=popen, log_path=log_path, log=log)


def start_server(name: str, env: dict[str, str], *, port: int, web_workers: int = 2) -> Proc:
    """``steward run`` (gunicorn + a job worker) on 127.0.0.1:port; returns once it answers."""
    env = {**env, "STEWARD_BIND": f"127.0.0.1:{port}", "STEWARD_WEB_WORKERS": str(web_workers)}
    # A generous request timeout: CI machines are shared, and a slow answer is not the failure
    # these batteries look for (a 500 or a lost write is).
    proc = start(name, env, "run", "--access-logfile", "/dev/null", "--timeout", "120")
    try:
        wait_http(f"http://127.0.0.1:{port}/login/", proc=proc)
    except Exception:
        proc.stop()
        raise
    return proc


def wait_http(url: str, *, proc: Proc | None = None, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and not proc.alive():
            raise RuntimeError(f"{proc.name} exited early:\n{proc.output()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback URL we built
                if response.status < 500:
                    return
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout} s" + (f":\n{proc.output()}" if proc else ""))


def wait_for(predicate: Any, *, timeout: float, every: float = 0.25, what: str = "condition") -> Any:
    """Poll ``predicate`` until it returns something truthy; that value, or TimeoutError."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise TimeoutError(f"timed out after {timeout} s waiting for {what}")


def sqlite_query(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """Read-only query on a SQLite file while servers may still be writing it."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)) as conn:
        return conn.execute(sql, params).fetchall()


def rss_kib(pid: int) -> int:
    """Resident memory of one process in KiB (0 if it is gone)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


@contextlib.contextmanager
def stopping(*procs: Proc) -> Iterator[list[Proc]]:
    """Stop every process in the list on the way out (append to it as more are started)."""
    started = list(procs)
    try:
        yield started
    finally:
        for proc in reversed(started):
            with contextlib.suppress(Exception):
                proc.stop()


@dataclass
class Database:
    """A throwaway database for live processes: a SQLite file, or a new PostgreSQL database."""

    url: str
    engine: str
    sqlite_path: Path | None = None
    admin_url: str = ""
    name: str = ""

    def drop(self) -> None:
        if self.engine == "postgresql":
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Run one read-only statement on it (from the test process, outside Django)."""
        if self.sqlite_path is not None:
            return sqlite_query(self.sqlite_path, sql, params)
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://", 1)) as conn:
            return conn.execute(sql, params or None).fetchall()


def throwaway_database(data_dir: Path, base_url: str = "", *, prefix: str = "steward_live") -> Database:
    """SQLite under ``data_dir`` unless ``base_url`` names a PostgreSQL server (a new database there)."""
    from urllib.parse import urlsplit, urlunsplit

    if base_url.startswith("postgres"):
        import secrets

        import psycopg

        parts = urlsplit(base_url)
        name = f"{prefix}_{secrets.token_hex(4)}"
        admin_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = urlunsplit(parts._replace(path=f"/{name}"))
        return Database(url=url, engine="postgresql", admin_url=admin_url, name=name)
    path = data_dir / "steward.sqlite3"
    return Database(url=f"sqlite:///{path}", engine="sqlite", sqlite_path=path)


def claim_redis_db(base_url: str) -> tuple[str, object]:
    """An empty Redis database number (15 down to 1), held by a lock key for an hour; its URL and client.

    The caller flushes it when done. Raises RuntimeError when Redis has no free number.
    """
    import redis

    parts = urlsplit(base_url)
    token = f"steward-live-{os.getpid()}-{time.time():.0f}"
    for number in range(15, 0, -1):
        url = urlunsplit(parts._replace(path=f"/{number}"))
        client = redis.Redis.from_url(url)
        if client.dbsize() == 0 and client.set("steward:live:lock", token, nx=True, ex=3600):
            if client.dbsize() == 1:  # nobody else slipped keys in meanwhile
                return url, client
            client.delete("steward:live:lock")
    raise RuntimeError("no empty Redis database number is free (1–15)")
