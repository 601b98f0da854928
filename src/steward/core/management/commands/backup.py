from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from steward.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Write one archive (tar.gz): a consistent database snapshot, the media files, a checksum manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="Archive path (default: $STEWARD_DATA_DIR/backups/…).")

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        output = Path(options["output"] or Path(settings.DATA_DIR) / "backups" / f"steward-{stamp}.tar.gz")
        try:
            manifest = create_backup(output)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Backup written to {output} ({len(manifest['files'])} files, checksummed).")
        )
