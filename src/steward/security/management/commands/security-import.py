"""``steward security-import PATH…``: import OSV / CVE 5 advisories from files, folders or zips."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from steward.core.context import change_context


class Command(BaseCommand):
    help = (
        "Import advisories (OSV JSON/YAML, CVE JSON 5; files, folders or zip archives), then match findings."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="Files, folders or .zip archives.")
        parser.add_argument("--no-match", action="store_true", help="Do not re-match findings afterwards.")

    def handle(self, *args: Any, **options: Any) -> None:
        from steward.security import services
        from steward.security.importers import AdvisoryFileError

        with change_context(actor=None, source="cli"):
            try:
                result = services.import_advisories(
                    paths=options["paths"], actor=None, rematch=not options["no_match"]
                )
            except AdvisoryFileError as exc:
                raise CommandError(f"Nothing imported: {exc}") from None
        self.stdout.write(self.style.SUCCESS(str(result)))
