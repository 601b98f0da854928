from __future__ import annotations

from typing import Any

from rest_framework.filters import OrderingFilter as BaseOrderingFilter


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
