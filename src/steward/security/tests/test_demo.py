"""The security demo: installations on the demo hosts, advisories, matched findings in every state."""

from __future__ import annotations

import random

import pytest

from steward.cmdb import demo as cmdb_demo
from steward.org import demo as org_demo
from steward.security import demo, services
from steward.security.models import Finding

pytestmark = pytest.mark.django_db


def test_demo_matches_findings_and_shows_exposure():
    assert demo.load(rng=random.Random(1), scale=0.05).startswith("security: skipped")
    rng = random.Random(42)
    org_demo.load(rng=rng, scale=0.05)
    cmdb_demo.load(rng=rng, scale=0.05)
    summary = demo.load(rng=rng, scale=0.05)
    assert "advisories" in summary
    states = set(Finding.objects.values_list("state", flat=True))
    assert {"open", "risk_accepted"} <= states
    assert Finding.objects.filter(due_date__isnull=False).count() == Finding.objects.count()
    assert services.match_findings().created == 0  # the demo's findings are already up to date
