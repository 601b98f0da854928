"""Bulk CSV import of items and relationships: upserts, schema checks, all or nothing, entries."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from steward.cmdb import bulkimport, services
from steward.cmdb.choices import LifecycleStatus
from steward.cmdb.models import CIClass, ConfigurationItem, Relationship
from steward.cmdb.tests.test_items import SCHEMA
from steward.core import bulk
from steward.core.models import ObjectChange
from steward.core.serialization import snapshot, snapshot_fields, stored_value, to_json_value
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db

ITEMS = """name,class,status,environment,asset_tag,warranty_end,purchase_cost,currency,attr_hostname,attr_cpu_count,attr_engine
web-01,server,in_use,production,AT-1,2027-01-31,1200.50,EUR,web-01.example.org,8,
web-02,server,in_stock,test,AT-2,,,,web-02.example.org,,
db-01,database,in_use,production,,,,,,,postgresql
"""
RELS = """source,type,target,description
web-01,runs-on,db-01,
web-02,depends-on,web-01,front
"""


def run(items: str | None, rels: str | None = None, actor=None, batch_size=2000):
    return services.import_items_csv(
        items=io.StringIO(items) if items is not None else None,
        relationships=io.StringIO(rels) if rels is not None else None,
        actor=actor,
        batch_size=batch_size,
    )


def problems(items: str | None, rels: str | None = None, actor=None) -> list[tuple[str, int, str]]:
    with pytest.raises(bulkimport.BulkImportError) as exc:
        run(items, rels, actor)
    return [(p.file, p.row, p.field) for p in exc.value.problems]


@pytest.fixture(autouse=True)
def _types(db):
    schema = CIClass.objects.get(slug="server").effective_schema()
    assert "hostname" in schema
    if "cpu_count" not in schema:
        server = CIClass.objects.get(slug="server")
        server.attribute_schema = {**server.attribute_schema, "cpu_count": {"type": "integer", "min": 1}}
        server.save()


def test_items_and_relationships_are_created_with_history_and_search():
    result = run(ITEMS, RELS, batch_size=2)
    assert (result.created, result.updated, result.relationships_created) == (3, 0, 2)
    web = ConfigurationItem.objects.get(name="web-01")
    assert web.reference.startswith("CI") and web.attributes == {
        "hostname": "web-01.example.org",
        "cpu_count": 8,
    }
    assert str(web.purchase_cost) == "1200.50" and web.warranty_end.isoformat() == "2027-01-31"
    assert Relationship.objects.get(source=web).target.name == "db-01"
    ct = ContentType.objects.get_for_model(ConfigurationItem)
    assert ObjectChange.objects.filter(changed_object_type=ct, action="create").count() == 3
    from steward.core.models import SearchEntry

    assert SearchEntry.objects.filter(object_id=web.pk).exists()


def test_the_change_log_rows_hold_the_stored_items_and_keep_the_chain():
    from steward.core.changelog import verify_chain
    from steward.core.models import SearchEntry

    run(ITEMS, batch_size=2)
    ct = ContentType.objects.get_for_model(ConfigurationItem)
    for item in ConfigurationItem.objects.all():
        [row] = ObjectChange.objects.filter(changed_object_type=ct, changed_object_id=item.pk)
        assert (row.action, row.prechange_data, row.object_repr) == ("create", None, item.name)
        assert row.postchange_data == snapshot(item)  # as read back from the database
        assert row.hash == row.compute_hash()
        entry = SearchEntry.objects.get(content_type=ct, object_id=item.pk)
        assert item.reference.lower() in entry.text_a
    web = ConfigurationItem.objects.get(name="web-01")
    before = snapshot(web)
    result = run(ITEMS.replace("web-01,server,in_use", "web-01,server,maintenance"))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    row = ObjectChange.objects.filter(changed_object_type=ct, changed_object_id=web.pk).latest("seq")
    web.refresh_from_db()
    assert row.action == "update" and row.prechange_data == before and row.postchange_data == snapshot(web)
    assert row.diff() == [("status", "in_use", "maintenance")]
    assert verify_chain().ok and verify_chain().checked == ObjectChange.objects.count()


def test_reimport_changes_nothing_and_upserts_by_reference_tag_or_name():
    run(ITEMS, RELS)
    again = run(ITEMS, RELS)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert (again.relationships_created, again.relationships_unchanged) == (0, 2)
    ref = ConfigurationItem.objects.get(name="db-01").reference
    edits = f"reference,name,class,status\n{ref},db-01,database,maintenance\n"
    edits2 = "name,class,asset_tag,environment\nweb-02-renamed,server,AT-2,production\n"
    assert run(edits).updated == 1 and run(edits2).updated == 1
    assert ConfigurationItem.objects.get(reference=ref).status == "maintenance"
    assert ConfigurationItem.objects.filter(name="web-02-renamed", environment="production").count() == 1
    ct = ContentType.objects.get_for_model(ConfigurationItem)
    assert ObjectChange.objects.filter(changed_object_type=ct, action="update").count() == 2
    assert ConfigurationItem.objects.count() == 3


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("name,class\nx,no-such-class\n", ("items.csv", 2, "class")),
        ("name,class,status\nx,server,exploded\n", ("items.csv", 2, "status")),
        ("name,class,warranty_end\nx,server,31/12/2026\n", ("items.csv", 2, "warranty_end")),
        ("name,class,purchase_cost\nx,server,12.345\n", ("items.csv", 2, "purchase_cost")),
        ("name,class,purchase_cost\nx,server,12\n", ("items.csv", 2, "currency")),
        ("name,class,attr_cpu_count\nx,server,eight\n", ("items.csv", 2, "attr_cpu_count")),
        ("name,class,attr_cpu_count\nx,server,0\n", ("items.csv", 2, "attr_cpu_count")),
        ("name,class,attr_colour\nx,server,red\n", ("items.csv", 2, "attr_colour")),
        ("name,class\nx,hardware\n", ("items.csv", 2, "ci_class")),
        ("name,class\n,server\n", ("items.csv", 2, "name")),
        ("name,class,colour\nx,server,red\n", ("items.csv", 1, "colour")),
        ("class\nserver\n", ("items.csv", 1, "name")),
        ("reference,name,class\nCI9999999,x,server\n", ("items.csv", 2, "reference")),
        ("name,class,asset_tag\nx,server,T\ny,server,T\n", ("items.csv", 3, "tag")),
    ],
)
def test_a_bad_row_names_file_row_and_field_and_nothing_is_written(text, where):
    good = "name,class\n" + "".join(f"ok-{n},server\n" for n in range(5))
    assert where in problems(text)
    assert not ConfigurationItem.objects.exists()
    run(good)
    assert ConfigurationItem.objects.count() == 5


def test_an_error_in_a_late_batch_rolls_back_the_earlier_batches():
    text = "name,class,status\n" + "".join(f"n-{i},server,in_use\n" for i in range(50)) + "bad,server,nope\n"
    with pytest.raises(bulkimport.BulkImportError) as exc:
        run(text, batch_size=10)
    assert [(p.row, p.field) for p in exc.value.problems] == [(52, "status")]
    assert not ConfigurationItem.objects.exists()


def test_relationship_problems_roll_back_the_items_too():
    rels = "source,type,target\nweb-01,runs-on,web-01\nweb-01,no-type,db-01\nghost,runs-on,db-01\n"
    found = problems(ITEMS, rels)
    assert ("relationships.csv", 2, "target") in found and ("relationships.csv", 3, "type") in found
    assert ("relationships.csv", 4, "source") in found
    assert not ConfigurationItem.objects.exists() and not Relationship.objects.exists()


def test_ambiguous_names_need_references():
    run("name,class\ntwin,server\ntwin,virtual-machine\nother,server\n")
    found = problems(None, "source,type,target\ntwin,runs-on,other\n")
    assert found == [("relationships.csv", 2, "source")]


def test_a_user_changes_only_what_they_may(db):
    run(ITEMS)
    user = make_user("importer")
    grant(user, ConfigurationItem, "view", "change", constraints={"environment": "test"})
    assert ("items.csv", 2, "reference") in problems("name,class\nnew-01,server\n", actor=user)
    web01 = ConfigurationItem.objects.get(name="web-01").reference
    assert ("items.csv", 2, "reference") in problems(
        f"reference,name,class\n{web01},web-01,server\n", actor=user
    )
    assert run("name,class,asset_tag,description\nweb-02,server,AT-2,mine\n", actor=user).updated == 1


def test_the_command(tmp_path, capsys):
    items, rels = tmp_path / "items.csv", tmp_path / "rels.csv"
    items.write_text(ITEMS)
    rels.write_text(RELS)
    call_command("cmdb_import", str(items), relationships=str(rels))
    assert "3 created" in capsys.readouterr().out and Relationship.objects.count() == 2
    items.write_text("name,class\nx,nope\n")
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("cmdb_import", str(items))
    with pytest.raises(CommandError):
        call_command("cmdb_import", str(tmp_path / "missing.csv"))


def test_the_cli_spells_it_with_a_hyphen(tmp_path, monkeypatch):
    from steward import cli

    seen = {}
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda argv: seen.setdefault("argv", argv)
    )
    cli.main(["cmdb-import", "items.csv"])
    assert seen["argv"] == ["steward", "cmdb_import", "items.csv"]


def test_api_and_ui_entries(admin_client, client):
    url = "/api/cmdb/configuration-items/bulk-import/"
    response = admin_client.post(url, {"items": SimpleUploadedFile("i.csv", ITEMS.encode()),
                                       "relationships": SimpleUploadedFile("r.csv", RELS.encode())})  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 3 and response.json()["relationships_created"] == 2
    bad = admin_client.post(url, {"items": SimpleUploadedFile("i.csv", b"name,class\nx,nope\n")})
    assert bad.status_code == 400 and "items.csv row 2, class" in bad.json()
    assert admin_client.post(url, {}).status_code == 400
    page = reverse("cmdb:configurationitem_bulk_import")
    assert admin_client.get(page).status_code == 200
    response = admin_client.post(page, {"items": SimpleUploadedFile("i.csv", b"name,class\nui-01,server\n")})
    assert response.status_code == 302 and ConfigurationItem.objects.filter(name="ui-01").exists()
    response = admin_client.post(page, {"items": SimpleUploadedFile("i.csv", b"name,class\nx,nope\n")})
    assert response.status_code == 422 and "no class with this slug" in response.content.decode()
    reader = make_user("reader")
    grant(reader, ConfigurationItem, "view")
    client.force_login(reader)
    assert client.get(page).status_code == 403
    assert (
        client.post(url, {"items": SimpleUploadedFile("i.csv", b"name,class\nr,server\n")}).status_code == 403
    )
    assert not ConfigurationItem.objects.filter(name="r").exists()


# --- links by natural key ----------------------------------------------------------------------
@pytest.fixture
def linked(db):
    from steward.cmdb.models import DeviceModel, Manufacturer
    from steward.org.models import Location, Person, Team

    acme = Manufacturer.objects.create(name="Acme", slug="acme")
    other = Manufacturer.objects.create(name="Other", slug="other")
    return {
        "person": Person.objects.create(first_name="Ada", last_name="Lovelace", email="ada@example.org"),
        "team": Team.objects.create(name="Ops", slug="ops"),
        "location": Location.objects.create(name="Paris DC", code="par1"),
        "acme": acme,
        "other": other,
        "model": DeviceModel.objects.create(manufacturer=acme, name="R1", slug="acme-r1"),
    }


def test_links_are_resolved_by_natural_key(linked):
    text = (
        "name,class,owner,support_team,location,device_model\n"
        "web-01,server,ADA@example.org,ops,par1,acme-r1\n"
        "web-02,server,,,,\n"
    )
    run(text, batch_size=1)
    web = ConfigurationItem.objects.get(name="web-01")
    assert (web.owner, web.support_team, web.location) == (
        linked["person"],
        linked["team"],
        linked["location"],
    )
    assert (web.device_model, web.manufacturer) == (linked["model"], linked["acme"])  # maker from the model
    bare = ConfigurationItem.objects.get(name="web-02")
    assert bare.owner is None and bare.device_model is None
    # An empty cell clears the link on update.
    run(f"reference,name,class,owner\n{web.reference},web-01,server,\n")
    web.refresh_from_db()
    assert web.owner is None and web.support_team == linked["team"]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("name,class,owner\nx,server,nobody@example.org\n", ("items.csv", 2, "owner")),
        ("name,class,support_team\nx,server,no-team\n", ("items.csv", 2, "support_team")),
        ("name,class,location\nok,server,par1\nx,server,nowhere\n", ("items.csv", 3, "location")),
        ("name,class,manufacturer\nx,server,nobody\n", ("items.csv", 2, "manufacturer")),
        ("name,class,device_model\nx,server,no-model\n", ("items.csv", 2, "device_model")),
        ("name,class,manufacturer,device_model\nx,server,other,acme-r1\n", ("items.csv", 2, "device_model")),
    ],
)
def test_a_bad_link_names_row_and_column_and_nothing_is_written(linked, text, where):
    assert where in problems(text)
    assert not ConfigurationItem.objects.exists()


def test_a_row_naming_an_item_of_an_earlier_batch_is_refused():
    text = (
        "name,class,asset_tag\n" + "".join(f"n-{i},server,T-{i}\n" for i in range(5)) + "again,server,T-1\n"
    )
    with pytest.raises(bulkimport.BulkImportError) as exc:
        run(text, batch_size=2)
    assert [(p.row, p.field, p.message) for p in exc.value.problems] == [(7, "tag", "same item as row 3")]
    assert not ConfigurationItem.objects.exists()


def test_the_fast_insert_stores_what_bulk_create_stores(linked):
    """``core.bulk.insert`` (used by the importer) against the ORM for the same item."""
    import datetime as dt
    from decimal import Decimal

    from steward.core import bulk

    cls = CIClass.objects.get(slug="server")
    values = {
        "name": "same", "ci_class": cls, "owner": linked["person"], "purchase_cost": Decimal("12.5"),
        "currency": "EUR", "purchase_date": dt.date(2026, 1, 2), "attributes": {"hostname": "h", "n": 2},
    }  # fmt: skip
    fast, orm = (
        ConfigurationItem(reference="CI-FAST", **values),
        ConfigurationItem(reference="CI-ORM", **values),
    )
    bulk.insert(ConfigurationItem, [fast])
    ConfigurationItem.objects.bulk_create([orm])
    assert fast.pk and not fast._state.adding
    columns = ("name", "ci_class_id", "owner_id", "purchase_cost", "currency", "purchase_date", "attributes")
    rows = {r.pop("reference"): r for r in ConfigurationItem.objects.values("reference", *columns)}
    assert rows["CI-FAST"] == rows["CI-ORM"]
    assert ConfigurationItem.objects.get(pk=fast.pk).created is not None


# --- the shared bulk paths' short cuts, on a model with every kind of value ------------------------
AWKWARD = 'Ünïcode "quoted" \\ back\tslash — 東京 \u2028'


def _reference_snapshot(instance):
    return {
        f.attname: to_json_value(stored_value(f, f.value_from_object(instance)))
        for f in snapshot_fields(type(instance))
    }


def test_snapshot_equals_the_general_conversion_for_every_kind_of_value():
    cls = CIClass.objects.create(slug="box", name="Box")
    item = ConfigurationItem(
        name=AWKWARD, ci_class=cls, reference="CI0000001", purchase_cost=Decimal("4"), currency="EUR",
        purchase_date=dt.date(2026, 1, 2), attributes={"os": "Debian", "cpus": 4, "ratio": 0.5},
        discovery={"nested": {"when": dt.date(2026, 3, 4)}, "list": [Decimal("1.5")]},
    )  # fmt: skip
    item.last_discovered = timezone.now()
    snap = snapshot(item)
    assert snap == _reference_snapshot(item)
    assert snap["purchase_cost"] == "4.00"  # stored at the field's scale
    assert snap["discovery"] == {"nested": {"when": "2026-03-04"}, "list": ["1.5"]}
    assert snap["attributes"] is not item.attributes  # a copy: later edits do not alter the log
    item.status = LifecycleStatus.RETIRED  # a str subclass: the general path
    assert snapshot(item) == _reference_snapshot(item)


def test_blank_factory_makes_what_the_constructor_makes_without_sharing_defaults():
    make = bulk.blank_factory(ConfigurationItem)
    a, b, plain = make(), make(), ConfigurationItem()
    for f in ConfigurationItem._meta.concrete_fields:
        assert getattr(a, f.attname) == getattr(plain, f.attname), f.name
    assert a._state.adding and a._state.db is None
    assert a.attributes is not b.attributes and a.custom_field_data is not b.custom_field_data
    a.attributes["x"] = 1
    assert b.attributes == {}


@pytest.mark.parametrize(
    "field_name, values",
    [
        ("attributes", [{}, [], {"a": [1, 2.5, None, True]}, "text", 3, {"k": Decimal("1.5")}]),
        ("purchase_date", [None, dt.date(2026, 1, 2), "2026-01-03"]),
        ("created", [None, timezone.now(), dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)]),
    ],
)
def test_converters_give_what_get_db_prep_save_gives(field_name, values):
    field = ConfigurationItem._meta.get_field(field_name)
    convert = bulk._converter(field, connection)

    def outcome(fn, value):
        try:
            result = fn(value)
        except TypeError as exc:  # a value the field cannot store fails the same way
            return ("TypeError", str(exc))
        return result.obj if hasattr(result, "obj") else result  # PostgreSQL wraps JSON for the driver

    for value in values:
        assert outcome(convert, value) == outcome(lambda v: field.get_db_prep_save(v, connection), value), (
            value
        )


# --- the importer's own checks against clean() ---------------------------------------------------
def _clean_errors(values):
    """What ``ConfigurationItem.clean()`` says of an item with ``values``, by import column."""
    item = ConfigurationItem(**values)
    try:
        item.clean()
    except ValidationError as exc:
        return {
            ("attr_" + k.split(".", 1)[1] if k.startswith("attributes.") else k): " ".join(v)
            for k, v in exc.message_dict.items()
        }
    return {}


@pytest.fixture
def schema_class(db):
    """A class whose schema uses every kind of attribute rule, under an abstract parent."""
    parent = CIClass.objects.create(slug="kit", name="Kit", abstract=True)
    return CIClass.objects.create(
        slug="gadget",
        name="Gadget",
        parent=parent,
        attribute_schema=SCHEMA,  # every rule a schema can state (test_items)
    )


BAD_ROWS = [
    ("attr_r", ""),  # the required attribute left empty
    ("attr_n", "0"),
    ("attr_n", "9"),
    ("attr_f", "-0.5"),
    ("attr_f", "nan"),
    ("attr_s", "ABC"),
    ("attr_s", "abcdef"),
    ("attr_d", "2026-02-30"),
    ("attr_c", "z"),
    ("attr_ip", "10.0.0.300"),
    ("attr_colour", "red"),
    ("currency", "XYZ"),
    ("purchase_cost", "-5"),
    ("warranty_end", "2020-01-01"),
    ("end_of_support", "2020-01-01"),
    ("class", "kit"),
]


@pytest.mark.parametrize(("column", "cell"), BAD_ROWS)
def test_the_importer_refuses_exactly_what_clean_refuses(schema_class, column, cell):
    """The importer checks rows with each class's schema compiled once; ``clean()`` per item."""
    row = {"name": "g-1", "class": "gadget", "attr_r": "here", "currency": "EUR", "purchase_cost": "10",
           "purchase_date": "2024-05-01", "end_of_life": "2030-01-01", column: cell}  # fmt: skip
    text = ",".join(row) + "\n" + ",".join(row.values()) + "\n"
    found = {p.field: p.message for p in _problems_of(text)}
    attributes = {k[5:]: v for k, v in row.items() if k.startswith("attr_") and v}
    for name, value in list(attributes.items()):
        spec = schema_class.effective_schema().get(name, {})
        if spec.get("type") == "integer":
            attributes[name] = int(value)
        elif spec.get("type") == "number":
            attributes[name] = float(value)
    dates = {k: dt.date.fromisoformat(row[k]) for k in ("purchase_date", "end_of_life") if row[k]}
    if column in ("warranty_end", "end_of_support"):
        dates[column] = dt.date.fromisoformat(cell)
    values = {
        "name": "g-1", "ci_class": CIClass.objects.get(slug=row["class"]), "attributes": attributes,
        "currency": row["currency"], "purchase_cost": Decimal(row["purchase_cost"]), **dates,
    }  # fmt: skip
    expected = _clean_errors(values)
    assert expected, "the row must be one clean() refuses"
    assert found == expected
    assert not ConfigurationItem.objects.exists()


def test_a_good_row_of_the_same_class_passes_both(schema_class):
    text = (
        "name,class,attr_r,attr_n,attr_s,attr_ip,currency,purchase_cost\ng-1,gadget,here,8,abc,::1,eur,1.5\n"
    )
    assert run(text).created == 1
    item = ConfigurationItem.objects.get(name="g-1")
    assert item.currency == "EUR"  # normalised as clean() does
    item.full_clean()


def test_rows_read_as_a_dict_reader_reads_them():
    """Blank lines are skipped, a short row's missing cells are empty, extra cells are dropped."""
    text = (
        "name,class,status\nshort,server\n\nlong,server,in_stock,extra,more\n  spaced , server , planned \n"
    )
    assert run(text).created == 3
    got = dict(ConfigurationItem.objects.values_list("name", "status"))
    assert got == {"short": "in_use", "long": "in_stock", "spaced": "planned"}
    assert problems("name,class\nok,server\n\nbad,nope\n") == [("items.csv", 3, "class")]


def test_a_required_custom_field_is_asked_of_new_and_existing_items():
    from steward.core.models import CustomField

    run("name,class\nold,server\n")
    field = CustomField.objects.create(name="cost_code", type="text", required=True)
    field.object_types.set([ContentType.objects.get_for_model(ConfigurationItem)])
    found = {(p.row, p.field) for p in _problems_of("name,class\nnew-1,server\nnew-2,server\nold,server\n")}
    assert found == {(2, "cf_cost_code"), (3, "cf_cost_code"), (4, "cf_cost_code")}
    old = ConfigurationItem.objects.get(name="old")
    old.custom_field_data = {"cost_code": "CC-1"}
    old.save()
    assert run("name,class,description\nold,server,kept\n").updated == 1


def _problems_of(text):
    with pytest.raises(bulkimport.BulkImportError) as exc:
        run(text)
    return exc.value.problems
