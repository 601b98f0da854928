"""CI classes as data, attribute schemas, configuration items and relationships: rules, UI and API."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from steward.cmdb import services
from steward.cmdb.models import (
    CIClass,
    ConfigurationItem,
    DeviceModel,
    Manufacturer,
    Relationship,
    RelationshipType,
)
from steward.cmdb.models.classes import AttributeRules, check_schema, validate_attributes
from steward.core.models import ObjectChange
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db


def make_ci(name: str, cls: str = "server", **extra) -> ConfigurationItem:
    ci = ConfigurationItem(name=name, ci_class=CIClass.objects.get(slug=cls), **extra)
    ci.full_clean()
    ci.save()
    return ci


# --- the class catalogue ------------------------------------------------------------------------
def test_migration_loaded_the_shipped_tree():
    slugs = set(CIClass.objects.values_list("slug", flat=True))
    assert {"hardware", "server", "network-device", "storage", "end-user-device", "virtual-machine"} <= slugs
    assert {"container-cluster", "software", "database", "business-application", "network-segment"} <= slugs
    assert {"data-centre", "rack"} <= slugs
    assert CIClass.objects.get(slug="server").parent.slug == "hardware"
    assert CIClass.objects.get(slug="hardware").abstract
    assert set(RelationshipType.objects.values_list("name", flat=True)) == {
        "runs on",
        "hosted on",
        "depends on",
        "connects to",
        "uses",
        "member of",
        "backs up",
    }
    assert RelationshipType.objects.get(slug="runs-on").reverse_name == "runs"


def test_loader_is_idempotent_and_repairs_builtin_classes_only():
    assert services.load_classes().created == []
    server = CIClass.objects.get(slug="server")
    server.name = "Renamed by hand"
    server.save()
    mine = CIClass.objects.create(slug="printer-fleet", name="Printer fleet")
    result = services.load_classes()
    assert result.updated == ["server"] and result.created == []
    assert CIClass.objects.get(slug="server").name == "Server"
    assert CIClass.objects.filter(pk=mine.pk).exists()
    assert services.load_classes().updated == []


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("version: one", "version"),
        ("version: 1\nclasses:\n  - {slug: a}\n", "classes[0]"),
        ("version: 1\nclasses:\n  - {slug: a, name: A, parent: zz}\n", "classes[0].parent"),
        (
            "version: 1\nclasses:\n  - {slug: a, name: A, attributes: {x: {type: colour}}}\n",
            "classes[0].attributes",
        ),
        ("version: 1\nrelationship_types:\n  - {slug: a, name: A}\n", "relationship_types[0]"),
        ("version: 1\nclasses: [", "YAML"),
    ],
)
def test_loader_refuses_a_malformed_catalogue_naming_the_entry(text, named):
    before = CIClass.objects.count()
    with pytest.raises(services.CatalogueError, match=named.replace("[", r"\[").replace("]", r"\]")):
        services.load_classes(text=text)
    assert CIClass.objects.count() == before


def test_load_classes_command(capsys):
    from django.core.management import call_command

    call_command("cmdb", "load-classes")
    assert "0 created" in capsys.readouterr().out


# --- attribute schemas --------------------------------------------------------------------------
def test_schema_definitions_are_checked():
    assert check_schema({"os": {"type": "string", "required": True}}) == []
    assert check_schema([]) != []
    assert "Bad: names" in check_schema({"Bad": {"type": "string"}})[0]
    assert "type must be" in check_schema({"x": {"type": "colour"}})[0]
    assert "choices" in check_schema({"x": {"type": "choice"}})[0]
    assert "regex" in check_schema({"x": {"type": "string", "regex": "("}})[0]
    assert "min must be a number" in check_schema({"x": {"type": "integer", "min": "1"}})[0]
    with pytest.raises(ValidationError) as exc:
        CIClass(slug="bad", name="Bad", attribute_schema={"x": {"type": "colour"}}).full_clean()
    assert "attribute_schema" in exc.value.message_dict


SCHEMA = {
    "n": {"type": "integer", "min": 1, "max": 8},
    "f": {"type": "number", "min": 0},
    "s": {"type": "string", "regex": "[a-z]+", "max": 5},
    "b": {"type": "boolean"},
    "d": {"type": "date"},
    "c": {"type": "choice", "choices": ["x", "y"]},
    "ip": {"type": "ip_address"},
    "r": {"type": "string", "required": True},
}


@pytest.mark.parametrize(
    ("data", "bad"),
    [
        ({"n": 0}, "n"),
        ({"n": 9}, "n"),
        ({"n": "3"}, "n"),
        ({"n": True}, "n"),
        ({"f": -0.5}, "f"),
        ({"f": "NaN"}, "f"),
        ({"s": "ABC"}, "s"),
        ({"s": "abcdef"}, "s"),
        ({"b": "yes"}, "b"),
        ({"d": "2026-02-30"}, "d"),
        ({"c": "z"}, "c"),
        ({"ip": "10.0.0.300"}, "ip"),
        ({"extra": 1}, "extra"),
    ],
)
def test_each_rule_of_a_schema_names_the_attribute(data, bad):
    errors = validate_attributes(SCHEMA, {"r": "here", **data})
    assert list(errors) == [f"attributes.{bad}"]


def test_a_valid_record_and_a_missing_required_attribute():
    good = {
        "n": 8,
        "f": 1.5,
        "s": "abc",
        "b": False,
        "d": "2026-01-31",
        "c": "y",
        "ip": "2001:db8::1",
        "r": "x",
    }
    assert validate_attributes(SCHEMA, good) == {}
    assert validate_attributes(SCHEMA, {}) == {"attributes.r": "This attribute is required."}
    assert validate_attributes(SCHEMA, []) == {"attributes": "Expected an object of attribute name → value."}


def test_compiled_rules_are_reusable_and_a_bad_pattern_fails_only_when_a_value_meets_it():
    rules = AttributeRules(SCHEMA, "Box")
    assert rules.check({"r": "x", "n": 3}) == {} and rules.check({"r": "x", "n": 3}) == {}
    assert rules.check({"r": "x", "zz": 1}) == {"attributes.zz": "Unknown attribute for class Box."}
    assert rules.check({"r": "x", "f": "1.5"}) == {}  # a number may come as its text, as before
    unchecked = AttributeRules({"p": {"type": "string", "regex": "("}})  # saved without clean()
    assert unchecked.check({}) == {}
    with pytest.raises(re.error):
        unchecked.check({"p": "a"})


def test_subclasses_inherit_and_may_redefine_attributes():
    server = CIClass.objects.get(slug="server")
    schema = server.effective_schema()
    assert "firmware_version" in schema and "hostname" in schema  # from hardware, from server
    child = CIClass.objects.create(
        slug="db-server",
        name="DB server",
        parent=server,
        attribute_schema={"cpu_count": {"type": "integer", "min": 8}},
    )
    assert child.effective_schema()["cpu_count"] == {"type": "integer", "min": 8}
    with pytest.raises(ValidationError) as exc:
        make_ci("small", "db-server", attributes={"cpu_count": 4})
    assert exc.value.message_dict == {"attributes.cpu_count": ["Must be at least 8."]}


def test_class_tree_refuses_a_cycle():
    hardware = CIClass.objects.get(slug="hardware")
    hardware.parent = CIClass.objects.get(slug="server")
    with pytest.raises(ValidationError) as exc:
        hardware.full_clean()
    assert "parent" in exc.value.message_dict


# --- configuration items ------------------------------------------------------------------------
def test_item_gets_a_reference_and_a_change_log_row():
    ci = make_ci("web-01", attributes={"hostname": "web-01", "cpu_count": 8, "ip_address": "10.0.0.5"})
    assert ci.reference.startswith("CI") and len(ci.reference) == 9
    assert ObjectChange.objects.filter(changed_object_id=ci.pk, action="create").exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"ci_class_slug": "hardware"}, "ci_class"),
        ({"attributes": {"cpu_count": 0}}, "attributes.cpu_count"),
        ({"ci_class_slug": "database", "attributes": {}}, "attributes.engine"),
        ({"currency": "EUX"}, "currency"),
        ({"purchase_cost": Decimal("10")}, "currency"),
        ({"purchase_cost": Decimal("-1"), "currency": "EUR"}, "purchase_cost"),
        ({"purchase_date": dt.date(2026, 1, 2), "warranty_end": dt.date(2025, 1, 2)}, "warranty_end"),
        ({"end_of_life": dt.date(2026, 1, 2), "end_of_support": dt.date(2025, 1, 2)}, "end_of_support"),
    ],
)
def test_item_rules(values, field):
    cls = CIClass.objects.get(slug=values.pop("ci_class_slug", "server"))
    with pytest.raises(ValidationError) as exc:
        ConfigurationItem(name="x", ci_class=cls, **values).full_clean()
    assert field in exc.value.message_dict
    assert not ConfigurationItem.objects.exists()


def test_model_and_manufacturer_must_agree():
    dell = Manufacturer.objects.create(name="Dell", slug="dell")
    hpe = Manufacturer.objects.create(name="HPE", slug="hpe")
    r650 = DeviceModel.objects.create(manufacturer=dell, name="PowerEdge R650", slug="dell-r650")
    ci = make_ci("db-01", device_model=r650, currency="eur", purchase_cost=Decimal("8500.00"))
    assert ci.manufacturer == dell and ci.currency == "EUR"
    with pytest.raises(ValidationError) as exc:
        make_ci("db-02", device_model=r650, manufacturer=hpe)
    assert "device_model" in exc.value.message_dict


# --- relationships ------------------------------------------------------------------------------
def test_relationships_refuse_self_loops_and_duplicates():
    app, vm = make_ci("crm", "software"), make_ci("vm-1", "virtual-machine")
    rel = services.relate(source=app, target=vm, type="runs-on", actor=None)
    assert str(rel) == "crm runs on vm-1"
    with pytest.raises(ValidationError) as exc:
        services.relate(source=app, target=vm, type="runs-on", actor=None)
    assert "already" in exc.value.message_dict["target"][0]
    with pytest.raises(ValidationError) as exc:
        services.relate(source=app, target=app, type="uses", actor=None)
    assert "itself" in exc.value.message_dict["target"][0]
    services.relate(source=app, target=vm, type="depends-on", actor=None)  # another type is fine
    assert Relationship.objects.count() == 2


# --- UI and API ---------------------------------------------------------------------------------
def test_ui_form_shows_the_bad_attribute_and_writes_nothing(admin_client):
    url = reverse("cmdb:configurationitem_add")
    data = {
        "name": "web-9",
        "ci_class": CIClass.objects.get(slug="server").pk,
        "status": "in_use",
        "environment": "production",
        "criticality": "high",
        "attributes": '{"cpu_count": 0}',
    }
    response = admin_client.post(url, data)
    assert response.status_code == 422
    assert "cpu_count: Must be at least 1." in response.content.decode()
    assert not ConfigurationItem.objects.exists()
    response = admin_client.post(url, {**data, "attributes": '{"cpu_count": 4}'})
    assert response.status_code == 302
    ci = ConfigurationItem.objects.get()
    assert admin_client.get(ci.get_absolute_url()).status_code == 200


def test_api_names_the_bad_attribute_and_writes_nothing(admin_client):
    url = reverse("api:cmdb-configurationitem-list")
    payload = {
        "name": "db-7",
        "ci_class": CIClass.objects.get(slug="database").pk,
        "attributes": {"port": 70000},
    }
    response = admin_client.post(url, payload, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"attributes.engine", "attributes.port"}
    assert not ConfigurationItem.objects.exists()
    payload["attributes"] = {"engine": "postgresql", "port": 5432}
    response = admin_client.post(url, payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["reference"].startswith("CI")


def test_permissions_ui_and_api(client):
    ci = make_ci("secret-host")
    user = make_user("viewer")
    client.force_login(user)
    urls = [reverse("cmdb:configurationitem_list"), reverse("api:cmdb-configurationitem-list")]
    assert [client.get(u).status_code for u in urls] == [403, 403]
    grant(user, ConfigurationItem, "view", constraints={"environment": "test"})
    assert client.get(urls[0]).status_code == 200
    assert client.get(urls[1]).json()["count"] == 0
    assert client.get(ci.get_absolute_url()).status_code == 404
    grant(user, ConfigurationItem, "view")
    assert client.get(urls[1]).json()["count"] == 1
    response = client.post(
        urls[1], {"name": "x", "ci_class": ci.ci_class_id}, content_type="application/json"
    )
    assert response.status_code == 403


def test_list_pages_and_endpoints_do_not_repeat_queries(admin_client):
    urls = [
        reverse("cmdb:configurationitem_list"),
        reverse("api:cmdb-configurationitem-list"),
        reverse("cmdb:relationship_list"),
        reverse("api:cmdb-relationship-list"),
        reverse("cmdb:devicemodel_list"),
        reverse("cmdb:ciclass_list"),
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert admin_client.get(url).status_code == 200
            result.append(len(ctx))
        return result

    dell = Manufacturer.objects.create(name="Dell", slug="dell")
    model = DeviceModel.objects.create(manufacturer=dell, name="R1", slug="r1")
    a, b = make_ci("a", device_model=model), make_ci("b", "virtual-machine")
    services.relate(source=b, target=a, type="runs-on", actor=None)
    counts()  # warm: the first visit of a page also reads its memoised configuration
    few = counts()
    for i in range(12):
        m = DeviceModel.objects.create(manufacturer=dell, name=f"R{i + 2}", slug=f"r{i + 2}")
        vm = make_ci(f"vm{i}", "virtual-machine")
        services.relate(source=vm, target=make_ci(f"h{i}", device_model=m), type="runs-on", actor=None)
    assert counts() == few


def test_csv_import_of_items_names_row_and_field_and_writes_nothing(admin_client):
    url = reverse("cmdb:configurationitem_import")
    header = "name,ci_class,status,environment,criticality,currency,purchase_cost,attributes\n"
    good = 'web-1,server,in_use,production,high,EUR,1200.00,"{""cpu_count"": 8}"\n'
    bad = 'db-1,database,in_use,test,low,,,"{""engine"": ""db2""}"\n'
    response = admin_client.post(url, {"data": header + good + bad, "format": "csv", "confirm": "1"})
    assert response.status_code == 422
    errors = response.context["result"].errors
    assert [(e.row, e.field) for e in errors] == [(2, "attributes")]
    assert "engine" in errors[0].message
    assert not ConfigurationItem.objects.exists()
    fixed = bad.replace('""db2""', '""postgresql""')
    response = admin_client.post(url, {"data": header + good + fixed, "format": "csv", "confirm": "1"})
    assert response.status_code in (200, 302)
    assert ConfigurationItem.objects.get(name="db-1").attributes == {"engine": "postgresql"}


def test_impact_endpoint_query_count_does_not_grow_with_the_graph(admin_client):
    hub = make_ci("hub")
    endpoint = reverse("api:cmdb-configurationitem-impact", kwargs={"pk": hub.pk}) + "?direction=upstream"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(endpoint).status_code == 200
        return len(ctx)

    # Two levels from the start: the walk runs one query per level reached, whatever its width.
    vm_a = make_ci("vm-a", "virtual-machine")
    services.relate(source=vm_a, target=hub, type="runs-on", actor=None)
    services.relate(source=make_ci("app-a", "software"), target=vm_a, type="runs-on", actor=None)
    few = count()
    for i in range(15):
        vm = make_ci(f"vm{i}", "virtual-machine")
        services.relate(source=vm, target=hub, type="runs-on", actor=None)
        services.relate(source=make_ci(f"app{i}", "software"), target=vm, type="runs-on", actor=None)
    assert count() == few
