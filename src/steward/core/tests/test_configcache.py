"""The per-process memo of configuration rows and its invalidation through the version row."""

import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from steward.core import configcache
from steward.core.models import ConfigVersion, CustomField, EventRule
from steward.org.models import Organisation

pytestmark = pytest.mark.django_db


def names():
    return sorted(cf.name for cf in CustomField.objects.for_model(Organisation))


def add_field(name):
    field = CustomField.objects.create(name=name, type="text")
    field.object_types.set([ContentType.objects.get_for_model(Organisation)])
    return field


def test_a_value_is_loaded_once_while_the_version_holds():
    calls = []

    def load():
        calls.append(1)
        return "value"

    assert configcache.cached("test.once", load) == "value"
    assert configcache.cached("test.once", load) == "value"
    assert len(calls) == 1
    configcache.bump()
    assert configcache.cached("test.once", load) == "value"
    assert len(calls) == 2


def test_saving_a_watched_model_is_seen_at_once_in_the_same_transaction():
    assert names() == []
    field = add_field("asset_owner")
    assert names() == ["asset_owner"]
    field.name = "asset_keeper"
    field.save()
    assert names() == ["asset_keeper"]
    field.delete()
    assert names() == []


def test_what_a_rolled_back_transaction_read_is_never_served_again():
    before = configcache.version()
    with transaction.atomic():
        add_field("rolled_back")
        assert names() == ["rolled_back"]  # memoised under the transaction's own version
        transaction.set_rollback(True)
    assert configcache.version() == before
    assert names() == []


def test_an_update_that_skips_the_change_log_needs_a_bump():
    rule = EventRule.objects.create(name="Any", event_types=["org.person.created"], action="notify")
    from steward.core.events import enabled_rules

    assert [r.pk for r in enabled_rules()] == [rule.pk]
    EventRule.objects.update(enabled=False)  # no change log, so the memo still answers
    assert [r.pk for r in enabled_rules()] == [rule.pk]
    configcache.bump()
    assert enabled_rules() == []


def test_callers_get_their_own_copies_of_memoised_rows():
    add_field("site")
    first = CustomField.objects.for_model(Organisation)[0]
    first.label = "changed by a caller"
    assert CustomField.objects.for_model(Organisation)[0].label != "changed by a caller"


def test_without_the_version_row_nothing_is_memoised():
    ConfigVersion.objects.all().delete()  # what a flushed test database looks like
    calls = []
    configcache.cached("test.norow", lambda: calls.append(1))
    configcache.cached("test.norow", lambda: calls.append(1))
    assert len(calls) == 2
    configcache.bump()  # the first change creates the row again
    assert configcache.version() is not None


@pytest.mark.django_db(transaction=True)
def test_another_connection_sees_the_change_only_when_it_commits():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        ("file:memory", ":memory")
    ):
        pytest.skip("an in-memory SQLite database is not shared between connections")
    seen = {}

    def other(label):
        try:
            seen[label] = names()
        finally:
            connection.close()

    configcache.bump()  # the flushed database has no version row
    assert names() == []
    with transaction.atomic():
        add_field("late")
        thread = threading.Thread(target=other, args=("during",))
        thread.start()
        thread.join()
        assert names() == ["late"]
    thread = threading.Thread(target=other, args=("after",))
    thread.start()
    thread.join()
    assert seen == {"during": [], "after": ["late"]}


def other_process_bumps():
    """What another process's committed change looks like to this connection: a new token."""
    ConfigVersion.objects.filter(pk=1).update(token=ConfigVersion.objects.get(pk=1).token + 1)


def test_a_request_reads_the_version_once_and_the_next_request_sees_a_change():
    configcache._request_began()  # what request_started does (the real signal also closes connections)
    try:
        first = configcache.version()
        with CaptureQueriesContext(connection) as queries:
            assert configcache.version() == first
        assert len(queries) == 0
        other_process_bumps()
        assert configcache.version() == first  # the request keeps the version it started with
    finally:
        configcache._request_ended()
    assert configcache.version() == first + 1  # outside a request: read every time
    configcache._request_began()  # what request_started does (the real signal also closes connections)
    try:
        assert configcache.version() == first + 1
    finally:
        configcache._request_ended()


def test_a_request_that_changes_configuration_reads_the_version_at_every_lookup():
    configcache._request_began()  # what request_started does (the real signal also closes connections)
    try:
        before = configcache.version()
        with transaction.atomic():
            add_field("in_request")
            assert names() == ["in_request"]
            transaction.set_rollback(True)
        assert configcache.version() == before  # the rolled-back version is not remembered
        assert names() == []
    finally:
        configcache._request_ended()


def test_outside_a_request_every_lookup_reads_the_version():
    with CaptureQueriesContext(connection) as queries:
        configcache.version()
        configcache.version()
    assert len(queries) == 2
