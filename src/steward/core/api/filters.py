from __future__ import annotations

from typing import Any

from django.template import loader
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import OrderingFilter as BaseOrderingFilter

from steward.core.filtersets import StewardFilterSet


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, building only the filters the request's parameters name."""

    def get_filterset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return None
        kwargs = self.get_filterset_kwargs(request, queryset, view)
        if issubclass(filterset_class, StewardFilterSet):
            kwargs["only_given"] = True
        return filterset_class(**kwargs)

    def to_html(self, request: Any, queryset: Any, view: Any) -> Any:
        """The browsable API's filter form: every filter, as the UI shows them."""
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return None
        filterset = filterset_class(**self.get_filterset_kwargs(request, queryset, view))
        return loader.get_template(self.template).render({"filter": filterset}, request)


class OrderingFilter(BaseOrderingFilter):
    """``?ordering=`` on declared fields only (never arbitrary lookups), pk as tie-breaker."""

    def get_valid_fields(
        self, queryset: Any, view: Any, context: dict | None = None
    ) -> list[tuple[str, str]]:
        fields = getattr(view, "ordering_fields", None)
        if fields is None:
            fields = [
                f.name for f in queryset.model._meta.concrete_fields if not f.is_relation or f.many_to_one
            ]
        return [(f, f) for f in fields]

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        ordering = self.get_ordering(request, queryset, view)
        if ordering:
            return queryset.order_by(*ordering, "pk")
        return queryset
