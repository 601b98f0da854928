"""Test-only jobs, declared when STEWARD_TEST_JOBS=1 (see CoreConfig.ready).

``tests.tick`` runs every 2 seconds and logs the period it serves, so the two-worker test
(core/tests/test_worker_processes.py) can check each period ran exactly once.
"""

from __future__ import annotations

import datetime
import os

from steward.core.jobs import JobContext, periodic


@periodic(every=datetime.timedelta(seconds=2), name="tests.tick")
def tick(ctx: JobContext) -> None:
    """Log the period served and the worker process (test-only)."""
    ctx.log(f"tick for {(ctx.payload or {}).get('scheduled_for')} in pid {os.getpid()}")
