"""The bulk write paths' shortcuts give exactly what the general code gives.

Bulk importers log, snapshot, index and insert thousands of rows, so ``changelog.record_many``,
``search.spec.words`` and ``bulk.blank_factory`` each take a short path for the common case
(``cmdb/tests/test_bulkimport.py`` checks the snapshot and converter short paths on a model with
every kind of value). Each test compares a short path with the general one it stands for.
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
