"""The item page: relationship tables, graph and impact tabs, with and without permission."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from steward.cmdb import services
from steward.cmdb.models import ConfigurationItem, Relationship, RelationshipType
from steward.cmdb.tests.test_items import make_ci
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def estate(db):
    crm = make_ci("CRM", "business-application", criticality="critical")
    app = make_ci("crm-app", "software")
    vm = make_ci("vm-17", "virtual-machine")
    host = make_ci("esx-03")
    services.relate(source=crm, target=app, type="depends-on", actor=None)
    services.relate(source=app, target=vm, type="runs-on", actor=None)
    services.relate(source=vm, target=host, type="runs-on", actor=None)
    return {"crm": crm, "app": app, "vm": vm, "host": host}


def url(name, ci):
    return reverse(f"cmdb:configurationitem_{name}", kwargs={"pk": ci.pk})


def test_detail_shows_outgoing_and_incoming_relationships(admin_client, estate):
    page = admin_client.get(url("detail", estate["vm"])).content.decode()
    outgoing = page.split('data-relationships="outgoing"')[1].split("</table>")[0]
    incoming = page.split('data-relationships="incoming"')[1].split("</table>")[0]
    assert "esx-03" in outgoing and "runs on" in outgoing and "crm-app" not in outgoing
    assert "crm-app" in incoming and "(runs)" in incoming and "esx-03" not in incoming
    assert url("graph", estate["vm"]) in page and url("impact", estate["vm"]) in page


def test_graph_page_embeds_json_and_loads_static_scripts_only(admin_client, estate):
    page = admin_client.get(url("graph", estate["vm"])).content.decode()
    data = json.loads(page.split('id="ci-graph-data" type="application/json">')[1].split("</script>")[0])
    assert {n["label"] for n in data["nodes"]} == {"CRM", "crm-app", "vm-17", "esx-03"}
    assert {(e["source"], e["target"]) for e in data["edges"]} == {
        (str(estate["crm"].pk), str(estate["app"].pk)),
        (str(estate["app"].pk), str(estate["vm"].pk)),
        (str(estate["vm"].pk), str(estate["host"].pk)),
    }
    assert "<li>vm-17 runs on esx-03</li>" in page  # the text list names the items, not their ids
    assert "dist/cytoscape/cytoscape.min.js" in page and "cmdb/ci_graph.js" in page
    scripts = [chunk.split(">")[0] for chunk in page.split("<script")[1:]]
    assert all("src=" in s or "application/json" in s for s in scripts)  # no inline code (CSP)


def test_impact_tab_lists_what_depends_on_the_host(admin_client, estate):
    page = admin_client.get(url("impact", estate["host"]) + "?direction=upstream&depth=6").content.decode()
    table = page.split('id="impact-table"')[1]
    for name in ("vm-17", "crm-app", "CRM"):
        assert name in table
    assert "data-business-impact" in page
    path = f"{estate['host'].reference} → {estate['vm'].reference} → {estate['app'].reference}"
    assert path in page
    bad = admin_client.get(url("impact", estate["host"]) + "?direction=sideways&depth=x").content.decode()
    assert "Depth: give a whole number" in bad


def test_impact_hides_items_the_user_may_not_see(client, estate):
    user = make_user("ops")
    client.force_login(user)
    assert client.get(url("impact", estate["host"])).status_code == 403
    grant(user, ConfigurationItem, "view", constraints={"ci_class__slug__in": ["server", "virtual-machine"]})
    page = client.get(url("impact", estate["host"]) + "?direction=upstream").content.decode()
    assert "vm-17" in page and "crm-app" not in page
    api = client.get(
        reverse("api:cmdb-configurationitem-impact", kwargs={"pk": estate["host"].pk}) + "?direction=upstream"
    ).json()
    assert [r["name"] for r in api["results"]] == ["vm-17"]
    # No relationship permission: the tables are not shown at all.
    assert 'data-relationships="outgoing"' not in client.get(url("detail", estate["vm"])).content.decode()
    grant(user, Relationship, "view")
    assert 'data-relationships="outgoing"' in client.get(url("detail", estate["vm"])).content.decode()


def test_detail_page_query_count_does_not_grow_with_relationships(admin_client, estate):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(url("detail", estate["vm"])).status_code == 200
        return len(ctx)

    few = count()
    for i in range(10):
        services.relate(
            source=make_ci(f"app{i}", "software"), target=estate["vm"], type="runs-on", actor=None
        )
        services.relate(
            source=estate["vm"],
            target=make_ci(f"seg{i}", "network-segment", attributes={"cidr": f"10.{i}.0.0/24"}),
            type="member-of",
            actor=None,
        )
    assert count() == few


def test_relationship_form_searches_items_instead_of_listing_them(admin_client, estate):
    add = reverse("cmdb:relationship_add")
    page = admin_client.get(add + f"?source={estate['vm'].pk}").content.decode()
    source = page.split('name="source"')[1].split("</select>")[0]
    assert "data-remote-url=" in source and "/api/cmdb/configuration-items/?brief=1" in source
    assert source.count("<option") == 2 and "vm-17" in source and "esx-03" not in source  # blank + chosen
    target = page.split('name="target"')[1].split("</select>")[0]
    assert target.count("<option") == 1
    response = admin_client.post(
        add,
        {
            "source": estate["host"].pk,
            "target": estate["crm"].pk,
            "type": RelationshipType.objects.get(slug="uses").pk,
        },
    )
    assert response.status_code == 302
    assert Relationship.objects.filter(source=estate["host"], target=estate["crm"]).exists()
    bad = admin_client.post(add, {"source": "x1", "target": estate["crm"].pk, "type": 1})
    assert bad.status_code == 422 and "Select a valid choice" in bad.content.decode()
    listing = admin_client.get(reverse("cmdb:relationship_list")).content.decode()
    assert listing.split('name="source"')[1].split("</select>")[0].count("<option") == 1


def test_detail_lists_the_class_attributes_with_labels(admin_client):
    ci = make_ci("web-5", attributes={"hostname": "web-5.example", "cpu_count": 8, "hypervisor": False})
    page = admin_client.get(url("detail", ci)).content.decode()
    panel = page.split('id="attributes"')[1].split("</section>")[0]
    assert "Server attributes" in panel
    assert "Operating system" in panel and "Cpu count" in panel and "web-5.example" in panel
    assert ">No<" in panel and "Firmware version" in panel  # inherited from Hardware, empty


def test_home_widgets_count_only_what_the_user_may_see(client, estate):
    import datetime as dt

    from django.utils import timezone

    estate["host"].warranty_end = timezone.localdate() + dt.timedelta(days=30)
    estate["host"].save()
    user = make_user("boardroom")
    client.force_login(user)
    assert 'data-widget="cmdb.' not in client.get("/").content.decode()
    grant(user, ConfigurationItem, "view", constraints={"ci_class__slug": "server"})
    html = client.get("/").content.decode()
    assert 'data-widget="cmdb.items_in_use"' in html and 'data-widget="cmdb.warranty_ending"' in html
    from steward.cmdb import dashboard

    assert dashboard.items_in_use(user)["value"] == 1
    assert dashboard.items_by_class(user)["labels"] == ["Server"]
    assert dashboard.warranty_ending(user)["rows"][0][0] == f"{estate['host'].reference} esx-03"
