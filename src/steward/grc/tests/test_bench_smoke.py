"""A tiny run of the framework-import benchmark, so it keeps working (figures: bench/README.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from steward.grc.tests.conftest import LOW_CATALOG, need

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[4]


def test_grc_import_benchmark_smoke():
    need(LOW_CATALOG)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench import grc_import

    result = grc_import.measure(1)
    assert result["controls"] == 149
    assert (
        result["create_product"]["controls_per_s"] > 0 and result["create_comparator"]["controls_per_s"] > 0
    )
    assert result["reimport_product"]["n"] == 1
