"""Impact analysis: known answers on hand-built graphs (cycles, diamonds), networkx on random ones."""

from __future__ import annotations

import random

import networkx as nx
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from steward.cmdb import services
from steward.cmdb.models import CIClass, ConfigurationItem, Relationship, RelationshipType

pytestmark = pytest.mark.django_db


def build(edges: list[tuple[str, str] | tuple[str, str, str]]) -> dict[str, ConfigurationItem]:
    """Items named by the edge ends, and ``(source, target[, type slug])`` relationships between them."""
    names = sorted({n for e in edges for n in e[:2]})
    cls = CIClass.objects.get(slug="software")
    refs = ConfigurationItem.allocate_references(len(names))
    items = ConfigurationItem.objects.bulk_create(
        [ConfigurationItem(name=n, ci_class=cls, reference=r) for n, r in zip(names, refs, strict=True)]
    )
    by_name = {i.name: i for i in items}
    types = {t.slug: t for t in RelationshipType.objects.all()}
    Relationship.objects.bulk_create(
        [
            Relationship(
                source=by_name[e[0]], target=by_name[e[1]], type=types[e[2] if len(e) > 2 else "depends-on"]
            )
            for e in edges
        ]
    )
    return by_name


def answer(hits, items):
    name = {i.pk: n for n, i in items.items()}
    return {(h.item.name, h.direction): (h.depth, "".join(name[p] for p in h.path)) for h in hits}


def test_cycle_downstream_and_upstream():
    g = build([("A", "B"), ("B", "C"), ("C", "A"), ("C", "D")])
    down = answer(services.impact(item=g["A"], direction="downstream"), g)
    assert down == {
        ("B", "downstream"): (1, "AB"),
        ("C", "downstream"): (2, "ABC"),
        ("D", "downstream"): (3, "ABCD"),
    }
    up = answer(services.impact(item=g["A"], direction="upstream"), g)
    assert up == {("C", "upstream"): (1, "AC"), ("B", "upstream"): (2, "ACB")}
    assert answer(services.impact(item=g["D"], direction="upstream"), g) == {
        ("C", "upstream"): (1, "DC"),
        ("B", "upstream"): (2, "DCB"),
        ("A", "upstream"): (3, "DCBA"),
    }
    assert services.impact(item=g["D"], direction="downstream") == []


def test_diamond_keeps_the_shallowest_path_once():
    g = build([("A", "B"), ("A", "C"), ("B", "D"), ("C", "D"), ("D", "E")])
    down = answer(services.impact(item=g["A"]), g)
    assert set(down) == {(n, "downstream") for n in "BCDE"}
    assert down[("D", "downstream")][0] == 2 and down[("D", "downstream")][1] in ("ABD", "ACD")
    assert down[("E", "downstream")] == (3, down[("D", "downstream")][1] + "E")
    assert set(answer(services.impact(item=g["A"], depth=2), g)) == {(n, "downstream") for n in "BCD"}
    both = answer(services.impact(item=g["D"], direction="both"), g)
    assert both == {
        ("E", "downstream"): (1, "DE"),
        ("B", "upstream"): (1, "DB"),
        ("C", "upstream"): (1, "DC"),
        ("A", "upstream"): (2, "DBA") if both[("A", "upstream")][1] == "DBA" else (2, "DCA"),
    }


def test_two_cycles_through_one_item_terminate():
    g = build([("A", "B"), ("B", "A"), ("B", "C"), ("C", "B"), ("C", "C2"), ("C2", "A")])
    down = answer(services.impact(item=g["A"], depth=12), g)
    assert down == {
        ("B", "downstream"): (1, "AB"),
        ("C", "downstream"): (2, "ABC"),
        ("C2", "downstream"): (3, "ABCC2"),
    }


def test_relationship_types_filter_the_walk():
    g = build([("A", "B", "runs-on"), ("A", "C", "uses"), ("B", "D", "runs-on"), ("C", "D", "uses")])
    only_runs = answer(services.impact(item=g["A"], relationship_types=["runs-on"]), g)
    assert only_runs == {("B", "downstream"): (1, "AB"), ("D", "downstream"): (2, "ABD")}
    uses = RelationshipType.objects.get(slug="uses")
    assert set(answer(services.impact(item=g["A"], relationship_types=[uses]), g)) == {
        ("C", "downstream"),
        ("D", "downstream"),
    }
    assert services.impact(item=g["A"], relationship_types=[]) == []


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"direction": "sideways"}, "direction"),
        ({"depth": 0}, "depth"),
        ({"depth": 13}, "depth"),
        ({"depth": "3"}, "depth"),
        ({"relationship_types": ["runs-on", "teleports-to"]}, "relationship_types"),
    ],
)
def test_bad_arguments_are_refused_naming_them(kwargs, field):
    g = build([("A", "B")])
    with pytest.raises(ValidationError) as exc:
        services.impact(item=g["A"], **kwargs)
    assert list(exc.value.message_dict) == [field]


def test_api_endpoint(admin_client):
    g = build([("app", "vm", "runs-on"), ("vm", "host", "runs-on"), ("host", "vm", "hosted-on")])
    url = reverse("api:cmdb-configurationitem-impact", kwargs={"pk": g["host"].pk})
    assert url == f"/api/cmdb/configuration-items/{g['host'].pk}/impact/"
    body = admin_client.get(url + "?direction=upstream&depth=6").json()
    assert body["count"] == 2
    assert [(r["name"], r["depth"]) for r in body["results"]] == [("vm", 1), ("app", 2)]
    assert body["results"][1]["path"] == [g["host"].pk, g["vm"].pk, g["app"].pk]
    assert body["results"][1]["reference"] == g["app"].reference
    filtered = admin_client.get(url + "?direction=downstream&type=hosted-on").json()
    assert [r["name"] for r in filtered["results"]] == ["vm"]
    for query, field in (("?direction=up", "direction"), ("?depth=six", "depth"), ("?depth=99", "depth")):
        response = admin_client.get(url + query)
        assert response.status_code == 400 and field in response.json(), query


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_matches_networkx_on_random_graphs(seed):
    rng = random.Random(seed)
    n, m = 60, 150
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < m:
        a, b = rng.randrange(n), rng.randrange(n)
        if a != b:
            pairs.add((a, b))
    g = build([(f"n{a}", f"n{b}") for a, b in sorted(pairs)])
    pk = {name: ci.pk for name, ci in g.items()}
    graph = nx.DiGraph()
    graph.add_nodes_from(pk.values())
    graph.add_edges_from((pk[f"n{a}"], pk[f"n{b}"]) for a, b in pairs)
    for start in rng.sample(sorted(pk.values()), 6):
        for depth in (1, 3, 6):
            for direction, reference in (("downstream", graph), ("upstream", graph.reverse(copy=False))):
                expected = nx.single_source_shortest_path_length(reference, start, cutoff=depth)
                expected.pop(start)
                rows = services.impact_rows(item_id=start, direction=direction, depth=depth)
                assert {node: d for node, d, _ in rows} == expected, (seed, start, depth, direction)
                for node, d, path in rows:
                    assert path[0] == start and path[-1] == node and len(path) == d + 1
                    assert len(set(path)) == len(path)
                    assert all(reference.has_edge(a, b) for a, b in zip(path, path[1:], strict=False))
