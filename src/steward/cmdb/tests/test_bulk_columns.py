"""``core.bulk``'s column conversion, instance reading and large inserts on the CMDB's item, the
model with every kind of value (dates, money, JSON, foreign keys, text); the framework's own
tests (``core/tests/test_bulk_paths.py``) may not import a domain app."""

import datetime as dt
from decimal import Decimal

import pytest

from steward.core import bulk
from steward.core.tests.test_bulk_paths import AWKWARD
from steward.org.models import Organisation

pytestmark = pytest.mark.django_db


def test_only_dates_that_stamp_themselves_are_computed_per_row():
    from steward.cmdb.models import ConfigurationItem

    computed = [f.name for f in bulk._insert_fields(ConfigurationItem) if bulk._needs_pre_save(f)]
    assert computed == ["created", "last_updated"]  # not purchase_date, warranty_end… (plain dates)


@pytest.mark.parametrize(
    ("field_name", "column"),
    [
        ("created", [dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)] * 3),  # one object in every row
        ("created", [dt.datetime(2026, 1, 2, tzinfo=dt.UTC), None, dt.datetime(2026, 1, 3, tzinfo=dt.UTC)]),
        ("purchase_date", [None, dt.date(2026, 1, 2), "2026-01-03"]),
        ("attributes", [{}, {"a": 1}, None, [], "text"]),
        ("name", ["a", "", "東京"]),
        ("purchase_cost", [Decimal("1.50"), None, Decimal("3")]),
        ("ci_class", [1, 2, None]),
    ],
)
def test_a_column_converts_as_each_of_its_values_would(field_name, column):
    from django.db import connection

    from steward.cmdb.models import ConfigurationItem

    field = ConfigurationItem._meta.get_field(field_name)
    converted = bulk._column_converter(field, connection)(column)
    expected = [field.get_db_prep_save(value, connection) for value in column]

    def plain(value):
        return value.obj if hasattr(value, "obj") else value  # PostgreSQL wraps JSON for the driver

    assert [plain(v) for v in converted] == [plain(v) for v in expected]


def test_the_dict_reader_reads_what_getattr_reads_and_stands_aside_for_files():
    from steward.cmdb.models import ConfigurationItem
    from steward.core.models import Attachment
    from steward.core.serialization import snapshot, snapshot_fields, stored_value, to_json_value

    assert bulk.dict_reader(Attachment, snapshot_fields(Attachment)) is None  # FileField's descriptor
    org = Organisation.objects.create(name="Acme", slug="acme")
    fields = snapshot_fields(Organisation)
    assert list(bulk.dict_reader(Organisation, fields)(org.__dict__)) == [
        getattr(org, f.attname) for f in fields
    ]
    deferred = Organisation.objects.only("pk", "name").get(pk=org.pk)
    assert snapshot(deferred) == snapshot(Organisation.objects.get(pk=org.pk))  # the rest is loaded
    item = ConfigurationItem(name="x", ci_class_id=1, reference="CI1")
    assert snapshot(item) == {
        f.attname: to_json_value(stored_value(f, f.value_from_object(item)))
        for f in snapshot_fields(ConfigurationItem)
    }


def test_a_large_insert_stores_what_bulk_create_stores_with_increasing_keys():
    """From ``COPY_FROM`` rows PostgreSQL gets them by COPY with keys from the sequence; SQLite by
    INSERT … RETURNING. Either way: the values bulk_create stores, keys in row order."""
    from steward.cmdb.models import CIClass, ConfigurationItem

    cls = CIClass.objects.create(slug="box", name="Box")
    now = dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
    count = bulk.COPY_FROM + 5

    def item(n, prefix):
        return ConfigurationItem(
            reference=f"{prefix}{n:04d}", name=AWKWARD if n % 7 == 0 else f"n-{n}", ci_class=cls,
            purchase_cost=Decimal("12.50") if n % 2 else None, currency="EUR",
            purchase_date=dt.date(2026, 1, 1 + n % 28) if n % 3 else None,
            attributes={"k": n, "s": AWKWARD, "nested": [1, None, True]} if n % 5 else {},
        )  # fmt: skip

    fast = [item(n, "F") for n in range(count)]
    bulk.insert(ConfigurationItem, fast, now=now)
    keys = [o.pk for o in fast]
    assert keys == sorted(keys) and len(set(keys)) == count
    ConfigurationItem.objects.bulk_create([item(n, "O") for n in range(count)])
    columns = ("name", "ci_class_id", "purchase_cost", "currency", "purchase_date", "attributes", "discovery")
    stored = {
        r.pop("reference"): r
        for r in ConfigurationItem.objects.values("reference", "id", "created", *columns)
    }
    for n, key in enumerate(keys):
        copied, orm = stored[f"F{n:04d}"], stored[f"O{n:04d}"]
        assert (copied.pop("id"), copied.pop("created")) == (key, now)
        orm.pop("id"), orm.pop("created")
        assert copied == orm
