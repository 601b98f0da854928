"""Signed webhook delivery with retries; every attempt is written to the delivery log.

The body is the event payload as compact JSON. ``X-Steward-Signature: sha256=<hex>`` is the
HMAC-SHA256 of the raw body under the webhook's secret; the body carries the event's
``timestamp`` and ``id`` (also sent as ``X-Steward-Timestamp`` and ``X-Steward-Delivery``), so
a receiver can refuse stale or replayed deliveries. Redirects are not followed.

Server-side request forgery: a webhook may only reach public addresses, unless the destination
is listed in ``STEWARD_WEBHOOK_ALLOWED_NETWORKS``. The check runs on every address the host name
resolves to, at connection time, and the socket connects to the address that was checked, so a
DNS answer that changes between the check and the connection cannot slip through.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import time
import urllib.error
import urllib.request
import uuid
from typing import Any

from django.conf import settings
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


class DestinationRefused(OSError):
    """The webhook's host resolves to an address outside what webhooks may reach."""


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(n, strict=False) for n in getattr(settings, "WEBHOOK_ALLOWED_NETWORKS", [])]


def destination_allowed(address: str) -> bool:
    """True for a public address, or one inside ``STEWARD_WEBHOOK_ALLOWED_NETWORKS``."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in network for network in _allowed_networks()):
        return True
    return ip.is_global and not ip.is_multicast


def _guarded_connection(
    address: tuple[str, int], timeout: Any = socket._GLOBAL_DEFAULT_TIMEOUT, source_address: Any = None
) -> socket.socket:
    """``socket.create_connection``, refusing (before connecting) any address that is not allowed."""
    host, port = address
    last: OSError | None = None
    for family, kind, proto, _name, sockaddr in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM):
        if not destination_allowed(sockaddr[0]):
            last = DestinationRefused(f"{host} resolves to {sockaddr[0]}, which webhooks may not reach")
            continue
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            sock.close()
            last = exc
    raise last or OSError(f"{host} does not resolve")


class _GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_connection


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_connection


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_GuardedHTTPConnection, req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_GuardedHTTPSConnection, req, context=self._context)


# No proxies from the environment: a proxy would connect on our behalf, past the address check.
_opener = urllib.request.build_opener(
    urllib.request.ProxyHandler({}), _NoRedirect, _GuardedHTTPHandler, _GuardedHTTPSHandler
)


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
