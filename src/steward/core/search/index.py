"""Keeping the search index current: on save and delete, in bulk, and by a full rebuild.

Writes happen inside the caller's transaction, so a record and its index entry commit (or
roll back) together and a search right after the save finds it. The engine-side structure
(FTS5 table, tsvector column) follows the ``SearchEntry`` row by trigger or generated column,
so this module only writes plain rows and is the same on every database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from steward.core import bulk
from steward.core.models.search import SearchEntry
from steward.core.registry import registry
from steward.core.search.spec import SearchSpec


def spec_for(model: type[models.Model]) -> SearchSpec | None:
    entry = registry.models.get(model._meta.label_lower)
    return entry.search if entry is not None else None


def searchable_models() -> list[tuple[type[models.Model], SearchSpec]]:
    return [(e.model, e.search) for e in registry.models.values() if e.search is not None]


ENTRY_COLUMNS = ("content_type_id", "object_id", "title", "summary", "text_a", "text_b", "text_c")


def _entry_row(obj: models.Model, spec: SearchSpec, content_type: ContentType) -> tuple[Any, ...]:
    """The index entry of ``obj`` as values in ``ENTRY_COLUMNS`` order (bulk writes build no instance)."""
    texts = spec.texts(obj)
    return (
        content_type.pk, obj.pk, spec.title(obj), spec.subtitle(obj),
        texts.get("text_a", ""), texts.get("text_b", ""), texts.get("text_c", ""),
    )  # fmt: skip


def _entry(obj: models.Model, spec: SearchSpec, content_type: ContentType) -> SearchEntry:
    return SearchEntry(**dict(zip(ENTRY_COLUMNS, _entry_row(obj, spec, content_type), strict=True)))


def index_object(obj: models.Model) -> None:
    """Write (or rewrite) the index entry of one record."""
    spec = spec_for(type(obj))
    if spec is None or obj.pk is None:
        return
    entry = _entry(obj, spec, ContentType.objects.get_for_model(obj))
    values = {f: getattr(entry, f) for f in ("title", "summary", "text_a", "text_b", "text_c")}
    with transaction.atomic():
        updated = SearchEntry.objects.filter(content_type_id=entry.content_type_id, object_id=obj.pk).update(
            **values
        )
        if not updated:
            entry.save(force_insert=True)


def index_many(objs: Iterable[models.Model], batch_size: int = 1000, *, new: bool = False) -> int:
    """Index many records of one or more models at once (importers, rebuilds); returns the count.

    ``new``: the records were just inserted, under keys the database never handed out before
    (SQLite ``AUTOINCREMENT``, PostgreSQL identity), so they have no entries to replace: the
    look-up and delete of old entries is skipped.
    """
    written = 0
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for obj in objs:
        by_model.setdefault(type(obj), []).append(obj)
    for model, items in by_model.items():
        spec = spec_for(model)
        if spec is None:
            continue
        content_type = ContentType.objects.get_for_model(model)
        for start in range(0, len(items), batch_size):
            chunk = [o for o in items[start : start + batch_size] if o.pk is not None]
            with transaction.atomic():
                if not new:
                    SearchEntry.objects.filter(
                        content_type=content_type, object_id__in=[o.pk for o in chunk]
                    ).delete()
                bulk.insert_rows(
                    SearchEntry, ENTRY_COLUMNS, [_entry_row(o, spec, content_type) for o in chunk]
                )
            written += len(chunk)
    return written


def remove_object(obj: models.Model) -> None:
    if spec_for(type(obj)) is None or obj.pk is None:
        return
    SearchEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk).delete()


def _batches(queryset: models.QuerySet, size: int) -> Iterator[list[models.Model]]:
    """Keyset pages by primary key: memory stays flat and no page costs more than the first."""
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        rows = list(page.order_by("pk")[:size])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def rebuild(model: type[models.Model], batch_size: int = 2000) -> int:
    """Re-index every record of ``model``, dropping entries of records that no longer exist.

    Each batch replaces the entries in its primary-key range in one short transaction, so
    search keeps answering during the rebuild and writers are never blocked for long.
    """
    spec = spec_for(model)
    if spec is None:
        raise ValueError(f"{model._meta.label_lower} declares no search fields")
    content_type = ContentType.objects.get_for_model(model)
    entries = SearchEntry.objects.filter(content_type=content_type)
    count, low = 0, None
    for rows in _batches(model._default_manager.all(), batch_size):
        high = rows[-1].pk
        with transaction.atomic():
            in_range = entries.filter(object_id__lte=high)
            if low is not None:
                in_range = in_range.filter(object_id__gt=low)
            in_range.delete()
            bulk.insert_rows(SearchEntry, ENTRY_COLUMNS, [_entry_row(o, spec, content_type) for o in rows])
        count += len(rows)
        low = high
    stale = entries if low is None else entries.filter(object_id__gt=low)
    stale.delete()
    return count


# --- signal receivers (connected from steward.core.signals) -------------------------------------
def on_save(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    index_object(instance)


def on_delete(sender: type, instance: Any, **kwargs: Any) -> None:
    remove_object(instance)
