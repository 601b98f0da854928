"""The demo estate: shaped like a company, valid against the class schemas, quick to build."""

from __future__ import annotations

import random
import time
from collections import Counter

import pytest
from django.db.models import F

from steward.cmdb import demo, services
from steward.cmdb.models import ConfigurationItem, Relationship
from steward.cmdb.models.classes import validate_attributes
from steward.core.models import ObjectChange
from steward.org import demo as org_demo

pytestmark = pytest.mark.django_db


def test_demo_estate_at_a_tenth_scale():
    rng = random.Random(42)
    org_demo.load(rng=rng, scale=0.1)
    started = time.perf_counter()
    summary = demo.load(rng=rng, scale=0.1)
    assert time.perf_counter() - started < 15
    items = list(ConfigurationItem.objects.select_related("ci_class", "ci_class__parent"))
    rels = Relationship.objects.count()
    assert f"{len(items)} configuration items, {rels} relationships" in summary
    assert 400 <= len(items) <= 650 and 3.5 * len(items) <= rels <= 4.5 * len(items)
    by_class = Counter(ci.ci_class.slug for ci in items)
    assert set(by_class) == {
        "data-centre", "rack", "network-segment", "network-device", "storage", "server", "virtual-machine",
        "container-cluster", "database", "software", "business-application", "end-user-device",
    }  # fmt: skip
    schemas = {}
    for ci in items:
        schema = schemas.setdefault(ci.ci_class_id, ci.ci_class.effective_schema())
        assert validate_attributes(schema, ci.attributes) == {}, (ci.name, ci.attributes)
    assert len({ci.reference for ci in items}) == len(items)
    assert ObjectChange.objects.filter(changed_object_type__model="relationship").count() == rels
    assert not Relationship.objects.filter(source=F("target")).exists()
    hypervisor = next(ci for ci in items if ci.name.startswith("esx-"))
    reached = services.impact(item=hypervisor, direction="upstream", depth=6)
    assert any(h.item.ci_class.slug == "virtual-machine" and h.depth == 1 for h in reached)


def test_demo_discovery_reports_hosts_with_drift_and_stale_items():
    from steward.cmdb import demo_discovery
    from steward.cmdb.models import Drift, SoftwareInstallation

    rng = random.Random(7)
    org_demo.load(rng=rng, scale=0.1)
    demo.load(rng=rng, scale=0.1)
    summary = demo_discovery.load(rng=rng, scale=0.1)
    assert "hosts reported" in summary
    discovered = ConfigurationItem.objects.filter(last_discovered__isnull=False)
    assert discovered.count() >= 3
    assert SoftwareInstallation.objects.filter(source="agent").count() > 30
    assert Drift.objects.filter(state="open").exists()
    from steward.cmdb.discovery import stale_cutoff

    assert discovered.filter(last_discovered__lt=stale_cutoff()).exists()
