"""The default remediation policy: critical 7 days, high 30, medium 90, low 180, none 365."""

from django.db import migrations

DEFAULTS = {"critical": 7, "high": 30, "medium": 90, "low": 180, "none": 365}


def load(apps, schema_editor):
    policy = apps.get_model("security", "SeverityPolicy")
    for severity, days in DEFAULTS.items():
        policy.objects.get_or_create(severity=severity, defaults={"remediation_days": days})


def unload(apps, schema_editor):
    apps.get_model("security", "SeverityPolicy").objects.filter(severity__in=DEFAULTS).delete()


class Migration(migrations.Migration):
    dependencies = [("security", "0001_advisories_and_findings")]
    operations = [migrations.RunPython(load, unload)]
