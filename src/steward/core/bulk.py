"""Fast multi-row writes for the bulk paths (importers, change log, search index, matching jobs).

Inserts
-------

``QuerySet.bulk_create`` compiles its ``INSERT`` through the ORM's SQL compiler, which asks
every field of every row for its placeholder and prepared value: for a 20-column model that is
most of an import's time. ``insert`` writes the same rows with one ``INSERT … VALUES (…), (…)
RETURNING pk`` per chunk, the placeholders repeated by string multiplication and each value
converted once. Plain text, integer, boolean and foreign-key values pass as they are; anything
else (dates, decimals, JSON, values of an unexpected type) still goes through the field's own
``get_db_prep_save``, so the stored values are exactly what ``bulk_create`` would store.

On PostgreSQL, from ``COPY_FROM`` rows, the keys are drawn from the table's sequence and the rows
sent by ``COPY`` (the server's bulk path); fewer rows go by ``INSERT … SELECT … FROM UNNEST`` with
one array per column (ADR 0032).

Like ``bulk_create`` it sends no signals and calls neither ``save()`` nor ``clean()``: the
caller has validated the rows and writes the change log and search index itself. When the
database cannot return the new keys from a multi-row insert, or a field needs a custom
placeholder, it falls back to ``bulk_create``.

Updates
-------
``update_rows``: one prepared ``UPDATE … WHERE pk = %s`` executed for many rows.

Django's ``bulk_update`` builds one ``CASE WHEN pk = … THEN …`` expression per field and row,
which costs milliseconds per row to compile once rows differ. ``update_rows`` sends a single
parameterised statement with ``executemany`` instead (the driver runs it for every row), with
each value converted exactly as ``save()`` would (``get_db_prep_save``). It writes only the
columns named and sends no signals: callers record the change log themselves
(``changelog.record_many``), as every bulk write of the platform does.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from typing import Any

from django.db import connections, models, router, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute

_PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)
_PLAIN_TYPES = (str, int, bool)
_JSON_TYPES = (dict, list, str, int, float, bool)
_EMPTY_JSON = {dict: "{}", list: "[]"}
_DATE_PRE_SAVES = (models.DateField.pre_save, models.DateTimeField.pre_save, models.TimeField.pre_save)


def _is_plain(field: models.Field) -> bool:
    """Whether a str/int/bool value of ``field`` reaches the database unchanged."""
    if isinstance(field, models.ForeignKey):
        return _is_plain(field.target_field)
    return isinstance(field, _PLAIN_FIELDS) and not isinstance(field, models.JSONField)


def _needs_pre_save(field: models.Field) -> bool:
    """Fields whose ``pre_save`` computes the value (``auto_now``…), not just reads it.

    Django's own date and time fields compute it only with ``auto_now``/``auto_now_add``; any
    other date just reads the attribute back, so it is not asked once per row.
    """
    pre_save = type(field).pre_save
    if pre_save in _DATE_PRE_SAVES:
        return field.auto_now or field.auto_now_add
    return pre_save is not models.Field.pre_save


_NONE = frozenset({type(None)})
_PLAIN_OR_NONE = frozenset({type(None), *_PLAIN_TYPES})


def _converter(field: models.Field, connection: Any) -> Callable[[Any], Any]:
    """One value of ``field`` as ``get_db_prep_save`` gives it, with short cuts for common types."""
    return _conversion(field, connection)[0]


def _conversion(field: models.Field, connection: Any) -> tuple[Callable[[Any], Any], frozenset[type]]:
    """The converter of ``field``'s values, and the types of value it returns unchanged."""
    prep = field.get_db_prep_save
    if (
        isinstance(field, models.JSONField)
        and type(connection.ops).adapt_json_value is BaseDatabaseOperations.adapt_json_value
        and type(field).get_db_prep_save is models.JSONField.get_db_prep_save
        and type(field).get_db_prep_value is models.JSONField.get_db_prep_value
        and type(field).get_prep_value is models.Field.get_prep_value
    ):
        # The backend stores ``json.dumps(value, cls=encoder)`` (SQLite): one encoder for every row
        # instead of one built per value; the same text.
        encode = (field.encoder or json.JSONEncoder)().encode

        def convert_json(value: Any) -> Any:
            if value is None:
                return None
            if type(value) in _JSON_TYPES:
                return encode(value) if value else _EMPTY_JSON.get(type(value)) or encode(value)
            return prep(value, connection)

        return convert_json, _NONE
    builtin = type(field)
    if builtin in (models.DateField, models.DateTimeField):
        # What get_db_prep_save does for a date (an aware datetime), minus the layers around the
        # backend's adapter; anything else (strings, naive datetimes) still takes the full path.
        is_datetime = builtin is models.DateTimeField
        adapt = (
            connection.ops.adapt_datetimefield_value if is_datetime else connection.ops.adapt_datefield_value
        )
        kind = dt.datetime if is_datetime else dt.date

        def convert_date(value: Any) -> Any:
            if value is None:
                return None
            if type(value) is kind and (not is_datetime or value.utcoffset() is not None):
                return adapt(value)
            return prep(value, connection)

        return convert_date, _NONE
    if _is_plain(field):

        def convert(value: Any) -> Any:
            if value is None or type(value) in _PLAIN_TYPES:
                return value
            return prep(value, connection)

        return convert, _PLAIN_OR_NONE
    return (lambda value: prep(value, connection)), frozenset()


def _column_converter(field: models.Field, connection: Any) -> Callable[[Sequence[Any]], list[Any]]:
    """``_converter`` over a whole column, in one comprehension; what it keeps as is skips the call.

    A column holding one object in every row (a write's single timestamp) is converted once.
    """
    convert, unchanged = _conversion(field, connection)

    def convert_column(column: Sequence[Any]) -> list[Any]:
        first = column[0]
        if type(first) not in unchanged and all(value is first for value in column):
            return [convert(first)] * len(column)
        if not unchanged:
            return [convert(value) for value in column]
        return [value if type(value) in unchanged else convert(value) for value in column]

    return convert_column


def blank_factory(model: type[models.Model]) -> Callable[[], models.Model]:
    """A maker of new, unsaved instances equal to ``model()``, for paths that build thousands.

    ``Model.__init__`` asks every field for its default on each call; this builds one instance
    up front and copies its values, calling only the callable defaults (``dict``, ``now``…) per
    instance so nothing mutable is shared. A model with ``post_init`` receivers gets ``model``
    itself, so they still run.
    """
    if signals.post_init.has_listeners(model):
        return model
    template = model()
    values = {k: v for k, v in template.__dict__.items() if k != "_state"}
    fresh = [
        (f.attname, f.get_default)
        for f in model._meta.concrete_fields
        if f.has_default() and callable(f.default)
    ]
    new = model.__new__

    def make() -> models.Model:
        obj = new(model)
        attrs = obj.__dict__
        attrs.update(values)
        for name, default in fresh:
            attrs[name] = default()
        obj._state = ModelState()
        return obj

    return make


_PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)


def dict_reader(model: type[models.Model], fields: Sequence[models.Field]) -> Callable[[dict], Any] | None:
    """One C call reading the values of ``fields`` from an instance's ``__dict__``, when that is
    what ``getattr`` would give (None otherwise: a field with a descriptor of its own, e.g. files).

    ``getattr`` goes through a Python descriptor per foreign key; bulk paths read every field of
    thousands of instances. A value missing from ``__dict__`` (deferred) raises ``KeyError``.
    """
    if len(fields) < 2 or any(
        type(inspect.getattr_static(model, f.attname, None)) not in _PLAIN_DESCRIPTORS
        or type(f).value_from_object is not models.Field.value_from_object
        for f in fields
    ):
        return None
    return itemgetter(*(f.attname for f in fields))


def insert(
    model: type[models.Model],
    objs: Sequence[models.Model],
    *,
    using: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Insert unsaved ``objs`` of ``model``; sets each object's primary key and saved state.

    Every object must be new with an automatic primary key left empty. The rows are written in
    the order given; the keys come back from ``RETURNING``, in insertion order as Django's own
    ``bulk_create`` also relies on for SQLite and PostgreSQL. ``now``: the moment the
    ``auto_now``/``auto_now_add`` datetimes of every row get (one write, one time, converted for
    the database once) instead of a clock reading per row.
    """
    if not objs:
        return
    db = using or router.db_for_write(model)
    fields = _insert_fields(model)
    if not _fast(model, fields, db):
        if now is not None:
            _stamp(objs, [f for f in fields if _is_stamp(f)], now)
        model._base_manager.using(db).bulk_create(objs)
        return
    computed = [f for f in fields if _needs_pre_save(f)]
    if now is not None:
        _stamp(objs, [f for f in computed if _is_stamp(f)], now)
        computed = [f for f in computed if not _is_stamp(f)]
    attnames = [f.attname for f in fields]
    read = dict_reader(model, fields)
    rows = []
    for obj in objs:
        for f in computed:
            f.pre_save(obj, True)
        try:
            rows.append(read(obj.__dict__) if read is not None else [getattr(obj, n) for n in attnames])
        except KeyError:  # a deferred value: read the ordinary way (it loads)
            rows.append([getattr(obj, name) for name in attnames])
    pk = model._meta.pk
    for obj, key in zip(objs, insert_rows(model, attnames, rows, using=db), strict=True):
        setattr(obj, pk.attname, key)
        obj._state.adding = False
        obj._state.db = db


def _is_stamp(field: models.Field) -> bool:
    """A datetime the ORM sets to the current time on insert (``auto_now``/``auto_now_add``)."""
    return type(field).pre_save is models.DateTimeField.pre_save and (field.auto_now or field.auto_now_add)


def _stamp(objs: Sequence[models.Model], fields: Sequence[models.Field], now: dt.datetime) -> None:
    for obj in objs:
        for f in fields:
            setattr(obj, f.attname, now)


def insert_rows(
    model: type[models.Model],
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    using: str | None = None,
    prepared: bool = False,
) -> list[Any]:
    """Insert ``rows`` (values in the order of the attribute ``names``) without building instances.

    Returns the new primary keys in row order. A field left out of ``names`` gets its default
    (which must not be computed per row: no ``auto_now``, no callable default but ``dict``/``list``).
    ``prepared``: the values are already what the database takes (``get_db_prep_save`` was applied,
    or JSON is given as its text), so they are sent as they are.
    """
    if not rows:
        return []
    db = using or router.db_for_write(model)
    connection = connections[db]
    plan = _insert_plan(model, tuple(names), db)
    if plan is None:
        if prepared:
            raise ValueError(f"{model._meta.label}: prepared rows need INSERT … RETURNING")
        objs = [model(**dict(zip(names, row, strict=True))) for row in rows]
        model._base_manager.using(db).bulk_create(objs)
        return [o.pk for o in objs]
    fields, rest, named, head, tail, row_sql, array_types = plan
    defaults = [f.get_db_prep_save(f.get_default(), connection) for f in rest]
    converters = [_column_converter(f, connection) for f in named] if not prepared else None
    if array_types is not None and len(rows) >= COPY_FROM and _sequence_keyed(model):
        return _copy(model, connection, fields, rows, converters, defaults)
    size = max(1, min(connection.ops.bulk_batch_size(fields, rows), 1000))
    keys: list[Any] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            # Column by column: a column's values are converted in one comprehension, not by a
            # call per value, and PostgreSQL takes the columns as they are (one array each).
            columns: list[Any] = list(zip(*chunk, strict=True))
            if array_types is not None and len(chunk) > 1:
                sql, params = _unnest(head, tail, array_types, columns, converters, defaults)
                cursor.execute(sql, params)
            else:
                if converters is not None:
                    columns = [convert(column) for convert, column in zip(converters, columns, strict=True)]
                columns.extend([default] * len(chunk) for default in defaults)
                sql = head + "VALUES " + ", ".join([row_sql] * len(chunk)) + tail  # nosec B608 - model names
                cursor.execute(sql, list(chain.from_iterable(zip(*columns, strict=True))))
            keys.extend(key for (key,) in cursor.fetchall())
    return keys


COPY_FROM = 100
"""Rows from which PostgreSQL gets them by ``COPY`` (fewer, such as one save's change-log row,
go through a plain ``INSERT``)."""


def _sequence_keyed(model: type[models.Model]) -> bool:
    return model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField")


def _copy(
    model: type[models.Model],
    connection: Any,
    fields: list[models.Field],
    rows: Sequence[Sequence[Any]],
    converters: list[Callable[[Sequence[Any]], list[Any]]] | None,
    defaults: list[Any],
) -> list[Any]:
    """PostgreSQL: take the keys from the table's own sequence, then ``COPY`` the rows with them.

    ``COPY`` is the server's bulk path: no statement per chunk to parse, and the driver writes
    each row in C instead of quoting one array per column in Python. The keys are the ones the
    column default would have drawn (``nextval`` of its sequence), in increasing order.
    """
    opts = model._meta
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [quote(opts.db_table), opts.pk.column, len(rows)],
        )
        keys = sorted(key for (key,) in cursor.fetchall())
        columns: list[Any] = list(zip(*rows, strict=True))
        if converters is not None:
            columns = [convert(column) for convert, column in zip(converters, columns, strict=True)]
        columns.extend([default] * len(rows) for default in defaults)
        names = ", ".join(quote(f.column) for f in (opts.pk, *fields))
        # The driver's own COPY, outside Django's execute(): its errors are turned into Django's
        # (IntegrityError…) here, as execute() does for every statement.
        with (
            connection.wrap_database_errors,
            cursor.copy(f"COPY {quote(opts.db_table)} ({names}) FROM STDIN") as copy,
        ):
            for row in zip(keys, *columns, strict=True):
                copy.write_row(row)
    return keys


_EQUAL_IS_SAME = frozenset({str, int, bool, type(None)})


def _same_in_every_row(column: Sequence[Any]) -> bool:
    """Whether every value would be stored as the first one is: equal text, numbers of one type,
    empty objects, or the very same object (``0.0 == -0.0`` and equal datetimes of two zones are
    not the same value, so only these count)."""
    first = column[0]
    kind = type(first)
    if kind in _EQUAL_IS_SAME:
        return all(type(value) is kind and value == first for value in column)
    if kind in (dict, list) and not first:
        return all(type(value) is kind and not value for value in column)
    return all(value is first for value in column)


def _unnest(
    head: str,
    tail: str,
    array_types: tuple[str, ...],
    columns: list[Sequence[Any]],
    converters: list[Callable[[Sequence[Any]], list[Any]]] | None,
    defaults: list[Any],
) -> tuple[str, list[Any]]:
    """PostgreSQL's form: one array per column, and a column with one value in every row (a
    default, a write's timestamp, its user) as that one value. The driver then quotes a few
    arrays and scalars, the server parses a statement of a few parameters."""
    same = [_same_in_every_row(column) for column in columns] + [True] * len(defaults)
    if all(same):
        same[0] = False  # the rows are counted by an array
    scalars: list[Any] = []
    arrays: list[Any] = []
    for n, column in enumerate(columns):
        convert = converters[n] if converters is not None else list
        if same[n]:
            scalars.append(convert(column[:1])[0])
        else:
            arrays.append(convert(column))
    scalars.extend(default for n, default in enumerate(defaults, start=len(columns)) if same[n])
    return _unnest_sql(head, tail, array_types, tuple(same)), [*scalars, *arrays]


@lru_cache(maxsize=512)
def _unnest_sql(head: str, tail: str, array_types: tuple[str, ...], same: tuple[bool, ...]) -> str:
    """``INSERT … SELECT u.c0, (%s)::type, … FROM UNNEST((%s)::type[], …) AS u(c0, …) RETURNING``.

    The rows come back in the order of the arrays, as Django's own bulk insert relies on.
    """
    select = ", ".join(
        f"(%s)::{kind}" if constant else f"u.c{n}"
        for n, (kind, constant) in enumerate(zip(array_types, same, strict=True))
    )
    arrays = ", ".join(
        f"(%s)::{kind}[]" for kind, constant in zip(array_types, same, strict=True) if not constant
    )
    names = ", ".join(f"c{n}" for n, constant in enumerate(same) if not constant)
    return f"{head}SELECT {select} FROM UNNEST({arrays}) AS u({names}){tail}"  # noqa: S608  # nosec B608


@lru_cache(maxsize=256)
def _insert_plan(model: type[models.Model], names: tuple[str, ...], db: str) -> tuple[Any, ...] | None:
    """What ``insert_rows`` needs for these columns, built once per process (None: not fast).

    The fields in column order, the defaulted fields, the named fields and the statement's
    fixed parts: a one-row insert (a change-log row per saved record) pays only for
    its values. On PostgreSQL also the column types of the ``UNNEST`` form used for several rows.
    """
    connection = connections[db]
    opts = model._meta
    named = [opts.get_field(n) for n in names]
    rest = [f for f in _insert_fields(model) if f not in named]
    if not _fast(model, named, db):
        return None
    for f in rest:
        if _needs_pre_save(f) or (callable(f.default) and f.default not in (dict, list)):
            raise ValueError(f"{opts.label}.{f.name} is computed per row; give it in names")
    fields = [*named, *rest]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    into = f"INSERT INTO {qn(opts.db_table)} ({columns}) "  # noqa: S608  # nosec B608 - quoted model names
    tail = f" RETURNING {qn(opts.pk.column)}"
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    array_types = None
    if connection.vendor == "postgresql" and all(
        (f.target_field if f.is_relation else f).get_internal_type() in connection.data_types for f in fields
    ):
        # Types without their length (varchar, not varchar(50)), as Django's own bulk insert on
        # PostgreSQL: the arrays of the ``UNNEST`` form (``_unnest``) and its scalars.
        array_types = tuple(f.db_type(connection).split("(")[0] for f in fields)
    return fields, rest, named, into, tail, row_sql, array_types


def _insert_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.local_concrete_fields if not (f.primary_key or f.generated)]


def _fast(model: type[models.Model], fields: Sequence[models.Field], db: str) -> bool:
    """Whether the hand-built ``INSERT … RETURNING`` applies (else ``bulk_create`` does the work)."""
    connection = connections[db]
    return (
        connection.features.can_return_rows_from_bulk_insert
        and not model._meta.parents
        and not any(hasattr(f, "get_placeholder") for f in fields)
    )


def update_rows(model: type[models.Model], objs: Iterable[models.Model], fields: Sequence[str]) -> int:
    """Write ``fields`` (names or attnames) of every object in ``objs``; returns the rows sent."""
    objs = list(objs)
    if not objs or not fields:
        return 0
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    if any(not f.concrete or f.many_to_many or f.primary_key for f in columns):
        raise ValueError("update_rows writes concrete, non-key fields only.")
    alias = router.db_for_write(model)
    connection = connections[alias]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608 - quoted own identifiers  # nosec B608
    params: list[list[Any]] = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns]
        + [meta.pk.get_db_prep_save(obj.pk, connection)]
        for obj in objs
    ]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        for start in range(0, len(params), 1000):
            cursor.executemany(sql, params[start : start + 1000])
    return len(params)
