import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from steward.core import notifications
from steward.core.context import change_context
from steward.core.models import Notification, Subscription
from steward.utilities.testing import grant, make_user
from steward.utilities.testing.testapp.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return make_user("alice")


@pytest.fixture
def bob():
    return make_user("bob")


@pytest.fixture
def ticket():
    return Ticket.objects.create(title="Broken VPN")


def test_notify_writes_in_app_rows_and_emails_only_after_commit(
    alice, bob, django_capture_on_commit_callbacks
):
    notifications.set_preferences(bob, {"object_changed": {"in_app": False, "email": True}})
    with django_capture_on_commit_callbacks(execute=True):
        rows = notifications.notify(
            recipients=[alice, bob], kind="object_changed", title="Hello", body="Text"
        )
        assert mail.outbox == []
    assert [r.recipient for r in rows] == [alice]  # bob switched in-app off
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bob@example.org"]
    assert "Hello" in mail.outbox[0].subject


def test_no_email_when_the_transaction_rolls_back(bob, django_capture_on_commit_callbacks):
    notifications.set_preferences(bob, {"object_changed": {"in_app": True, "email": True}})
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notifications.notify(recipients=[bob], kind="object_changed", title="Hi")
        raise RuntimeError
    assert mail.outbox == [] and not Notification.objects.exists()


def test_unknown_kind_or_channel_is_refused(bob):
    with pytest.raises(ValueError, match="nope"):
        notifications.notify(recipients=[bob], kind="nope", title="x")
    with pytest.raises(ValueError, match="Unknown channel 'sms'"):
        notifications.set_preferences(bob, {"object_changed": {"sms": True}})
    with pytest.raises(ValueError, match="Unknown notification kind 'nope'"):
        notifications.set_preferences(bob, {"nope": {"email": True}})


def test_followers_are_notified_of_changes_after_commit_but_not_the_actor(
    alice, bob, ticket, django_capture_on_commit_callbacks
):
    notifications.follow(bob, ticket)
    notifications.follow(alice, ticket)
    with django_capture_on_commit_callbacks(execute=True):
        with change_context(actor=alice):
            ticket.title = "VPN fixed"
            ticket.save()
        assert not Notification.objects.exists()  # deferred until commit
    notes = list(Notification.objects.all())
    assert [n.recipient for n in notes] == [bob]
    assert "VPN fixed" in notes[0].title and notes[0].url == ticket.get_absolute_url()


def test_creating_records_looks_up_no_followers(bob, ticket, django_capture_on_commit_callbacks):
    # A key reused after a delete (SQLite reuses the highest) must not reach the old followers.
    notifications.follow(bob, ticket)
    Subscription.objects.filter(object_id=ticket.pk).update(object_id=ticket.pk + 1)
    with django_capture_on_commit_callbacks(execute=True):
        created = Ticket.objects.create(title="New VPN ticket")
    assert created.pk == ticket.pk + 1
    assert not Notification.objects.exists()


def test_rolled_back_changes_notify_nobody(bob, ticket, django_capture_on_commit_callbacks):
    notifications.follow(bob, ticket)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        ticket.title = "Never happened"
        ticket.save()
        raise RuntimeError
    assert not Notification.objects.exists()


def test_follow_and_unfollow_from_the_detail_page_and_api(client, bob, ticket):
    grant(bob, Ticket, "view")
    client.force_login(bob)
    url = reverse("testapp:ticket_follow", kwargs={"pk": ticket.pk})
    assert client.post(url, {"follow": "1"}).status_code == 302
    assert Subscription.objects.filter(user=bob).count() == 1
    assert "Unfollow" in client.get(ticket.get_absolute_url()).content.decode()
    client.post(url, {"follow": "0"})
    assert not Subscription.objects.exists()
    api = APIClient()
    api.force_login(bob)
    assert api.post(f"/api/testapp/tickets/{ticket.pk}/follow/", {}, format="json").json() == {
        "following": True
    }
    assert Subscription.objects.filter(user=bob).count() == 1


def test_cannot_follow_a_record_you_cannot_see(client, bob, ticket):
    grant(bob, Ticket, "view", constraints={"title": "something else"})
    client.force_login(bob)
    assert client.post(reverse("testapp:ticket_follow", kwargs={"pk": ticket.pk})).status_code == 404
    assert not Subscription.objects.exists()


def make_notes(user, n):
    return [
        Notification.objects.create(recipient=user, kind="object_changed", title=f"n{i}") for i in range(n)
    ]


def test_api_lists_only_own_notifications_and_marks_read(alice, bob):
    mine = make_notes(alice, 3)
    theirs = make_notes(bob, 1)
    api = APIClient()
    api.force_login(alice)
    listed = api.get("/api/notifications/").json()
    assert listed["count"] == 3
    assert api.post(f"/api/notifications/{theirs[0].pk}/read/").status_code == 404
    assert api.post(f"/api/notifications/{mine[0].pk}/read/").json() == {"marked": 1}
    assert api.get("/api/notifications/?unread=1").json()["count"] == 2
    assert api.post("/api/notifications/read-all/").json() == {"marked": 2}
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).count() == 1
    assert APIClient().get("/api/notifications/").status_code in (401, 403)


def test_bell_list_and_mark_all_read_in_the_ui(client, alice):
    make_notes(alice, 2)
    client.force_login(alice)
    home = client.get("/").content.decode()
    assert 'id="unread-count">2<' in home
    page = client.get(reverse("notifications")).content.decode()
    assert "n0" in page and "n1" in page
    dropdown = client.get(reverse("notifications"), headers={"HX-Request": "true"}).content.decode()
    assert "n0" in dropdown and "<html" not in dropdown
    client.post(reverse("notification_read_all"))
    assert 'id="unread-count"' not in client.get("/").content.decode()


def test_mark_one_read_follows_its_link_only_if_local(client, alice):
    note = Notification.objects.create(
        recipient=alice, kind="object_changed", title="x", url="https://evil.example/"
    )
    client.force_login(alice)
    response = client.post(reverse("notification_read", kwargs={"pk": note.pk}), {"open": "1"})
    assert response["Location"] == reverse("notifications")
    note.refresh_from_db()
    assert note.is_read


def test_preferences_page_saves_choices(client, alice):
    client.force_login(alice)
    assert client.get(reverse("notification_preferences")).status_code == 200
    client.post(reverse("notification_preferences"), {"object_changed:email": "on"})
    assert notifications.preferences_for(alice)["object_changed"] == {"in_app": False, "email": True}
