from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run a job worker: the database queue by default, RQ when STEWARD_REDIS_URL is set."

    def handle(self, *args: Any, **options: Any) -> None:
        backend = settings.TASKS["default"]["BACKEND"]
        if "rq" in backend.lower():
            call_command("rqworker", "default")
        else:
            call_command("db_worker")
