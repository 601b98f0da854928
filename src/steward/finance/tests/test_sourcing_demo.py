"""The demo sourcing data loads on the demo estate and shows every feature with something in it."""

from __future__ import annotations

import random

import pytest

from steward.cmdb import demo as cmdb_demo
from steward.cmdb import demo_discovery
from steward.finance import demo_sourcing, services_sourcing
from steward.finance.models import Contract, Invoice, PurchaseOrder, SoftwareLicence, Vendor
from steward.org import demo as org_demo

pytestmark = pytest.mark.django_db


def test_demo_sourcing_on_the_demo_estate():
    rng = random.Random(42)
    org_demo.load(rng=rng, scale=0.1)
    cmdb_demo.load(rng=rng, scale=0.1)
    demo_discovery.load(rng=rng, scale=0.1)
    summary = demo_sourcing.load(rng=rng, scale=0.1)
    assert summary.startswith("Sourcing: 5 vendors, 6 contracts")
    assert Vendor.objects.filter(manufacturer__isnull=False).exists()
    states = set(Contract.objects.values_list("state", flat=True))
    assert {"active", "expiring", "expired"} <= states
    assert SoftwareLicence.objects.exists()
    assert {p.status for p in services_sourcing.licence_positions()} >= {"under", "over"}
    order = PurchaseOrder.objects.get()
    assert order.state == "partially_received" and order.lines.first().configuration_items.count() == 2
    assert Invoice.objects.get().purchase_order == order
    assert demo_sourcing.load(rng=rng, scale=0.1) == ""  # loading twice adds nothing
