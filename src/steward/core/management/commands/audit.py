from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from steward.core.changelog import verify_chain


class Command(BaseCommand):
    help = "Audit tools. `steward audit verify` walks the change-log hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"Change log broken at row #{result.broken_seq}: {result.reason} "
                f"({result.checked} rows verified before it)"
            )
        self.stdout.write(self.style.SUCCESS(f"Change log intact: {result.checked} rows verified."))
