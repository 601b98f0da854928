"""The reaper: runs left "running" by a worker whose heartbeat stopped are failed or retried."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.utils import timezone

from steward.core import jobs
from steward.core.jobs import JobContext, beat, execute_job, job, reap_abandoned, start_heartbeat
from steward.core.models import EventRule, JobRun, JobWorker

pytestmark = pytest.mark.django_db

CALLS: list[int] = []


@job(name="tests.reaped_retry", max_attempts=2)
def reaped_retry(ctx: JobContext) -> None:
    CALLS.append(ctx.attempt)
    ctx.log(f"attempt {ctx.attempt}")


@job(name="tests.reaped_once", max_attempts=1)
def reaped_once(ctx: JobContext) -> None:
    CALLS.append(ctx.attempt)


@pytest.fixture(autouse=True)
def _clear():
    CALLS.clear()


def abandoned(name: str, *, worker: str, age: float = 120, payload: dict | None = None) -> JobRun:
    """A run as a worker killed mid-job leaves it: running, started ``age`` seconds ago."""
    return JobRun.objects.create(
        job_name=name,
        status="running",
        attempt=1,
        started=timezone.now() - datetime.timedelta(seconds=age),
        worker=worker,
        payload=payload,
        trigger="test",
    )


def worker_row(name: str, *, silent_for: float) -> JobWorker:
    now = timezone.now()
    return JobWorker.objects.create(
        name=name, host="h", pid=1, started=now, heartbeat=now - datetime.timedelta(seconds=silent_for)
    )


def test_run_of_a_dead_worker_is_retried_with_its_payload():
    worker_row("dead-1", silent_for=600)
    run = abandoned("tests.reaped_retry", worker="dead-1", payload={"x": 1})
    assert reap_abandoned() == [run.pk]
    run.refresh_from_db()
    assert run.status == "retrying" and run.finished is not None
    assert "dead-1" in run.error and "stopped while running this job" in run.error
    retry = JobRun.objects.exclude(pk=run.pk).get(job_name="tests.reaped_retry")
    assert retry.attempt == 2 and retry.status == "succeeded" and retry.payload == {"x": 1}
    assert CALLS == [2]
    assert not JobWorker.objects.filter(name="dead-1").exists()
    assert reap_abandoned() == []  # handled once


def test_last_attempt_of_a_dead_worker_fails_and_announces_it(django_capture_on_commit_callbacks):
    EventRule.objects.create(
        name="failures", event_types=["core.job.failed"], action="job", job_name="tests.reaped_retry"
    )
    run = abandoned("tests.reaped_once", worker="gone-without-a-row")
    with django_capture_on_commit_callbacks(execute=True):
        assert reap_abandoned() == [run.pk]
    run.refresh_from_db()
    assert run.status == "failed" and "gone-without-a-row" in run.error
    # The failure event fired its rule: the failure is visible, not silent.
    follow = JobRun.objects.get(job_name="tests.reaped_retry")
    assert (
        follow.payload["event"] == "core.job.failed" and follow.payload["data"]["job"] == "tests.reaped_once"
    )
    assert CALLS == [1]


def test_live_workers_inline_runs_and_fresh_runs_are_left_alone():
    worker_row("alive", silent_for=1)
    worker_row("dead-2", silent_for=600)
    kept = [
        abandoned("tests.reaped_once", worker="alive"),  # heartbeat fresh
        abandoned("tests.reaped_once", worker=""),  # run inline, not by a worker
        abandoned("tests.reaped_once", worker="dead-2", age=0),  # started after the cutoff: next pass
    ]
    assert reap_abandoned() == []
    assert set(JobRun.objects.filter(pk__in=[r.pk for r in kept]).values_list("status", flat=True)) == {
        "running"
    }
    assert JobWorker.objects.filter(name="alive").exists()


def test_a_late_result_does_not_overwrite_the_reapers_verdict(monkeypatch):
    """A worker wrongly taken for dead (paused past its lease) finishes after being reaped."""

    def reaped_meanwhile(ctx: JobContext) -> None:
        JobRun.objects.filter(job_name="tests.slow_reaped").update(status="failed", error="reaped")

    monkeypatch.setitem(
        jobs.registry.jobs,
        "tests.slow_reaped",
        jobs.JobEntry(name="tests.slow_reaped", func=reaped_meanwhile, description="", max_attempts=1),
    )
    assert execute_job("tests.slow_reaped") == "failed"
    run = JobRun.objects.get(job_name="tests.slow_reaped")
    assert run.status == "failed" and run.error == "reaped"


def test_heartbeat_registers_the_worker_and_names_its_runs(settings):
    settings.JOB_LEASE_SECONDS = 60
    stop = threading.Event()
    name = start_heartbeat(stop)
    try:
        assert len(name) <= 64 and jobs.worker_name == name
        row = JobWorker.objects.get(name=name)
        JobWorker.objects.filter(name=name).delete()
        beat(name, started=row.started)  # a reaped-but-alive worker registers again
        assert JobWorker.objects.filter(name=name).exists()
        execute_job("tests.reaped_once")
        assert JobRun.objects.get(job_name="tests.reaped_once").worker == name
    finally:
        jobs.stop_heartbeat(name, stop)
        jobs.worker_name = ""
    assert not JobWorker.objects.filter(name=name).exists()
