"""What global search indexes for the security models, with weights (3 = identifiers and names)."""

from __future__ import annotations

from steward.core.search import SearchSpec

ADVISORY = SearchSpec(fields={"identifier": 3, "aliases": 3, "summary": 2, "details": 1}, summary="summary")
FINDING = SearchSpec(
    fields={"reference": 3, "installed_version": 1, "closure_reason": 1}, summary="closure_reason"
)
INCIDENT = SearchSpec(
    fields={"reference": 3, "title": 3, "description": 1, "affected_data": 1}, summary="title"
)
