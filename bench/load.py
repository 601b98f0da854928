"""Load: a mixed read/write API and UI workload against a real ``steward run`` on loopback.

``python -m bench.load --duration 60`` migrates a throwaway database (SQLite, or PostgreSQL
when STEWARD_DATABASE_URL names a server), loads the demo data, starts ``steward run``
(gunicorn + job worker) on a free loopback port and drives it with ``--users`` concurrent
clients for ``--duration`` seconds. Each client keeps its connection open and picks requests
from a fixed mix:

- API (token): lists of every registered endpoint (found from ``/api/``) with paging,
  filter (``q=``) and ordering; detail reads; creates and ``If-Match`` updates of tags;
- UI (session cookie): list pages, detail pages, the global search, and a form post that
  creates a tag (with its CSRF token).

Printed and written to ``bench/results/load-<engine>-<time>.json``: throughput, p50/p95/p99
per request kind and overall, errors (any 5xx, any unexpected status, any exception), and the
resident memory of every gunicorn worker sampled every two seconds — with its growth from the
end of the warm-up to the end of the run. The comparator, in the same run and on the same
connections, is the cheapest request the server answers (``/login/``, a template with no
query): the ratio of each kind's p50 to it is the cost of the work on top of the stack.

Why our own client rather than locust: the workload needs exact per-request latencies and the
RSS of the server's own worker processes sampled alongside, in our result-file format, for
about two hundred lines; locust would add gevent, Flask and a web UI to the dev dependencies
and report percentiles from its own histogram buckets.

Exit status 1 when any request failed or a worker grew by more than ``--max-growth``.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import os
import random
import secrets
import shutil
import statistics
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx

from bench.harness import Context, percentile, ratio, verdict, write_result
from steward.utilities.testing import live

WARMUP = 10.0  # seconds before the memory baseline is taken (imports, caches, first queries)


@dataclass
class Target:
    """Where to send requests, and what the server offers (discovered once before the run)."""

    base: str
    token: str
    username: str
    password: str
    api_lists: list[str] = field(default_factory=list)
    ui_lists: list[str] = field(default_factory=list)
    details: list[tuple[str, str]] = field(default_factory=list)  # (api url, ui url)
    # One signed-in session shared by every client: a login costs a password hash, which in
    # a short round would be most of what is measured.
    cookies: list[Any] = field(default_factory=list)  # http.cookiejar.Cookie, as the server set them


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []

    def add(self, kind: str, seconds: float, problem: str = "") -> None:
        with self.lock:
            self.samples[kind].append(seconds)
            if problem:
                self.errors.append(f"{kind}: {problem}")


def discover(target: Target, *, warm_up: int = 2) -> None:
    """Every API list endpoint, its UI list page, and some record URLs to read.

    Only what answers 200 is kept (an API list need not have a UI page). Then every URL is
    requested ``warm_up`` times from four threads, so each gunicorn worker has imported and
    compiled its code paths before memory is measured.
    """
    headers = {"Authorization": f"Token {target.token}", "Accept": "application/json"}
    with (
        httpx.Client(base_url=target.base, headers=headers, timeout=60) as client,
        httpx.Client(base_url=target.base, timeout=60) as browser,
    ):
        login(browser, target)
        target.cookies = list(browser.cookies.jar)
        root = client.get("/api/").json()
        for url in root.values():
            path = httpx.URL(url).path
            page = client.get(path, params={"limit": 5})
            if page.status_code != 200 or "results" not in page.json():
                continue
            target.api_lists.append(path)
            ui = path.removeprefix("/api")
            ui_ok = browser.get(ui).status_code == 200
            if ui_ok:
                target.ui_lists.append(ui)
            for row in page.json()["results"][:3]:
                if isinstance(row, dict) and "id" in row:
                    detail = f"{ui}{row['id']}/"
                    if ui_ok and browser.get(detail).status_code == 200:
                        target.details.append((f"{path}{row['id']}/", detail))
    if not target.api_lists or not target.ui_lists:
        raise RuntimeError("the server offers no API list or no UI list page")
    urls = [
        *target.api_lists,
        *target.ui_lists,
        *(d for pair in target.details for d in pair),
        "/search/?q=a",
    ]

    def visit(part: list[str]) -> None:
        with (
            httpx.Client(base_url=target.base, headers=headers, timeout=120) as c,
            httpx.Client(base_url=target.base, timeout=120) as b,
        ):
            share_session(b, target)
            for url in part:
                (c if url.startswith("/api/") else b).get(url)

    for _ in range(warm_up):
        threads = [threading.Thread(target=visit, args=(urls[i::4],)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)


def share_session(client: httpx.Client, target: Target) -> None:
    """Give ``client`` the signed-in session's cookies, exactly as the server set them."""
    for cookie in target.cookies:
        client.cookies.jar.set_cookie(copy.copy(cookie))


def login(client: httpx.Client, target: Target) -> None:
    page = client.get("/login/")
    client.post(
        "/login/",
        data={
            "username": target.username,
            "password": target.password,
            "csrfmiddlewaretoken": page.cookies.get("csrftoken") or client.cookies["csrftoken"],
        },
    )
    if "sessionid" not in client.cookies:
        raise RuntimeError("could not sign in")


SEARCH_TERMS = ("server", "net", "a", "prod", "mail", "john", "db", "incident")


class User(threading.Thread):
    """One client: an API token and a signed-in browser session, both kept alive."""

    def __init__(self, index: int, targets: list[Target], recorder: Recorder, stop: threading.Event) -> None:
        super().__init__(name=f"load-user-{index}", daemon=True)
        self.index, self.targets, self.recorder, self.stop = index, targets, recorder, stop
        self.rng = random.Random(index)
        self.run_id = secrets.token_hex(3)  # rounds repeat the seeded choices, not the names
        self.own_tags: list[str] = []
        self.created = 0

    def run(self) -> None:
        # Clients are spread over the targets (several web processes in the scale-out battery).
        target = self.targets[self.index % len(self.targets)]
        self.target = target
        self.api = httpx.Client(
            base_url=target.base,
            headers={"Authorization": f"Token {target.token}", "Accept": "application/json"},
            timeout=60,
        )
        self.ui = httpx.Client(base_url=target.base, timeout=60)
        try:
            share_session(self.ui, target)
            kinds = [
                (self.api_list, 25),
                (self.api_query, 10),
                (self.api_detail, 15),
                (self.api_create, 8),
                (self.api_update, 8),
                (self.ui_list, 15),
                (self.ui_detail, 8),
                (self.ui_search, 5),
                (self.ui_create, 3),
                (self.floor, 3),
            ]
            actions, weights = zip(*kinds, strict=True)
            while not self.stop.is_set():
                self.rng.choices(actions, weights)[0]()
        except Exception as exc:  # noqa: BLE001 - counted as an error of the run
            self.recorder.add("client", 0.0, f"{type(exc).__name__}: {exc}")
        finally:
            self.api.close()
            self.ui.close()

    def request(self, kind: str, client: httpx.Client, method: str, url: str, expect: int, **kw: Any) -> Any:
        started = time.perf_counter()
        try:
            response = client.request(method, url, **kw)
        except httpx.HTTPError as exc:
            self.recorder.add(kind, time.perf_counter() - started, f"{method} {url}: {exc!r}")
            return None
        elapsed = time.perf_counter() - started
        problem = "" if response.status_code == expect else f"{method} {url} → {response.status_code}"
        if problem and response.status_code >= 500:
            problem += " " + response.text[:300]
        self.recorder.add(kind, elapsed, problem)
        return response if not problem else None

    # --- the mix ------------------------------------------------------------------------
    def api_list(self) -> None:
        url = self.rng.choice(self.target.api_lists)
        self.request("api_list", self.api, "GET", url, 200, params={"limit": 50})

    def api_query(self) -> None:
        url = self.rng.choice(self.target.api_lists)
        params = {"limit": 25, "q": self.rng.choice(SEARCH_TERMS), "ordering": "-last_updated"}
        self.request("api_filter", self.api, "GET", url, 200, params=params)

    def api_detail(self) -> None:
        if self.target.details:
            self.request("api_detail", self.api, "GET", self.rng.choice(self.target.details)[0], 200)

    def api_create(self) -> None:
        self.created += 1
        slug = f"load-{self.run_id}-{self.index}-{self.created}"
        response = self.request(
            "api_create", self.api, "POST", "/api/core/tags/", 201, json={"name": slug, "slug": slug}
        )
        if response is not None:
            self.own_tags.append(
                response.json()["url"]
                if "url" in response.json()
                else f"/api/core/tags/{response.json()['id']}/"
            )

    def api_update(self) -> None:
        if not self.own_tags:
            return self.api_create()
        url = httpx.URL(self.rng.choice(self.own_tags)).path
        current = self.request("api_update", self.api, "GET", url, 200)
        if current is not None:
            self.request(
                "api_update",
                self.api,
                "PATCH",
                url,
                200,
                json={"description": f"updated at {time.time():.3f}"},
                headers={"If-Match": current.headers["ETag"]},
            )
        return None

    def ui_list(self) -> None:
        self.request("ui_list", self.ui, "GET", self.rng.choice(self.target.ui_lists), 200)

    def ui_detail(self) -> None:
        if self.target.details:
            self.request("ui_detail", self.ui, "GET", self.rng.choice(self.target.details)[1], 200)

    def ui_search(self) -> None:
        self.request(
            "ui_search", self.ui, "GET", "/search/", 200, params={"q": self.rng.choice(SEARCH_TERMS)}
        )

    def ui_create(self) -> None:
        self.created += 1
        slug = f"ui-load-{self.run_id}-{self.index}-{self.created}"
        self.request(
            "ui_create",
            self.ui,
            "POST",
            "/core/tags/add/",
            302,
            data={
                "name": slug,
                "slug": slug,
                "colour": "#206bc4",
                "csrfmiddlewaretoken": self.ui.cookies["csrftoken"],
            },
        )

    def floor(self) -> None:
        self.request("floor", self.ui, "GET", "/login/", 200)


def gunicorn_workers(server: live.Proc) -> list[int]:
    """Pids of the gunicorn worker processes (children of the gunicorn master) of a server."""
    group = server.group_pids()
    masters = [p for p in group if _cmdline(p).find("gunicorn") >= 0 and _ppid(p) not in group]
    masters = masters or [
        p for p in group if "gunicorn" in _cmdline(p) and "gunicorn" not in _cmdline(_ppid(p))
    ]
    return [p for p in group if _ppid(p) in masters]


def _cmdline(pid: int) -> str:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    return ""


def _ppid(pid: int) -> int:
    with contextlib.suppress(OSError, ValueError, IndexError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return int(stat[stat.rindex(")") + 2 :].split()[1])
    return 0


def drive(
    targets: list[Target], *, duration: float, users: int, servers: list[live.Proc] = ()
) -> dict[str, Any]:
    """Run the mix from ``users`` clients for ``duration`` seconds; the figures and RSS series."""
    recorder = Recorder()
    stop = threading.Event()
    workers = {pid: server.name for server in servers for pid in gunicorn_workers(server)}
    rss: dict[int, list[tuple[float, int]]] = {pid: [] for pid in workers}
    clients = [User(i, targets, recorder, stop) for i in range(users)]
    started = time.monotonic()
    for client in clients:
        client.start()
    while (elapsed := time.monotonic() - started) < duration:
        for pid in workers:
            rss[pid].append((round(elapsed, 1), live.rss_kib(pid)))
        time.sleep(min(2.0, max(0.0, duration - elapsed)))
    stop.set()
    for client in clients:
        client.join(timeout=90)
    wall = time.monotonic() - started
    return summarise(recorder, wall, rss, workers, duration)


def summarise(
    recorder: Recorder,
    wall: float,
    rss: dict[int, list[tuple[float, int]]],
    names: dict[int, str],
    duration: float,
) -> dict[str, Any]:
    kinds = {}
    every = [s for samples in recorder.samples.values() for s in samples]
    floor_p50 = statistics.median(recorder.samples["floor"]) if recorder.samples.get("floor") else 0.0
    for kind, samples in sorted(recorder.samples.items()):
        ms = [s * 1000 for s in samples]
        kinds[kind] = {
            "n": len(ms),
            "p50_ms": round(statistics.median(ms), 2),
            "p95_ms": round(percentile(ms, 95), 2),
            "p99_ms": round(percentile(ms, 99), 2),
            "p50_vs_floor": ratio(statistics.median(samples), floor_p50),
        }
    memory = {}
    warm = min(WARMUP, duration / 3)
    for pid, series in rss.items():
        base = [kib for t, kib in series if t >= warm][:3] or [kib for _, kib in series][:1]
        end = [kib for _, kib in series][-3:]
        if not base or not end or not min(end):
            continue
        memory[str(pid)] = {
            "server": names[pid],
            "rss_after_warmup_mib": round(statistics.median(base) / 1024, 1),
            "rss_end_mib": round(statistics.median(end) / 1024, 1),
            "growth": round(statistics.median(end) / statistics.median(base) - 1, 3),
            "series_kib": series,
        }
    total_ms = [s * 1000 for s in every]
    return {
        "duration_s": round(wall, 1),
        "requests": len(every),
        "throughput_rps": round(len(every) / wall, 1),
        "p50_ms": round(statistics.median(total_ms), 2) if total_ms else None,
        "p95_ms": round(percentile(total_ms, 95), 2) if total_ms else None,
        "p99_ms": round(percentile(total_ms, 99), 2) if total_ms else None,
        "errors": len(recorder.errors),
        "error_samples": recorder.errors[:20],
        "kinds": kinds,
        "workers": memory,
    }


def report(label: str, result: dict[str, Any]) -> None:
    print(
        f"[{label}] {result['requests']} requests in {result['duration_s']} s: {result['throughput_rps']} req/s, "
        f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms, errors {result['errors']}"
    )
    for kind, row in result["kinds"].items():
        print(
            f"    {kind:<11} n={row['n']:<6} p50 {row['p50_ms']:>8} ms  p95 {row['p95_ms']:>8} ms  "
            f"p99 {row['p99_ms']:>8} ms  ×floor {row['p50_vs_floor']}"
        )
    for pid, row in result["workers"].items():
        print(
            f"    worker {pid} ({row['server']}): RSS {row['rss_after_warmup_mib']} → {row['rss_end_mib']} MiB "
            f"({row['growth']:+.1%})"
        )
    for sample in result["error_samples"][:5]:
        print(f"    error: {sample}")


def check(result: dict[str, Any], *, max_growth: float) -> list[str]:
    problems = []
    if result["errors"]:
        problems.append(f"{result['errors']} failed requests")
    if not result["requests"]:
        problems.append("no request completed")
    for pid, row in result["workers"].items():
        if row["growth"] > max_growth:
            problems.append(f"worker {pid} grew {row['growth']:.1%} (limit {max_growth:.0%})")
    return problems


class Site:
    """A throwaway database with demo data and an account, for one or more servers."""

    def __init__(self, *, prefix: str, demo_scale: float, **env: str) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix=f"steward-{prefix}-"))
        self.db = live.throwaway_database(
            self.dir, os.environ.get("STEWARD_DATABASE_URL", ""), prefix=f"steward_{prefix}"
        )
        # Generous API and login limits: the load is the point here, not the throttles.
        self.env = live.child_env(
            self.dir,
            database_url=self.db.url,
            STEWARD_API_RATE="1000000/min",
            STEWARD_LOGIN_MAX_FAILURES="1000",
            **env,
        )
        try:
            live.manage(self.env, "migrate", "--no-input", "-v", "0", timeout=600)
            if demo_scale:
                live.manage(self.env, "demo", "--scale", str(demo_scale), timeout=900)
            self.account = live.prepare_site(self.env)
        except BaseException:
            self.close()
            raise

    def target(self, port: int) -> Target:
        return Target(
            base=f"http://127.0.0.1:{port}",
            token=self.account["token"],
            username=self.account["username"],
            password=self.account["password"],
        )

    def close(self) -> None:
        self.db.drop()
        shutil.rmtree(self.dir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--users", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--demo-scale", type=float, default=0.2, help="demo data size (default 0.2)")
    parser.add_argument("--max-growth", type=float, default=0.10, help="allowed RSS growth per worker")
    args = parser.parse_args(argv)

    site = Site(prefix="load", demo_scale=args.demo_scale)
    try:
        port = live.free_port()
        with live.stopping(
            live.start_server("load-web", site.env, port=port, web_workers=args.web_workers)
        ) as procs:
            target = site.target(port)
            discover(target)
            print(f"[load] {len(target.api_lists)} API lists, {len(target.details)} records, {args.users} users, "
                  f"{args.duration:.0f} s against {target.base} ({site.db.engine})")  # fmt: skip
            result = drive([target], duration=args.duration, users=args.users, servers=procs)
    finally:
        site.close()
    report("load", result)
    ctx = Context(size=0, rounds=1, engine=site.db.engine, seed=0)
    path = write_result(
        "load",
        ctx,
        {"users": args.users, "web_workers": args.web_workers, "demo_scale": args.demo_scale, **result},
    )
    print(f"    → {path}")
    problems = check(result, max_growth=args.max_growth)
    return verdict(problems)


if __name__ == "__main__":
    raise SystemExit(main())
