"""Fixtures shared by the CMDB tests."""

from __future__ import annotations

import pytest

from steward.cmdb import graph


@pytest.fixture(params=["memory", "memory-plain-python", "database"])
def walk_mode(request, settings, monkeypatch):
    """Run the test once per way impact analysis can walk: the in-memory copy with numpy, the
    same copy in plain Python (numpy absent), and the database level by level (ADR 28, 31)."""
    settings.CMDB_IMPACT_IN_MEMORY = request.param != "database"
    if request.param == "memory-plain-python":
        monkeypatch.setattr(graph, "numpy", None)
    graph.forget()  # a copy built with the other array kind is not reused
    yield request.param
    graph.forget()
