"""``steward talent-import [FILE]``: import a skills library (the shipped one when no file is given)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from steward.core.context import change_context


class Command(BaseCommand):
    help = (
        "Import a skills library (YAML or JSON). A re-import updates skills by URN; "
        "a file with an error imports nothing and names the entry."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", type=Path, nargs="?", help="The library file (default: the shipped library)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from steward.talent import services

        file: Path = options["file"] or services.DEFAULT_LIBRARY
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        with change_context(actor=None, source="cli"):
            try:
                result = services.import_library(content=file.read_bytes(), actor=None)
            except services.LibraryError as exc:
                raise CommandError(f"Nothing imported. {exc.path}: {exc.message}") from None
        self.stdout.write(self.style.SUCCESS(str(result)))
