"""What global search indexes for talent records, with weights (3 = names)."""

from __future__ import annotations

from steward.core.search import SearchSpec

SKILL = SearchSpec(fields={"name": 3, "code": 3, "description": 1}, summary="description")
COURSE = SearchSpec(fields={"title": 3, "provider": 2, "description": 1}, summary="description")
CERTIFICATION = SearchSpec(fields={"name": 3, "issuer": 2, "description": 1}, summary="description")
ROLE = SearchSpec(fields={"name": 3, "description": 1}, summary="description")
POSITION = SearchSpec(fields={"reference": 3, "title": 3, "reason": 1}, summary="reason")
