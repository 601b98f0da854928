"""Signed webhook delivery with retries; every attempt is written to the delivery log.

The body is the event payload as compact JSON. ``X-Steward-Signature: sha256=<hex>`` is the
HMAC-SHA256 of the raw body under the webhook's secret; the body carries the event's
``timestamp`` and ``id`` (also sent as ``X-Steward-Timestamp`` and ``X-Steward-Delivery``), so
a receiver can refuse stale or replayed deliveries. Redirects are not followed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid
from typing import Any

from django.tasks import task
from django.utils import timezone

from steward.core.jobs import enqueue_retry

EXCERPT = 1000
USER_AGENT = "Steward-Webhook/1"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    """What a receiver does: recompute and compare in constant time."""
    return hmac.compare_digest(sign(secret, body), signature)


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def queue_delivery(*, webhook_id: int, payload: dict[str, Any]) -> Any:
    """Enqueue the first attempt of delivering ``payload`` (call after commit)."""
    return deliver_webhook.enqueue(webhook_id, payload, uuid.uuid4().hex, 1)


@task()
def deliver_webhook(webhook_id: int, payload: dict[str, Any], delivery_id: str, attempt: int = 1) -> str:
    """Make one delivery attempt; on failure enqueue the next one after a backoff."""
    return deliver(webhook_id=webhook_id, payload=payload, delivery_id=delivery_id, attempt=attempt)


def deliver(*, webhook_id: int, payload: dict[str, Any], delivery_id: str, attempt: int = 1) -> str:
    from steward.core.models import DeliveryStatus, Webhook, WebhookDelivery

    webhook = Webhook.objects.filter(pk=webhook_id, enabled=True).first()
    if webhook is None:
        return "skipped"
    body = encode(payload)
    stamp = str(int(time.time()))
    headers = {
        **{str(k): str(v) for k, v in (webhook.headers or {}).items()},
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Steward-Event": str(payload.get("event", "")),
        "X-Steward-Delivery": delivery_id,
        "X-Steward-Timestamp": stamp,
    }
    if webhook.secret:
        headers["X-Steward-Signature"] = sign(webhook.secret, body)
    request = urllib.request.Request(  # noqa: S310 - the scheme is limited to http/https by Webhook.clean
        webhook.payload_url, data=body, headers=headers, method=webhook.http_method
    )
    status_code: int | None = None
    excerpt = ""
    error = ""
    clock = time.monotonic()
    try:
        with _opener.open(request, timeout=webhook.timeout) as response:  # noqa: S310
            status_code = response.status
            excerpt = response.read(EXCERPT).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        status_code = exc.code
        excerpt = exc.read(EXCERPT).decode("utf-8", "replace") if exc.fp else ""
        error = f"HTTP {exc.code} {exc.reason}"
    except Exception as exc:  # noqa: BLE001 - network errors of every kind are recorded
        error = f"{type(exc).__name__}: {exc}"
    duration_ms = int((time.monotonic() - clock) * 1000)
    ok = status_code is not None and 200 <= status_code < 300
    if ok:
        status = DeliveryStatus.SUCCEEDED
    elif attempt < webhook.max_attempts:
        status = DeliveryStatus.RETRYING
    else:
        status = DeliveryStatus.FAILED
    WebhookDelivery.objects.create(
        webhook=webhook,
        delivery_id=uuid.UUID(delivery_id),
        event=str(payload.get("event", ""))[:100],
        attempt=attempt,
        status=status,
        status_code=status_code,
        response_excerpt=excerpt,
        error=error[:2000],
        duration_ms=duration_ms,
        request_body=body.decode()[:20000] if attempt == 1 else "",
    )
    if status == DeliveryStatus.RETRYING:
        enqueue_retry(deliver_webhook, attempt=attempt, args=(webhook_id, payload, delivery_id, attempt + 1))
    elif status == DeliveryStatus.FAILED and payload.get("event") != "core.webhook.failed":
        from steward.core.events import Event, emit

        emit(
            Event(
                name="core.webhook.failed",
                model="core.webhook",
                object_id=webhook.pk,
                object_repr=str(webhook),
                data={
                    "webhook": webhook.name,
                    "event": payload.get("event"),
                    "attempts": attempt,
                    "error": error,
                },
                timestamp=timezone.now().isoformat(),
            )
        )
    return status
