"""JSON snapshots of model instances, used by the change log, exports and webhooks."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.db import models


def to_json_value(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [to_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if hasattr(value, "name") and isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return str(value)


def snapshot_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def stored_value(field: models.Field, value: Any) -> Any:
    """The value as the database keeps it: a decimal at its field's scale (``4`` is stored ``4.00``)."""
    if isinstance(field, models.DecimalField) and isinstance(value, decimal.Decimal) and value.is_finite():
        return value.quantize(decimal.Decimal(1).scaleb(-field.decimal_places))
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The current field values of ``instance`` keyed by attribute name (FKs as ids)."""
    return {
        f.attname: to_json_value(stored_value(f, f.value_from_object(instance)))
        for f in snapshot_fields(type(instance))
    }


def snapshot_from_loaded(instance: models.Model) -> dict[str, Any] | None:
    """The values the instance had when it was read from the database, or None if it was not."""
    loaded = getattr(instance, "_loaded_values", None)
    if loaded is None:
        return None
    result = {}
    for f in snapshot_fields(type(instance)):
        if f.attname in loaded:
            value = loaded[f.attname]
            if isinstance(f, models.FileField):
                value = value or None
            result[f.attname] = to_json_value(stored_value(f, value))
    return result
