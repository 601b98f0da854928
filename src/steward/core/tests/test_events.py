import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from steward.core import conditions, configcache
from steward.core.events import Event, dispatch
from steward.core.jobs import JobContext, job
from steward.core.models import EventRule, JobRun
from steward.core.registry import registry
from steward.org.models import Person

SEEN: list[dict] = []


@job(name="tests.record_event")
def record_event(ctx: JobContext) -> None:
    SEEN.append(ctx.payload)
    ctx.log(f"saw {ctx.payload['event']}")


@pytest.fixture(autouse=True)
def _clear_seen():
    SEEN.clear()


def rule(**extra) -> EventRule:
    defaults = {
        "name": "record",
        "event_types": ["org.person.created"],
        "action": "job",
        "job_name": "tests.record_event",
    }
    return EventRule.objects.create(**{**defaults, **extra})


def test_every_registered_model_has_crud_event_types():
    for verb in ("created", "updated", "deleted"):
        assert f"org.person.{verb}" in registry.event_types
        assert f"core.webhook.{verb}" in registry.event_types
    assert "core.job.failed" in registry.event_types


@pytest.mark.django_db
def test_events_wait_for_commit_and_reach_matching_rules(django_capture_on_commit_callbacks):
    rule()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Person.objects.create(first_name="Ada", last_name="Lovelace", email="ada@example.org")
    assert SEEN == []  # queued, not dispatched
    assert callbacks  # the event dispatch waits in the on-commit queue
    for callback in callbacks:
        callback()
    assert [p["event"] for p in SEEN] == ["org.person.created"]
    run = JobRun.objects.get()
    assert run.status == "succeeded" and "saw org.person.created" in run.log


@pytest.mark.django_db
def test_update_event_carries_prechange_and_changed_fields(django_capture_on_commit_callbacks):
    person = Person.objects.create(first_name="Ada", last_name="Lovelace", email="ada@example.org")
    rule(event_types=["org.person.updated"])
    with django_capture_on_commit_callbacks(execute=True):
        person.title = "Engineer"
        person.save()
    (payload,) = SEEN
    assert payload["data"]["title"] == "Engineer"
    assert payload["prechange"]["title"] == ""
    assert payload["changed"] == ["title"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Person.objects.get(pk=person.pk).save()  # nothing changed: no event
    assert callbacks == []


@pytest.mark.django_db
def test_delete_event(django_capture_on_commit_callbacks):
    person = Person.objects.create(first_name="Ada", last_name="Lovelace", email="ada@example.org")
    pk = person.pk
    rule(event_types=["org.person.deleted"])
    with django_capture_on_commit_callbacks(execute=True):
        person.delete()
    assert SEEN[0]["object"]["id"] == pk and SEEN[0]["data"]["email"] == "ada@example.org"


@pytest.mark.django_db
def test_condition_and_model_filter_select_rules(django_capture_on_commit_callbacks):
    rule(
        conditions={
            "and": [
                {"field": "data.title", "op": "contains", "value": "Engineer"},
                {"not": {"field": "data.status", "op": "eq", "value": "left"}},
            ]
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        Person.objects.create(first_name="A", last_name="One", email="a@example.org", title="Manager")
        Person.objects.create(first_name="B", last_name="Two", email="b@example.org", title="Senior Engineer")
    assert [p["data"]["email"] for p in SEEN] == ["b@example.org"]
    EventRule.objects.update(enabled=False)
    configcache.bump()  # QuerySet.update skips the change log that marks cached rules stale
    assert dispatch(Event(name="org.person.created", model="org.person", data={"title": "Engineer"})) == 0


def test_condition_language():
    payload = {"data": {"title": "Lead Engineer", "n": 3, "tags": ["a", "b"]}, "changed": ["title"]}
    ev = conditions.evaluate
    assert ev({"field": "data.title", "op": "icontains", "value": "engineer"}, payload)
    assert ev(
        {
            "or": [
                {"field": "data.n", "op": "gt", "value": 5},
                {"field": "changed", "op": "contains", "value": "title"},
            ]
        },
        payload,
    )
    assert not ev(
        {"field": "data.n", "op": "gt", "value": "x"}, payload
    )  # type mismatch is false, not an error
    assert ev({"field": "data.missing", "op": "exists", "value": False}, payload)
    assert ev({"field": "data.n", "op": "in", "value": [1, 3]}, payload)
    assert ev(None, payload)


@pytest.mark.parametrize(
    ("condition", "where"),
    [
        ({"field": "data.title", "op": "matches", "value": "x"}, "op"),
        ({"and": []}, "and"),
        ({"and": [{"field": "data.t", "value": 1}, {"op": "eq", "value": 1}]}, "and[1].field"),
        ({"not": {"field": "data.n", "op": "in", "value": 3}}, "not.value"),
        ("title contains x", ""),
        ({"field": "data.t", "op": "eq", "value": 1, "extra": 2}, ""),
    ],
)
def test_bad_condition_is_refused_with_its_place(condition, where):
    with pytest.raises(conditions.ConditionError) as exc:
        conditions.parse(condition)
    assert exc.value.path == where


@pytest.mark.django_db
def test_rule_validation_names_the_field():
    bad = EventRule(
        name="x",
        event_types=["org.person.created"],
        action="job",
        job_name="tests.record_event",
        conditions={"field": "data.title", "op": "like", "value": "x"},
    )
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert set(exc.value.message_dict) == {"conditions"}
    assert "op" in exc.value.message_dict["conditions"][0]
    bad = EventRule(name="y", event_types=["org.nothing.created"], action="webhook")
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert {"event_types", "webhook"} <= set(exc.value.message_dict)


@pytest.mark.django_db
def test_api_refuses_bad_condition_and_creates_nothing(admin_client):
    url = reverse("api:core-eventrule-list")
    body = {
        "name": "x",
        "event_types": ["org.person.created"],
        "action": "job",
        "job_name": "tests.record_event",
        "object_types": ["org.person"],
        "conditions": {"or": "nope"},
    }
    response = admin_client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert "conditions" in response.json()
    assert not EventRule.objects.exists()
    body["conditions"] = {"field": "data.title", "op": "contains", "value": "Engineer"}
    response = admin_client.post(url, body, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["object_types"] == ["org.person"]


@pytest.mark.django_db
def test_event_rule_pages_render(admin_client):
    r = rule()
    assert admin_client.get(reverse("core:eventrule_list")).status_code == 200
    assert admin_client.get(reverse("core:eventrule_add")).status_code == 200
    assert admin_client.get(reverse("core:eventrule_detail", kwargs={"pk": r.pk})).status_code == 200


@pytest.mark.django_db
def test_rules_are_read_once_per_committed_transaction(django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rule()  # saved in the same transaction as the records: it still applies
        for n in range(5):
            Person.objects.create(first_name="P", last_name=str(n), email=f"p{n}@example.org")
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    rule_reads = [q for q in queries.captured_queries if 'FROM "core_eventrule"' in q["sql"]]
    assert len(rule_reads) == 1
    assert len(SEEN) == 5  # one per person; the rule's own created event matches nothing
    # The next transaction reads the rules afresh: a disabled rule no longer fires.
    EventRule.objects.update(enabled=False)
    configcache.bump()  # QuerySet.update skips the change log that marks cached rules stale
    SEEN.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Person.objects.create(first_name="Q", last_name="Q", email="q@example.org")
    assert SEEN == []


@pytest.mark.django_db
def test_events_suppressed_queues_nothing(django_capture_on_commit_callbacks):
    from steward.core.events import events_suppressed

    rule()
    with django_capture_on_commit_callbacks(execute=True), events_suppressed():
        Person.objects.create(first_name="Ada", last_name="Lovelace", email="ada@example.org")
    assert SEEN == []
    with django_capture_on_commit_callbacks(execute=True):
        Person.objects.create(first_name="Bob", last_name="B", email="bob@example.org")
    assert len(SEEN) == 1
