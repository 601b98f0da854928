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
"""

from __future__ import annotations

import datetime
import logging
import random
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from croniter import croniter
from django.db import transaction
from django.tasks import task
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
    return delay * (1 + random.uniform(-jitter, jitter)) if jitter else delay


def enqueue_retry(task_obj: Any, *, attempt: int, args: tuple = (), kwargs: dict | None = None) -> Any:
    """Enqueue the next attempt of ``task_obj`` after an exponential backoff.

    Backends that can defer (the database queue, RQ) get ``run_after``; the immediate backend
    used in tests cannot wait, so the next attempt runs at once — the attempt count still
    bounds the retries.
    """
    kwargs = dict(kwargs or {})
    if task_obj.get_backend().supports_defer:
        run_after = timezone.now() + datetime.timedelta(seconds=backoff_delay(attempt))
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


@task()
def run_job(
    name: str,
    payload: dict[str, Any] | None = None,
    schedule_id: int | None = None,
    trigger: str = "",
    attempt: int = 1,
) -> str:
    """Run the job ``name`` once, record a JobRun, and enqueue a retry if it fails."""
    return execute_job(name, payload=payload, schedule_id=schedule_id, trigger=trigger, attempt=attempt)


def execute_job(
    name: str,
    *,
    payload: dict[str, Any] | None = None,
    schedule_id: int | None = None,
    trigger: str = "",
    attempt: int = 1,
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
    JobRun.objects.filter(pk=run.pk).update(
        status=status,
        finished=timezone.now(),
        duration_ms=int((time.monotonic() - clock) * 1000),
        log="\n".join(ctx.lines)[-LOG_LIMIT:],
        error=error,
    )
    if status == JobRunStatus.RETRYING:
        enqueue_retry(
            run_job,
            attempt=attempt,
            args=(name,),
            kwargs={
                "payload": payload,
                "schedule_id": schedule_id,
                "trigger": trigger,
                "attempt": attempt + 1,
            },
        )
    elif status == JobRunStatus.FAILED and not (payload or {}).get("event", "").startswith("core.job."):
        from steward.core.events import Event, emit

        emit(
            Event(
                name="core.job.failed",
                model="core.jobrun",
                object_id=run.pk,
                object_repr=str(name),
                data={"job": name, "attempt": attempt, "error": error[-2000:]},
            )
        )
    return status


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
    """One scheduler pass: start new schedules, enqueue every due run this worker claims."""
    from steward.core.models import JobSchedule

    now = now or timezone.now()
    sync_schedules()
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
    from django.db import close_old_connections

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
