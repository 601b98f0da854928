"""Load the shipped 5×5 risk matrix (catalogue data, see data/risk_matrix_5x5.yaml)."""

from pathlib import Path

import yaml
from django.db import migrations

FILE = Path(__file__).resolve().parent.parent / "data" / "risk_matrix_5x5.yaml"


def load(apps, schema_editor):
    spec = yaml.safe_load(FILE.read_text(encoding="utf-8"))["matrix"]
    matrix = apps.get_model("grc", "RiskMatrix")
    matrix.objects.update_or_create(
        name=spec["name"],
        defaults={
            "description": spec.get("description", ""),
            "is_default": bool(spec.get("default")),
            "likelihood": spec["likelihood"],
            "impact": spec["impact"],
            "levels": spec["levels"],
            "appetite": spec.get("appetite"),
        },
    )


def unload(apps, schema_editor):
    spec = yaml.safe_load(FILE.read_text(encoding="utf-8"))["matrix"]
    apps.get_model("grc", "RiskMatrix").objects.filter(name=spec["name"], risks__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("grc", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
