from __future__ import annotations

import random
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from steward.core.context import change_context
from steward.core.registry import registry


class Command(BaseCommand):
    help = "Load a deterministic demo organisation; --scale multiplies its size."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if demo data is already there."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from steward.core.models import Sequence

        if options["if_empty"] and Sequence.objects.filter(name="demo.loaded").exists():
            self.stdout.write("Demo data already present.")
            return
        rng = random.Random(options["seed"])  # deterministic demo data  # nosec B311
        with change_context(actor="demo", source="cli"), transaction.atomic():
            for _weight, loader in sorted(registry.demo_loaders, key=lambda item: item[0]):
                summary = loader(rng=rng, scale=options["scale"])
                if summary:
                    self.stdout.write(summary)
            Sequence.take("demo.loaded")
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data loaded. Log in as admin / admin (superuser) or agent / agent (service desk agent)."
            )
        )
