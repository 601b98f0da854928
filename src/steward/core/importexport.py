"""Bulk import (CSV, JSON, YAML) and export (CSV, XLSX, JSON) for every registered model.

Import runs every row through the model's own form, so it enforces exactly the rules the UI
does; it is all-or-nothing, upserts by the model's natural key, and reports errors by row and
field. Export writes the same columns import reads, so a file round-trips.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from steward.core import changelog
from steward.core.forms import StewardModelForm, set_tags
from steward.core.models import ReferenceMixin, Tag
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
            overrides[name] = forms.ModelChoiceField(
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
    return type(f"Import{form_class.__name__}", (form_class,), overrides)


def export_columns(form_class: type[StewardModelForm]) -> list[str]:
    names = [n for n in form_class.base_fields if n not in ("_last_updated",)]
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
) -> ImportResult:
    """Validate every row; unless ``dry_run`` and error-free, write them all in one transaction."""
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

    for number, row in enumerate(rows, start=1):
        unknown = [k for k in row if k not in known]
        if unknown:
            result.errors.append(RowError(number, unknown[0], _("Unknown column.")))
            continue
        instance = None
        if row.get("id") not in (None, ""):
            instance = allowed.filter(pk=row["id"]).first()
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
            lookup = {k: row[k] for k in key_fields}
            instance = allowed.filter(**lookup).first()
            if instance is None and model._default_manager.filter(**lookup).exists():
                result.errors.append(
                    RowError(number, key_fields[0], _("This record exists and you may not change it."))
                )
                continue
        data = {}
        if instance is not None:
            data = row_from_instance(instance, [c for c in columns if c not in row])
        data.update({k: v for k, v in row.items() if k != "id"})
        form = form_cls(data=_as_form_data(data, form_cls), instance=instance)
        before = snapshot(instance) if instance is not None else None
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
    return result


def _bulk_create(model: type[models.Model], new_forms: list[StewardModelForm], batch: int = 1000) -> None:
    """Create new rows in batches, with one change-log append per batch."""
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
