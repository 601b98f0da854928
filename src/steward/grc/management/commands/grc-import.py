"""``steward grc-import FILE [--catalog NAME]``: import a framework or a risk matrix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from steward.core.context import change_context


class Command(BaseCommand):
    help = (
        "Import an OSCAL catalog or profile (JSON), a Steward framework library or a risk matrix (YAML). "
        "A newer version of a framework updates it in place. A file with an error imports nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The file to import.")
        parser.add_argument(
            "--catalog",
            help="For a profile: the name, identifier or id of the imported catalog it selects from.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from steward.grc import services
        from steward.grc.catalogs import CatalogError
        from steward.grc.models import Framework

        file: Path = options["file"]
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        catalog = None
        if options["catalog"]:
            ref = options["catalog"]
            catalog = (
                Framework.objects.filter(name=ref).first() or Framework.objects.filter(identifier=ref).first()
            )
            if catalog is None and ref.isdigit():
                catalog = Framework.objects.filter(pk=int(ref)).first()
            if catalog is None:
                raise CommandError(f"--catalog: no imported framework is called {ref!r}.")
        content = file.read_bytes()
        with change_context(actor=None, source="cli"):
            try:
                if content.lstrip().startswith(b"matrix:") or b"\nmatrix:" in content[:2000]:
                    result: Any = services.load_matrix(text=content.decode("utf-8"))
                    self.stdout.write(self.style.SUCCESS(f"Risk matrix {result} loaded."))
                    return
                result = services.import_framework_file(
                    content=content, actor=None, base_dir=file.resolve().parent, catalog=catalog
                )
            except CatalogError as exc:
                raise CommandError(f"Nothing imported. {exc.path}: {exc.message}") from None
        self.stdout.write(self.style.SUCCESS(str(result)))
