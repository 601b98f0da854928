"""Prometheus Alertmanager webhook payloads: parsed and checked before anything is written.

Alertmanager posts its version "4" notification: ``receiver``, ``status``, ``alerts[]`` (each
with ``status``, ``labels``, ``annotations``, ``startsAt``, ``endsAt``, ``generatorURL`` and
``fingerprint``), plus group fields we do not need. ``parse_notification`` turns it into
``ParsedAlert`` values or raises ``PayloadError`` naming the first bad field by its path
(``alerts[2].labels.alertname``), so the endpoint can answer 400 and write nothing.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from steward.utilities.timestamps import parse_aware

#: Go's zero time: Alertmanager's ``endsAt`` of an alert with no known end.
GO_ZERO_YEAR = 1
MAX_ALERTS = 1000
TOKEN_SCOPE = "itsm.alerts"  # noqa: S105 - a scope name, not a secret  # nosec B105


class PayloadError(ValueError):
    """A malformed notification; ``field`` is the path of the offending value."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ParsedAlert:
    fingerprint: str
    status: str
    name: str
    labels: dict[str, str]
    annotations: dict[str, str]
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    generator_url: str = ""
    host: str = ""
    severity: str = ""


@dataclass(frozen=True)
class Notification:
    receiver: str
    alerts: list[ParsedAlert] = field(default_factory=list)


def host_from_label(value: str) -> str:
    """The host of an ``instance``/``host`` label: scheme, path and port stripped.

    ``node1:9100`` → ``node1``; ``[2001:db8::1]:9100`` → ``2001:db8::1``; ``http://web:80/x`` →
    ``web``; a bare IPv6 address stays whole.
    """
    value = (value or "").strip()
    if "://" in value:
        value = value.split("://", 1)[1]
    value = value.split("/", 1)[0].split("@")[-1]
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    try:
        ipaddress.IPv6Address(value)
        return value
    except ValueError:
        pass
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def _text_map(value: Any, path: str, *, required: bool) -> dict[str, str]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise PayloadError(path, _("expected an object of text values"))
    for key, item in value.items():
        if not isinstance(item, str):
            raise PayloadError(f"{path}.{key}", _("expected text"))
    return dict(value)


def _time(value: Any, path: str, *, required: bool) -> dt.datetime | None:
    if value in (None, "") and not required:
        return None
    try:
        parsed = parse_aware(value)
    except ValueError as exc:
        raise PayloadError(path, str(exc)) from None
    if parsed.year == GO_ZERO_YEAR:
        if required:
            raise PayloadError(path, _("the timestamp is not set"))
        return None
    return parsed


def _alert(raw: Any, path: str) -> ParsedAlert:
    if not isinstance(raw, dict):
        raise PayloadError(path, _("expected an object"))
    status = raw.get("status")
    if status not in ("firing", "resolved"):
        raise PayloadError(f"{path}.status", _("expected firing or resolved"))
    labels = _text_map(raw.get("labels"), f"{path}.labels", required=True)
    name = labels.get("alertname", "").strip()
    if not name:
        raise PayloadError(f"{path}.labels.alertname", _("every alert needs an alertname label"))
    fingerprint = raw.get("fingerprint")
    if not isinstance(fingerprint, str) or not fingerprint.strip() or len(fingerprint) > 64:
        raise PayloadError(
            f"{path}.fingerprint", _("expected the alert's fingerprint (at most 64 characters)")
        )
    annotations = _text_map(raw.get("annotations"), f"{path}.annotations", required=False)
    starts_at = _time(raw.get("startsAt"), f"{path}.startsAt", required=True)
    ends_at = _time(raw.get("endsAt"), f"{path}.endsAt", required=False)
    if starts_at is None:  # unreachable: a required time is parsed or refused
        raise PayloadError(f"{path}.startsAt", _("the timestamp is not set"))
    if status == "resolved" and ends_at is None:
        raise PayloadError(f"{path}.endsAt", _("a resolved alert needs its end time"))
    if ends_at is not None and ends_at < starts_at:
        raise PayloadError(f"{path}.endsAt", _("the alert cannot end before it starts"))
    url = raw.get("generatorURL") or ""
    if not isinstance(url, str) or len(url) > 500:
        raise PayloadError(f"{path}.generatorURL", _("expected a URL of at most 500 characters"))
    host = host_from_label(labels.get("instance") or labels.get("host") or "")
    return ParsedAlert(
        fingerprint=fingerprint.strip(),
        status=status,
        name=name[:200],
        labels=labels,
        annotations=annotations,
        starts_at=starts_at,
        ends_at=ends_at if status == "resolved" else None,
        generator_url=url,
        host=host[:255],
        severity=labels.get("severity", "")[:50],
    )


def parse_notification(payload: Any) -> Notification:
    """Check a whole webhook body; raises ``PayloadError`` at the first problem."""
    if not isinstance(payload, dict):
        raise PayloadError("body", _("expected a JSON object"))
    version = payload.get("version", "4")
    if str(version) != "4":
        raise PayloadError("version", _("only Alertmanager's webhook version 4 is understood"))
    receiver = payload.get("receiver", "")
    if not isinstance(receiver, str) or len(receiver) > 100:
        raise PayloadError("receiver", _("expected text of at most 100 characters"))
    alerts = payload.get("alerts")
    if not isinstance(alerts, list) or not alerts:
        raise PayloadError("alerts", _("expected a non-empty list of alerts"))
    if len(alerts) > MAX_ALERTS:
        raise PayloadError("alerts", _("at most %(n)d alerts per notification") % {"n": MAX_ALERTS})
    return Notification(receiver=receiver, alerts=[_alert(a, f"alerts[{i}]") for i, a in enumerate(alerts)])
