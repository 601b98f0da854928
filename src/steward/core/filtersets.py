"""Base FilterSet: one per model drives the UI list, the API and exports alike."""

from __future__ import annotations

import datetime
from functools import cache, reduce
from operator import or_
from typing import Any, ClassVar

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from steward.core.models import CustomField, CustomFieldType, Tag

TEXT_TYPES = (
    CustomFieldType.TEXT,
    CustomFieldType.LONGTEXT,
    CustomFieldType.MULTISELECT,
    CustomFieldType.URL,
)


class CustomFieldFilter(django_filters.Filter):
    """``?cf_<name>=``: the value is parsed as the field's type, so ``5`` matches the stored number 5.

    Text matches by substring (a multiple choice by one of its values); every other type exactly,
    after the same conversion the forms and the API apply when storing the value.
    """

    def __init__(self, *, custom_field: CustomField, **kwargs: Any) -> None:
        self.custom_field = custom_field
        lookup = "icontains" if custom_field.type in TEXT_TYPES else "exact"
        super().__init__(
            field_name=f"custom_field_data__{custom_field.name}",
            lookup_expr=lookup,
            label=custom_field.label or custom_field.name,
            **kwargs,
        )

    @property
    def field(self) -> forms.Field:
        if not hasattr(self, "_field"):
            cf = self.custom_field
            if cf.type in TEXT_TYPES:
                field: forms.Field = forms.CharField(label=self.label)
            elif cf.type == CustomFieldType.OBJECT:
                # An id, not a drop-down of every row (which would show rows the user may not see).
                field = forms.IntegerField(label=self.label)
            else:
                field = cf.form_field(for_filter=True)
            field.required = False
            self._field = field
        return self._field

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if value in (None, "", [], ()):
            return qs
        if self.custom_field.type not in TEXT_TYPES:
            value = self.custom_field.to_python(value)
        return super().filter(qs, value)


class NumberInFilter(django_filters.BaseInFilter, django_filters.NumberFilter):
    """A comma-separated list of numbers (``?id=1,2,3``); anything else is a validation error."""


#: The largest value a 64-bit integer column holds; ids beyond it cannot exist.
MAX_ID = 2**63 - 1


@cache
def _overflow_safe(field_class: type) -> type:
    """A subclass of ``field_class`` whose lookups of absurdly large ids are a validation error.

    SQLite cannot bind integers beyond 64 bits and raises OverflowError (a 500) when a model
    choice filter looks such an id up; the API fuzzer found it.
    """
    if getattr(field_class, "_overflow_safe", False):
        return field_class

    def clean(self: Any, value: Any) -> Any:
        try:
            return super(safe, self).clean(value)
        except OverflowError as exc:
            raise ValidationError(_("Number out of range."), code="invalid") from exc

    safe = type(
        f"OverflowSafe{field_class.__name__}", (field_class,), {"clean": clean, "_overflow_safe": True}
    )
    return safe


@cache
def _utc(field_class: type) -> type:
    """A subclass of a date-time form field that hands the query a UTC instant.

    ISO 8601 allows offsets such as ``+23:03`` that PostgreSQL refuses (a 500 the API fuzzer
    found); the instant is the same in UTC.
    """
    if getattr(field_class, "_utc", False):
        return field_class

    def to_python(self: Any, value: Any) -> Any:
        result = super(utc, self).to_python(value)
        if result is not None and getattr(result, "tzinfo", None) is not None:
            try:
                result = result.astimezone(datetime.UTC)
            except OverflowError as exc:
                raise ValidationError(_("Date and time out of range."), code="invalid") from exc
        return result

    utc = type(f"UTC{field_class.__name__}", (field_class,), {"to_python": to_python, "_utc": True})
    return utc


def _values(data: Any) -> list[Any]:
    if hasattr(data, "lists"):
        return [v for _k, values in data.lists() for v in values]
    return [v for value in data.values() for v in (value if isinstance(value, (list, tuple)) else [value])]


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class TagFilter(django_filters.ModelMultipleChoiceFilter):
    """Tags by slug (``?tag=red&tag=blue``)."""


class StewardFilterSet(django_filters.FilterSet):
    """Adds quick search (``q``), tags, id lists, date ranges and custom-field filters."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    id = NumberInFilter(field_name="id", label=_("IDs"), min_value=-MAX_ID, max_value=MAX_ID)
    tag = TagFilter(
        field_name="tagged_items__tag__slug",
        to_field_name="slug",
        queryset=Tag.objects.all(),
        label=_("Tags"),
        distinct=True,
    )
    created_after = django_filters.IsoDateTimeFilter(
        field_name="created", lookup_expr="gte", label=_("Created after")
    )
    created_before = django_filters.IsoDateTimeFilter(
        field_name="created", lookup_expr="lte", label=_("Created before")
    )
    updated_after = django_filters.IsoDateTimeFilter(
        field_name="last_updated", lookup_expr="gte", label=_("Updated after")
    )

    search_fields: ClassVar[tuple[str, ...]] = ()

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if self.data and any("\x00" in str(v) for v in _values(self.data)):
            # PostgreSQL cannot compare text with NUL in it: refuse such a filter as bad input.
            self.form.add_error(None, _("NUL characters are not allowed."))
            return False
        return valid

    def __init__(self, *args: Any, only_given: bool = False, **kwargs: Any) -> None:
        """``only_given``: build only the filters the data names (the API's case).

        A filter whose parameter is absent filters nothing, but building it, and its form
        field, costs a deep copy and a form field per declared filter on every request. With
        ``only_given`` the filter set copies just the filters a parameter of the data can reach
        (its name, or its name and a suffix such as ``_min`` for range widgets); the result is
        the same. The UI keeps every filter: it shows the whole form.
        """
        if only_given:
            data = kwargs.get("data", args[0] if args else None)
            keys = list(data.keys()) if data is not None else []
            # An instance attribute: django-filter deep-copies ``self.base_filters``.
            self.base_filters = {
                name: flt
                for name, flt in self.base_filters.items()
                if any(k == name or k.startswith(f"{name}_") for k in keys)
            }
        super().__init__(*args, **kwargs)
        for flt in self.filters.values():
            if isinstance(flt, (django_filters.ModelChoiceFilter, django_filters.ModelMultipleChoiceFilter)):
                flt.field_class = _overflow_safe(flt.field_class)
            elif isinstance(flt, django_filters.DateTimeFilter):
                flt.field_class = _utc(flt.field_class)
        model = self._meta.model
        user = getattr(self.request, "user", None)
        if user is not None:
            # Choices among the model's own rows (parent, manager) list only rows the user may see.
            for f in self.filters.values():
                qs = getattr(f, "queryset", None)
                if isinstance(qs, QuerySet) and qs.model is model:
                    f.queryset = qs.restrict(user, "view")
        for cf in CustomField.objects.for_model(model):
            if not only_given or f"cf_{cf.name}" in self.data:
                self.filters[f"cf_{cf.name}"] = CustomFieldFilter(custom_field=cf)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        q = reduce(or_, (Q(**{f"{f}__icontains": value}) for f in self.search_fields))
        return queryset.filter(q)
