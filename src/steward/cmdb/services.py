"""CMDB domain operations: the class catalogue loader, relationships and impact analysis.

Every rule lives here or in ``Model.clean()``; views, the API, commands and the demo call these.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.base import ModelState
from django.utils import timezone

from steward.cmdb import bulkimport, capacity, devicetypes, graph
from steward.cmdb.choices import Milestone
from steward.cmdb.devicetypes import DeviceTypeError
from steward.cmdb.models import (
    CapacityThreshold,
    CIClass,
    ConfigurationItem,
    DeviceModel,
    LifecycleNotice,
    Manufacturer,
    MetricSample,
    Relationship,
    RelationshipType,
)
from steward.cmdb.models.classes import check_schema
from steward.core import events
from steward.core.context import change_context, current_actor

CLASSES_FILE = Path(__file__).resolve().parent / "data" / "classes.yaml"
DIRECTIONS = ("downstream", "upstream", "both")
MAX_DEPTH = 12


@contextlib.contextmanager
def _acting(actor: Any, source: str) -> Iterator[None]:
    """Attribute changes to ``actor`` unless a request or command already set who is acting."""
    if actor is None or current_actor() is not None:
        yield
        return
    with change_context(actor=actor, source=source):
        yield


# --- class catalogue --------------------------------------------------------------------------
class CatalogueError(ValueError):
    """The class catalogue file is malformed; the message names the offending entry."""


@dataclass
class LoadResult:
    version: int
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    def __str__(self) -> str:
        return (
            f"classes catalogue v{self.version}: {len(self.created)} created, "
            f"{len(self.updated)} updated, {self.unchanged} unchanged"
        )


def read_catalogue(text: str | None = None) -> dict[str, Any]:
    """Parse and check the catalogue (the shipped file by default); raise CatalogueError."""
    try:
        data = yaml.safe_load(text if text is not None else CLASSES_FILE.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogueError(f"not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("version"), int):
        raise CatalogueError("version: expected a whole number at the top of the file")
    classes = data.get("classes") or []
    types = data.get("relationship_types") or []
    if not isinstance(classes, list) or not isinstance(types, list):
        raise CatalogueError("classes and relationship_types must be lists")
    slugs: set[str] = set()
    for i, entry in enumerate(classes):
        where = f"classes[{i}]"
        if not isinstance(entry, dict) or not entry.get("slug") or not entry.get("name"):
            raise CatalogueError(f"{where}: slug and name are required")
        if entry["slug"] in slugs:
            raise CatalogueError(f"{where}.slug: {entry['slug']} appears twice")
        if entry.get("parent") and entry["parent"] not in slugs:
            raise CatalogueError(f"{where}.parent: {entry['parent']} must be defined above {entry['slug']}")
        problems = check_schema(entry.get("attributes") or {})
        if problems:
            raise CatalogueError(f"{where}.attributes: {problems[0]}")
        slugs.add(entry["slug"])
    for i, entry in enumerate(types):
        if not isinstance(entry, dict) or not all(entry.get(k) for k in ("slug", "name", "reverse_name")):
            raise CatalogueError(f"relationship_types[{i}]: slug, name and reverse_name are required")
    return data


def apply_catalogue(data: dict[str, Any], class_model: Any, type_model: Any) -> LoadResult:
    """Upsert built-in classes and types by slug. Works on historical models (data migrations)."""
    result = LoadResult(version=data["version"])
    by_slug = {c.slug: c for c in class_model.objects.all()}
    for entry in data.get("classes") or []:
        values = {
            "name": entry["name"],
            "parent": by_slug.get(entry.get("parent")) if entry.get("parent") else None,
            "abstract": bool(entry.get("abstract", False)),
            "icon": entry.get("icon", ""),
            "attribute_schema": entry.get("attributes") or {},
            "description": entry.get("description", ""),
            "builtin": True,
        }
        obj = by_slug.get(entry["slug"])
        if obj is None:
            obj = class_model(slug=entry["slug"], **values)
            obj.save()
            by_slug[obj.slug] = obj
            result.created.append(obj.slug)
        elif not obj.builtin:
            result.unchanged += 1  # someone made a class with this slug themselves: theirs wins
        elif any(
            (getattr(obj, k + "_id") if k == "parent" else getattr(obj, k))
            != (v.pk if k == "parent" and v else v)
            for k, v in values.items()
        ):
            for k, v in values.items():
                setattr(obj, k, v)
            obj.save()
            result.updated.append(obj.slug)
        else:
            result.unchanged += 1
    types = {t.slug: t for t in type_model.objects.all()}
    for entry in data.get("relationship_types") or []:
        values = {
            "name": entry["name"],
            "reverse_name": entry["reverse_name"],
            "description": entry.get("description", ""),
            "builtin": True,
        }
        obj = types.get(entry["slug"])
        if obj is None:
            type_model(slug=entry["slug"], **values).save()
            result.created.append(f"type:{entry['slug']}")
        elif obj.builtin and any(getattr(obj, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(obj, k, v)
            obj.save()
            result.updated.append(f"type:{entry['slug']}")
        else:
            result.unchanged += 1
    return result


def load_classes(*, text: str | None = None, actor: Any = None) -> LoadResult:
    """Load the class catalogue (the shipped file unless ``text``); idempotent, all or nothing."""
    data = read_catalogue(text)
    with _acting(actor, "cli"), transaction.atomic():
        return apply_catalogue(data, CIClass, RelationshipType)


# --- vendor/model catalogue ------------------------------------------------------------------
@dataclass
class DeviceTypeResult:
    manufacturers_created: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return (
            f"device types: {self.created} created, {self.updated} updated, {self.unchanged} unchanged; "
            f"{self.manufacturers_created} new manufacturers"
        )


def import_device_types(
    *,
    paths: Iterable[Path] = (),
    documents: Iterable[tuple[str, str]] = (),
    actor: Any,
) -> DeviceTypeResult:
    """Upsert manufacturers and models from device-type library YAML files or ``(name, text)`` pairs.

    Every document is parsed and checked first; one bad element refuses the whole import
    (``DeviceTypeError`` naming the file and element) and nothing is written.
    """
    docs = [*devicetypes.collect(list(paths)), *documents]
    if not docs:
        raise DeviceTypeError("no device-type files given")
    types = [devicetypes.parse(text, source) for source, text in docs]
    devicetypes.check_duplicates(types)
    result = DeviceTypeResult()
    with _acting(actor, "import"), transaction.atomic():
        makers = {m.name.lower(): m for m in Manufacturer.objects.all()}
        for t in types:
            maker = makers.get(t.manufacturer.lower())
            if maker is None:
                maker = Manufacturer(name=t.manufacturer, slug=_free_slug(t.manufacturer))
                maker.full_clean()
                maker.save()
                makers[t.manufacturer.lower()] = maker
                result.manufacturers_created += 1
            values = {
                "slug": t.slug,
                "part_number": t.part_number,
                "u_height": t.u_height,
                "is_full_depth": t.is_full_depth,
                "airflow": t.airflow,
                "description": t.description,
                **t.counts,
            }
            model = DeviceModel.objects.filter(manufacturer=maker, name=t.model).first()
            if model is None:
                model = DeviceModel(manufacturer=maker, name=t.model, **values)
                result.created += 1
            elif any(getattr(model, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(model, k, v)
                result.updated += 1
            else:
                result.unchanged += 1
                continue
            try:
                model.full_clean()
            except ValidationError as exc:
                field, messages = next(iter(exc.message_dict.items()))
                raise DeviceTypeError(f"{t.source}: {field}: {' '.join(messages)}") from None
            model.save()
    return result


def _free_slug(name: str) -> str:
    from django.utils.text import slugify

    base = slugify(name)[:90] or "manufacturer"
    slug, n = base, 2
    while Manufacturer.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- relationships ----------------------------------------------------------------------------
def relate(
    *,
    source: ConfigurationItem,
    target: ConfigurationItem,
    type: RelationshipType | str,  # noqa: A002 - the domain word
    actor: Any,
    description: str = "",
) -> Relationship:
    """Record ``source`` —type→ ``target``; refuses self-loops and duplicates (ValidationError)."""
    if isinstance(type, str):
        type = RelationshipType.objects.get(slug=type)  # noqa: A001
    rel = Relationship(source=source, target=target, type=type, description=description)
    with _acting(actor, "service"), transaction.atomic():
        rel.full_clean()
        rel.save()
    return rel


# --- impact analysis --------------------------------------------------------------------------
@dataclass(frozen=True)
class ImpactHit:
    """An item reached from the start item: how far, along which path, in which direction."""

    item: ConfigurationItem
    depth: int
    path: tuple[int, ...]  # item ids from the start item to this one, both included
    direction: str


#: The reached items' fields the impact page, graph, API and security exposure read; the rest
#: (JSON attributes and discovery facts, money, dates) is not loaded.
IMPACT_FIELDS = ("id", "reference", "name", "ci_class_id", "status", "criticality")


def _check_walk(direction: str, depth: Any) -> None:
    if direction not in DIRECTIONS:
        raise ValidationError({"direction": f"Choose one of: {', '.join(DIRECTIONS)}."})
    if isinstance(depth, bool) or not isinstance(depth, int) or not 1 <= depth <= MAX_DEPTH:
        raise ValidationError({"depth": f"Give a whole number from 1 to {MAX_DEPTH}."})


def _step_sql(direction: str, count: int, type_count: int) -> str:
    """One level of the walk: every (next item, frontier item) pair, read from an index alone.

    ``(source, target)`` downstream and ``(target, source)`` upstream cover the lookup; with a
    type filter, downstream uses the ``(source, type, target)`` unique index. PostgreSQL gets the
    frontier as one array; SQLite as placeholders, chunked under its variable limit.
    """
    table = connection.ops.quote_name(Relationship._meta.db_table)
    here, there = ("source_id", "target_id") if direction == "downstream" else ("target_id", "source_id")
    if connection.vendor == "postgresql":
        frontier = f"{here} = ANY(%s)"
    else:
        frontier = f"{here} IN ({', '.join(['%s'] * count)})"
    types = f" AND type_id IN ({', '.join(['%s'] * type_count)})" if type_count else ""
    return f"SELECT {there}, {here} FROM {table} WHERE {frontier}{types}"  # noqa: S608  # nosec B608


#: Frontier items per query on SQLite (at most its variable limit, 32,766 on current builds).
STEP_CHUNK = 5_000


def impact_rows(
    *, item_ids: Iterable[int], direction: str, depth: int, type_ids: list[int] | None = None
) -> list[tuple[int, int, tuple[int, ...]]]:
    """(item id, depth, path) of everything reached from ``item_ids`` in one direction, nearest first.

    Breadth-first: each relationship is followed at most once and cycles end by themselves. An
    item first reached from several items of the level above takes the one with the smallest
    id as its parent, so paths are deterministic. From several start items, each reached item
    counts from the nearest one, where its path starts. Start items are not returned.
    ``direction`` is ``downstream`` or ``upstream``; ``type_ids`` limits the relationship types
    followed (None: all; empty: none).

    The walk runs over the process's in-memory copy of the graph (``cmdb.graph``, ADR 31),
    brought up to date with one query; with ``CMDB_IMPACT_IN_MEMORY`` off, over the database
    one level at a time (:func:`impact_rows_sql`). Both give the same answer.
    """
    _check_walk(direction, depth)
    if direction == "both":
        raise ValidationError({"direction": "Walk downstream and upstream one after the other."})
    if type_ids is not None and not type_ids:
        return []  # no type to follow
    if settings.CMDB_IMPACT_IN_MEMORY:
        return graph.current().walk(item_ids, direction, depth, type_ids)
    return impact_rows_sql(item_ids=item_ids, direction=direction, depth=depth, type_ids=type_ids)


def impact_rows_sql(
    *, item_ids: Iterable[int], direction: str, depth: int, type_ids: list[int] | None = None
) -> list[tuple[int, int, tuple[int, ...]]]:
    """:func:`impact_rows` walked in the database: one indexed query per level (ADR 28).

    Each level reads the relationships leaving the items first reached on the level before;
    the visited set is kept here.
    """
    if type_ids is not None and not type_ids:
        return []
    types = list(type_ids or [])
    parent: dict[int, int | None] = dict.fromkeys(item_ids)
    starts = list(parent)
    frontier = sorted(parent)
    postgres = connection.vendor == "postgresql"
    limit = (connection.features.max_query_params or STEP_CHUNK) - len(types)
    chunk = STEP_CHUNK if postgres else max(1, min(STEP_CHUNK, limit))
    levels: list[list[int]] = []
    with connection.cursor() as cursor:
        while frontier and len(levels) < depth:
            reached: dict[int, int] = {}
            parts = (
                [frontier] if postgres else [frontier[i : i + chunk] for i in range(0, len(frontier), chunk)]
            )
            for part in parts:
                cursor.execute(
                    _step_sql(direction, len(part), len(types)),
                    [part, *types] if postgres else [*part, *types],
                )
                for node, via in cursor.fetchall():
                    if node not in parent and (node not in reached or via < reached[node]):
                        reached[node] = via
            parent.update(reached)
            frontier = sorted(reached)
            levels.append(frontier)
    paths: dict[int, tuple[int, ...]] = {i: (i,) for i in starts}
    rows = []
    for d, nodes in enumerate(levels, start=1):
        for node in nodes:
            path = paths[node] = paths[parent[node]] + (node,)  # type: ignore[index]
            rows.append((node, d, path))
    return rows


def impact(
    *,
    item: ConfigurationItem,
    direction: str = "downstream",
    depth: int = 6,
    relationship_types: Iterable[RelationshipType | str] | None = None,
) -> list[ImpactHit]:
    """Everything reached from ``item`` within ``depth`` hops, with the path that reaches it.

    Relationships point from the dependant to what it needs ("app runs on vm"). *Downstream*
    follows the arrows: what the item depends on. *Upstream* follows them backwards: what
    depends on the item, i.e. what breaks when it fails. *Both* is the two walks together
    (never turning round half-way, which would reach everything sharing a switch). The
    reached items carry only ``IMPACT_FIELDS`` (and their class); others load on access.
    """
    _check_walk(direction, depth)
    type_ids = None
    if relationship_types is not None:
        wanted = list(relationship_types)
        slugs = [t for t in wanted if isinstance(t, str)]
        type_ids = [t.pk for t in wanted if not isinstance(t, str)]
        if slugs:
            found = dict(RelationshipType.objects.filter(slug__in=slugs).values_list("slug", "pk"))
            missing = sorted(set(slugs) - set(found))
            if missing:
                raise ValidationError(
                    {"relationship_types": f"Unknown relationship type: {', '.join(missing)}."}
                )
            type_ids += list(found.values())
        if not type_ids:
            return []
    walks = ("downstream", "upstream") if direction == "both" else (direction,)
    rows = [
        (node, d, path, way)
        for way in walks
        for node, d, path in impact_rows(item_ids=[item.pk], direction=way, depth=depth, type_ids=type_ids)
    ]
    items = _impact_items({r[0] for r in rows})
    return [ImpactHit(items[node], d, path, way) for node, d, path, way in rows if node in items]


def _impact_items(ids: set[int]) -> dict[int, ConfigurationItem]:
    """The reached items with ``IMPACT_FIELDS`` and their class, other fields deferred.

    A walk reaches thousands of items; ``only().in_bulk()`` spent ≈ 30 µs an item in
    ``Model.__init__`` walking every field (three quarters of ``impact()``). The rows come from
    one plain indexed query per chunk and become instances the way ``from_db`` leaves them
    (state, loaded values for the change log), minus that loop; any other field loads on access
    like a deferred one. Classes are few: one small query attaches them.
    """
    table = connection.ops.quote_name(ConfigurationItem._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f) for f in IMPACT_FIELDS)
    ordered = sorted(ids)
    chunk = min(STEP_CHUNK, connection.features.max_query_params or STEP_CHUNK)
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(ordered), chunk):
            part = ordered[start : start + chunk]
            cursor.execute(
                f"SELECT {columns} FROM {table} WHERE id IN ({', '.join(['%s'] * len(part))})",  # noqa: S608  # nosec B608
                part,
            )
            rows += cursor.fetchall()
    at = IMPACT_FIELDS.index("ci_class_id")
    classes = CIClass.objects.in_bulk({row[at] for row in rows})
    items: dict[int, ConfigurationItem] = {}
    new, db = ConfigurationItem.__new__, connection.alias
    for row in rows:
        item = new(ConfigurationItem)
        values = dict(zip(IMPACT_FIELDS, row, strict=True))
        item.__dict__.update(values)
        item._state = ModelState()
        item._state.adding, item._state.db = False, db
        item._state.fields_cache = {"ci_class": classes[row[at]]}
        item._loaded_values = values  # type: ignore[attr-defined]
        items[row[0]] = item
    return items


def visible_hits(hits: list[ImpactHit], user: Any) -> list[ImpactHit]:
    """Drop hits ``user`` may not view, and blank (None) the hidden items on the other paths."""
    ids = {i for h in hits for i in h.path}
    visible = set(
        ConfigurationItem.objects.restrict(user, "view").filter(pk__in=ids).values_list("pk", flat=True)
    )
    return [
        ImpactHit(h.item, h.depth, tuple(i if i in visible else None for i in h.path), h.direction)  # type: ignore[misc]
        for h in hits
        if h.item.pk in visible
    ]


def path_labels(hits: list[ImpactHit]) -> dict[int | None, str]:
    """Reference of every item on the hits' paths (one query), for showing paths to people."""
    ids = {i for h in hits for i in h.path if i is not None}
    labels: dict[int | None, str] = dict(
        ConfigurationItem.objects.filter(pk__in=ids).values_list("pk", "reference")
    )
    labels[None] = "…"
    return labels


def neighbourhood(*, item: ConfigurationItem, user: Any, depth: int = 2, limit: int = 250) -> dict[str, Any]:
    """Nodes and edges around ``item`` (both directions) that ``user`` may see, for the graph view."""
    hits = visible_hits(impact(item=item, direction="both", depth=depth), user)
    seen: dict[int, ConfigurationItem] = {item.pk: item}
    for hit in sorted(hits, key=lambda h: h.depth):
        if len(seen) >= limit:
            break
        seen.setdefault(hit.item.pk, hit.item)
    ids = list(seen)
    edges = (
        Relationship.objects.restrict(user, "view")
        .filter(source_id__in=ids, target_id__in=ids)
        .select_related("type")
    )
    return {
        "nodes": [
            {
                "id": str(ci.pk),
                "label": ci.name,
                "reference": ci.reference,
                "cls": ci.ci_class.name if ci.ci_class_id else "",
                "criticality": ci.criticality,
                "url": ci.get_absolute_url(),
                "start": ci.pk == item.pk,
            }
            for ci in seen.values()
        ],
        "edges": [
            {
                "id": f"e{r.pk}",
                "source": str(r.source_id),
                "target": str(r.target_id),
                "label": r.type.name,
                # For the page's text list of the drawing (the ids are the graph library's).
                "source_name": seen[r.source_id].name,
                "target_name": seen[r.target_id].name,
            }
            for r in edges
        ],
        "truncated": len({h.item.pk for h in hits}) + 1 > len(seen),
    }


REACH_CHUNK = 400


def upstream_reach(*, item_ids: list[int], depth: int = 6) -> dict[int, set[int]]:
    """For many start items at once: every item that depends on each (upstream), within ``depth``.

    One recursive query seeded with all start items (chunked), for roll-ups such as "which
    business applications sit above these vulnerable hosts". Without per-path cycle guards the
    walk is bounded by ``depth``; ``UNION`` drops repeated (start, item, depth) rows.
    """
    if isinstance(depth, bool) or not isinstance(depth, int) or not 1 <= depth <= MAX_DEPTH:
        raise ValidationError({"depth": f"Give a whole number from 1 to {MAX_DEPTH}."})
    table = connection.ops.quote_name(Relationship._meta.db_table)
    reach: dict[int, set[int]] = {i: set() for i in item_ids}
    ids = sorted(set(item_ids))
    # SQLite allows at most 500 terms in a compound SELECT: the seeds plus the recursive step.
    for start in range(0, len(ids), REACH_CHUNK):
        chunk = ids[start : start + REACH_CHUNK]
        seeds = " UNION ALL ".join(["SELECT CAST(%s AS BIGINT), CAST(%s AS BIGINT), 0"] * len(chunk))
        sql = f"""
            WITH RECURSIVE walk(origin, node, depth) AS (
                {seeds}
                UNION
                SELECT w.origin, r.source_id, w.depth + 1
                FROM walk w JOIN {table} r ON r.target_id = w.node
                WHERE w.depth < %s
            )
            SELECT DISTINCT origin, node FROM walk WHERE node <> origin
        """  # noqa: S608 - identifiers come from the model, values are parameters  # nosec B608
        params: list[Any] = [v for i in chunk for v in (i, i)] + [depth]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for origin, node in cursor.fetchall():
                reach[origin].add(node)
    return reach


# --- discovery drift ----------------------------------------------------------------------------
def apply_drift(*, drift: Any, actor: Any) -> ConfigurationItem:
    """Write a drift's discovered value onto its item (what the ``overwrite`` transition does)."""
    value = drift.discovered_data if drift.discovered_data is not None else drift.discovered_value
    with _acting(actor, "service"), transaction.atomic():
        item = (
            ConfigurationItem.objects.select_for_update()
            .select_related("ci_class")
            .get(pk=drift.configuration_item_id)
        )
        if drift.field.startswith("attributes."):
            item.attributes = {**(item.attributes or {}), drift.field.split(".", 1)[1]: value}
        elif drift.field == "serial_number":
            item.serial_number = str(value)
        else:
            raise ValidationError({"field": f"Discovery does not maintain {drift.field}."})
        item.full_clean()
        item.save()
    return item


def resolve_drift(*, drift: Any, actor: Any, decision: str, comment: str = "") -> Any:
    """Keep the manual value (``accept``) or apply the discovered one (``overwrite``)."""
    from steward.core import workflow

    if decision not in ("accept", "overwrite"):
        raise ValidationError({"decision": "Choose accept or overwrite."})
    with transaction.atomic():
        if decision == "overwrite":
            apply_drift(drift=drift, actor=actor)
        return workflow.transition(obj=drift, name=decision, actor=actor, comment=comment)


# --- lookups for other domains ----------------------------------------------------------------
def find_item_for_host(*, host: str) -> ConfigurationItem | None:
    """The item a monitoring host name or address denotes, or None.

    Tried in order: the item's name, its ``hostname`` attribute, its ``ip_address`` attribute
    (all case-insensitive), then the first label of a fully qualified name (``web-01`` for
    ``web-01.example.org``). Retired and disposed items are skipped; among several matches the
    oldest wins, so the answer is stable.
    """
    host = (host or "").strip().rstrip(".")
    if not host:
        return None
    live = ConfigurationItem.objects.exclude(status__in=("retired", "disposed")).order_by("pk")
    candidates = [host]
    short = host.split(".", 1)[0]
    if short != host and not short.isdigit():
        candidates.append(short)
    for name in candidates:
        for lookup in ("name__iexact", "attributes__hostname__iexact", "attributes__ip_address"):
            item = live.filter(**{lookup: name}).first()
            if item is not None:
                return item
    return None


# --- capacity ---------------------------------------------------------------------------------
def _item_resolver(keys: Iterable[Any], visible: Any) -> dict[Any, int]:
    """Map each ``item`` value of a batch (an id or a CI reference) to a visible item's id."""
    ids = {k for k in keys if isinstance(k, int) and not isinstance(k, bool)}
    refs = {k for k in keys if isinstance(k, str)}
    found: dict[Any, int] = {}
    if ids:
        found.update({pk: pk for pk in visible.filter(pk__in=ids).values_list("pk", flat=True)})
    if refs:
        found.update(dict(visible.filter(reference__in=refs).values_list("reference", "pk")))
    return found


@transaction.atomic
def ingest_metric_samples(*, payload: Any, actor: Any, now: dt.datetime | None = None) -> int:
    """Store a batch of samples (``{"samples": [{item, metric, value, unit, timestamp}]}``).

    Items are given by id or reference and must be visible to ``actor``. The whole batch is
    checked first (``SampleError`` names the path of the first fault) and written with
    ``bulk_create`` in one transaction, or not at all.
    """
    now = now or timezone.now()
    rows = payload.get("samples") if isinstance(payload, dict) else None
    keys = {r.get("item") for r in rows if isinstance(r, dict)} if isinstance(rows, list) else set()
    keys.discard(None)
    resolved = _item_resolver(keys, ConfigurationItem.objects.restrict(actor, "view"))
    samples = capacity.parse_batch(
        # bool is an int (True == 1): never let it stand for item 1.
        payload,
        lambda key: resolved.get(key) if isinstance(key, int | str) and not isinstance(key, bool) else None,
        now=now,
    )
    MetricSample.objects.bulk_create(samples, batch_size=2000)
    return len(samples)


@dataclass
class DownsampleResult:
    hourly: int = 0
    daily: int = 0
    raw_removed: int = 0
    hourly_removed: int = 0
    daily_removed: int = 0


def _roll_up(source: str, target: str, kind: str, cutoff: dt.datetime) -> tuple[int, int]:
    """Average ``source`` rows before ``cutoff`` into ``target`` buckets (merged with any already there)."""
    qs = MetricSample.objects.filter(resolution=source, timestamp__lt=cutoff)
    made = 0
    pending: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in capacity.bucket_sums(qs, kind).iterator(chunk_size=5000):
        key = (row["configuration_item_id"], row["metric"], row["unit"], row["bucket"])
        pending[key] = row
    if not pending:
        return 0, 0
    first = min(k[3] for k in pending)
    existing = {
        (s.configuration_item_id, s.metric, s.unit, s.timestamp): s
        for s in MetricSample.objects.filter(resolution=target, timestamp__gte=first, timestamp__lt=cutoff)
    }
    new, changed = [], []
    for key, row in pending.items():
        old = existing.get(key)
        if old is None:
            new.append(MetricSample(configuration_item_id=key[0], metric=key[1], unit=key[2], timestamp=key[3],
                                    resolution=target, samples=row["n"], value=row["total"] / row["n"],
                                    max_value=row["peak"]))  # fmt: skip
        else:
            n = old.samples + row["n"]
            old.value = (old.value * old.samples + row["total"]) / n
            old.max_value = max(old.max_value if old.max_value is not None else old.value, row["peak"])
            old.samples = n
            changed.append(old)
    MetricSample.objects.bulk_create(new, batch_size=2000)
    MetricSample.objects.bulk_update(changed, ["value", "max_value", "samples"], batch_size=2000)
    made = len(new)
    # Samples have no change log or search entry: delete in SQL, without loading the rows.
    removed = qs._raw_delete(qs.db)
    return made, removed


@transaction.atomic
def downsample_metrics(
    *, now: dt.datetime | None = None, raw_days: int, hourly_days: int, daily_days: int
) -> DownsampleResult:
    """Raw samples older than ``raw_days`` become hourly averages, hourly older than ``hourly_days``
    daily ones; daily averages older than ``daily_days`` are dropped. Only whole buckets roll up,
    so running it again (or after late samples arrive) changes nothing it has already done.
    """
    now = now or timezone.now()
    result = DownsampleResult()
    raw_cutoff = (now - dt.timedelta(days=raw_days)).replace(minute=0, second=0, microsecond=0)
    hour_cutoff = (now - dt.timedelta(days=hourly_days)).replace(hour=0, minute=0, second=0, microsecond=0)
    result.hourly, result.raw_removed = _roll_up("raw", "hour", "hour", raw_cutoff)
    result.daily, result.hourly_removed = _roll_up("hour", "day", "day", hour_cutoff)
    old = MetricSample.objects.filter(resolution="day", timestamp__lt=now - dt.timedelta(days=daily_days))
    result.daily_removed = old._raw_delete(old.db)
    return result


class ThresholdLookup:
    """The threshold of each (item, metric): the item's, its class's or an ancestor's, else the default."""

    def __init__(self) -> None:
        self.by_item: dict[tuple[int, str], CapacityThreshold] = {}
        self.by_class: dict[tuple[int, str], CapacityThreshold] = {}
        self.default: dict[str, CapacityThreshold] = {}
        for t in CapacityThreshold.objects.all():
            if t.configuration_item_id:
                self.by_item[(t.configuration_item_id, t.metric)] = t
            elif t.ci_class_id:
                self.by_class[(t.ci_class_id, t.metric)] = t
            else:
                self.default[t.metric] = t
        self.parents = dict(CIClass.objects.values_list("pk", "parent_id")) if self.by_class else {}

    def get(self, item_id: int, class_id: int | None, metric: str) -> CapacityThreshold | None:
        found = self.by_item.get((item_id, metric))
        seen: set[int] = set()
        while found is None and class_id is not None and class_id not in seen:
            seen.add(class_id)
            found = self.by_class.get((class_id, metric))
            class_id = self.parents.get(class_id)
        return found or self.default.get(metric)


@dataclass
class CapacityRisk:
    item_id: int
    metric: str
    unit: str
    threshold: float
    current: float
    slope_per_day: float
    days: float | None
    crossing: dt.date | None
    points: int
    item: Any = None


def capacity_forecast(
    *, items: Any, now: dt.datetime | None = None, window_days: int = 30, horizon_days: int | None = 90
) -> list[CapacityRisk]:
    """Every (item, metric) of ``items`` with a threshold, its trend over the last ``window_days``
    and when it crosses; with ``horizon_days``, only those crossing within it (soonest first).
    """
    now = now or timezone.now()
    start = now - dt.timedelta(days=window_days)
    qs = MetricSample.objects.filter(timestamp__gte=start, timestamp__lte=now, configuration_item__in=items)
    thresholds = ThresholdLookup()
    if not (thresholds.by_item or thresholds.by_class or thresholds.default):
        return []
    rows = list(capacity.regression_sums(qs, origin=start))
    ids = {r["configuration_item_id"] for r in rows}
    found = ConfigurationItem.objects.filter(pk__in=ids).select_related("ci_class").in_bulk()
    units = dict(
        ((u["configuration_item_id"], u["metric"]), u["unit"])
        for u in qs.values("configuration_item_id", "metric", "unit").distinct().order_by()
    )
    now_days = (now - start).total_seconds() / 86400
    risks = []
    for row in rows:
        item = found.get(row["configuration_item_id"])
        threshold = thresholds.get(item.pk, item.ci_class_id, row["metric"]) if item else None
        trend = capacity.fit(row) if threshold else None
        if trend is None or threshold is None:
            continue
        days = capacity.days_to_cross(trend, threshold.value, now_days=now_days)
        if horizon_days is not None and (days is None or days > horizon_days):
            continue
        crossing = (now + dt.timedelta(days=days)).date() if days is not None else None
        risks.append(CapacityRisk(item.pk, row["metric"], threshold.unit or units.get((item.pk, row["metric"]), ""),
                                  threshold.value, trend.at(now_days), trend.slope, days, crossing, trend.points,
                                  item))  # fmt: skip
    risks.sort(key=lambda r: (r.days if r.days is not None else math.inf, r.item.name, r.metric))
    return risks


def metric_series(*, item: ConfigurationItem, metric: str, now: dt.datetime | None = None,
                  window_days: int = 30) -> list[tuple[dt.datetime, float]]:  # fmt: skip
    """Hourly averages of one metric of ``item`` over the window (coarser rows kept as they are)."""
    now = now or timezone.now()
    qs = MetricSample.objects.filter(
        configuration_item=item, metric=metric, timestamp__gte=now - dt.timedelta(days=window_days)
    )
    kind = "hour" if window_days <= 90 else "day"
    return [(r["bucket"], r["total"] / r["n"]) for r in capacity.bucket_sums(qs, kind).order_by("bucket")]


# --- lifecycle planning -----------------------------------------------------------------------
MILESTONES = tuple(Milestone.values)
#: Items that still matter for lifecycle planning (retired and disposed ones are done with).
LIVE_EXCLUDED = ("retired", "disposed")


@dataclass
class LifecycleRow:
    item: ConfigurationItem
    milestone: str
    date: dt.date
    days: int

    @property
    def status(self) -> str:
        return "past" if self.days < 0 else "window"

    def get_milestone_display(self) -> str:
        return str(Milestone(self.milestone).label)


def lifecycle_due(
    *, items: Any, today: dt.date, window_days: int, limit: int | None = None
) -> list[LifecycleRow]:
    """Milestones of live ``items`` that are past or fall within ``window_days`` from ``today``."""
    edge = today + dt.timedelta(days=window_days)
    live = items.exclude(status__in=LIVE_EXCLUDED).select_related("ci_class")
    rows: list[LifecycleRow] = []
    for milestone in MILESTONES:
        qs = live.filter(**{f"{milestone}__lte": edge}).order_by(milestone, "pk")
        for item in qs[:limit] if limit else qs.iterator(chunk_size=2000):
            when = getattr(item, milestone)
            rows.append(LifecycleRow(item, milestone, when, (when - today).days))
    rows.sort(key=lambda r: (r.date, r.item.name, r.milestone))
    return rows[:limit] if limit else rows


@transaction.atomic
def raise_lifecycle_events(*, today: dt.date | None = None, window_days: int) -> list[LifecycleNotice]:
    """Raise ``cmdb.item.lifecycle_window`` once per item milestone that entered the window.

    Idempotent: a ``LifecycleNotice`` row records each announced (item, milestone, date).
    """
    today = today or timezone.localdate()
    due = lifecycle_due(items=ConfigurationItem.objects.all(), today=today, window_days=window_days)
    if not due:
        return []
    done = set(
        LifecycleNotice.objects.filter(configuration_item__in={r.item.pk for r in due}).values_list(
            "configuration_item_id", "milestone", "date"
        )
    )
    fresh = [r for r in due if (r.item.pk, r.milestone, r.date) not in done]
    notices = LifecycleNotice.objects.bulk_create(
        [LifecycleNotice(configuration_item=r.item, milestone=r.milestone, date=r.date) for r in fresh],
        batch_size=2000,
    )
    for row in fresh:
        events.emit(
            events.Event(
                name="cmdb.item.lifecycle_window",
                model="cmdb.configurationitem",
                object_id=row.item.pk,
                object_repr=str(row.item)[:200],
                object_url=row.item.get_absolute_url(),
                data={
                    "reference": row.item.reference,
                    "milestone": row.milestone,
                    "date": row.date.isoformat(),
                    "days": row.days,
                    "window_days": window_days,
                    "support_team": row.item.support_team_id,
                    "owner": row.item.owner_id,
                },
            )
        )
    return notices


def lifecycle_by_month(*, items: Any, today: dt.date, months: int) -> list[dict[str, Any]]:
    """Per month from the earliest past milestone of a live item to ``months`` ahead: counts by milestone.

    Three grouped queries (one per milestone), whatever the number of items.
    """
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    first_of_month = today.replace(day=1)
    end = (first_of_month + dt.timedelta(days=32 * months)).replace(day=1)
    live = items.exclude(status__in=LIVE_EXCLUDED)
    counts: dict[dt.date, dict[str, int]] = {}
    for milestone in MILESTONES:
        grouped = (
            live.filter(**{f"{milestone}__lt": end})
            .annotate(month=TruncMonth(milestone))
            .values("month")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in grouped:
            month = row["month"]
            month = month.date() if isinstance(month, dt.datetime) else month
            counts.setdefault(month, dict.fromkeys(MILESTONES, 0))[milestone] = row["n"]
    month = first_of_month
    while month < end:
        counts.setdefault(month, dict.fromkeys(MILESTONES, 0))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return [
        {"month": m.strftime("%Y-%m"), "past": m < first_of_month, **c, "total": sum(c.values())}
        for m, c in sorted(counts.items())
    ]


# --- bulk import ------------------------------------------------------------------------------
def import_items_csv(
    *, items: Iterable[str] | None, relationships: Iterable[str] | None = None, actor: Any,
    batch_size: int = bulkimport.BATCH,
) -> bulkimport.BulkImportResult:  # fmt: skip
    """Upsert items and relationships from CSV streams, all or nothing (see ``cmdb.bulkimport``).

    Raises ``bulkimport.BulkImportError`` naming file, row and field; nothing is written then.
    ``actor`` None (the command line) may change every item; a user only what they may change.
    """
    with _acting(actor, "import"):
        return bulkimport.import_csv(
            items=items, relationships=relationships, actor=actor, batch_size=batch_size
        )
