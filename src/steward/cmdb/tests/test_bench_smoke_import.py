"""A tiny run of the CMDB import benchmark's workload, so bench/cmdb_import.py cannot rot."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from steward.cmdb.models import ConfigurationItem

ROOT = Path(__file__).resolve().parents[4]
pytestmark = pytest.mark.django_db


def test_cmdb_import_benchmark_workload_runs(tmp_path):
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench import cmdb_import

    cmdb_import.ensure_schema()
    path = tmp_path / "items.csv"
    cmdb_import.write_items(path, 30, seed=1)
    assert cmdb_import.product(path).created == 30
    assert cmdb_import.product(path).unchanged == 30
    cmdb_import.wipe()
    cmdb_import.raw_create(path)
    assert ConfigurationItem.objects.count() == 30
