"""What global search indexes for ledger records, with weights (3 = names)."""

from __future__ import annotations

from steward.core.search import SearchSpec

COST_CENTRE = SearchSpec(fields={"code": 3, "name": 3, "description": 1}, summary="description")
BUDGET = SearchSpec(fields={"name": 3, "description": 1}, summary="description")
EXPENSE = SearchSpec(fields={"reference": 3, "supplier_name": 2, "description": 1}, summary="description")
