"""Who is changing data, from where: carried through a request, job, import or CLI command.

The change log reads these values, so every write records its actor and request id without
each caller passing them down through every layer.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_actor: ContextVar[Any] = ContextVar("steward_actor", default=None)
_request_id: ContextVar[str] = ContextVar("steward_request_id", default="")
_source: ContextVar[str] = ContextVar("steward_source", default="system")


def current_actor() -> Any:
    return _actor.get()


def current_request_id() -> str:
    return _request_id.get()


def current_source() -> str:
    return _source.get()


@contextmanager
def change_context(
    *, actor: Any = None, request_id: str | None = None, source: str = "system"
) -> Iterator[str]:
    """Attribute every change made inside the block to ``actor`` under one request id."""
    rid = request_id or uuid.uuid4().hex
    tokens = (_actor.set(actor), _request_id.set(rid), _source.set(source))
    try:
        yield rid
    finally:
        _actor.reset(tokens[0])
        _request_id.reset(tokens[1])
        _source.reset(tokens[2])
