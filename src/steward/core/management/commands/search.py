"""``steward search reindex [--model app.model]``: rebuild the global search index."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from steward.core.search import index


class Command(BaseCommand):
    help = "Global search maintenance. 'reindex' rebuilds the index of every searchable model (or one)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        reindex = sub.add_parser("reindex", help="Rebuild the index, streaming in batches.")
        reindex.add_argument("--model", action="append", help="app_label.model_name; repeat for several")
        reindex.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        models = dict((m._meta.label_lower, m) for m, _spec in index.searchable_models())
        wanted = options["model"] or sorted(models)
        unknown = [w for w in wanted if w.lower() not in models]
        if unknown:
            raise CommandError(
                f"Not a searchable model: {', '.join(unknown)}. Choose from: {', '.join(sorted(models))}"
            )
        for label in wanted:
            started = time.perf_counter()
            count = index.rebuild(models[label.lower()], batch_size=options["batch_size"])
            elapsed = time.perf_counter() - started
            self.stdout.write(f"{label}: {count} indexed in {elapsed:.1f} s")
