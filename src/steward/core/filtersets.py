"""Base FilterSet: one per model drives the UI list, the API and exports alike."""

from __future__ import annotations

from functools import partial, reduce
from operator import or_
from typing import Any, ClassVar

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from steward.core.models import CustomField, CustomFieldType, Tag


class NumberInFilter(django_filters.BaseInFilter, django_filters.NumberFilter):
    """A comma-separated list of numbers (``?id=1,2,3``); anything else is a validation error."""


class StewardFilterSet(django_filters.FilterSet):
    """Adds quick search (``q``), tags, id lists, date ranges and custom-field filters."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    id = NumberInFilter(field_name="id", label=_("IDs"))
    tag = django_filters.ModelMultipleChoiceFilter(
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = self._meta.model
        user = getattr(self.request, "user", None)
        if user is not None:
            # Choices among the model's own rows (parent, manager) list only rows the user may see.
            for f in self.filters.values():
                qs = getattr(f, "queryset", None)
                if isinstance(qs, QuerySet) and qs.model is model:
                    f.queryset = qs.restrict(user, "view")
        for cf in CustomField.objects.for_model(model):
            name = f"cf_{cf.name}"
            lookup = "icontains" if cf.type in (CustomFieldType.TEXT, CustomFieldType.LONGTEXT) else "exact"
            if cf.type == CustomFieldType.MULTISELECT:
                lookup = "icontains"
            if cf.type == CustomFieldType.BOOLEAN:
                self.filters[name] = django_filters.BooleanFilter(
                    field_name=f"custom_field_data__{cf.name}", lookup_expr=lookup, label=cf.label or cf.name
                )
            elif lookup == "exact":
                # Values are stored typed (7, not "7"): compare with the converted value.
                self.filters[name] = django_filters.CharFilter(
                    field_name=f"custom_field_data__{cf.name}",
                    method=partial(self.filter_custom_field, cf),
                    label=cf.label or cf.name,
                )
            else:
                self.filters[name] = django_filters.CharFilter(
                    field_name=f"custom_field_data__{cf.name}", lookup_expr=lookup, label=cf.label or cf.name
                )

    @staticmethod
    def filter_custom_field(cf: CustomField, queryset: QuerySet, name: str, value: str) -> QuerySet:
        try:
            converted = cf.to_python(value)
        except ValidationError:
            return queryset.none()
        return queryset.filter(**{name: converted})

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        q = reduce(or_, (Q(**{f"{f}__icontains": value}) for f in self.search_fields))
        return queryset.filter(q)
