"""Licence positions: devices, cores and users from CMDB installations, in two aggregate queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from steward.finance import dashboard_sourcing, services_sourcing
from steward.finance.models import SoftwareLicence
from steward.finance.tests import sourcing_builders as b
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def estate(db):
    """One product on four live items (one of them twice) and one retired item."""
    alice, bob = b.person(), b.person()
    prod, other = b.product("database"), b.product("editor")
    big = b.item("db-1", attributes={"cpu_count": 16}, owner=alice)
    small = b.item("db-2", attributes={"cpu_count": 8}, owner=alice)
    vm = b.item("db-3", cls="virtual-machine", attributes={"vcpus": 4}, owner=bob)
    bare = b.item("db-4")
    gone = b.item("db-5", attributes={"cpu_count": 64}, status="retired", owner=bob)
    for ci in (big, small, vm, bare, gone):
        b.install(ci, prod)
    b.install(big, prod, "2.0")  # a second version on the same item counts once
    b.install(bare, other)
    return {"product": prod, "other": other}


def licence(prod, metric: str, quantity: int, **fields) -> SoftwareLicence:
    return SoftwareLicence.objects.create(name=f"{metric} pool", product=prod, metric=metric, quantity=quantity,
                                          **fields)  # fmt: skip


def by_metric(positions):
    return {(p.product, p.metric): p for p in positions}


def test_usage_counts_devices_cores_and_distinct_users(estate):
    usage = services_sourcing.usage_by_product(product_ids=[estate["product"].pk])
    assert usage[estate["product"].pk] == {"devices": 4, "cores": 28, "users": 2, "without": 1}


def test_positions_per_metric(estate):
    prod = estate["product"]
    licence(prod, "device", 4)
    licence(prod, "core", 16)
    licence(prod, "core", 4)
    licence(prod, "user", 5)
    licence(prod, "subscription", 2)
    positions = by_metric(services_sourcing.licence_positions())
    device = positions[("database", "device")]
    assert (device.purchased, device.used, device.status, device.delta) == (4, 4, "compliant", 0)
    core = positions[("database", "core")]
    assert (core.purchased, core.used, core.status, core.delta) == (20, 28, "under", -8)
    assert core.devices_without_cores == 1 and core.licences == 2
    user = positions[("database", "user")]
    assert (user.used, user.status) == (2, "over")
    assert positions[("database", "subscription")].status == "compliant"


def test_expired_licences_do_not_count_and_unused_products_are_over(estate):
    licence(estate["product"], "device", 10, expiry=b.today() - dt.timedelta(days=1))
    licence(estate["product"], "device", 1)
    unused = b.product("unused")
    licence(unused, "device", 3)
    positions = by_metric(services_sourcing.licence_positions())
    assert positions[("database", "device")].purchased == 1
    assert positions[("database", "device")].status == "under"
    assert (positions[("unused", "device")].used, positions[("unused", "device")].status) == (0, "over")


def test_positions_take_two_queries_whatever_the_estate(estate, django_assert_num_queries):
    for n in range(5):
        prod = b.product(f"extra-{n}")
        licence(prod, "core", 2)
        b.install(b.item(attributes={"cpu_count": 2}), prod)
    licence(estate["product"], "device", 4)
    with django_assert_num_queries(2):
        positions = services_sourcing.licence_positions()
    assert len(positions) == 6


def test_positions_endpoint_and_permissions(estate):
    licence(estate["product"], "core", 16)
    url = reverse("api:finance-softwarelicence-positions")
    client = APIClient()
    client.force_authenticate(make_user("nobody"))
    assert client.get(url).status_code == 403
    reader = make_user("reader")
    grant(reader, SoftwareLicence, "view")
    client.force_authenticate(reader)
    response = client.get(url)
    assert response.status_code == 200
    [row] = response.json()
    assert row["product_name"] == "database" and row["status"] == "under"
    assert (row["purchased"], row["used"], row["delta"], row["cores"]) == (16, 28, -12, 28)
    # Filters of the licence list narrow the positions.
    assert client.get(url, {"metric": "user"}).json() == []


def test_positions_only_count_licences_the_user_may_see(estate):
    licence(estate["product"], "device", 2)
    licence(estate["other"], "device", 2)
    reader = make_user("limited")
    grant(reader, SoftwareLicence, "view", constraints={"product__name": "editor"})
    client = APIClient()
    client.force_authenticate(reader)
    rows = client.get(reverse("api:finance-softwarelicence-positions")).json()
    assert [r["product_name"] for r in rows] == ["editor"]


def test_positions_page_and_widget(estate, client):
    licence(estate["product"], "core", 16)
    licence(estate["other"], "device", 1)
    url = reverse("finance:softwarelicence_positions")
    client.force_login(make_user("nobody"))
    assert client.get(url).status_code == 403
    reader = make_user("reader")
    grant(reader, SoftwareLicence, "view")
    client.force_login(reader)
    page = client.get(url).content.decode()
    assert 'data-status="under"' in page and 'data-status="compliant"' in page
    only_under = client.get(url, {"status": "under"}).content.decode()
    assert 'data-status="compliant"' not in only_under
    data = dashboard_sourcing.licence_positions(reader)
    assert data["rows"][0][0] == "database"  # shortfalls first
