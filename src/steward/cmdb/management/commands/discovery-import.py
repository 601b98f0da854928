"""``steward discovery-import FILE…``: reconcile nmap -oX scans and FusionInventory inventories."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from steward.core.context import change_context


class Command(BaseCommand):
    help = "Import nmap -oX XML scans and FusionInventory/GLPI-agent inventory XML (.ocs/.xml) files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files", nargs="+", type=Path, help="Scan or inventory files, or folders of them."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from steward.cmdb import scans
        from steward.cmdb.discovery import DiscoveryError

        paths: list[Path] = []
        for path in options["files"]:
            if path.is_dir():
                paths += sorted(p for p in path.iterdir() if p.suffix.lower() in (".xml", ".ocs"))
            elif path.is_file():
                paths.append(path)
            else:
                raise CommandError(f"{path}: no such file or folder. Nothing was imported.")
        with change_context(actor=None, source="cli"):
            for path in paths:
                try:
                    fmt, results = scans.import_scan(data=path.read_bytes(), actor=None, filename=path.name)
                except DiscoveryError as exc:
                    problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
                    raise CommandError(f"{path}: {problems} Nothing was imported from it.") from None
                self.stdout.write(self.style.SUCCESS(f"{path} ({fmt}): {len(results)} host(s)"))
                for result in results:
                    self.stdout.write(f"  {result.summary()}")
