"""Load the shipped CI classes and relationship types (catalogue data, see data/classes.yaml)."""

from django.db import migrations


def load(apps, schema_editor):
    from steward.cmdb.services import apply_catalogue, read_catalogue

    apply_catalogue(read_catalogue(), apps.get_model("cmdb", "CIClass"), apps.get_model("cmdb", "RelationshipType"))


def unload(apps, schema_editor):
    classes = apps.get_model("cmdb", "CIClass").objects.filter(builtin=True, items__isnull=True)
    while classes.filter(children__isnull=True).exists():  # leaves first: parents are protected
        classes.filter(children__isnull=True).delete()
    apps.get_model("cmdb", "RelationshipType").objects.filter(builtin=True, relationships__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("cmdb", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
