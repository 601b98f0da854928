"""Load the shipped defaults (data/itsm_defaults.json): the ITIL priority matrix and risk questions."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "itsm_defaults.json"


def load(apps, schema_editor):
    data = json.loads(DATA.read_text())
    PriorityMatrix = apps.get_model("itsm", "PriorityMatrix")
    RiskQuestion = apps.get_model("itsm", "RiskQuestion")
    matrix = data["priority_matrix"]
    if not PriorityMatrix.objects.filter(is_default=True).exists():
        PriorityMatrix.objects.get_or_create(
            name=matrix["name"],
            defaults={"is_default": True, "entries": matrix["entries"], "description": matrix["description"]},
        )
    for question in data["risk_questions"]:
        RiskQuestion.objects.get_or_create(
            key=question["key"],
            defaults={"text": question["text"], "order": question["order"], "options": question["options"]},
        )


def unload(apps, schema_editor):
    data = json.loads(DATA.read_text())
    apps.get_model("itsm", "PriorityMatrix").objects.filter(name=data["priority_matrix"]["name"]).delete()
    apps.get_model("itsm", "RiskQuestion").objects.filter(
        key__in=[q["key"] for q in data["risk_questions"]]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("itsm", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
