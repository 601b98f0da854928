"""What global search indexes for strategy records, with weights (3 = names)."""

from __future__ import annotations

from steward.core.search import SearchSpec

OBJECTIVE = SearchSpec(fields={"reference": 3, "title": 3, "description": 1}, summary="description")
INITIATIVE = SearchSpec(fields={"reference": 3, "title": 3, "summary": 1}, summary="summary")
