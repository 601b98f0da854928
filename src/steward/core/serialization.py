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


# Types that ``to_json_value`` and ``stored_value`` return unchanged (exact types, not subclasses).
_AS_IS = frozenset({str, int, bool, float, type(None)})
_DATES = frozenset({datetime.date, datetime.datetime})
_PLANS: dict[type[models.Model], tuple[tuple[str, models.Field, bool], ...]] = {}


def _plan(model: type[models.Model]) -> tuple[tuple[str, models.Field, bool], ...]:
    """Per model, once: each snapshot field's attname, the field, and whether a plain read gives its value."""
    plan = _PLANS.get(model)
    if plan is None:
        plan = tuple(
            (f.attname, f, type(f).value_from_object is models.Field.value_from_object)
            for f in snapshot_fields(model)
        )
        _PLANS[model] = plan
    return plan


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The current field values of ``instance`` keyed by attribute name (FKs as ids).

    Bulk paths take one snapshot per row, so the common case is kept short: a value of a plain
    JSON type is taken as it is (``to_json_value`` and ``stored_value`` would return it
    unchanged); anything else goes through both.
    """
    result = {}
    for attname, f, plain_read in _plan(type(instance)):
        value = getattr(instance, attname) if plain_read else f.value_from_object(instance)
        kind = type(value)
        if kind in _AS_IS:
            pass
        elif kind in _DATES:
            value = value.isoformat()
        elif kind is dict and all(type(k) is str and type(v) in _AS_IS for k, v in value.items()):
            value = dict(value)  # a flat object (attributes, custom fields): a copy, as to_json_value makes
        else:
            value = to_json_value(stored_value(f, value))
        result[attname] = value
    return result


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
