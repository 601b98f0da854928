"""The bulk write paths' shortcuts give exactly what the general code gives.

Bulk importers log, snapshot, index and insert thousands of rows, so ``changelog.record_many``,
``search.spec.words`` and ``bulk.blank_factory`` each take a short path for the common case
(``cmdb/tests/test_bulkimport.py`` and ``test_bulk_columns.py`` check the snapshot, converter and
large-insert paths on a model with every kind of value). Each test compares a short path with the
general one it stands for.
"""

import datetime as dt
import json
import unicodedata
from decimal import Decimal

import pytest

from steward.core import bulk, changelog
from steward.core.changelog import Change, verify_chain
from steward.core.context import change_context
from steward.core.models import ObjectChange
from steward.core.search.spec import _WORD, words
from steward.org.models import Organisation

pytestmark = pytest.mark.django_db

AWKWARD = 'Ünïcode "quoted" \\ back\tslash — 東京 \u2028'


def test_record_many_hashes_and_stores_what_the_row_itself_computes():
    orgs = Organisation.objects.bulk_create(
        [Organisation(name=AWKWARD, slug="awk"), Organisation(name="Plain", slug="plain")]
    )
    pre = {"name": "old", "n": 3, "x": 1.5, "none": None, "nested": {"b": [1, "z"], "a": True}}
    post = {"name": AWKWARD, "cost": Decimal("4.10"), "when": dt.date(2026, 1, 2), "list": [], "d": {}}
    with change_context(actor='importer "bot"', request_id="req-1", source="import"):
        rows = changelog.record_many(
            [Change(orgs[0], "create", None, post), Change(orgs[1], "update", pre, post)]
        )
    assert [r.pk is not None for r in rows] == [True, True]
    for row in rows:
        stored = ObjectChange.objects.get(pk=row.pk)
        # The hash the fast path wrote is the one the stored row recomputes, field for field.
        assert stored.hash == row.hash == stored.compute_hash()
        assert (stored.seq, stored.action, stored.object_repr) == (row.seq, row.action, row.object_repr)
        assert stored.user_name == 'importer "bot"' and stored.source == "import"
    first, second = (ObjectChange.objects.get(pk=r.pk) for r in rows)
    assert first.prechange_data is None
    assert first.postchange_data == json.loads(json.dumps(post, default=str))
    assert second.prechange_data == pre
    assert second.prev_hash == first.hash
    assert verify_chain().ok


def test_record_many_rows_are_usable_model_instances():
    org = Organisation.objects.create(name="Acme", slug="acme")
    [row] = changelog.record_many([Change(org, "update", {"name": "A"}, {"name": "Acme"})])
    assert isinstance(row, ObjectChange) and not row._state.adding and row._state.db == "default"
    assert row.changed_object_type.model == "organisation"
    assert row == ObjectChange.objects.get(pk=row.pk)


def _slow_words(text):
    decomposed = unicodedata.normalize("NFKD", str(text).lower())
    return _WORD.findall("".join(ch for ch in decomposed if not unicodedata.combining(ch)))


@pytest.mark.parametrize(
    "text", ["host-000001.example.org", "SN_0001 AT-7", "ada@example.org", "Crème brûlée Ŀ", AWKWARD, "½ ﬁ ⅷ"]
)
def test_ascii_short_cut_finds_the_same_words(text):
    assert words(text) == _slow_words(text)


def test_blank_factory_keeps_post_init_receivers():
    from django.db.models.signals import post_init

    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(receiver, sender=Organisation)
    try:
        make = bulk.blank_factory(Organisation)
        make()
    finally:
        post_init.disconnect(receiver, sender=Organisation)
    assert make is Organisation and len(seen) == 1  # the constructor itself, receivers and all


def test_insert_with_one_moment_stamps_every_row_with_it():
    now = dt.datetime(2026, 5, 6, 7, 8, 9, 123456, tzinfo=dt.UTC)
    orgs = [Organisation(name=f"Org {n}", slug=f"org-{n}") for n in range(3)]
    bulk.insert(Organisation, orgs, now=now)
    stored = Organisation.objects.filter(pk__in=[o.pk for o in orgs])
    assert {(o.created, o.last_updated) for o in stored} == {(now, now)}
    later = [Organisation(name="Later", slug="later")]
    bulk.insert(Organisation, later)  # without it, the clock as before
    assert Organisation.objects.get(pk=later[0].pk).created > now


@pytest.mark.parametrize(
    "values",
    [
        {"name": "Web-01 front", "reference": "CI0000001"},
        {"name": "ΑΣ", "reference": "Σ"},  # final sigma: lower-cased by its context
        {"name": "---", "reference": ""},  # a field with no words
        {"name": AWKWARD, "reference": "Crème brûlée"},
        {"name": "a\u0301", "reference": "\u0301b"},  # a combining mark at the start of a field
    ],
)
def test_search_texts_cut_a_column_once_as_field_by_field(values):
    from types import SimpleNamespace

    from steward.core.search.spec import SearchSpec, normalise

    spec = SearchSpec(fields={"name": 3, "reference": 3})
    obj = SimpleNamespace(**values)
    one_by_one = " ".join(p for p in (normalise(values["name"]), normalise(values["reference"])) if p)
    assert spec.texts(obj)["text_a"] == one_by_one


def test_a_large_change_log_append_keeps_the_chain_and_returns_the_stored_rows():
    orgs = Organisation.objects.bulk_create(
        [Organisation(name=f"Org {n}", slug=f"org-{n}") for n in range(bulk.COPY_FROM + 3)]
    )
    with change_context(actor="importer", source="import"):
        rows = changelog.record_many(Change(o, "create", None, {"name": o.name, "n": AWKWARD}) for o in orgs)
    stored = {r.pk: r for r in ObjectChange.objects.filter(pk__in=[r.pk for r in rows])}
    assert len(stored) == len(rows)
    for row in rows:
        assert (stored[row.pk].seq, stored[row.pk].hash) == (row.seq, row.hash)
        assert stored[row.pk].hash == stored[row.pk].compute_hash()
    assert verify_chain().ok


def test_unnest_sends_a_column_with_one_value_once():
    column = ["a", "b"]
    assert bulk._same_in_every_row(["x", "x"]) and bulk._same_in_every_row([{}, {}])
    assert not bulk._same_in_every_row(column) and not bulk._same_in_every_row([0.0, -0.0])
    assert not bulk._same_in_every_row([1, True]) and not bulk._same_in_every_row([{"a": 1}, {"a": 1}])
    moment = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert bulk._same_in_every_row([moment, moment])
    assert not bulk._same_in_every_row([moment, moment.astimezone(dt.timezone(dt.timedelta(hours=1)))])
    sql, params = bulk._unnest(
        "INSERT INTO t (a, b, c) ",
        " RETURNING id",
        ("varchar", "integer", "jsonb"),
        [["x", "y"], [3, 3]],
        None,
        ["{}"],
    )
    assert sql == (
        "INSERT INTO t (a, b, c) SELECT u.c0, (%s)::integer, (%s)::jsonb FROM UNNEST((%s)::varchar[]) AS u(c0)"
        " RETURNING id"
    )
    assert params == [3, "{}", ["x", "y"]]


def test_new_records_are_indexed_without_looking_for_old_entries():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from steward.core.models import SearchEntry
    from steward.core.search import index

    orgs = Organisation.objects.bulk_create(
        [Organisation(name=f"Org {n}", slug=f"org-{n}") for n in range(3)]
    )
    SearchEntry.objects.all().delete()
    with CaptureQueriesContext(connection) as ctx:
        assert index.index_many(orgs, new=True) == 3
    touching = [q["sql"] for q in ctx.captured_queries if "core_searchentry" in q["sql"]]
    assert len(touching) == 1 and touching[0].startswith("INSERT")  # no look-up, no delete
    orgs[0].name = "Renamed"
    assert index.index_many(orgs) == 3  # existing records: their entries are replaced, not doubled
    assert SearchEntry.objects.count() == 3 and SearchEntry.objects.filter(title="Renamed").exists()


def test_a_large_insert_that_breaks_a_constraint_raises_djangos_integrity_error():
    from django.db import IntegrityError, transaction

    orgs = [
        Organisation(name=f"Org {n}", slug=f"org-{n % (bulk.COPY_FROM + 1)}")
        for n in range(bulk.COPY_FROM + 2)
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert(Organisation, orgs)  # the last slug repeats the first
