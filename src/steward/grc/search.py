"""What global search indexes for the GRC models, with weights (3 = names and references)."""

from __future__ import annotations

from steward.core.search import SearchSpec

FRAMEWORK = SearchSpec(fields={"name": 3, "identifier": 2, "description": 1}, summary="version")
REQUIREMENT = SearchSpec(fields={"control_id": 3, "label": 3, "title": 2, "statement": 1}, summary="title")
CONTROL = SearchSpec(fields={"reference": 3, "name": 3, "description": 1}, summary="description")
EVIDENCE = SearchSpec(fields={"name": 3, "description": 1}, summary="description")
ASSESSMENT = SearchSpec(fields={"reference": 3, "name": 3, "description": 1}, summary="description")
FINDING = SearchSpec(fields={"reference": 3, "title": 3, "description": 1}, summary="description")
RISK = SearchSpec(fields={"reference": 3, "title": 3, "category": 2, "description": 1, "threats": 1},
                  summary="description")  # fmt: skip
POLICY = SearchSpec(fields={"reference": 3, "title": 3, "body": 1}, summary="policy_type")
INDICATOR = SearchSpec(fields={"name": 3, "description": 1}, summary="description")
