"""Crash safety: ``kill -9`` of the web server and of the job worker in the middle of work.

Real processes on loopback against a throwaway SQLite database (or PostgreSQL when
STEWARD_DATABASE_URL names one: a throwaway database on that server):

- ``steward run`` (gunicorn + worker) is killed with SIGKILL while a bulk import through the
  API and one through the UI's import page are being written. Afterwards the database passes
  its integrity check, the change-log chain verifies, and the import is all or nothing — no
  half-written rows, no change-log rows without their records. The restarted server imports
  the same data again in full.
- ``steward worker`` is killed with SIGKILL while a job is half-way through writing a batch,
  and again while a single-attempt job runs. A second worker reaps both once the dead worker's
  lease runs out: the first is retried and then writes its batch exactly once; the second is
  marked failed with the reason, and its queue task too. Nothing stays "running".

Skipped where subprocesses cannot run, or with STEWARD_SKIP_PROCESS_TESTS=1.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from steward.utilities.testing import live

_reason = live.spawn_problem()
pytestmark = pytest.mark.skipif(bool(_reason), reason=f"needs real server processes ({_reason})")

LEASE = 3  # seconds of silence before a worker is taken for dead (production: 60)
ROWS = 4000  # big enough that the import is still being written when the server dies


@pytest.fixture
def site() -> Iterator[dict]:
    """A data folder and a throwaway database (SQLite, or PostgreSQL when configured)."""
    data_dir = Path(tempfile.mkdtemp(prefix="steward-crash-"))
    database = live.throwaway_database(
        data_dir, os.environ.get("STEWARD_DATABASE_URL", ""), prefix="steward_crash"
    )
    env = live.child_env(
        data_dir,
        database_url=database.url,
        STEWARD_TEST_JOBS="1",
        STEWARD_JOB_LEASE_SECONDS=str(LEASE),
        STEWARD_JOB_RETRY_SECONDS="0",
    )
    try:
        yield {"dir": data_dir, "env": env, "db": database}
    finally:
        database.drop()
        shutil.rmtree(data_dir, ignore_errors=True)


def query(site: dict, sql: str) -> list[tuple]:
    return site["db"].query(sql)


def assert_consistent(site: dict) -> None:
    """Integrity check (SQLite), the change-log chain, and every change row's record present."""
    if site["db"].engine == "sqlite":
        assert query(site, "PRAGMA integrity_check") == [("ok",)]
        assert query(site, "PRAGMA foreign_key_check") == []
    out = live.manage(site["env"], "audit", "verify")
    assert "Change log intact" in out, out
    orphans = query(
        site,
        "SELECT count(*) FROM core_objectchange c JOIN django_content_type t ON t.id = c.changed_object_type_id "
        "WHERE t.app_label = 'core' AND t.model = 'tag' AND c.action = 'create' "
        "AND NOT EXISTS (SELECT 1 FROM core_tag g WHERE g.id = c.changed_object_id)",
    )
    assert orphans == [(0,)], "change-log rows for tags that were never committed"


def tag_count(site: dict, prefix: str) -> int:
    return query(site, f"SELECT count(*) FROM core_tag WHERE name LIKE '{prefix}-%'")[0][0]  # noqa: S608


def csv_rows(prefix: str, count: int) -> str:
    return "name,slug,description\n" + "".join(f"{prefix}-{i},{prefix}-{i},row {i}\n" for i in range(count))


def kill_during(site: dict, server: live.Proc, send, prefix: str) -> None:  # noqa: ANN001
    """Send a big import from a thread; SIGKILL the server once rows are being written."""
    outcome: dict = {}

    def worker() -> None:
        try:
            outcome["response"] = send()
        except httpx.HTTPError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=worker)
    thread.start()
    # Half a second after the request went out the server is deep in the transaction (a
    # 4,000-row import takes several seconds here); give it a moment more on a loaded machine.
    time.sleep(1.5)
    server.kill9()
    thread.join(timeout=60)
    response = outcome.get("response")
    assert response is None, f"the import finished before the kill ({response.status_code}); raise ROWS"
    assert tag_count(site, prefix) == 0, "a killed import left rows behind"


def test_kill_web_server_during_bulk_imports(site):
    env = site["env"]
    account = live.prepare_site(env)
    port = live.free_port()
    base = f"http://127.0.0.1:{port}"
    api_headers = {"Authorization": f"Token {account['token']}", "Accept": "application/json"}

    server = live.start_server("web1", env, port=port)
    with live.stopping(server) as procs:
        # 1. The API's bulk create: one JSON list, one transaction.
        body = [{"name": f"api-{i}", "slug": f"api-{i}"} for i in range(ROWS)]

        def api_import() -> httpx.Response:
            return httpx.post(f"{base}/api/core/tags/", json=body, headers=api_headers, timeout=120)

        kill_during(site, server, api_import, "api")
        assert_consistent(site)

        # 2. The UI's import page, signed in with a session and a CSRF token.
        server = live.start_server("web2", env, port=port)
        procs.append(server)
        browser = httpx.Client(base_url=base, timeout=120)
        login = browser.get("/login/")
        browser.post(
            "/login/",
            data={
                "username": account["username"],
                "password": account["password"],
                "csrfmiddlewaretoken": login.cookies["csrftoken"],
            },
        )
        assert "sessionid" in browser.cookies, "login failed"
        import_url = "/core/tags/import/"
        assert browser.get(import_url).status_code == 200

        def ui_import() -> httpx.Response:
            return browser.post(
                import_url,
                data={
                    "data": csv_rows("ui", ROWS),
                    "format": "csv",
                    "confirm": "true",
                    "csrfmiddlewaretoken": browser.cookies["csrftoken"],
                },
            )

        kill_during(site, server, ui_import, "ui")
        assert_consistent(site)

        # 3. After the crash the server starts again and the same imports go through in full.
        server = live.start_server("web3", env, port=port)
        procs.append(server)
        response = httpx.post(f"{base}/api/core/tags/", json=body[:100], headers=api_headers, timeout=120)
        assert response.status_code == 201, f"{response.text[:1000]}\nserver log:\n{server.output()}"
        assert tag_count(site, "api") == 100
        assert_consistent(site)


def enqueue(env: dict, name: str, payload: dict) -> None:
    live.python(
        env,
        f"from steward.core.jobs import run_job; run_job.enqueue({name!r}, payload={json.dumps(payload)}, "
        "trigger='test')",
    )


def runs(site: dict, name: str) -> list[tuple]:
    return query(
        site,
        "SELECT attempt, status, worker, error, task_id FROM core_jobrun "  # noqa: S608 - fixed names
        f"WHERE job_name = '{name}' ORDER BY attempt, id",
    )


def test_kill_worker_during_jobs(site):
    env = site["env"]
    live.prepare_site(env)
    hanging = {**env, "STEWARD_TEST_HANG": "1"}
    args = ("worker", "--tick", "0.5")
    with live.stopping() as procs:
        # A single-attempt job, killed while it runs.
        enqueue(env, "tests.hang_once", {})
        first = live.start("worker1", hanging, *args)
        procs.append(first)
        live.wait_for(lambda: runs(site, "tests.hang_once"), timeout=60, what="the single job to start")
        first.kill9()
        assert [r[1] for r in runs(site, "tests.hang_once")] == ["running"]
        # (The next worker's scheduler may reap it already; it has one attempt, so no retry.)

        # A job half-way through writing a batch of rows in one transaction.
        enqueue(env, "tests.write_batch", {"prefix": "job", "count": 200})
        second = live.start("worker2", hanging, *args)
        procs.append(second)
        live.wait_for(lambda: runs(site, "tests.write_batch"), timeout=60, what="the batch job to start")
        time.sleep(1.5)  # well inside the transaction: half the batch written, then it hangs
        second.kill9()
        assert tag_count(site, "job") == 0, "a killed job left half its batch behind"

        # A healthy worker reaps both once the lease has run out.
        third = live.start("worker3", env, *args)
        procs.append(third)

        def settled() -> bool:
            batch = runs(site, "tests.write_batch")
            single = runs(site, "tests.hang_once")
            return bool(batch and batch[-1][1] == "succeeded" and single and single[-1][1] == "failed")

        try:
            live.wait_for(settled, timeout=60, what="the reaper and the retry")
        except TimeoutError:
            pytest.fail(
                f"runs: {runs(site, 'tests.write_batch')} {runs(site, 'tests.hang_once')}\n{third.output()}"
            )

    batch = runs(site, "tests.write_batch")
    assert [(r[0], r[1]) for r in batch] == [(1, "retrying"), (2, "succeeded")], batch
    assert "stopped while running this job" in batch[0][3] and batch[0][2] in batch[0][3]
    assert tag_count(site, "job") == 200, "the retried batch was not written exactly once"
    single = runs(site, "tests.hang_once")
    assert [(r[0], r[1]) for r in single] == [(1, "failed")], single
    assert "stopped while running this job" in single[0][3]
    # The queue's own records agree: nothing is left claimed by a dead worker.
    statuses = {
        str(pk).replace("-", ""): status
        for pk, status in query(site, "SELECT id, status FROM django_tasks_database_dbtaskresult")
    }
    assert "RUNNING" not in statuses.values(), statuses
    assert statuses[single[0][4].replace("-", "")] == "FAILED"
    workers = {row[0] for row in query(site, "SELECT name FROM core_jobworker")}
    assert not workers & {batch[0][2], single[0][2]}, "a dead worker is still listed"
    assert_consistent(site)


def test_kill_rq_work_horse_under_a_live_worker(site):
    """On RQ a job runs in a forked work horse: kill it, and its run is failed at once.

    (On SQLite there is no horse: the test checks the job runs in the worker itself.)

    The worker itself lives on and keeps its heartbeat fresh, so the reaper would never step
    in; the worker settles the run itself (``steward.core.rq_worker``).
    """
    try:
        redis_url, redis_client = live.claim_redis_db(
            os.environ.get("STEWARD_REDIS_URL", "redis://127.0.0.1:6379")
        )
    except Exception as exc:  # noqa: BLE001 - no Redis here: nothing to test
        pytest.skip(f"needs Redis: {exc}")
    env = {**site["env"], "STEWARD_REDIS_URL": redis_url}
    try:
        live.prepare_site(env)
        with live.stopping() as procs:
            worker = live.start("rqworker", {**env, "STEWARD_TEST_HANG": "1"}, "worker", "--tick", "0.5")
            procs.append(worker)
            enqueue(env, "tests.hang_once", {})
            try:
                live.wait_for(lambda: runs(site, "tests.hang_once"), timeout=60, what="the job to start")
            except TimeoutError:
                pytest.fail(f"the job never started:\n{worker.output(tail=10**6)[:6000]}")
            horses = worker.children()
            if site["db"].engine == "sqlite":
                # No fork on SQLite: the job runs (it would deadlock in a horse), in the worker.
                assert horses == [], f"a work horse was forked on SQLite: {horses}"
                assert [r[1] for r in runs(site, "tests.hang_once")] == ["running"]
                return
            assert len(horses) == 1, f"expected one work horse under the worker, found {horses}"
            os.kill(horses[0], 9)
            try:
                live.wait_for(
                    lambda: runs(site, "tests.hang_once")[-1][1] != "running",
                    timeout=30,
                    what="the run to settle",
                )
            except TimeoutError:
                pytest.fail(f"runs: {runs(site, 'tests.hang_once')}\n{worker.output()}")
            assert worker.alive(), "the worker itself should live on"
        single = runs(site, "tests.hang_once")
        assert [(r[0], r[1]) for r in single] == [(1, "failed")], single
        assert "died" in single[0][3] and "signal 9" in single[0][3], single[0][3]
        assert_consistent(site)
    finally:
        redis_client.flushdb()
