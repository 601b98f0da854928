"""Limit/offset paging (with a count) and keyset cursor paging for large tables."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import CursorPagination, LimitOffsetPagination
from rest_framework.response import Response


class KeysetPagination(CursorPagination):
    ordering = "-pk"
    page_size_query_param = "limit"
    max_page_size = 1000


class StewardPagination(LimitOffsetPagination):
    """``?limit=&offset=`` by default; ``?cursor=`` (or ``?paging=cursor``) switches to keyset
    paging, which costs the same on page 10,000 as on page 1 and skips the COUNT."""

    default_limit = 50
    max_limit = 1000

    def __init__(self) -> None:
        self.cursor: KeysetPagination | None = None

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list[Any] | None:
        if "cursor" in request.query_params or request.query_params.get("paging") == "cursor":
            self.cursor = KeysetPagination()
            self.cursor.page_size = self.get_limit(request) or self.default_limit
            return self.cursor.paginate_queryset(queryset, request, view)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        if self.cursor is not None:
            return Response(
                {
                    "next": self.cursor.get_next_link(),
                    "previous": self.cursor.get_previous_link(),
                    "results": data,
                }
            )
        return super().get_paginated_response(data)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        result = super().get_paginated_response_schema(schema)
        result["required"] = ["results"]
        return result
