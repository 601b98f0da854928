"""What global search indexes for the organisation models, with weights (3 = names)."""

from __future__ import annotations

from steward.core.search import SearchSpec

PERSON = SearchSpec(
    fields={"first_name": 3, "last_name": 3, "email": 2, "employee_id": 2, "title": 1, "phone": 1},
    summary="title",
)
TEAM = SearchSpec(fields={"name": 3, "slug": 2, "email": 2, "description": 1}, summary="description")
DEPARTMENT = SearchSpec(fields={"name": 3, "code": 2, "description": 1}, summary="description")
LOCATION = SearchSpec(fields={"name": 3, "code": 2, "address": 1, "time_zone": 1}, summary="address")
ORGANISATION = SearchSpec(fields={"name": 3, "slug": 2, "description": 1}, summary="description")
