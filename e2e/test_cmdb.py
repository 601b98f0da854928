"""An engineer asks what breaks if a host fails: the Impact tab, then the Graph tab, then again
after a relationship was added elsewhere (the server's in-memory graph must follow it)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from steward.cmdb import services
from steward.cmdb.models import CIClass, ConfigurationItem, Relationship, RelationshipType

pytestmark = pytest.mark.e2e


def estate() -> dict[str, ConfigurationItem]:
    services.load_classes()  # a transactional test's flush removed the catalogue
    classes = {c.slug: c for c in CIClass.objects.all()}
    made = {}
    for name, cls in (
        ("host-01", "server"),
        ("vm-01", "virtual-machine"),
        ("crm", "business-application"),
        ("billing", "business-application"),
    ):
        (reference,) = ConfigurationItem.allocate_references(1)
        made[name] = ConfigurationItem.objects.create(name=name, ci_class=classes[cls], reference=reference)
    types = {t.slug: t for t in RelationshipType.objects.all()}
    Relationship.objects.create(source=made["vm-01"], target=made["host-01"], type=types["runs-on"])
    Relationship.objects.create(source=made["crm"], target=made["vm-01"], type=types["runs-on"])
    return made


def test_impact_and_graph_of_a_host_follow_new_relationships(logged_in, live_server):
    page = logged_in
    items = estate()
    host = items["host-01"]
    page.goto(live_server.url + host.get_absolute_url())
    expect(page.get_by_role("heading", name="host-01", level=1)).to_be_visible()
    page.get_by_role("link", name="Impact", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/{host.pk}/impact/"))

    # What depends on the host: the VM, then the business application on it.
    page.get_by_label("Direction").select_option("upstream")
    page.get_by_role("button", name="Analyse").click()
    expect(page.get_by_role("heading", name="2 items reached")).to_be_visible()
    rows = page.locator("#impact-table tbody tr")
    expect(rows.nth(0)).to_contain_text("vm-01")
    expect(rows.nth(1)).to_contain_text("crm")
    expect(rows.nth(1)).to_contain_text(
        f"{host.reference} → {items['vm-01'].reference} → {items['crm'].reference}"
    )
    expect(page.locator("[data-business-impact]")).to_contain_text("1 business application reached")

    # Someone links billing to the VM (another request, another thread): the next analysis has it.
    Relationship.objects.create(
        source=items["billing"], target=items["vm-01"], type=RelationshipType.objects.get(slug="uses")
    )
    page.get_by_role("button", name="Analyse").click()
    expect(page.get_by_role("heading", name="3 items reached")).to_be_visible()
    expect(page.locator("[data-business-impact]")).to_contain_text("2 business applications reached")
    expect(page.locator("#impact-table")).to_contain_text("billing")

    # The graph draws the neighbourhood (Cytoscape renders onto canvases) and lists its edges.
    page.get_by_role("link", name="Graph", exact=True).click()
    expect(page.get_by_role("heading", name="Relationships within two hops")).to_be_visible()
    expect(page.locator("#ci-graph canvas").first).to_be_attached()
    page.get_by_text("As a list").click()
    edges = page.locator("details li")
    expect(edges).to_have_count(3)  # vm-01 on host-01, crm on vm-01, billing uses vm-01
    expect(edges.filter(has_text="billing")).to_have_text("billing uses vm-01")
