"""Scale-out: two web processes and two RQ workers against one PostgreSQL and one Redis.

``python -m bench.scaleout`` needs PostgreSQL (STEWARD_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/postgres: a throwaway database is created on that server
and dropped) and Redis (STEWARD_REDIS_URL, default redis://127.0.0.1:6379: the run claims an
empty database number with a lock key, so parallel runs and other tests cannot share its
queues, and empties it afterwards). It starts two gunicorn web processes on two loopback
ports and two ``steward worker`` processes (RQ job workers, each with the periodic
scheduler), then checks that they cooperate:

- **every job runs exactly once**: an event rule runs the test job ``tests.record`` for every
  tag created; ``--jobs`` tags are created through both web processes at once, and there must
  be exactly one successful run per tag, whichever worker took it;
- **no lost update**: writers on both web processes increment one counter with
  read-modify-write and ``If-Match``; stale writes get 412 and the final value is exact;
- **scheduled jobs fire once per period**: the test job ``tests.tick`` (every 2 s) ran once
  for each period while both schedulers were live, never twice;
- **throughput**: the mixed load of ``bench.load`` against one web process, then spread over
  both, interleaved (one, two, one, two…); the ratio of the medians is printed.

Results go to ``bench/results/scaleout-postgresql-<time>.json``; exit status 1 on any failure.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import re
import statistics
import sys
import threading
import time
from collections import Counter

import httpx2 as httpx

from bench.harness import Context, ratio, verdict, write_result
from bench.load import Site, discover, drive, report
from steward.utilities.testing import live

PERIOD = 2.0  # seconds between runs of tests.tick


def start_web(name: str, env: dict[str, str], port: int, workers: int) -> live.Proc:
    proc = live.start_raw(
        name,
        env,
        sys.executable,
        "-m",
        "gunicorn",
        "steward.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "/dev/null",
        "--control-socket",
        f"{env['STEWARD_DATA_DIR']}/{name}.ctl",
    )
    live.wait_http(f"http://127.0.0.1:{port}/login/", proc=proc)
    return proc


def api(base: str, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=base, headers={"Authorization": f"Token {token}", "Accept": "application/json"}, timeout=60
    )


def exactly_once(site: Site, bases: list[str], jobs: int) -> dict:
    """Create ``jobs`` tags through every web process at once; one job run per tag."""
    token = site.account["token"]
    with api(bases[0], token) as client:
        rule = client.post(
            "/api/core/event-rules/",
            json={
                "name": "scale-out record",
                "event_types": ["core.tag.created"],
                "action": "job",
                "job_name": "tests.record",
            },
        )
        assert rule.status_code == 201, rule.text
    created: list[int] = []
    failures: list[str] = []
    lock = threading.Lock()

    def creator(index: int) -> None:
        with api(bases[index % len(bases)], token) as client:
            for n in range(index, jobs, 8):
                response = client.post("/api/core/tags/", json={"name": f"once-{n}", "slug": f"once-{n}"})
                with lock:
                    if response.status_code == 201:
                        created.append(response.json()["id"])
                    else:
                        failures.append(f"{response.status_code} {response.text[:200]}")

    threads = [threading.Thread(target=creator, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)

    def runs() -> list[tuple]:
        return site.db.query(
            "SELECT status, log, worker FROM core_jobrun WHERE job_name = 'tests.record' AND status <> 'running'"
        )

    with contextlib.suppress(TimeoutError):
        live.wait_for(lambda: len(runs()) >= len(created), timeout=180, every=1, what="every job to run")
    time.sleep(3)  # anything run twice would show up now
    rows = runs()
    per_object = Counter(int(m.group(1)) for _, log, _ in rows if (m := re.search(r"object (\d+) ", log)))
    twice = sorted(k for k, n in per_object.items() if n > 1)
    missing = sorted(set(created) - set(per_object))
    return {
        "created": len(created),
        "create_failures": failures[:10],
        "runs": len(rows),
        "succeeded": sum(1 for status, _, _ in rows if status == "succeeded"),
        "ran_twice": twice[:20],
        "missing": missing[:20],
        "runs_per_worker": dict(Counter(worker for _, _, worker in rows)),
        "ok": not failures and not twice and not missing and len(rows) == len(created) == jobs,
    }


def no_lost_update(site: Site, bases: list[str], writers: int, increments: int) -> dict:
    token = site.account["token"]
    with api(bases[0], token) as client:
        tag = client.post(
            "/api/core/tags/", json={"name": "counter", "slug": "counter", "description": "0"}
        ).json()
    url = f"/api/core/tags/{tag['id']}/"
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def writer(index: int) -> None:
        with api(bases[index % len(bases)], token) as client:
            done = 0
            while done < increments:
                current = client.get(url)
                value = int(current.json()["description"])
                response = client.patch(
                    url, json={"description": str(value + 1)}, headers={"If-Match": current.headers["ETag"]}
                )
                with lock:
                    statuses[response.status_code] += 1
                if response.status_code == 200:
                    done += 1
                elif response.status_code != 412:
                    return

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    with api(bases[1 % len(bases)], token) as client:
        final = int(client.get(url).json()["description"])
    expected = writers * increments
    return {
        "expected": expected,
        "final": final,
        "statuses": dict(statuses),
        "ok": final == expected and set(statuses) <= {200, 412},
    }


def once_per_period(site: Site, since: datetime.datetime, until: datetime.datetime) -> dict:
    rows = site.db.query("SELECT status, log FROM core_jobrun WHERE job_name = 'tests.tick'")
    due = [
        datetime.datetime.fromisoformat(log.split("tick for ", 1)[1].split(" in pid", 1)[0])
        for _, log in rows
        if "tick for " in log
    ]
    window = sorted(d for d in due if since <= d <= until)
    gaps = [(b - a).total_seconds() for a, b in zip(window, window[1:], strict=False)]
    expected = int((until - since).total_seconds() // PERIOD)
    duplicates = [d.isoformat() for d, n in Counter(due).items() if n > 1]
    return {
        "periods_expected": expected,
        "runs_in_window": len(window),
        "duplicates": duplicates,
        "min_gap_s": min(gaps) if gaps else None,
        "failed": sum(1 for status, _ in rows if status != "succeeded"),
        # A period may be late on a loaded machine (missed ones are not replayed), never doubled.
        "ok": not duplicates
        and bool(window)
        and len(window) >= expected - 2
        and all(g >= PERIOD - 0.01 for g in gaps),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scaleout", description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=200, help="jobs to run exactly once (default 200)")
    parser.add_argument("--writers", type=int, default=8, help="concurrent read-modify-write clients")
    parser.add_argument("--increments", type=int, default=5, help="increments per writer")
    parser.add_argument(
        "--duration", type=float, default=15.0, help="seconds per throughput round (default 15)"
    )
    parser.add_argument("--rounds", type=int, default=2, help="interleaved throughput rounds per topology")
    parser.add_argument("--users", type=int, default=8, help="concurrent load clients")
    parser.add_argument("--web-workers", type=int, default=1, help="gunicorn workers per web process")
    args = parser.parse_args(argv)

    pg = os.environ.get("STEWARD_DATABASE_URL", "")
    if not pg.startswith("postgres"):
        os.environ["STEWARD_DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/postgres"
    redis_url, redis_client = live.claim_redis_db(
        os.environ.get("STEWARD_REDIS_URL", "redis://127.0.0.1:6379")
    )
    results: dict = {"redis": redis_url}
    site = None
    try:
        site = Site(
            prefix="scaleout",
            demo_scale=0.1,
            STEWARD_REDIS_URL=redis_url,
            STEWARD_TEST_JOBS="1",
            STEWARD_JOB_RETRY_SECONDS="1",
        )
        print(f"[scaleout] {site.db.engine} database {site.db.name}, Redis {redis_url}")
        ports = [live.free_port(), live.free_port()]
        with live.stopping() as procs:
            for n in range(2):
                procs.append(live.start(f"worker{n}", site.env, "worker", "--tick", "0.25"))
            started = datetime.datetime.now(datetime.UTC)
            for n, port in enumerate(ports):
                procs.append(start_web(f"web{n}", site.env, port, args.web_workers))
            bases = [f"http://127.0.0.1:{p}" for p in ports]

            results["exactly_once"] = exactly_once(site, bases, args.jobs)
            print(f"[scaleout] exactly once: {results['exactly_once']}")
            results["no_lost_update"] = no_lost_update(site, bases, args.writers, args.increments)
            print(f"[scaleout] no lost update: {results['no_lost_update']}")

            targets = []
            for port in ports:
                target = site.target(port)
                discover(target)
                targets.append(target)
            webs = [p for p in procs if p.name.startswith("web")]
            one, two = [], []
            for _ in range(args.rounds):
                one.append(drive(targets[:1], duration=args.duration, users=args.users, servers=webs[:1]))
                report("one web process", one[-1])
                two.append(drive(targets, duration=args.duration, users=args.users, servers=webs))
                report("two web processes", two[-1])
            assert all(p.alive() for p in procs), "a process died:\n" + "\n".join(
                f"{p.name}: {p.output(1500)}" for p in procs if not p.alive()
            )
            stopped = datetime.datetime.now(datetime.UTC)
        # Both schedulers ran the whole time: from the first full period to the stop.
        results["once_per_period"] = once_per_period(
            site, started + datetime.timedelta(seconds=PERIOD * 2), stopped
        )
        print(f"[scaleout] once per period: {results['once_per_period']}")
        one_rps = statistics.median(r["throughput_rps"] for r in one)
        two_rps = statistics.median(r["throughput_rps"] for r in two)
        results["throughput"] = {
            "one_web_rps_median": one_rps,
            "two_web_rps_median": two_rps,
            "ratio_two_vs_one": ratio(two_rps, one_rps),
            "errors": sum(r["errors"] for r in one + two),
            "one": one,
            "two": two,
        }
        print(
            f"[scaleout] throughput: one web process {one_rps} req/s, two {two_rps} req/s "
            f"(×{results['throughput']['ratio_two_vs_one']}; {os.cpu_count()} CPUs)"
        )
    finally:
        if site is not None:
            site.close()
        redis_client.flushdb()
    engine = "postgresql"
    path = write_result(
        "scaleout", Context(size=args.jobs, rounds=args.rounds, engine=engine, seed=0), results
    )
    print(f"    → {path}")
    problems = [k for k in ("exactly_once", "no_lost_update", "once_per_period") if not results[k]["ok"]]
    if results["throughput"]["errors"]:
        problems.append("throughput rounds had failed requests")
    return verdict(problems)


if __name__ == "__main__":
    raise SystemExit(main())
