"""Bulk CSV import of configuration items and relationships, streamed and batched.

The file is read row by row (``csv.DictReader`` over an open text stream) and handled in
batches: each batch is looked up in a few queries, checked (field types, choices, the item's
``clean()`` with its class attribute schema) and written with ``bulk_create``/``bulk_update``,
one change-log append and one search-index write. The whole file is one transaction: the first
problem stops the writing, the rest of the file is still checked (up to ``MAX_ERRORS``) so one
run reports them all, and then everything is rolled back.

Upsert keys: an item row is matched by ``reference`` when given, else by ``asset_tag``, else
by ``class`` + ``name``; a relationship by (source, type, target). Attribute columns are
``attr_<name>``, converted to the type the class schema declares. Links to other records
(``owner``, ``support_team``, ``location``, ``manufacturer``, ``device_model``) are given by
their natural key and resolved once per batch, one query per column.

Memory stays flat: a batch is dropped once written, and what must outlive it to refuse a row
naming an item an earlier row already named is 4 bytes per created item (the row number, by
key offset) and one entry per updated existing item.
"""

from __future__ import annotations

import csv
import datetime as dt
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import islice
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Max

from steward.cmdb.choices import Criticality, Environment, LifecycleStatus
from steward.cmdb.models import CIClass, ConfigurationItem, Relationship, RelationshipType
from steward.cmdb.models.classes import AttributeRules
from steward.core import bulk, changelog
from steward.core.models import CustomField
from steward.core.search import index as search_index
from steward.core.serialization import snapshot

BATCH = 2000
MAX_ERRORS = 50
ATTR = "attr_"
ITEM_FIELDS = (
    "name", "status", "environment", "criticality", "serial_number", "asset_tag", "purchase_date", "purchase_cost",
    "currency", "warranty_end", "end_of_life", "end_of_support", "description",
)  # fmt: skip
# column -> (model, natural key field); the cell holds the linked record's natural key
LINKS = {
    "owner": ("org.Person", "email"),
    "support_team": ("org.Team", "slug"),
    "location": ("org.Location", "code"),
    "manufacturer": ("cmdb.Manufacturer", "slug"),
    "device_model": ("cmdb.DeviceModel", "slug"),
}
ITEM_COLUMNS = {"reference", "class", *ITEM_FIELDS, *LINKS}
CHOICES = {"status": LifecycleStatus, "environment": Environment, "criticality": Criticality}
CHOICE_VALUES = {name: frozenset(choices.values) for name, choices in CHOICES.items()}
DATES = ("purchase_date", "warranty_end", "end_of_life", "end_of_support")
REL_COLUMNS = {"source", "type", "target", "description"}
_CI_CLASS = ConfigurationItem._meta.get_field("ci_class")
_DEVICE_MODEL = ConfigurationItem._meta.get_field("device_model")


@dataclass(frozen=True)
class RowProblem:
    file: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file} row {self.row}, {self.field}: {self.message}"


class BulkImportError(ValueError):
    """The file(s) had problems; nothing was written. ``problems`` name file, row and field."""

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems[:5]) + (" …" if len(problems) > 5 else ""))
        self.problems = problems


@dataclass
class BulkImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    relationships_created: int = 0
    relationships_updated: int = 0
    relationships_unchanged: int = 0
    rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"items: {self.created} created, {self.updated} updated, {self.unchanged} unchanged; relationships: "
            f"{self.relationships_created} created, {self.relationships_updated} updated, "
            f"{self.relationships_unchanged} unchanged"
        )


def _header(reader: Iterator[list[str]]) -> list[str]:
    return [h.strip() for h in next(reader, [])]


def _records(reader: Iterator[list[str]], header: list[str]) -> Iterator[dict[str, str]]:
    """Each row as ``{column: stripped cell}``, as ``csv.DictReader`` gives it but in one step.

    Like ``DictReader``: blank lines are skipped, missing cells read as "" and cells beyond the
    header are dropped.
    """
    width, strip = len(header), str.strip
    for cells in reader:
        if not cells:
            continue
        if len(cells) != width:
            cells = (cells + [""] * width)[:width]
        yield dict(zip(header, map(strip, cells), strict=True))


def _batches(rows: Iterator[dict[str, str]], size: int) -> Iterator[list[tuple[int, dict[str, str]]]]:
    numbered = enumerate(rows, start=2)  # row 1 is the header, as a spreadsheet shows it
    while batch := list(islice(numbered, size)):
        yield batch


def _choice(name: str) -> Callable[[str], str]:
    default, allowed = ConfigurationItem._meta.get_field(name).get_default(), CHOICE_VALUES[name]
    told = f"one of {', '.join(CHOICES[name].values)}"

    def convert(value: str) -> str:
        if value == "":
            return default
        if value not in allowed:
            raise ValueError(told)
        return value

    return convert


def _date(value: str) -> dt.date | None:
    if value == "":
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError("expected a date (YYYY-MM-DD)") from None


def _money(value: str) -> Decimal | None:
    if value == "":
        return None
    try:
        cost = Decimal(value)
    except InvalidOperation:
        raise ValueError("expected a number") from None
    if not cost.is_finite() or cost.as_tuple().exponent < -2 or abs(cost) >= Decimal("1e12"):
        raise ValueError("expected an amount with at most 2 decimals")
    return cost


def _text(name: str) -> Callable[[str], str]:
    max_length = ConfigurationItem._meta.get_field(name).max_length
    told = f"at most {max_length} characters"
    required = name == "name"

    def convert(value: str) -> str:
        if required and not value:
            raise ValueError("required")
        if max_length and len(value) > max_length:
            raise ValueError(told)
        return value

    return convert


def _converter(name: str) -> Callable[[str], Any]:
    """The cell → value conversion of an item field, with its message when the cell is bad."""
    if name in CHOICES:
        return _choice(name)
    if name in DATES:
        return _date
    if name == "purchase_cost":
        return _money
    return _text(name)


class _Columns:
    """What an items file's header holds, worked out once per file instead of once per row."""

    def __init__(self, header: list[str]) -> None:
        present = set(header)
        self.links = [(c, ConfigurationItem._meta.get_field(c).attname) for c in LINKS if c in present]
        self.maker_from_model = "device_model" in present and "manufacturer" not in present
        self.fields = [(name, _converter(name)) for name in ITEM_FIELDS if name in present]
        self.attributes = [(c, c[len(ATTR) :]) for c in dict.fromkeys(header) if c.startswith(ATTR)]


class _Importer:
    def __init__(self, *, actor: Any, batch_size: int) -> None:
        self.actor = actor
        self.batch_size = batch_size
        self.result = BulkImportResult()
        self.classes = {c.slug: c for c in CIClass.objects.all()}
        by_pk = {c.pk: c for c in self.classes.values()}
        for cls in self.classes.values():  # parents from memory: effective_schema() then costs no query
            cls.parent = by_pk.get(cls.parent_id)
        self.schemas = {slug: cls.effective_schema() for slug, cls in self.classes.items()}
        self.rules = {
            slug: AttributeRules(self.schemas[slug], str(cls)) for slug, cls in self.classes.items()
        }
        self.new_item_cf_errors: dict[str, str] | None = None
        self.types = {t.slug: t for t in RelationshipType.objects.all()}
        items = ConfigurationItem.objects.all()
        self.changeable = items.restrict(actor, "change") if actor is not None else items
        self.can_add = actor is None or actor.has_perm("cmdb.add_configurationitem")
        self.seen: dict[Any, int] = {}  # relationship key -> row, per file
        # Items this run created have keys above ``first_pk``; the row that created each is kept
        # by key offset (4 bytes an item), the row that updated an existing item by its key.
        self.first_pk = (ConfigurationItem.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        self.created_rows = array("I")
        self.new_item = bulk.blank_factory(ConfigurationItem)
        self.updated_rows: dict[int, int] = {}

    # --- problems ---------------------------------------------------------------------------
    def problem(self, file: str, row: int, name: str, message: Any) -> None:
        self.result.problems.append(RowProblem(file, row, name, str(message)))

    @property
    def full(self) -> bool:
        return len(self.result.problems) >= MAX_ERRORS

    # --- items ------------------------------------------------------------------------------
    def items(self, stream: Iterable[str], file: str) -> None:
        reader = csv.reader(stream)
        header = _header(reader)
        missing = [c for c in ("name", "class") if c not in header]
        unknown = [c for c in header if c not in ITEM_COLUMNS and not c.startswith(ATTR)]
        if missing or unknown:
            what = f"missing column {missing[0]}" if missing else "unknown column"
            self.problem(file, 1, (missing or unknown)[0], what)
            return
        columns = _Columns(header)
        for batch in _batches(_records(reader, header), self.batch_size):
            self.result.rows += len(batch)
            self._item_batch(batch, file, columns)
            if self.full:
                return

    def _existing(self, batch: list[tuple[int, dict[str, str]]]) -> tuple[dict, dict, dict, dict]:
        refs = {r["reference"] for _n, r in batch if r.get("reference")}
        tags = {r["asset_tag"] for _n, r in batch if r.get("asset_tag")}
        names = {r["name"] for _n, r in batch if not r.get("reference")}
        by_ref = self.changeable.in_bulk(list(refs), field_name="reference") if refs else {}
        by_tag: dict[str, ConfigurationItem] = {}
        taken_tags: dict[str, int] = {}
        if tags:
            # ``exclude(asset_tag="")`` repeats the unique index's condition, so SQLite uses that
            # partial index instead of scanning the whole table once per batch.
            found = list(ConfigurationItem.objects.filter(asset_tag__in=tags).exclude(asset_tag=""))
            taken_tags = {item.asset_tag: item.pk for item in found}
            if found and self.actor is not None:  # which of them this user may change: one more query
                allowed = set(self.changeable.filter(pk__in=taken_tags.values()).values_list("pk", flat=True))
                found = [item for item in found if item.pk in allowed]
            by_tag = {item.asset_tag: item for item in found}
        by_name: dict[tuple[int, str], ConfigurationItem] = {}
        if names:
            for item in self.changeable.filter(name__in=names).order_by("-pk"):
                by_name[(item.ci_class_id, item.name)] = item  # the oldest wins
        return by_ref, by_tag, by_name, taken_tags

    def _links(self, rows: list[tuple[int, dict[str, str]]]) -> dict[str, dict[str, Any]]:
        """The linked records the batch names, per column, by natural key: one query per column."""
        found: dict[str, dict[str, Any]] = {}
        for column, (label, key) in LINKS.items():
            wanted = {r[column] for _n, r in rows if r.get(column)}
            if column == "owner":
                wanted = {w.lower() for w in wanted}
            if not wanted:
                continue
            model = apps.get_model(label)
            only = ["pk", key, "manufacturer_id"] if column == "device_model" else ["pk", key]
            found[column] = {
                getattr(o, key): o
                for o in model._default_manager.filter(**{f"{key}__in": wanted}).only(*only)
            }
        return found

    def _previous_row(self, pk: int) -> int | None:
        """The row of this file that already created or updated the item with key ``pk``."""
        if pk >= self.first_pk:
            offset = pk - self.first_pk
            row = self.created_rows[offset] if offset < len(self.created_rows) else 0
            return row or None
        return self.updated_rows.get(pk)

    def _item_batch(self, rows: list[tuple[int, dict[str, str]]], file: str, columns: _Columns) -> None:
        by_ref, by_tag, by_name, taken_tags = self._existing(rows)
        links = self._links(rows)
        new: list[tuple[int, ConfigurationItem]] = []
        changed: list[tuple[ConfigurationItem, dict[str, Any]]] = []
        seen: dict[Any, int] = {}  # upsert key -> row, within the batch
        for number, row in rows:
            cls = self.classes.get(row.get("class", ""))
            if cls is None:
                self.problem(file, number, "class", "no class with this slug")
                continue
            ref, tag = row.get("reference", ""), row.get("asset_tag", "")
            if ref:
                item = by_ref.get(ref)
                if item is None:
                    self.problem(file, number, "reference", "no item with this reference that you may change")
                    continue
            else:
                item = by_tag.get(tag) if tag else None
                if item is None and tag and tag in taken_tags:
                    self.problem(file, number, "asset_tag", "another item, which you may not change, has it")
                    continue
                item = item or by_name.get((cls.pk, row["name"]))
            key = ("ref", ref) if ref else ("tag", tag) if tag else ("name", cls.pk, row["name"])
            earlier = seen.get(key) or (self._previous_row(item.pk) if item is not None else None)
            if earlier:
                self.problem(
                    file, number, key[0] if key[0] != "ref" else "reference", f"same item as row {earlier}"
                )
                continue
            seen[key] = number
            if tag and taken_tags.get(tag) not in (None, getattr(item, "pk", None)):
                self.problem(file, number, "asset_tag", "another item has this asset tag")
                continue
            is_new = item is None
            if is_new and not self.can_add:
                self.problem(file, number, "reference", "you may not add items")
                continue
            before = snapshot(item) if item is not None else None
            item = item or self.new_item()
            if not self._fill(item, cls, row, columns, links, file, number):
                continue
            if is_new:
                new.append((number, item))
                continue
            self.updated_rows[item.pk] = number
            after = snapshot(item)
            if after == before:
                self.result.unchanged += 1
            else:
                changed.append((item, before))
        if not self.result.problems:
            self._write_items(new, changed)

    def _fill(
        self,
        item: ConfigurationItem,
        cls: CIClass,
        row: dict[str, str],
        columns: _Columns,
        links: dict[str, dict[str, Any]],
        file: str,
        number: int,
    ) -> bool:
        """Set the row's values on ``item`` and check them as ``item.clean()`` would."""
        errors: dict[str, str] = {}
        item.ci_class_id = cls.pk
        _CI_CLASS.set_cached_value(item, cls)  # what ``item.ci_class = cls`` does, minus the descriptor
        for column, attname in columns.links:
            text = row[column].lower() if column == "owner" else row[column]
            if not text:
                setattr(item, attname, None)
                continue
            target = links.get(column, {}).get(text)
            if target is None:
                label, key = LINKS[column]
                model = apps.get_model(label)
                errors[column] = (
                    f"no {model._meta.verbose_name} with this {model._meta.get_field(key).verbose_name}"
                )
                continue
            setattr(item, attname, target.pk)
            if column == "device_model":
                _DEVICE_MODEL.set_cached_value(item, target)  # the maker check below reads it
        if columns.maker_from_model and item.device_model_id:
            item.manufacturer_id = item.device_model.manufacturer_id  # the model's maker, as the form does
        for name, convert in columns.fields:
            try:
                setattr(item, name, convert(row[name]))
            except ValueError as exc:
                errors[name] = str(exc)
        if columns.attributes:
            attrs = dict(item.attributes or {})
            schema = self.schemas[cls.slug]
            for column, name in columns.attributes:
                text = row[column]
                if text == "":
                    attrs.pop(name, None)
                    continue
                try:
                    attrs[name] = _attribute(schema.get(name), text)
                except ValueError as exc:
                    errors[column] = str(exc)
            item.attributes = attrs
        if not errors:
            # ``clean()``: custom fields first (the same answer for every new item, whose data is
            # empty), then the item's own rules with its class's schema compiled once per import.
            invalid = self._custom_field_errors(item) or item.invariant_errors(self.rules[cls.slug])
            for name, message in invalid.items():
                column = ATTR + name.split(".", 1)[1] if name.startswith("attributes.") else name
                errors[column] = str(message)
        for name, message in errors.items():
            self.problem(file, number, name, message)
        return not errors

    def _custom_field_errors(self, item: ConfigurationItem) -> dict[str, str]:
        data = item.custom_field_data
        if data or not item._state.adding:
            return CustomField.objects.validate_data(ConfigurationItem, data)
        if self.new_item_cf_errors is None:
            self.new_item_cf_errors = CustomField.objects.validate_data(ConfigurationItem, {})
        return self.new_item_cf_errors

    def _write_items(
        self, numbered: list[tuple[int, ConfigurationItem]], changed: list[tuple[ConfigurationItem, Any]]
    ) -> None:
        new = [item for _n, item in numbered]
        if new:
            for item, ref in zip(new, ConfigurationItem.allocate_references(len(new)), strict=True):
                item.reference = ref
            bulk.insert(ConfigurationItem, new, now=_now())
            for number, item in numbered:
                offset = item.pk - self.first_pk
                if offset >= len(self.created_rows):  # keys can skip numbers (PostgreSQL sequences)
                    self.created_rows.extend([0] * (offset + 1 - len(self.created_rows)))
                self.created_rows[offset] = number
            changelog.record_many(changelog.Change(o, "create", None, snapshot(o)) for o in new)
            self.result.created += len(new)
        if changed:
            items = [i for i, _b in changed]
            columns = ["ci_class", *ITEM_FIELDS, *LINKS, "attributes", "last_updated"]
            now = _now()
            for item in items:
                item.last_updated = now
            ConfigurationItem.objects.bulk_update(items, columns, batch_size=self.batch_size)
            changelog.record_many(changelog.Change(i, "update", b, snapshot(i)) for i, b in changed)
            self.result.updated += len(items)
        # The instances are dropped with the batch, so no before-image is kept.
        search_index.index_many(new, new=True)
        search_index.index_many([i for i, _b in changed])

    # --- relationships --------------------------------------------------------------------------
    def relationships(self, stream: Iterable[str], file: str) -> None:
        reader = csv.reader(stream)
        header = _header(reader)
        missing = [c for c in ("source", "type", "target") if c not in header]
        unknown = [c for c in header if c not in REL_COLUMNS]
        if missing or unknown:
            self.problem(
                file,
                1,
                (missing or unknown)[0],
                f"missing column {missing[0]}" if missing else "unknown column",
            )
            return
        can_add = self.actor is None or self.actor.has_perm("cmdb.add_relationship")
        for rows in _batches(_records(reader, header), self.batch_size):
            self.result.rows += len(rows)
            ends = self._ends({r[k] for _n, r in rows for k in ("source", "target")})
            pending: list[tuple[int, Relationship]] = []
            for number, row in rows:
                rel_type = self.types.get(row["type"])
                source, target = ends.get(row["source"]), ends.get(row["target"])
                for name, found in (("source", source), ("target", target)):
                    if not isinstance(found, int):
                        self.problem(file, number, name, found or "no item with this reference or name")
                if rel_type is None:
                    self.problem(file, number, "type", "no relationship type with this slug")
                if not (isinstance(source, int) and isinstance(target, int) and rel_type):
                    continue
                if source == target:
                    self.problem(file, number, "target", "an item cannot be related to itself")
                    continue
                if len(row.get("description", "")) > 200:
                    self.problem(file, number, "description", "at most 200 characters")
                    continue
                key = (source, rel_type.pk, target)
                if key in self.seen:
                    self.problem(file, number, "target", f"same relationship as row {self.seen[key]}")
                    continue
                self.seen[key] = number
                pending.append((number, Relationship(source_id=source, type=rel_type, target_id=target,
                                                     description=row.get("description", ""))))  # fmt: skip
            if not self.result.problems:
                self._write_relationships(pending, file, can_add)
            if self.full:
                return

    def _ends(self, keys: set[str]) -> dict[str, int | str]:
        """Item ids by reference, else by unique name; a message where a name is ambiguous."""
        keys.discard("")
        found: dict[str, int | str] = dict(
            ConfigurationItem.objects.filter(reference__in=keys).values_list("reference", "pk")
        )
        names = keys - set(found)
        if names:
            counts: dict[str, list[int]] = {}
            for name, pk in ConfigurationItem.objects.filter(name__in=names).values_list("name", "pk"):
                counts.setdefault(name, []).append(pk)
            for name, pks in counts.items():
                found[name] = (
                    pks[0] if len(pks) == 1 else f"{len(pks)} items are named so; give the reference"
                )
        return found

    def _write_relationships(self, pending: list[tuple[int, Relationship]], file: str, can_add: bool) -> None:
        if not pending:
            return
        sources = {r.source_id for _n, r in pending}
        existing = {
            (r.source_id, r.type_id, r.target_id): r
            for r in Relationship.objects.filter(
                source_id__in=sources, target_id__in={r.target_id for _n, r in pending}
            )
        }
        new, changed = [], []
        for number, rel in pending:
            old = existing.get((rel.source_id, rel.type_id, rel.target_id))
            if old is None:
                if not can_add:
                    self.problem(file, number, "source", "you may not add relationships")
                    continue
                new.append(rel)
            elif old.description != rel.description:
                before = snapshot(old)
                old.description = rel.description
                changed.append((old, before))
            else:
                self.result.relationships_unchanged += 1
        if self.result.problems:
            return
        Relationship.objects.bulk_create(new, batch_size=self.batch_size)
        changelog.record_many(changelog.Change(o, "create", None, snapshot(o)) for o in new)
        if changed:
            Relationship.objects.bulk_update(
                [r for r, _b in changed], ["description"], batch_size=self.batch_size
            )
            changelog.record_many(changelog.Change(r, "update", b, snapshot(r)) for r, b in changed)
        self.result.relationships_created += len(new)
        self.result.relationships_updated += len(changed)


def _attribute(spec: dict[str, Any] | None, text: str) -> Any:
    """A CSV cell as the JSON value the attribute's type wants (checked fully by the schema later)."""
    kind = (spec or {}).get("type")
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            raise ValueError("expected a whole number") from None
    if kind == "number":
        try:
            number = float(text)
        except ValueError:
            raise ValueError("expected a number") from None
        return int(number) if number.is_integer() and "." not in text else number
    if kind == "boolean":
        lowered = text.lower()
        if lowered not in {"true", "false", "yes", "no", "1", "0"}:
            raise ValueError("expected true or false")
        return lowered in {"true", "yes", "1"}
    return text


def _now() -> dt.datetime:
    from django.utils import timezone

    return timezone.now()


def import_csv(
    *,
    items: Iterable[str] | None,
    relationships: Iterable[str] | None = None,
    actor: Any = None,
    batch_size: int = BATCH,
    items_name: str = "items.csv",
    relationships_name: str = "relationships.csv",
) -> BulkImportResult:
    """Import items, then relationships (which may name the new items), all or nothing."""
    with transaction.atomic(), CustomField.objects.cached_definitions():
        importer = _Importer(actor=actor, batch_size=batch_size)
        if items is not None:
            importer.items(items, items_name)
        importer.seen = {}
        if relationships is not None and not importer.full:
            importer.relationships(relationships, relationships_name)
        if importer.result.problems:
            raise BulkImportError(importer.result.problems)
        return importer.result
