"""A tiny run of the discovery ingestion benchmark, so it keeps working (the real run is bench/)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]


@pytest.mark.django_db
def test_discovery_benchmark_smoke(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(ROOT))
    from bench import discovery as bench_discovery
    from bench import harness

    monkeypatch.setattr(harness, "RESULTS_DIR", tmp_path)
    ctx = harness.Context(
        size=0, rounds=1, engine="sqlite", seed=7, extra={"hosts": 3, "packages": 40, "discovery_rounds": 1}
    )
    figures = bench_discovery.run(ctx)
    assert set(figures) == {"first", "repeat"}
    # Set-based: the queries of a payload do not grow with its packages (40 here, 1,500 in the bench).
    assert figures["repeat"]["queries_per_payload"] <= 12
    assert figures["first"]["queries_per_payload"] <= 60
    assert list(tmp_path.glob("discovery-*.json"))
    sys.modules.pop("bench.discovery", None)
