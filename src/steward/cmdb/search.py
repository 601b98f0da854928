"""What global search indexes for the CMDB, with weights (3 = names)."""

from __future__ import annotations

from steward.core.search import SearchSpec

CONFIGURATION_ITEM = SearchSpec(
    fields={"name": 3, "reference": 3, "serial_number": 2, "asset_tag": 2, "description": 1},
    summary="description",
)
