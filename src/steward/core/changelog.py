"""Writing and verifying the hash-chained change log.

Every create, update and delete of a ``StewardModel`` is recorded here, whether it came from
the UI, the API, an import, a job or the CLI: the model signals call ``record``; bulk paths
call ``record_many`` once per batch. Appending locks the single ``ChangeLogHead`` row, so
the chain has no forks even with many writers on PostgreSQL.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from json.encoder import encode_basestring
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, router, transaction
from django.db.models.base import ModelState
from django.utils import timezone

from steward.core import bulk
from steward.core.context import current_actor, current_request_id, current_source
from steward.core.models.changelog import GENESIS_HASH, ChangeLogHead, ObjectChange
from steward.core.registry import registry
from steward.core.serialization import snapshot

IGNORED_IN_DIFF = {"last_updated"}


@dataclass(frozen=True)
class Change:
    instance: models.Model
    action: str
    pre: dict[str, Any] | None
    post: dict[str, Any] | None


def is_noop(pre: dict[str, Any] | None, post: dict[str, Any] | None) -> bool:
    if pre is None or post is None:
        return False
    return {k: v for k, v in pre.items() if k not in IGNORED_IN_DIFF} == {
        k: v for k, v in post.items() if k not in IGNORED_IN_DIFF
    }


@cache
def _head_sql(vendor: str) -> tuple[str, str]:
    """The head's lock-and-read and its update, as plain SQL: every write of the platform runs
    them, and compiling them through the ORM cost more than running them."""
    connection = transaction.get_connection()
    table = connection.ops.quote_name(ChangeLogHead._meta.db_table)
    # SQLite has no row locks: the write transaction (BEGIN IMMEDIATE) already serialises writers.
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return (
        f"SELECT seq, hash FROM {table} WHERE id = 1{lock}",  # noqa: S608  # nosec B608 - own table
        f"UPDATE {table} SET seq = %s, hash = %s WHERE id = 1",  # noqa: S608  # nosec B608 - own table
    )


def _lock_head() -> tuple[int, str]:
    """Lock the chain's head row (creating it on first use); its sequence number and hash."""
    connection = transaction.get_connection()
    select, _update = _head_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(select)
        row = cursor.fetchone()
        if row is None:
            ChangeLogHead.objects.bulk_create([ChangeLogHead(pk=1)], ignore_conflicts=True)
            cursor.execute(select)
            row = cursor.fetchone()
    return row[0], row[1]


def _move_head(seq: int, hash_: str) -> None:
    connection = transaction.get_connection()
    with connection.cursor() as cursor:
        cursor.execute(_head_sql(connection.vendor)[1], [seq, hash_])


def record_many(changes: Iterable[Change]) -> list[ObjectChange]:
    """Append ``changes`` to the chain in one locked step; returns the rows written."""
    changes = [c for c in changes if not (c.action == "update" and is_noop(c.pre, c.post))]
    if not changes:
        return []
    actor = current_actor()
    if hasattr(actor, "resolve"):
        actor = actor.resolve()
    user = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    common = {
        "time": now,
        "user_id": user.pk if user else None,
        "user_name": user.get_username() if user else (str(actor) if actor else ""),
        "request_id": current_request_id(),
        "source": current_source(),
    }
    types: dict[type, int] = {}
    rows = []
    params = []
    db = router.db_for_write(ObjectChange)
    connection = connections[db]
    # Values that are the same for every row, converted for the database once.
    time_db = _TIME_FIELD.get_db_prep_save(now, connection)
    time_json = _ENCODE(now.isoformat())
    user_id_json = _ENCODE(common["user_id"])
    user_name_json = _ENCODE(common["user_name"])
    request_id_json = _ENCODE(common["request_id"])
    source_json = _ENCODE(common["source"])
    with transaction.atomic(using=db, savepoint=False):  # all or nothing with the caller's write
        seq, prev = _lock_head()
        for change in changes:
            seq += 1
            model = type(change.instance)
            if model not in types:
                types[model] = ContentType.objects.get_for_model(model).pk
            type_id, object_id = types[model], change.instance.pk
            object_repr = str(change.instance)[:200]
            pre_json = "null" if change.pre is None else _ENCODE(change.pre)
            post_json = "null" if change.post is None else _ENCODE(change.post)
            id_json = str(object_id) if type(object_id) is int else _ENCODE(object_id)
            # The hash payload (``ObjectChange.hash_payload``) written key by key in sorted order:
            # byte for byte what ``chain_hash`` encodes, and each snapshot is encoded only once,
            # for the hash and for the row alike (``test_changelog`` checks the equality).
            body = (
                f'{{"action":{_ENCODE(change.action)},"object_id":{id_json},"post":{post_json},'
                f'"pre":{pre_json},"repr":{_ENCODE_TEXT(object_repr)},"request_id":{request_id_json},'
                f'"seq":{seq},"source":{source_json},"time":{time_json},"type":{type_id},'
                f'"user_id":{user_id_json},"user_name":{user_name_json}}}'
            )
            digest = hashlib.sha256((prev + body).encode()).hexdigest()
            rows.append(
                _row(
                    {
                        **common,
                        "seq": seq,
                        "action": change.action,
                        "changed_object_type_id": type_id,
                        "changed_object_id": object_id,
                        "object_repr": object_repr,
                        "prechange_data": change.pre,
                        "postchange_data": change.post,
                        "prev_hash": prev,
                        "hash": digest,
                    },
                    db,
                )
            )
            params.append(
                (
                    seq, time_db, common["user_id"], common["user_name"], common["request_id"],
                    common["source"], change.action, type_id, object_id, object_repr,
                    None if change.pre is None else pre_json, None if change.post is None else post_json,
                    prev, digest,
                )
            )  # fmt: skip
            prev = digest
        keys = bulk.insert_rows(ObjectChange, _INSERT_NAMES, params, using=db, prepared=True)
        for row, key in zip(rows, keys, strict=True):
            row.id = key
        _move_head(seq, prev)
        for hook in registry.change_hooks:
            hook(rows)
    return rows


_ENCODE = DjangoJSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
"""``chain_hash``'s JSON encoding, one encoder reused (``json.dumps`` builds one per call)."""
_ENCODE_TEXT = encode_basestring
"""What that encoder does with a string (``ensure_ascii=False``), called directly."""
_TIME_FIELD = ObjectChange._meta.get_field("time")
_INSERT_NAMES = (
    "seq", "time", "user_id", "user_name", "request_id", "source", "action", "changed_object_type_id",
    "changed_object_id", "object_repr", "prechange_data", "postchange_data", "prev_hash", "hash",
)  # fmt: skip


def _row(values: dict[str, Any], db: str) -> ObjectChange:
    """An ObjectChange as ``from_db`` would give it, without ``Model.__init__``'s per-field work.

    A bulk append builds thousands of these for the change hooks and the caller; every concrete
    field is in ``values`` (the key is set after the insert).
    """
    row = ObjectChange.__new__(ObjectChange)
    row.__dict__.update(values)
    row.id = None
    state = row._state = ModelState()
    state.adding, state.db = False, db
    return row


def record(
    instance: models.Model, action: str, pre: dict[str, Any] | None, post: dict[str, Any] | None
) -> None:
    rows = record_many([Change(instance, action, pre, post)])
    if rows and action != "delete":
        _remember_row(instance, rows[-1])


def _remember_row(instance: models.Model, row: ObjectChange) -> None:
    """Keep the row just written until the transaction commits, so related writes can join it."""
    instance._open_change = row
    transaction.on_commit(lambda: setattr(instance, "_open_change", None))


def record_related(instance: models.Model, pre: dict[str, Any], post: dict[str, Any]) -> None:
    """Record a change of what hangs off ``instance`` (members, tags) as part of its own edit.

    When the same transaction has just logged a create or update of ``instance`` and that row
    is still the last of the chain, the row is rewritten to include ``pre``/``post``: one edit
    of a form or API body stays one change-log row. Otherwise a separate update row is written.
    The rewritten row was never committed, so no history that anybody saw is altered.
    """
    row = getattr(instance, "_open_change", None)
    if row is not None and transaction.get_connection().in_atomic_block:
        with transaction.atomic():
            head_seq, _head_hash = _lock_head()
            if head_seq == row.seq and ObjectChange.objects.filter(pk=row.pk).exists():
                ObjectChange.objects.filter(pk=row.pk).delete()
                _move_head(row.seq - 1, row.prev_hash)
                merged_pre = None if row.action == "create" else {**(row.prechange_data or {}), **pre}
                merged_post = {**(row.postchange_data or {}), **post}
                rows = record_many([Change(instance, row.action, merged_pre, merged_post)])
                if rows:
                    instance._open_change = rows[-1]
                return
    record(instance, "update", pre, post)


def remember_state(instance: models.Model, update_fields: Iterable[str] | None = None) -> None:
    """After a write, the values it stored become the instance's before-image for the next one.

    Deferred fields are not read (that would cost a query each), and fields left out of
    ``update_fields`` keep their previous before-image: neither was written.
    """
    previous = getattr(instance, "_loaded_values", None) or {}
    deferred = instance.get_deferred_fields()
    saved = None if update_fields is None else _attnames(instance, update_fields)
    values = {}
    for f in instance._meta.concrete_fields:
        if f.attname in deferred or (saved is not None and f.attname not in saved):
            if f.attname in previous:
                values[f.attname] = previous[f.attname]
        else:
            values[f.attname] = getattr(instance, f.attname)
    instance._loaded_values = values


def _attnames(instance: models.Model, names: Iterable[str]) -> set[str]:
    return {instance._meta.get_field(n).attname for n in names}


# --- verification ---------------------------------------------------------------------------
@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify_chain(batch: int = 5000) -> VerifyResult:
    """Walk the whole chain in order; name the first row that was altered or is missing."""
    prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    last_pk = 0
    qs = ObjectChange.objects.order_by("seq")
    while True:
        rows = list(qs.filter(seq__gt=last_pk)[:batch])
        if not rows:
            break
        for row in rows:
            if row.seq != expected_seq:
                return VerifyResult(False, checked, expected_seq, f"row #{expected_seq} is missing")
            if row.prev_hash != prev:
                return VerifyResult(
                    False, checked, row.seq, f"row #{row.seq} does not link to the row before it"
                )
            if row.compute_hash() != row.hash:
                return VerifyResult(False, checked, row.seq, f"row #{row.seq} was altered (hash mismatch)")
            prev = row.hash
            expected_seq += 1
            checked += 1
        last_pk = rows[-1].seq
    head = ChangeLogHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev):
        return VerifyResult(False, checked, expected_seq, f"rows after #{expected_seq - 1} were removed")
    return VerifyResult(True, checked)


def history_for(instance: models.Model) -> Sequence[ObjectChange]:
    ct = ContentType.objects.get_for_model(instance)
    return ObjectChange.objects.filter(changed_object_type=ct, changed_object_id=instance.pk).select_related(
        "user"
    )


__all__ = ["Change", "record", "record_many", "remember_state", "snapshot", "verify_chain", "history_for"]
