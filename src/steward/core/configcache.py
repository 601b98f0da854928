"""Configuration that nearly every write reads, memoised per process.

Custom-field definitions, workflow overrides, event rules, SLA policies, assignment rules and
the priority matrix are read on every incident create (six queries, a third of its time) and
change a few times a year. Each process keeps what it read, tagged with the configuration
version it read it under; a lookup costs one read of that version (a one-row table, plain SQL)
instead of the ORM queries.

Any change of a watched model goes through the change log (``save()``, ``delete()``,
many-to-many edits and every bulk write of the platform record their rows there), and a change
hook then writes a new *random* version in the same transaction. So:

- the writing transaction sees its change at once (no memo carries its version);
- other processes see it when it commits, not before (they still read the old version);
- a rollback restores the old version, and what was read under the discarded one is never
  matched again, because versions are random rather than counted up.

A write that bypasses the change log (``QuerySet.update``, raw SQL) on a watched model must call
``bump()`` itself. Memoised model instances are shared: ``cached`` hands out what ``load``
returned, so loaders return copies or immutable values when callers may modify them.

Within one web request the version is read once, by the first lookup, and reused by the
request's other lookups (an incident create makes six): a change another process commits
meanwhile is seen by the next request. A request that writes configuration itself (``bump()``)
reads the version at every lookup for the rest of the request, so a rollback of its own change
is never hidden behind a remembered version. Outside requests (jobs, commands, shells) every
lookup reads it.
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Callable, Hashable, Iterable
from contextvars import ContextVar
from functools import cache
from typing import Any

from django.core.signals import request_finished, request_started
from django.db import connection, models

_memo: dict[Hashable, tuple[int, Any]] = {}
_watched: set[str] = set()

#: The version this request read, or one of the two markers below.
_OUTSIDE, _UNREAD = -1, 0  # not in a request (read every time) / in a request, not read yet
_request_version: ContextVar[int | None] = ContextVar("steward_config_version", default=_OUTSIDE)


@cache
def _table() -> str:
    from steward.core.models import ConfigVersion

    return connection.ops.quote_name(ConfigVersion._meta.db_table)


def version() -> int | None:
    """The configuration version this connection sees; None if its row is missing.

    The row is created by a migration; only a flushed test database lacks it, and then nothing
    is memoised (what a process remembers may describe rows the flush removed)."""
    seen = _request_version.get()
    if seen is not None and seen > 0:
        return seen
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {_table()} WHERE id = 1")  # noqa: S608 - own quoted table name  # nosec B608
        row = cursor.fetchone()
    current = row[0] if row else None
    if seen == _UNREAD and current is not None:
        _request_version.set(current)
    return current


def bump() -> None:
    """Mark every memoised configuration stale (for this transaction, and for all at commit)."""
    token = secrets.randbits(62) + 1
    if _request_version.get() != _OUTSIDE:
        _request_version.set(None)  # read at every lookup for the rest of this request
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table()} (id, token) VALUES (1, %s) "  # noqa: S608 - own quoted table name  # nosec B608
            "ON CONFLICT (id) DO UPDATE SET token = excluded.token",
            [token],
        )


def cached(key: Hashable, load: Callable[[], Any]) -> Any:
    """``load()``'s value, read again only when the configuration version has changed."""
    current = version()
    if current is None:
        return load()
    hit = _memo.get(key)
    if hit is not None and hit[0] == current:
        return hit[1]
    value = load()
    _memo[key] = (current, value)
    return value


def copies(instances: Iterable[models.Model]) -> list[models.Model]:
    """Shallow copies of memoised rows, each with its own state (related-object caches)."""
    return [copy.copy(obj) for obj in instances]


def watch(*models_: type[models.Model]) -> None:
    """Changes of these models invalidate the memo."""
    _watched.update(m._meta.label_lower for m in models_)


def on_changes(rows: list[Any]) -> None:
    """Change hook: a row of a watched model changed in this transaction."""
    if not _watched:
        return
    from django.contrib.contenttypes.models import ContentType

    for type_id in {row.changed_object_type_id for row in rows}:
        ct = ContentType.objects.get_for_id(type_id)
        if f"{ct.app_label}.{ct.model}" in _watched:
            bump()
            return


def _request_began(**_kwargs: Any) -> None:
    _request_version.set(_UNREAD)


def _request_ended(**_kwargs: Any) -> None:
    _request_version.set(_OUTSIDE)


request_started.connect(_request_began, dispatch_uid="steward.configcache.request_started")
request_finished.connect(_request_ended, dispatch_uid="steward.configcache.request_finished")


def clear() -> None:
    """Forget everything memoised in this process (tests)."""
    _memo.clear()
