"""Set-based row updates: one prepared ``UPDATE … WHERE pk = %s`` executed for many rows.

Django's ``bulk_update`` builds one ``CASE WHEN pk = … THEN …`` expression per field and row,
which costs milliseconds per row to compile once rows differ. ``update_rows`` sends a single
parameterised statement with ``executemany`` instead (the driver runs it for every row), with
each value converted exactly as ``save()`` would (``get_db_prep_save``). It writes only the
columns named and sends no signals: callers record the change log themselves
(``changelog.record_many``), as every bulk write of the platform does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, models, router, transaction


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
