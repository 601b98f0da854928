"""Bulk import (CSV, JSON, YAML) and export (CSV, XLSX, JSON) for every registered model.

Import runs every row through the model's own form, so it enforces exactly the rules the UI
does; it is all-or-nothing, upserts by the model's natural key, and reports errors by row and
field. Export writes the same columns import reads, so a file round-trips.
"""

from __future__ import annotations

import copy
import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from django import forms
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from steward.core import changelog
from steward.core.forms import StewardModelForm, set_tags
from steward.core.models import CustomField, ReferenceMixin, Tag
from steward.core.search import index as search_index
from steward.core.serialization import snapshot, to_json_value


class ImportFormatError(ValueError):
    pass


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, {self.field}: {self.message}"


@dataclass
class PreviewRow:
    row: int
    action: str
    text: str
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors


# --- parsing --------------------------------------------------------------------------------
def parse_rows(text: str, fmt: str) -> list[dict[str, Any]]:
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        if not reader.fieldnames:
            raise ImportFormatError(_("The CSV has no header row."))
        rows = []
        for row in reader:
            if None in row:
                raise ImportFormatError(
                    _("Row %(row)d has more cells than the header.") % {"row": len(rows) + 1}
                )
            rows.append({k.strip(): (v if v is not None else "") for k, v in row.items()})
        return rows
    try:
        data = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ImportFormatError(
            _("The %(fmt)s does not parse: %(error)s") % {"fmt": fmt.upper(), "error": exc}
        ) from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ImportFormatError(_("Expected a list of records (objects)."))
    return data


# --- forms for import -------------------------------------------------------------------------
def natural_key_field(model: type[models.Model]) -> str:
    keys = getattr(model, "natural_key_fields", ())
    return keys[0] if len(keys) == 1 else "pk"


class CachedModelChoiceField(forms.ModelChoiceField):
    """Resolves each distinct value once per import form class: a file names the same few
    departments thousands of times. Copies made for each form share the cache."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.resolved: dict[str, Any] = {}

    def __deepcopy__(self, memo: dict[int, Any]) -> CachedModelChoiceField:
        result = super().__deepcopy__(memo)
        result.resolved = self.resolved
        return result

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values or isinstance(value, models.Model):
            return super().to_python(value)
        key = str(value)
        if key not in self.resolved:
            try:
                self.resolved[key] = super().to_python(value)
            except ValidationError as exc:
                self.resolved[key] = exc
        hit = self.resolved[key]
        if isinstance(hit, ValidationError):
            raise copy.copy(hit)
        return hit


class ImportFormMixin:
    """Model validation without the checks the importer has already made for the whole file.

        A reference resolved by a ``CachedModelChoiceField`` is known to exist, so the model's own
        foreign-key existence query is skipped for it; the natural key's unique check is skipped
        when the importer's one lookup for all keys already proved it (``proven_key``) and ``clean()``
    left the value as it was looked up. Unique and
        constraint checks still see every other field.
    """

    #: (field, value): no other row holds this natural key (set by the importer).
    proven_key: tuple[str, str] | None = None
    _field_phase = False

    def _post_clean(self) -> None:
        self._field_phase = True
        try:
            super()._post_clean()  # type: ignore[misc]
        finally:
            self._field_phase = False

    def _prechecked_references(self) -> set[str]:
        names = set()
        model = self._meta.model  # type: ignore[attr-defined]
        for name, form_field in self.fields.items():  # type: ignore[attr-defined]
            if not isinstance(form_field, CachedModelChoiceField) or name in self._errors:  # type: ignore[attr-defined]
                continue
            if self.cleaned_data.get(name) is None:  # type: ignore[attr-defined]
                continue
            if model._meta.get_field(name).get_limit_choices_to():
                continue
            names.add(name)
        return names

    def _get_validation_exclusions(self) -> set[str]:
        exclude = super()._get_validation_exclusions()  # type: ignore[misc]
        if self._field_phase:
            exclude |= self._prechecked_references()
        return exclude

    def validate_unique(self) -> None:
        self._field_phase = False
        exclude = self._get_validation_exclusions()
        if self.proven_key is not None:
            name, value = self.proven_key
            current = getattr(self.instance, name, None)  # type: ignore[attr-defined]
            if current is not None and str(current) == value:
                exclude.add(name)
        try:
            self.instance.validate_unique(exclude=exclude)  # type: ignore[attr-defined]
        except ValidationError as e:
            self._update_errors(e)  # type: ignore[attr-defined]

    def validate_constraints(self) -> None:
        self._field_phase = False
        super().validate_constraints()  # type: ignore[misc]


def import_form_class(form_class: type[StewardModelForm]) -> type[StewardModelForm]:
    """The edit form, with references to other records by their natural key, not their id."""
    model = form_class._meta.model
    overrides: dict[str, Any] = {}
    for name in form_class.base_fields:
        try:
            model_field = model._meta.get_field(name)
        except Exception:  # noqa: S112 - not a model field (tags, custom fields)
            continue
        if model_field.many_to_one or model_field.one_to_one:
            related = model_field.related_model
            overrides[name] = CachedModelChoiceField(
                queryset=related._default_manager.all(),
                to_field_name=natural_key_field(related),
                required=not model_field.blank,
            )
        elif model_field.many_to_many:
            related = model_field.related_model
            overrides[name] = forms.ModelMultipleChoiceField(
                queryset=related._default_manager.all(),
                to_field_name=natural_key_field(related),
                required=not model_field.blank,
            )
    overrides["tags"] = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.all(), to_field_name="slug", required=False
    )
    return type(f"Import{form_class.__name__}", (ImportFormMixin, form_class), overrides)


def export_columns(form_class: type[StewardModelForm]) -> list[str]:
    """The row's key, the form's fields, then one ``cf_<name>`` column per custom field.

    The key comes first when the form does not edit it: a natural key such as a reference, or
    the id for a model without one. Either lets an exported file be edited and imported back
    as updates rather than as new rows.
    """
    model = form_class._meta.model
    fields = [n for n in form_class.base_fields if n not in ("_last_updated",)]
    keys = [k for k in getattr(model, "natural_key_fields", ()) if k not in fields] or (
        [] if getattr(model, "natural_key_fields", ()) else ["id"]
    )
    names = [*keys, *fields]
    names += [f"cf_{cf.name}" for cf in CustomField.objects.for_model(model)]
    return names


def row_from_instance(instance: models.Model, columns: list[str]) -> dict[str, Any]:
    """Values of ``instance`` as import would read them (FKs by natural key, lists comma-joined)."""
    result: dict[str, Any] = {}
    cf = instance.custom_field_data or {}
    for name in columns:
        if name.startswith("cf_"):
            value = cf.get(name[3:])
        elif name == "tags":
            value = ",".join(sorted(item.tag.slug for item in instance.tagged_items.all()))
        else:
            model_field = instance._meta.get_field(name)
            if model_field.many_to_many:
                key = natural_key_field(model_field.related_model)
                value = ",".join(str(getattr(o, key)) for o in getattr(instance, name).all())
            elif model_field.is_relation:
                related = getattr(instance, name)
                value = getattr(related, natural_key_field(type(related))) if related is not None else None
            elif isinstance(model_field, models.JSONField):
                # JSON text, as the form's JSON field reads it back (not a comma-joined list).
                result[name] = json.dumps(getattr(instance, name), cls=DjangoJSONEncoder, ensure_ascii=False)
                continue
            else:
                value = getattr(instance, name)
        result[name] = to_json_value(value) if not isinstance(value, list) else ",".join(map(str, value))
    return result


def _as_form_data(row: dict[str, Any], form: type[forms.Form]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in row.items():
        f = form.base_fields.get(key)
        if isinstance(f, forms.MultipleChoiceField | forms.ModelMultipleChoiceField) and isinstance(
            value, str
        ):
            value = [v.strip() for v in value.split(",") if v.strip()]
        elif isinstance(f, forms.BooleanField) and isinstance(value, str):
            value = value.strip().lower() in {"1", "true", "yes", "on", "y"}
        elif value is None:
            value = ""
        data[key] = value
    return data


# --- import -----------------------------------------------------------------------------------
def import_rows(
    *,
    model: type[models.Model],
    form_class: type[StewardModelForm],
    rows: list[dict[str, Any]],
    dry_run: bool,
    allowed: models.QuerySet | None = None,
    permitted: Callable[[models.Model, bool], bool] | None = None,
) -> ImportResult:
    """Validate every row; unless ``dry_run`` and error-free, write them all in one transaction.

    ``permitted(obj, is_new)`` is asked about each written row; if it refuses one (a
    constrained permission the new values fall outside), nothing is written.
    """
    with CustomField.objects.cached_definitions():
        return _import_rows(
            model=model,
            form_class=form_class,
            rows=rows,
            dry_run=dry_run,
            allowed=allowed,
            permitted=permitted,
        )


def _import_rows(
    *,
    model: type[models.Model],
    form_class: type[StewardModelForm],
    rows: list[dict[str, Any]],
    dry_run: bool,
    allowed: models.QuerySet | None,
    permitted: Callable[[models.Model, bool], bool] | None,
) -> ImportResult:
    result = ImportResult(dry_run=dry_run)
    allowed = model._default_manager.all() if allowed is None else allowed
    form_cls = import_form_class(form_class)
    columns = export_columns(form_cls)
    key_fields = getattr(model, "natural_key_fields", ())
    known = set(columns) | {"id"} | {f"cf_{n}" for n in ()}
    template = form_cls()
    known |= set(template.fields)
    seen: dict[tuple[Any, ...], int] = {}
    pending: list[tuple[int, StewardModelForm, bool, dict[str, Any] | None]] = []
    existing = _ExistingRows(model, allowed, key_fields, rows)
    unique_key = existing.unique_key_field

    for number, row in enumerate(rows, start=1):
        unknown = [k for k in row if k not in known]
        if unknown:
            result.errors.append(RowError(number, unknown[0], _("Unknown column.")))
            continue
        instance = None
        key_value = None
        if row.get("id") not in (None, ""):
            instance = existing.by_id(row["id"])
            if instance is None:
                result.errors.append(RowError(number, "id", _("No record with this id that you may change.")))
                continue
        elif key_fields and all(row.get(k) not in (None, "") for k in key_fields):
            key = tuple(str(row[k]) for k in key_fields)
            if key in seen:
                result.errors.append(
                    RowError(number, key_fields[0], _("Same key as row %(row)d.") % {"row": seen[key]})
                )
                continue
            seen[key] = number
            instance, forbidden = existing.by_key({k: row[k] for k in key_fields})
            if forbidden:
                result.errors.append(
                    RowError(number, key_fields[0], _("This record exists and you may not change it."))
                )
                continue
            key_value = key[0]
        data = {}
        if instance is not None:
            data = row_from_instance(instance, [c for c in columns if c not in row])
        else:
            # A column left out of the file means the field's default, as on the add form.
            for name, form_field in template.fields.items():
                if name not in row and form_field.initial is not None:
                    initial = form_field.initial
                    data[name] = initial() if callable(initial) else initial
        data.update({k: v for k, v in row.items() if k != "id"})
        form = form_cls(data=_as_form_data(data, form_cls), instance=instance)
        before = snapshot(instance) if instance is not None else None
        if unique_key and key_value is not None:
            form.proven_key = (unique_key, key_value)
        if not form.is_valid():
            for field_name, errors in form.errors.items():
                result.errors.append(
                    RowError(number, field_name if field_name != "__all__" else "—", "; ".join(errors))
                )
            continue
        pending.append((number, form, instance is None, before))

    if result.errors:
        result.preview = []
        return result

    for number, form, is_new, before in pending:
        obj = form.instance
        if is_new:
            result.created += 1
            result.preview.append(PreviewRow(number, "create", str(obj)))
        else:
            after = snapshot(obj)
            changes = {
                k: (before.get(k), v)
                for k, v in after.items()
                if before and before.get(k) != v and k != "last_updated"
            }
            if changes or "tags" in form.changed_data:
                result.updated += 1
                result.preview.append(PreviewRow(number, "update", str(obj), changes))
            else:
                result.unchanged += 1
    if dry_run:
        return result

    with transaction.atomic():
        new_forms = [f for _n, f, is_new, _b in pending if is_new]
        _bulk_create(model, new_forms)
        for _number, form, is_new, _before in pending:
            if not is_new:
                form.save()
        if permitted is not None:
            for number, form, is_new, _before in pending:
                if not permitted(form.instance, is_new):
                    result.errors.append(
                        RowError(number, "—", _("You may not create or change a record with these values."))
                    )
            if result.errors:
                transaction.set_rollback(True)
                result.preview = []
    return result


def _canonical_int(value: Any) -> bool:
    """An id that means the same as a Python int and as its string (``7``, ``"7"``; not ``"07"``)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value >= 0
    return isinstance(value, str) and value.isdigit() and value.isascii() and str(int(value)) == value


class _ExistingRows:
    """The rows an import refers to, read in a few queries instead of one or two per row.

    Falls back to a query per row where a batch would not mean the same thing (a natural key
    spanning several fields or not unique on its own, ids that are not integers).
    """

    def __init__(
        self,
        model: type[models.Model],
        allowed: models.QuerySet,
        key_fields: tuple[str, ...],
        rows: list[dict[str, Any]],
    ) -> None:
        self.model, self.allowed, self.key_fields = model, allowed, key_fields
        self.unique_key_field = self._unique_key_field()
        ids = {int(r["id"]) for r in rows if _canonical_int(r.get("id"))}
        self.ids = {str(pk): obj for pk, obj in allowed.in_bulk(list(ids)).items()}
        self.allowed_by_key: dict[str, models.Model] = {}
        self.taken_keys: set[str] = set()
        if self.unique_key_field:
            name = self.unique_key_field
            keys = list(
                {str(r[name]) for r in rows if r.get(name) not in (None, "") and r.get("id") in (None, "")}
            )
            self.allowed_by_key = {
                str(getattr(obj, name)): obj for obj in allowed.in_bulk(keys, field_name=name).values()
            }
            missing = [k for k in keys if k not in self.allowed_by_key]
            for start in range(0, len(missing), 500):
                self.taken_keys.update(
                    str(v)
                    for v in model._default_manager.filter(
                        **{f"{name}__in": missing[start : start + 500]}
                    ).values_list(name, flat=True)
                )
        found = [*self.ids.values(), *self.allowed_by_key.values()]
        if found and hasattr(model, "tagged_items"):
            # The edit form and ``row_from_instance`` both read the tags of every existing row.
            models.prefetch_related_objects(found, "tagged_items__tag")

    def _unique_key_field(self) -> str | None:
        if len(self.key_fields) != 1:
            return None
        name = self.key_fields[0]
        meta = self.model._meta
        try:
            field = meta.get_field(name)
        except Exception:  # noqa: BLE001 - not a concrete field: no batching
            return None
        # Text keys only: there a value and its string form compare the same in SQL and here.
        if not isinstance(field, models.CharField) or not field.unique:
            return None
        together = [set(t) for t in meta.unique_together] + [
            set(c.fields) for c in meta.total_unique_constraints
        ]
        for_dates = any(
            name in (f.unique_for_date, f.unique_for_month, f.unique_for_year) for f in meta.concrete_fields
        )
        if for_dates or any(name in fields for fields in together):
            return None
        return name

    def by_id(self, value: Any) -> models.Model | None:
        if _canonical_int(value):
            return self.ids.get(str(value))
        return self.allowed.filter(pk=value).first()

    def by_key(self, lookup: dict[str, Any]) -> tuple[models.Model | None, bool]:
        """The allowed row with this natural key, and whether a row exists that is not allowed."""
        if self.unique_key_field:
            key = str(lookup[self.unique_key_field])
            instance = self.allowed_by_key.get(key)
            return instance, instance is None and key in self.taken_keys
        # A foreign key in a composite key is written as the related row's natural key.
        query = {}
        for name, value in lookup.items():
            field = self.model._meta.get_field(name)
            related = field.related_model if field.many_to_one else None
            query[f"{name}__{natural_key_field(related)}" if related is not None else name] = value
        instance = self.allowed.filter(**query).first()
        return instance, instance is None and self.model._default_manager.filter(**query).exists()


def _bulk_create(model: type[models.Model], new_forms: list[StewardModelForm], batch: int = 1000) -> None:
    """Create new rows in batches, with one change-log append and one search-index write per batch."""
    for start in range(0, len(new_forms), batch):
        chunk = new_forms[start : start + batch]
        objs = [f.instance for f in chunk]
        if issubclass(model, ReferenceMixin):
            for obj, ref in zip(objs, model.allocate_references(len(objs)), strict=True):
                obj.reference = ref
        model._default_manager.bulk_create(objs)
        for f in chunk:
            for name, value in f.cleaned_data.items():
                mf = next((m for m in model._meta.many_to_many if m.name == name), None)
                if mf is not None:
                    getattr(f.instance, name).set(value)
            if f.cleaned_data.get("tags"):
                set_tags(f.instance, f.cleaned_data["tags"])
        changelog.record_many(changelog.Change(o, "create", None, snapshot(o)) for o in objs)
        search_index.index_many(objs)
        for o in objs:
            changelog.remember_state(o)


# --- export -----------------------------------------------------------------------------------
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Stop spreadsheet programs from executing a cell as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    """A value a spreadsheet cell can hold: JSON columns become their JSON text."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, cls=DjangoJSONEncoder)
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_response(
    queryset: Iterable[models.Model], columns: list[str], fmt: str, filename: str
) -> HttpResponse | StreamingHttpResponse:
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def lines() -> Iterator[str]:
            yield writer.writerow(columns)
            for obj in queryset:
                row = row_from_instance(obj, columns)
                yield writer.writerow([neutralise("" if row[c] is None else row[c]) for c in columns])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    elif fmt == "json":
        body = json.dumps([row_from_instance(o, columns) for o in queryset], cls=DjangoJSONEncoder, indent=2)
        response = HttpResponse(body, content_type="application/json")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("export")
        ws.append(columns)
        for obj in queryset:
            row = row_from_instance(obj, columns)
            ws.append([neutralise(_cell(row[c])) for c in columns])
        buffer = io.BytesIO()
        wb.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise ValueError(fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
