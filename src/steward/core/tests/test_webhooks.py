import hashlib
import hmac
import json
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from steward.core.jobs import backoff_delay
from steward.core.models import EventRule, Webhook, WebhookDelivery
from steward.core.tests.receiver import http_receiver
from steward.core.webhooks import deliver, deliver_webhook, destination_allowed, verify
from steward.org.models import Person

SECRET = "s3cret-for-tests"


@pytest.fixture(autouse=True)
def loopback_allowed(settings):
    """The receivers here listen on loopback, which webhooks may only reach when it is listed."""
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]


def make_hook(url: str, **extra) -> Webhook:
    hook = Webhook.objects.create(name=extra.pop("name", "receiver"), payload_url=url, secret=SECRET, **extra)
    EventRule.objects.create(
        name=f"people to {hook.name}", event_types=["org.person.created"], action="webhook", webhook=hook
    )
    return hook


@pytest.mark.django_db(transaction=True)
def test_person_created_delivers_signed_payload():
    with http_receiver() as receiver:
        hook = make_hook(receiver.url, headers={"X-Team": "ops"})
        with transaction.atomic():
            person = Person.objects.create(first_name="Ada", last_name="Lovelace", email="ada@example.org")
            assert receiver.requests == []  # nothing leaves before commit
        assert len(receiver.requests) == 1
        req = receiver.requests[0]
        expected = "sha256=" + hmac.new(SECRET.encode(), req.body, hashlib.sha256).hexdigest()
        assert req.headers["X-Steward-Signature"] == expected
        assert verify(SECRET, req.body, req.headers["X-Steward-Signature"])
        assert req.headers["X-Steward-Timestamp"].isdigit()
        assert req.headers["X-Steward-Event"] == "org.person.created"
        assert req.headers["X-Team"] == "ops"
        assert req.method == "POST"
        payload = json.loads(req.body)
        assert payload["event"] == "org.person.created"
        assert payload["model"] == "org.person"
        assert payload["object"]["id"] == person.pk
        assert payload["data"]["email"] == "ada@example.org"
        assert payload["timestamp"]
        assert "request_id" in payload and "actor" in payload
        log = WebhookDelivery.objects.get(webhook=hook)
        assert (log.status, log.status_code, log.attempt) == ("succeeded", 200, 1)
        assert uuid.UUID(req.headers["X-Steward-Delivery"]) == log.delivery_id


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_delivers_nothing():
    with http_receiver() as receiver:
        make_hook(receiver.url)
        with pytest.raises(RuntimeError), transaction.atomic():
            Person.objects.create(first_name="Ghost", last_name="Writer", email="ghost@example.org")
            raise RuntimeError("roll back")
        assert receiver.requests == []
        assert not Person.objects.exists()
        assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_failing_receiver_gets_delivery_on_third_attempt():
    with http_receiver(statuses=[500, 500, 200]) as receiver:
        hook = make_hook(receiver.url, max_attempts=5)
        Person.objects.create(first_name="Grace", last_name="Hopper", email="grace@example.org")
        assert len(receiver.requests) == 3
        # The same signed body each time.
        assert len({r.body for r in receiver.requests}) == 1
        attempts = list(WebhookDelivery.objects.filter(webhook=hook).order_by("attempt"))
        assert [a.attempt for a in attempts] == [1, 2, 3]
        assert [a.status for a in attempts] == ["retrying", "retrying", "succeeded"]
        assert [a.status_code for a in attempts] == [500, 500, 200]
        assert "receiver says no" in attempts[0].response_excerpt
        assert attempts[0].error.startswith("HTTP 500")
        assert len({a.delivery_id for a in attempts}) == 1


@pytest.mark.django_db(transaction=True)
def test_delivery_gives_up_after_max_attempts():
    with http_receiver(statuses=[503]) as receiver:
        hook = make_hook(receiver.url, max_attempts=2)
        Person.objects.create(first_name="Alan", last_name="Turing", email="alan@example.org")
        assert len(receiver.requests) == 2
        statuses = list(
            WebhookDelivery.objects.filter(webhook=hook).order_by("attempt").values_list("status", flat=True)
        )
        assert statuses == ["retrying", "failed"]


@pytest.mark.django_db
def test_connection_error_is_recorded_and_retried_later_with_backoff():
    hook = Webhook.objects.create(
        name="dead", payload_url="http://127.0.0.1:9/nothing", max_attempts=3, timeout=2
    )
    dummy = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        from django.tasks import default_task_backend

        status = deliver(webhook_id=hook.pk, payload={"event": "x"}, delivery_id=uuid.uuid4().hex, attempt=1)
        assert status == "retrying"
        (queued,) = default_task_backend.results
        assert queued.task.func is deliver_webhook.func
        assert queued.args[3] == 2  # the next attempt
        assert queued.task.run_after is not None
    row = WebhookDelivery.objects.get()
    assert row.status_code is None and row.error


@pytest.mark.django_db(transaction=True)
def test_private_destinations_are_refused_unless_listed(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    with http_receiver() as receiver:
        hook = make_hook(receiver.url, max_attempts=1)
        Person.objects.create(first_name="Eve", last_name="Mallory", email="eve@example.org")
        assert receiver.requests == []  # nothing reached the loopback receiver
        row = WebhookDelivery.objects.get(webhook=hook)
        assert row.status == "failed" and "which webhooks may not reach" in row.error
        settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
        Person.objects.create(first_name="Ann", last_name="Allowed", email="ann@example.org")
        assert len(receiver.requests) == 1


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.10", False),
        ("172.16.5.4", False),
        ("169.254.169.254", False),  # cloud metadata endpoints
        ("100.64.0.1", False),
        ("0.0.0.0", False),  # noqa: S104 - an address under test, not a bind
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),
        ("224.0.0.1", False),
    ],
)
def test_only_public_addresses_are_reachable_by_default(address, allowed, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    assert destination_allowed(address) is allowed
    settings.WEBHOOK_ALLOWED_NETWORKS = ["10.0.0.0/8", "fe80::/10"]
    assert destination_allowed("10.1.2.3") and destination_allowed("fe80::1%eth0")


def test_backoff_grows_exponentially_and_is_capped():
    assert [backoff_delay(n, base=10, jitter=0) for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
    assert backoff_delay(30, base=10, cap=600, jitter=0) == 600


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["ftp://example.org/x", "javascript:alert(1)", "example.org", "file:///etc/passwd"]
)
def test_non_http_url_is_refused_naming_the_field(url):
    hook = Webhook(name="bad", payload_url=url)
    with pytest.raises(ValidationError) as exc:
        hook.full_clean()
    assert "payload_url" in exc.value.message_dict


@pytest.mark.django_db
def test_api_refuses_bad_url_and_reserved_header_and_creates_nothing(admin_client):
    url = reverse("api:core-webhook-list")
    response = admin_client.post(
        url, {"name": "x", "payload_url": "gopher://x"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "payload_url" in response.json()
    response = admin_client.post(
        url,
        {"name": "x", "payload_url": "https://example.org/h", "headers": {"X-Steward-Signature": "forged"}},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "headers" in response.json()
    assert not Webhook.objects.exists()


@pytest.mark.django_db
def test_api_hides_secret_and_lists_deliveries(admin_client):
    hook = Webhook.objects.create(name="h", payload_url="https://example.org/h", secret=SECRET)
    WebhookDelivery.objects.create(
        webhook=hook, event="org.person.created", attempt=1, status="failed", status_code=500
    )
    body = admin_client.get(reverse("api:core-webhook-detail", kwargs={"pk": hook.pk})).json()
    assert "secret" not in body
    deliveries = admin_client.get(reverse("api:core-webhook-deliveries", kwargs={"pk": hook.pk})).json()
    assert [(d["event"], d["status_code"], d["attempt"]) for d in deliveries] == [
        ("org.person.created", 500, 1)
    ]


@pytest.mark.django_db
def test_detail_page_shows_delivery_log(admin_client):
    hook = Webhook.objects.create(name="h", payload_url="https://example.org/h", secret=SECRET)
    WebhookDelivery.objects.create(
        webhook=hook,
        event="org.person.updated",
        attempt=2,
        status="retrying",
        status_code=502,
        error="HTTP 502 Bad",
    )
    page = admin_client.get(reverse("core:webhook_detail", kwargs={"pk": hook.pk})).content.decode()
    assert "org.person.updated" in page and "HTTP 502 Bad" in page
    assert SECRET not in page


@pytest.mark.django_db
def test_ui_form_refuses_bad_url(admin_client):
    response = admin_client.post(
        reverse("core:webhook_add"),
        {
            "name": "x",
            "payload_url": "ftp://example.org",
            "http_method": "POST",
            "timeout": 10,
            "max_attempts": 3,
            "headers": "{}",
        },
    )
    assert response.status_code == 422
    assert "payload_url" in response.context["form"].errors
    assert not Webhook.objects.exists()
