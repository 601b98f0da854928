"""``steward cmdb-import items.csv [--relationships rels.csv]``: bulk upsert, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Import configuration items (and relationships) from CSV files, streamed; all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("items", type=Path, nargs="?", help="Items CSV (name, class, …, attr_<name>).")
        parser.add_argument("--relationships", type=Path, help="Relationships CSV (source, type, target).")
        parser.add_argument(
            "--user", help="Act as this user (their permissions apply); default: unrestricted."
        )
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        from django.contrib.auth import get_user_model

        from steward.cmdb import bulkimport, services
        from steward.core.context import change_context

        if not options["items"] and not options["relationships"]:
            raise CommandError("Give an items CSV, --relationships, or both.")
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user {options['user']}.")
        files = [Path(p) if p else None for p in (options["items"], options["relationships"])]
        for path in files:
            if path is not None and not path.is_file():
                raise CommandError(f"{path}: no such file.")
        streams = [path.open(newline="", encoding="utf-8-sig") if path else None for path in files]
        try:
            with change_context(actor=actor, source="cli"):
                result = services.import_items_csv(
                    items=streams[0], relationships=streams[1], actor=actor, batch_size=options["batch_size"]
                )
        except bulkimport.BulkImportError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Nothing imported: {len(exc.problems)} problem(s).") from None
        except UnicodeDecodeError:
            raise CommandError("Nothing imported: the files must be UTF-8 text.") from None
        finally:
            for stream in streams:
                if stream is not None:
                    stream.close()
        self.stdout.write(self.style.SUCCESS(str(result)))
