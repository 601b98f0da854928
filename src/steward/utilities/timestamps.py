"""Timestamps read from machine payloads (webhooks, metric batches)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _


def parse_aware(value: Any) -> dt.datetime:
    """An ISO 8601 / RFC 3339 timestamp with its offset, in UTC; ``ValueError`` says what is wrong.

    Fractions beyond microseconds (Go writes nanoseconds) are accepted and truncated.
    """
    if not isinstance(value, str):
        raise ValueError(_("expected an ISO 8601 timestamp with a time zone"))
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(_("expected an ISO 8601 timestamp with a time zone")) from None
    if parsed.tzinfo is None:
        raise ValueError(_("the timestamp needs a time zone (Z or ±hh:mm)"))
    return parsed.astimezone(dt.UTC)
