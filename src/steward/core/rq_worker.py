"""The RQ worker ``steward worker`` runs when ``STEWARD_REDIS_URL`` is set.

RQ runs each job in a forked *work horse*. When the horse dies (``kill -9``, the OOM killer)
while its parent worker lives on, RQ marks its own job failed, but the worker keeps writing
heartbeats, so the reaper would never settle the job's ``JobRun``. This worker settles it at
once: retried while attempts remain, else failed and announced (ADR 0010).

On SQLite the worker does not fork: a forked horse was seen to hang before its first write
(the worker's heartbeat and scheduler threads use SQLite at the same time, and SQLite
connections must not cross a fork), so jobs run in the worker process itself with RQ's
``SimpleWorker`` (a killed worker is then settled by the reaper, like the database queue's).
"""

from __future__ import annotations

import os
from typing import Any

from django.db import close_old_connections
from rq.worker import Worker


class StewardWorker(Worker):
    def handle_work_horse_killed(self, job: Any, retpid: int, ret_val: int, rusage: Any) -> None:
        super().handle_work_horse_killed(job, retpid, ret_val, rusage)
        from steward.core.jobs import settle_lost_task

        if ret_val and os.WIFSIGNALED(ret_val):
            reason = f"process {retpid} killed by signal {os.WTERMSIG(ret_val)}"
        else:
            reason = f"process {retpid} exited with status {ret_val}"
        close_old_connections()
        settle_lost_task(str(job.id), worker=self.name, reason=reason)


def worker_class_path() -> str:
    from django.db import connection

    return "rq.worker.SimpleWorker" if connection.vendor == "sqlite" else f"{__name__}.StewardWorker"
