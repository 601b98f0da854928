"""What global search indexes for innovation records, with weights (3 = names)."""

from __future__ import annotations

from steward.core.search import SearchSpec

IDEA = SearchSpec(
    fields={"reference": 3, "title": 3, "description": 1, "expected_benefit": 1}, summary="description"
)
RADAR_ENTRY = SearchSpec(fields={"name": 3, "description": 1}, summary="description")
PILOT = SearchSpec(fields={"reference": 3, "title": 3, "hypothesis": 1}, summary="hypothesis")
CHANGE_PLAN = SearchSpec(fields={"reference": 3, "title": 3, "description": 1}, summary="description")
