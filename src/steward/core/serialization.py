"""JSON snapshots of model instances, used by the change log, exports and webhooks."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import models

from steward.core.bulk import dict_reader


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


class _Plan:
    """Per model, once: the snapshot fields, their attnames, and one reader of their values."""

    def __init__(self, model: type[models.Model]) -> None:
        self.fields = snapshot_fields(model)
        self.attnames = [f.attname for f in self.fields]
        self.read = dict_reader(model, self.fields)

    def values(self, instance: models.Model) -> Sequence[Any]:
        if self.read is not None:
            try:
                return self.read(instance.__dict__)
            except KeyError:  # a deferred field: read the ordinary way (it loads)
                pass
        return [f.value_from_object(instance) for f in self.fields]


_PLANS: dict[type[models.Model], _Plan] = {}


def _as_json(field: models.Field, value: Any) -> Any:
    kind = type(value)
    if kind in _DATES:
        return value.isoformat()
    if kind is dict and all(type(k) is str and type(v) in _AS_IS for k, v in value.items()):
        return dict(value)  # a flat object (attributes, custom fields): a copy, as to_json_value makes
    return to_json_value(stored_value(field, value))


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The current field values of ``instance`` keyed by attribute name (FKs as ids).

    Bulk paths take one snapshot per row, so the common case is kept short: a value of a plain
    JSON type is taken as it is (``to_json_value`` and ``stored_value`` would return it
    unchanged); anything else goes through both.
    """
    model = type(instance)
    plan = _PLANS.get(model)
    if plan is None:
        plan = _PLANS[model] = _Plan(model)
    return {
        attname: value if type(value) in _AS_IS else _as_json(f, value)
        for attname, f, value in zip(plan.attnames, plan.fields, plan.values(instance), strict=True)
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
