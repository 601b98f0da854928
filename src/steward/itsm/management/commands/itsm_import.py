"""``steward itsm-import incidents.csv --mapping map.yaml``: incidents exported from another tool."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from steward.itsm.servicedesk import importer


class Command(BaseCommand):
    help = (
        "Import incidents from another tool's CSV export, translated by a YAML mapping (their columns, "
        "states, priorities and date formats). All or nothing; re-running the same file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv", help="the exported CSV file")
        parser.add_argument("--mapping", required=True, help="the YAML mapping file")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--user", default="", help="user name the change log attributes the import to")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            mapping = importer.load_mapping(Path(options["mapping"]).read_text(encoding="utf-8"))
            data = Path(options["csv"]).read_bytes()
            actor = None
            if options["user"]:
                actor = get_user_model().objects.filter(username=options["user"]).first()
                if actor is None:
                    raise CommandError(f"--user: no user {options['user']!r}.")
            result = importer.import_incidents(
                data=data, mapping=mapping, actor=actor, dry_run=options["dry_run"]
            )
        except (importer.MappingError, OSError, UnicodeDecodeError) as exc:
            raise CommandError(str(exc)) from None
        if result.errors:
            for problem in result.errors:
                self.stderr.write(str(problem))
            raise CommandError(result.summary())
        self.stdout.write(result.summary())
