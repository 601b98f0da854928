"""Event rules that notify people: recipients, templates, commit/rollback, email preferences."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from steward.core import notifications
from steward.core.events import Event, dispatch, render_template, template_error
from steward.core.models import EventRule, Notification
from steward.core.registry import registry
from steward.org.models import Person
from steward.utilities.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr():
    role = Group.objects.create(name="HR")
    alice, bob = make_user("alice"), make_user("bob")
    role.user_set.add(alice, bob)
    make_user("carol")  # not in the role
    return role


def notify_rule(*, roles=(), users=(), **extra) -> EventRule:
    defaults = {
        "name": "tell HR",
        "event_types": ["org.person.created"],
        "action": "notify",
        "notify_title": "New person {{ object.display }}",
        "notify_body": "Title: {{ data.title }} ({{ data.nope }})",
    }
    rule = EventRule.objects.create(**{**defaults, **extra})
    rule.notify_roles.set(roles)
    rule.notify_users.set(users)
    return rule


def test_notify_is_a_registered_action():
    assert registry.event_actions["notify"] is not None
    assert "event_rule" in registry.notification_kinds


def test_rule_notifies_role_members_after_commit_and_emails_who_asked(hr, django_capture_on_commit_callbacks):
    notify_rule(roles=[hr])
    bob = hr.user_set.get(username="bob")
    notifications.set_preferences(bob, {"event_rule": {"in_app": True, "email": True}})
    with django_capture_on_commit_callbacks(execute=True):
        person = Person.objects.create(
            first_name="Ada", last_name="Lovelace", email="ada@example.org", title="Engineer"
        )
        assert not Notification.objects.exists()  # nothing before commit
    rows = Notification.objects.order_by("recipient__username")
    assert [r.recipient.username for r in rows] == ["alice", "bob"]
    assert {r.kind for r in rows} == {"event_rule"}
    assert rows[0].title == f"New person {person}"
    assert rows[0].body == "Title: Engineer ()"  # unknown values render empty
    assert rows[0].url == person.get_absolute_url() and rows[0].object_id == person.pk
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]  # only bob asked for email
    assert f"New person {person}" in mail.outbox[0].subject


def test_rolled_back_save_notifies_nobody(hr, django_capture_on_commit_callbacks):
    notify_rule(roles=[hr])
    notifications.set_preferences(
        hr.user_set.get(username="bob"), {"event_rule": {"in_app": True, "email": True}}
    )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        Person.objects.create(first_name="Ada", last_name="Lovelace", email="ada@example.org")
        raise RuntimeError
    assert not Notification.objects.exists() and mail.outbox == []


def test_condition_and_disabled_rules_still_gate_notify(hr, django_capture_on_commit_callbacks):
    notify_rule(roles=[hr], conditions={"field": "data.title", "op": "contains", "value": "Engineer"})
    with django_capture_on_commit_callbacks(execute=True):
        Person.objects.create(first_name="Ada", last_name="Lovelace", email="ada@example.org", title="Cook")
    assert not Notification.objects.exists()


def test_followers_person_fields_and_users_are_recipients(django_capture_on_commit_callbacks):
    boss_user, follower, direct = make_user("boss"), make_user("follower"), make_user("direct")
    make_user("inactive", is_active=False)
    boss = Person.objects.create(first_name="B", last_name="Oss", email="boss@example.org", user=boss_user)
    ada = Person.objects.create(first_name="Ada", last_name="Lovelace", email="ada@example.org")
    notifications.follow(follower, ada)
    notify_rule(
        event_types=["org.person.updated"],
        users=[direct],
        notify_followers=True,
        notify_fields="data.manager, user",
        notify_title="{{ object.display }} changed: {{ changed }}",
    )
    with django_capture_on_commit_callbacks(execute=True):
        ada.manager = boss
        ada.save()
    titles = {n.recipient.username: n.title for n in Notification.objects.filter(kind="event_rule")}
    assert set(titles) == {"boss", "follower", "direct"}  # ada has no account: "user" adds nobody
    assert titles["boss"] == f"{ada} changed: manager_id"


def test_deleted_record_notifies_through_the_snapshot():
    boss_user = make_user("boss")
    boss = Person.objects.create(first_name="B", last_name="Oss", email="boss@example.org", user=boss_user)
    rule = notify_rule(event_types=["org.person.deleted"], notify_fields="manager")
    event = Event(name="org.person.deleted", model="org.person", object_id=999, data={"manager_id": boss.pk})
    assert dispatch(event) == 1
    (row,) = Notification.objects.filter(recipient=boss_user)
    assert row.object_id is None and rule.pk


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({}, "notify_users"),  # nobody to notify
        ({"notify_followers": True, "notify_title": ""}, "notify_title"),
        ({"notify_followers": True, "notify_title": "{{ request.user }}"}, "notify_title"),
        ({"notify_followers": True, "notify_body": "{{ data.title"}, "notify_body"),
        ({"notify_followers": True, "notify_body": "{% load x %}{{ x|y }}"}, "notify_body"),
        ({"notify_fields": "caller, not a field"}, "notify_fields"),
    ],
)
def test_bad_notify_rule_is_refused_naming_the_field(changes, field):
    rule = EventRule(
        **{
            "name": "r",
            "event_types": ["org.person.created"],
            "action": "notify",
            "notify_title": "Hi",
            **changes,
        }
    )
    with pytest.raises(ValidationError) as exc:
        rule.full_clean()
    assert field in exc.value.message_dict


def test_templates_substitute_plain_lookups_only():
    payload = {"data": {"title": "CTO", "tags": ["a", "b"]}, "object": {"display": "Ada"}}
    assert render_template("{{data.title}}/{{ data.tags }}/{{ object.display }}", payload) == "CTO/a, b/Ada"
    assert render_template("{{ data.title.__class__ }}", payload) == ""
    assert template_error("{{ data.__class__.__mro__ }}") == ""  # a lookup, harmless: renders ""
    assert template_error("{{ ''.join }}")


def test_api_creates_notify_rule_and_refuses_one_without_recipients(admin_client, hr):
    url = reverse("api:core-eventrule-list")
    body = {"name": "n", "event_types": ["org.person.created"], "action": "notify", "notify_title": "x"}
    response = admin_client.post(url, body, content_type="application/json")
    assert response.status_code == 400 and "notify_users" in response.json()
    assert not EventRule.objects.exists()
    response = admin_client.post(url, {**body, "notify_roles": [hr.pk]}, content_type="application/json")
    assert response.status_code == 201, response.json()
    rule = EventRule.objects.get()
    assert list(rule.notify_roles.all()) == [hr]
    # A partial update keeps the stored roles in view: still valid.
    response = admin_client.patch(
        reverse("api:core-eventrule-detail", kwargs={"pk": rule.pk}),
        {"notify_title": "y"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()


def test_ui_form_creates_notify_rule(admin_client, hr):
    data = {
        "name": "n",
        "enabled": "on",
        "event_types": ["org.person.created"],
        "action": "notify",
        "notify_title": "New {{ object.display }}",
    }
    response = admin_client.post(reverse("core:eventrule_add"), data)
    assert response.status_code == 422 and not EventRule.objects.exists()
    assert "Choose who to notify" in response.content.decode()
    response = admin_client.post(reverse("core:eventrule_add"), {**data, "notify_roles": [hr.pk]})
    assert response.status_code == 302
    rule = EventRule.objects.get()
    assert list(rule.notify_roles.all()) == [hr]
    assert admin_client.get(reverse("core:eventrule_detail", kwargs={"pk": rule.pk})).status_code == 200
