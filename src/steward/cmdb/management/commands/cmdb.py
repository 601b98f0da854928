"""``steward cmdb load-classes`` and ``steward cmdb import-device-types PATH…``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from steward.core.context import change_context


class Command(BaseCommand):
    help = "CMDB catalogue commands: load-classes, import-device-types."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "load-classes", help="Load or update the shipped CI classes and relationship types."
        )
        load.add_argument("--file", type=Path, help="A catalogue file instead of the shipped one.")
        imp = sub.add_parser(
            "import-device-types", help="Import manufacturers and models from device-type library YAML files."
        )
        imp.add_argument("paths", nargs="+", type=Path, help="YAML files or folders holding them.")

    def handle(self, *args: Any, **options: Any) -> None:
        from steward.cmdb import services
        from steward.cmdb.devicetypes import DeviceTypeError

        with change_context(actor=None, source="cli"):
            if options["action"] == "load-classes":
                text = options["file"].read_text(encoding="utf-8") if options["file"] else None
                try:
                    result = services.load_classes(text=text)
                except services.CatalogueError as exc:
                    raise CommandError(f"Nothing loaded: {exc}") from None
                self.stdout.write(self.style.SUCCESS(str(result)))
            else:
                try:
                    result = services.import_device_types(paths=options["paths"], actor=None)
                except DeviceTypeError as exc:
                    raise CommandError(f"Nothing imported: {exc}") from None
                self.stdout.write(self.style.SUCCESS(str(result)))
