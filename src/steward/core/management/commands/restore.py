from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from steward.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a `steward backup` archive: checks every checksum, then replaces database and media."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"No such archive: {archive}")
        if not options["yes"] and options.get("interactive", True):
            answer = input("This replaces the whole database and every uploaded file. Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            manifest = restore_backup(archive)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created']} ({len(manifest['files'])} files)."
            )
        )
