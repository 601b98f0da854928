"""Jobs declared in code, their runs, retries with backoff, and the periodic scheduler.

Declare a job in an app's ``jobs.py`` (imported from its ``AppConfig.ready``)::

    @periodic(every=timedelta(hours=1))
    def purge_expired_tokens(ctx: JobContext) -> None:
        ctx.log("purged 3 tokens")

    @job(name="org.sync_directory", max_attempts=3)
    def sync_directory(ctx: JobContext) -> None: ...

Every run goes through the ``run_job`` task (django.tasks), which records a ``JobRun``.
``steward worker`` runs the scheduler loop (``tick``): a schedule is due when its ``next_run``
has passed, and a worker claims the run by moving ``next_run`` forward with one conditional
UPDATE, so two workers never enqueue the same period twice.

Crash safety: every worker writes a heartbeat (``JobWorker``) every quarter of the lease
(``STEWARD_JOB_LEASE_SECONDS``). The scheduler pass also runs ``reap_abandoned``: a run left
``running`` by a worker whose heartbeat is older than the lease (killed, crashed, machine lost)
is failed — and retried while attempts remain — and the database-queue tasks that worker had
claimed go back to the queue, so a killed worker never loses a job silently.
"""

from __future__ import annotations

import datetime
import logging
import os
import random
import secrets
import socket
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from croniter import croniter
from django.conf import settings
from django.db import close_old_connections, transaction
from django.tasks import TaskContext, task
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core.registry import JobEntry, registry

logger = logging.getLogger(__name__)

LOG_LIMIT = 100_000


# --- declaring ------------------------------------------------------------------------------
def job(
    *, name: str | None = None, description: str = "", max_attempts: int = 1
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a job runnable by name (from event rules, the CLI or a schedule)."""

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        job_name = name or f"{func.__module__.removeprefix('steward.')}.{func.__name__}"
        registry.register_job(
            JobEntry(
                name=job_name,
                func=func,
                description=description or (func.__doc__ or "").strip().split("\n")[0],
                max_attempts=max_attempts,
            )
        )
        func.job_name = job_name  # type: ignore[attr-defined]
        return func

    return decorator


def periodic(
    *,
    every: datetime.timedelta | None = None,
    cron: str = "",
    name: str | None = None,
    description: str = "",
    max_attempts: int = 1,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a job with a default schedule (editable later in the UI)."""
    if (every is None) == (not cron):
        raise ValueError("periodic() needs exactly one of every= or cron=")
    if cron and cron_error(cron):
        raise ValueError(f"periodic(cron={cron!r}): {cron_error(cron)}")

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        job_name = name or f"{func.__module__.removeprefix('steward.')}.{func.__name__}"
        registry.register_job(
            JobEntry(
                name=job_name,
                func=func,
                description=description or (func.__doc__ or "").strip().split("\n")[0],
                every=every,
                cron=cron,
                max_attempts=max_attempts,
            )
        )
        func.job_name = job_name  # type: ignore[attr-defined]
        return func

    return decorator


def cron_error(expression: str) -> str:
    """A message naming what is wrong with a five-field cron expression, or ""."""
    fields = expression.split()
    if len(fields) != 5:
        return _("A cron expression has five fields (minute hour day month weekday); got %d.") % len(fields)
    if not croniter.is_valid(expression):
        return _("“%s” is not a valid cron expression.") % expression
    return ""


# --- retries --------------------------------------------------------------------------------
def backoff_delay(attempt: int, *, base: float = 30.0, cap: float = 3600.0, jitter: float = 0.1) -> float:
    """Seconds to wait after failed ``attempt`` (1-based): base, 2×base, 4×base … up to ``cap``."""
    delay = min(cap, base * (2 ** max(0, attempt - 1)))
    if not jitter:
        return delay
    return delay * (1 + random.uniform(-jitter, jitter))  # jitter, not security  # nosec B311


def enqueue_retry(task_obj: Any, *, attempt: int, args: tuple = (), kwargs: dict | None = None) -> Any:
    """Enqueue the next attempt of ``task_obj`` after an exponential backoff.

    Backends that can defer (the database queue, RQ) get ``run_after``; the immediate backend
    used in tests cannot wait, so the next attempt runs at once — the attempt count still
    bounds the retries.
    """
    kwargs = dict(kwargs or {})
    if task_obj.get_backend().supports_defer:
        delay = backoff_delay(attempt, base=settings.JOB_RETRY_SECONDS)
        run_after = timezone.now() + datetime.timedelta(seconds=delay)
        return task_obj.using(run_after=run_after).enqueue(*args, **kwargs)
    return task_obj.enqueue(*args, **kwargs)


# --- running --------------------------------------------------------------------------------
@dataclass
class JobContext:
    """What a job function receives: the trigger's payload and a log to write to.

    An event rule's run gets the event payload; a scheduled run ``{"scheduled_for": <ISO due time>}``.
    """

    name: str
    payload: dict[str, Any] | None = None
    attempt: int = 1
    lines: list[str] = field(default_factory=list)

    def log(self, message: str) -> None:
        self.lines.append(f"{timezone.now():%H:%M:%S} {message}")


@task(takes_context=True)
def run_job(
    context: TaskContext,
    name: str,
    payload: dict[str, Any] | None = None,
    schedule_id: int | None = None,
    trigger: str = "",
    attempt: int = 1,
) -> str:
    """Run the job ``name`` once, record a JobRun, and enqueue a retry if it fails."""
    return execute_job(
        name,
        payload=payload,
        schedule_id=schedule_id,
        trigger=trigger,
        attempt=attempt,
        task_id=str(context.task_result.id),
    )


def execute_job(
    name: str,
    *,
    payload: dict[str, Any] | None = None,
    schedule_id: int | None = None,
    trigger: str = "",
    attempt: int = 1,
    task_id: str = "",
) -> str:
    from steward.core.models import JobRun, JobRunStatus

    entry = registry.jobs.get(name)
    started = timezone.now()
    run = JobRun.objects.create(
        job_name=name,
        schedule_id=schedule_id,
        trigger=trigger[:100],
        status=JobRunStatus.RUNNING,
        attempt=attempt,
        started=started,
        worker=worker_name,
        task_id=task_id[:64],
        payload=payload,
    )
    ctx = JobContext(name=name, payload=payload, attempt=attempt)
    clock = time.monotonic()
    error = ""
    try:
        if entry is None:
            raise LookupError(f"No job named {name} is declared")
        entry.func(ctx)
    except Exception as exc:  # noqa: BLE001 - a job's failure is recorded, not raised
        error = "".join(traceback.format_exception(exc))[-LOG_LIMIT:]
    max_attempts = entry.max_attempts if entry else 1
    if not error:
        status = JobRunStatus.SUCCEEDED
    elif attempt < max_attempts:
        status = JobRunStatus.RETRYING
    else:
        status = JobRunStatus.FAILED
    # Conditional: a run the reaper already gave up on (its worker looked dead) keeps that
    # outcome, so its retry is not doubled by a late result.
    recorded = JobRun.objects.filter(pk=run.pk, status=JobRunStatus.RUNNING).update(
        status=status,
        finished=timezone.now(),
        duration_ms=int((time.monotonic() - clock) * 1000),
        log="\n".join(ctx.lines)[-LOG_LIMIT:],
        error=error,
    )
    if not recorded:
        logger.warning("job run %s (%s) finished after it was reaped as abandoned", run.pk, name)
        return JobRun.objects.get(pk=run.pk).status
    follow_up(run, status=status, error=error)
    return status


def follow_up(run: Any, *, status: str, error: str) -> None:
    """After a run's outcome: enqueue its retry, or announce its final failure (an event)."""
    from steward.core.models import JobRunStatus

    payload = run.payload
    if status == JobRunStatus.RETRYING:
        enqueue_retry(
            run_job,
            attempt=run.attempt,
            args=(run.job_name,),
            kwargs={
                "payload": payload,
                "schedule_id": run.schedule_id,
                "trigger": run.trigger,
                "attempt": run.attempt + 1,
            },
        )
    elif status == JobRunStatus.FAILED and not (payload or {}).get("event", "").startswith("core.job."):
        from steward.core.events import Event, emit

        emit(
            Event(
                name="core.job.failed",
                model="core.jobrun",
                object_id=run.pk,
                object_repr=str(run.job_name),
                data={"job": run.job_name, "attempt": run.attempt, "error": error[-2000:]},
            )
        )


# --- workers, heartbeats and the reaper ----------------------------------------------------
#: This process's worker name while it runs as ``steward worker`` (recorded on its runs).
worker_name = ""

RUN_JOB_PATH = "steward.core.jobs.run_job"


class WorkerLost(Exception):
    """The worker running a task stopped sending heartbeats (recorded on the queue's result)."""


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.JOB_LEASE_SECONDS)


def beat(name: str, *, started: datetime.datetime) -> None:
    """Write this worker's heartbeat (re-creating its row if a reaper removed it)."""
    from steward.core.models import JobWorker

    now = timezone.now()
    if not JobWorker.objects.filter(name=name).update(heartbeat=now):
        JobWorker.objects.update_or_create(
            name=name,
            defaults={
                "host": socket.gethostname()[:100],
                "pid": os.getpid(),
                "started": started,
                "heartbeat": now,
            },
        )


def start_heartbeat(stop: threading.Event) -> str:
    """Register this process as a worker and keep its heartbeat fresh until ``stop`` is set.

    ``stop_heartbeat`` removes the worker's row on a clean exit (a killed worker's row is
    removed by the reaper).

    Returns the worker's name (at most 64 characters, as the queue backends require). The
    first heartbeat is written before this returns, so the worker is known before it claims
    any task.
    """

    global worker_name
    name = f"{socket.gethostname()[:40]}-{os.getpid()}-{secrets.token_hex(4)}"
    started = timezone.now()
    beat(name, started=started)
    worker_name = name
    every = max(0.5, settings.JOB_LEASE_SECONDS / 4)

    def loop() -> None:
        while not stop.wait(every):
            close_old_connections()
            try:
                beat(name, started=started)
            except Exception:
                logger.exception("worker %s: heartbeat failed", name)

    threading.Thread(target=loop, name="steward-heartbeat", daemon=True).start()
    return name


def stop_heartbeat(name: str, stop: threading.Event) -> None:
    from steward.core.models import JobWorker

    stop.set()
    try:
        JobWorker.objects.filter(name=name).delete()
    except Exception:
        logger.exception("worker %s: could not remove its heartbeat row", name)


def reap_abandoned(now: datetime.datetime | None = None) -> list[int]:
    """Fail (or retry) the runs of dead workers and requeue their claimed tasks.

    A worker is dead when its heartbeat is older than the lease, or its row is gone. Each run
    is taken with a conditional UPDATE, so when several schedulers reap at once every run is
    handled by exactly one of them. Returns the ids of the runs reaped.
    """
    from steward.core.models import JobRun, JobRunStatus, JobWorker

    now = now or timezone.now()
    cutoff = now - lease()
    live = set(JobWorker.objects.filter(heartbeat__gte=cutoff).values_list("name", flat=True))
    reaped = []
    abandoned = (
        # ``started`` before the cutoff: a worker that registered after ``live`` was read
        # cannot have its fresh runs mistaken for a dead worker's.
        JobRun.objects.filter(status=JobRunStatus.RUNNING, started__lt=cutoff)
        .exclude(worker="")
        .exclude(worker__in=live)
    )
    for run in abandoned:
        error = _(
            "The worker %(worker)s stopped while running this job (no heartbeat for %(lease)d s); "
            "the run was abandoned."
        ) % {"worker": run.worker, "lease": settings.JOB_LEASE_SECONDS}
        if abandon(run, error=error, now=now):
            reaped.append(run.pk)
            logger.warning("reaped job run %s (%s) of dead worker %s", run.pk, run.job_name, run.worker)
    _requeue_database_tasks(live, now, cutoff)
    JobWorker.objects.filter(heartbeat__lt=cutoff).delete()
    return reaped


def abandon(run: Any, *, error: str, now: datetime.datetime | None = None) -> bool:
    """Settle a ``running`` run that will never report: retried while attempts remain, else failed.

    Taken with a conditional UPDATE, so of several callers (reapers, an RQ worker whose work
    horse died) exactly one settles it. Returns whether this call did.
    """
    from steward.core.models import JobRunStatus

    now = now or timezone.now()
    entry = registry.jobs.get(run.job_name)
    status = JobRunStatus.RETRYING if entry and run.attempt < entry.max_attempts else JobRunStatus.FAILED
    with transaction.atomic():
        taken = (
            type(run)
            .objects.filter(pk=run.pk, status=JobRunStatus.RUNNING)
            .update(
                status=status,
                finished=now,
                duration_ms=min(2**31 - 1, int((now - run.started).total_seconds() * 1000)),
                error=error,
            )
        )
        if taken:
            follow_up(run, status=status, error=error)
    return bool(taken)


def settle_lost_task(task_id: str, *, worker: str, reason: str) -> list[int]:
    """Settle the running runs of queue task ``task_id``, whose process died under ``worker``.

    Called by the RQ worker when its work horse is killed (``steward.core.rq_worker``): the
    worker itself lives on, so its heartbeat stays fresh and the reaper would never step in.
    """
    from steward.core.models import JobRun, JobRunStatus

    error = _(
        "The process running this job on worker %(worker)s died (%(reason)s); the run was abandoned."
    ) % {
        "worker": worker,
        "reason": reason,
    }
    settled = []
    for run in JobRun.objects.filter(task_id=task_id[:64], status=JobRunStatus.RUNNING):
        if abandon(run, error=error):
            settled.append(run.pk)
            logger.warning("job run %s (%s): its work horse died on %s", run.pk, run.job_name, worker)
    return settled


def _requeue_database_tasks(live: set[str], now: datetime.datetime, cutoff: datetime.datetime) -> None:
    """On the database queue: settle the tasks a dead worker had claimed.

    A ``run_job`` task takes its outcome from its JobRun (a retry, if any, is a new task); one
    whose JobRun was never written, and any other task (webhook deliveries, which carry an id
    receivers deduplicate on), goes back to the queue to run again.
    """
    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return  # RQ moves a dead worker's started jobs to its failed registry itself.
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from steward.core.models import JobRun, JobRunStatus

    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff).only(
        "id", "worker_ids", "task_path"
    ):
        if not result.worker_ids or result.worker_ids[-1] in live:
            continue
        running = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING)
        run = (
            JobRun.objects.filter(task_id=str(result.pk)).first()
            if result.task_path == RUN_JOB_PATH
            else None
        )
        if run is None:
            running.update(status=TaskResultStatus.READY, started_at=None)
        elif run.status == JobRunStatus.SUCCEEDED:
            running.update(status=TaskResultStatus.SUCCESSFUL, finished_at=now)
        else:
            running.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=run.error or "worker lost",
            )


# --- scheduling -----------------------------------------------------------------------------
def next_after(schedule: Any, now: datetime.datetime) -> datetime.datetime:
    """The first run time strictly after ``now`` for an interval or cron schedule."""
    if schedule.cron:
        base = timezone.localtime(now)
        return croniter(schedule.cron, base).get_next(datetime.datetime)
    interval = schedule.interval
    previous = schedule.next_run
    if previous is not None:
        candidate = previous + interval
        if candidate > now:
            return candidate
    # Missed periods (worker down) are not replayed: the next run is one interval from now.
    return now + interval


def sync_schedules() -> int:
    """Give every declared periodic job a schedule row (defaults from code); returns how many."""
    from steward.core.models import JobSchedule

    existing = set(JobSchedule.objects.values_list("job_name", flat=True))
    created = 0
    for entry in registry.jobs.values():
        if not entry.periodic or entry.name in existing:
            continue
        schedule = JobSchedule(
            job_name=entry.name,
            interval=entry.every,
            cron=entry.cron,
            description=entry.description[:200],
        )
        try:
            with transaction.atomic():
                schedule.save()
            created += 1
        except Exception:  # noqa: BLE001 - another worker created it first
            logger.debug("schedule for %s already exists", entry.name)
    return created


def claim(schedule: Any, now: datetime.datetime) -> bool:
    """Take the due run of ``schedule``: true for exactly one caller per period.

    The UPDATE only matches while ``next_run`` still holds the value this caller read; the
    first caller moves it forward, so every other caller's UPDATE matches no row.
    """
    from steward.core.models import JobSchedule

    updated = JobSchedule.objects.filter(pk=schedule.pk, enabled=True, next_run=schedule.next_run).update(
        next_run=next_after(schedule, now), last_run=now
    )
    return updated == 1


def tick(now: datetime.datetime | None = None) -> list[str]:
    """One scheduler pass: start new schedules, reap dead workers' runs, enqueue due runs it claims."""
    from steward.core.models import JobSchedule

    now = now or timezone.now()
    sync_schedules()
    reap_abandoned(now)
    enqueued = []
    for schedule in JobSchedule.objects.filter(enabled=True).only(
        "pk", "job_name", "interval", "cron", "next_run"
    ):
        if schedule.next_run is None:
            # A new or re-enabled schedule starts at its next period, not immediately.
            JobSchedule.objects.filter(pk=schedule.pk, next_run__isnull=True).update(
                next_run=next_after(schedule, now)
            )
            continue
        if schedule.next_run > now:
            continue
        with transaction.atomic():
            if claim(schedule, now):
                # Same transaction as the claim on the database queue: claimed ⇔ enqueued.
                # The payload names the period this run serves (its due time).
                run_job.enqueue(
                    schedule.job_name,
                    payload={"scheduled_for": schedule.next_run.isoformat()},
                    schedule_id=schedule.pk,
                    trigger="schedule",
                )
                enqueued.append(schedule.job_name)
    return enqueued


def run_scheduler(*, interval: float = 15.0, stop: Any = None) -> None:
    """Loop ``tick`` until ``stop`` (a threading.Event) is set; each pass on a fresh connection."""
    while stop is None or not stop.is_set():
        close_old_connections()
        try:
            names = tick()
            if names:
                logger.info("scheduler enqueued %s", ", ".join(names))
        except Exception:
            logger.exception("scheduler tick failed")
        if stop is not None:
            stop.wait(interval)
        else:
            time.sleep(interval)


# --- core's own jobs ------------------------------------------------------------------------
LOG_RETENTION = datetime.timedelta(days=30)


@periodic(every=datetime.timedelta(days=1), name="core.purge_logs")
def purge_logs(ctx: JobContext) -> None:
    """Delete job runs and webhook deliveries older than 30 days."""
    from steward.core.models import JobRun, WebhookDelivery

    cutoff = timezone.now() - LOG_RETENTION
    runs, _ = JobRun.objects.filter(started__lt=cutoff).delete()
    deliveries, _ = WebhookDelivery.objects.filter(created__lt=cutoff).delete()
    ctx.log(f"deleted {runs} job runs and {deliveries} webhook deliveries older than {cutoff:%Y-%m-%d}")
