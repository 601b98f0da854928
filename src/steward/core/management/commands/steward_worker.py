from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Run a job worker (the database queue by default, RQ when STEWARD_REDIS_URL is set) and the "
        "periodic-job scheduler. Any number of workers may run: each due run is claimed by one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-scheduler", action="store_true", help="Do not run the scheduler loop.")
        parser.add_argument(
            "--scheduler-only", action="store_true", help="Run only the scheduler loop, no job worker."
        )
        parser.add_argument(
            "--tick", type=float, default=15.0, help="Seconds between scheduler passes (default 15)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from steward.core.jobs import run_scheduler, start_heartbeat, stop_heartbeat

        if options["scheduler_only"]:
            self.stdout.write("Scheduler running; Ctrl-C to stop.")
            run_scheduler(interval=options["tick"])
            return
        if not options["no_scheduler"]:
            stop = threading.Event()
            thread = threading.Thread(
                target=run_scheduler,
                kwargs={"interval": options["tick"], "stop": stop},
                name="steward-scheduler",
                daemon=True,
            )
            thread.start()
        # The heartbeat names this worker on every run it takes; a reaper fails or retries the
        # runs of a worker whose heartbeat stops (see steward.core.jobs.reap_abandoned).
        beating = threading.Event()
        name = start_heartbeat(beating)
        self.stdout.write(f"Worker {name} running; Ctrl-C to stop.")
        backend = settings.TASKS["default"]["BACKEND"]
        try:
            if "rq" in backend.lower():
                # django-tasks-rq's Job class runs django.tasks Tasks and records their results.
                # StewardWorker settles the run of a work horse that dies under a live worker;
                # on SQLite jobs run without a fork (see steward.core.rq_worker).
                from steward.core.rq_worker import worker_class_path

                call_command(
                    "rqworker",
                    "default",
                    name=name,
                    job_class="django_tasks_rq.Job",
                    worker_class=worker_class_path(),
                )
            else:
                call_command("db_worker", worker_id=name)
        finally:
            stop_heartbeat(name, beating)
