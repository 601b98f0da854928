"""What global search indexes for sourcing records, with weights (3 = names)."""

from __future__ import annotations

from steward.core.search import SearchSpec

VENDOR = SearchSpec(fields={"name": 3, "contacts": 1, "description": 1}, summary="description")
CONTRACT = SearchSpec(fields={"reference": 3, "title": 3, "vendor_reference": 2, "description": 1},
                      summary="description")  # fmt: skip
PURCHASE_REQUEST = SearchSpec(
    fields={"reference": 3, "title": 3, "justification": 1}, summary="justification"
)
PURCHASE_ORDER = SearchSpec(fields={"reference": 3, "notes": 1}, summary="notes")
INVOICE = SearchSpec(fields={"number": 3, "notes": 1}, summary="notes")
