"""Ship the event rule that re-matches an item's vulnerability findings after discovery."""

from django.db import migrations

from steward.security.events import DEFAULT_EVENT_RULES


def load(apps, schema_editor):
    rule = apps.get_model("core", "EventRule")
    for spec in DEFAULT_EVENT_RULES:
        rule.objects.get_or_create(name=spec["name"], defaults={k: v for k, v in spec.items() if k != "name"})


def unload(apps, schema_editor):
    apps.get_model("core", "EventRule").objects.filter(name__in=[s["name"] for s in DEFAULT_EVENT_RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_job_worker_heartbeat"),
        ("security", "0004_access_reviews"),
    ]
    operations = [migrations.RunPython(load, unload)]
