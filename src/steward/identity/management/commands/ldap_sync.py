"""``steward ldap-sync [--dry-run] [--directory NAME]``: mirror directories now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from steward.core.context import change_context
from steward.identity import ldap, services


class Command(BaseCommand):
    help = "Mirror LDAP/Active Directory users and groups into people, teams and departments."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; save nothing.")
        parser.add_argument("--directory", help="Only this directory (by name).")

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = ldap.directories(purpose="sync")
        if options["directory"]:
            chosen = [d for d in chosen if d.name == options["directory"]]
            if not chosen:
                raise CommandError(f"No enabled directory named {options['directory']!r}.")
        if not chosen:
            raise CommandError(
                "No enabled LDAP directory with sync on (add one in the UI or set STEWARD_LDAP_URI)."
            )
        failed = False
        with change_context(actor="ldap-sync", source="cli"):
            for directory in chosen:
                report = services.ldap_sync(directory=directory, dry_run=options["dry_run"])
                self.stdout.write(report.text())
                failed = failed or not report.ok
        if failed:
            raise CommandError(
                "At least one directory could not be synchronised (see above); nothing was changed there."
            )
