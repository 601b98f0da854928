"""A tiny run of the ITSM benchmarks (bench/sla.py, bench/incidents.py), so they cannot rot."""

from __future__ import annotations

import pytest

from steward.itsm.models import Incident

sla = pytest.importorskip("bench.sla", reason="run from the repository root (python -m pytest)")
incidents_bench = pytest.importorskip("bench.incidents")


def test_sla_benchmark_agrees_with_the_reference_and_numpy():
    pytest.importorskip("numpy")
    report = sla.measure(size=300, rounds=1, seed=3)
    assert report["mismatches_vs_reference"] == 0 and report["mismatches_vs_numpy"] == 0
    assert report["steward_clocks_per_s"] > 0


@pytest.mark.django_db
def test_incident_benchmark_seeds_and_lists(admin_client):
    incidents_bench.seed_incidents(300, seed=5, batch=100)
    assert Incident.objects.count() == 300
    scenarios, matching = incidents_bench.list_scenarios()
    assert matching > 0 and {s["name"] for s in scenarios} == {"offset/page1", "offset/deep", "cursor/page1",
                                                                "cursor/deep"}  # fmt: skip
    for sc in scenarios:
        response = admin_client.get(sc["url"])
        assert response.status_code == 200 and response.json()["results"], sc["url"]
