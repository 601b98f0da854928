"""Test-only jobs, declared when STEWARD_TEST_JOBS=1 (see CoreConfig.ready).

``tests.tick`` runs every 2 seconds and logs the period it serves, so the two-worker test
(core/tests/test_worker_processes.py) can check each period ran exactly once. The others serve
the crash-safety tests (a worker killed mid-job) and the scale-out battery.
"""

from __future__ import annotations

import datetime
import os
import time

from django.db import transaction

from steward.core.jobs import JobContext, job, periodic


@periodic(every=datetime.timedelta(seconds=2), name="tests.tick")
def tick(ctx: JobContext) -> None:
    """Log the period served and the worker process (test-only)."""
    ctx.log(f"tick for {(ctx.payload or {}).get('scheduled_for')} in pid {os.getpid()}")


def _hang_here() -> None:
    """Block (to be killed) in a worker started with STEWARD_TEST_HANG=1; return elsewhere."""
    if os.environ.get("STEWARD_TEST_HANG") == "1":
        time.sleep(600)


@job(name="tests.write_batch", max_attempts=2)
def write_batch(ctx: JobContext) -> None:
    """Create ``count`` tags in one transaction, hanging half-way in a hanging worker (test-only)."""
    from steward.core.models import Tag

    payload = ctx.payload or {}
    prefix, count = payload["prefix"], int(payload["count"])
    with transaction.atomic():
        for i in range(count):
            Tag.objects.create(name=f"{prefix}-{i}", slug=f"{prefix}-{i}")
            if i == count // 2:
                _hang_here()
    ctx.log(f"wrote {count} tags in pid {os.getpid()} (attempt {ctx.attempt})")


@job(name="tests.hang_once", max_attempts=1)
def hang_once(ctx: JobContext) -> None:
    """Hang in a hanging worker; a single attempt, so a killed run must end up failed (test-only)."""
    _hang_here()
    ctx.log("did not hang")


@job(name="tests.record", max_attempts=1)
def record(ctx: JobContext) -> None:
    """Log which event it was triggered by and where it ran (test-only; scale-out battery)."""
    payload = ctx.payload or {}
    ctx.log(f"object {(payload.get('object') or {}).get('id')} in pid {os.getpid()}")
