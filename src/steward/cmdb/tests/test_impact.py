"""Impact analysis: known answers on hand-built graphs (cycles, diamonds), a naive BFS and networkx on
random ones, and the queries the endpoint runs."""

from __future__ import annotations

import random

import networkx as nx
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


@pytest.mark.usefixtures("walk_mode")
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


@pytest.mark.usefixtures("walk_mode")
def test_diamond_keeps_the_shallowest_path_once():
    g = build([("A", "B"), ("A", "C"), ("B", "D"), ("C", "D"), ("D", "E")])
    down = answer(services.impact(item=g["A"]), g)
    assert set(down) == {(n, "downstream") for n in "BCDE"}
    # Two shortest paths reach D: the parent with the smaller id (B, created first) wins.
    assert down[("D", "downstream")] == (2, "ABD")
    assert down[("E", "downstream")] == (3, "ABDE")
    assert set(answer(services.impact(item=g["A"], depth=2), g)) == {(n, "downstream") for n in "BCD"}
    both = answer(services.impact(item=g["D"], direction="both"), g)
    assert both == {
        ("E", "downstream"): (1, "DE"),
        ("B", "upstream"): (1, "DB"),
        ("C", "upstream"): (1, "DC"),
        ("A", "upstream"): (2, "DBA"),
    }


@pytest.mark.usefixtures("walk_mode")
def test_two_cycles_through_one_item_terminate():
    g = build([("A", "B"), ("B", "A"), ("B", "C"), ("C", "B"), ("C", "C2"), ("C2", "A")])
    down = answer(services.impact(item=g["A"], depth=12), g)
    assert down == {
        ("B", "downstream"): (1, "AB"),
        ("C", "downstream"): (2, "ABC"),
        ("C2", "downstream"): (3, "ABCC2"),
    }


@pytest.mark.usefixtures("walk_mode")
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


def random_pairs(rng: random.Random, n: int = 60, m: int = 150) -> set[tuple[int, int]]:
    """``m`` distinct directed pairs among ``n`` items, no self-loops (cycles and diamonds likely)."""
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < m:
        a, b = rng.randrange(n), rng.randrange(n)
        if a != b:
            pairs.add((a, b))
    return pairs


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.usefixtures("walk_mode")
def test_matches_networkx_on_random_graphs(seed):
    rng = random.Random(seed)
    pairs = random_pairs(rng)
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
                rows = services.impact_rows(item_ids=[start], direction=direction, depth=depth)
                assert {node: d for node, d, _ in rows} == expected, (seed, start, depth, direction)
                for node, d, path in rows:
                    assert path[0] == start and path[-1] == node and len(path) == d + 1
                    assert len(set(path)) == len(path)
                    assert all(reference.has_edge(a, b) for a, b in zip(path, path[1:], strict=False))


def naive_bfs(edges, starts, depth, direction, types=None):
    """The documented answer, written the plain way: level by level, smallest-id parent wins."""
    succ: dict[int, list[int]] = {}
    for a, b, t in edges:
        if types is None or t in types:
            here, there = (a, b) if direction == "downstream" else (b, a)
            succ.setdefault(here, []).append(there)
    paths = {s: (s,) for s in starts}
    frontier, out = sorted(starts), []
    for d in range(1, depth + 1):
        parent: dict[int, int] = {}
        for u in frontier:
            for v in succ.get(u, []):
                if v not in paths and (v not in parent or u < parent[v]):
                    parent[v] = u
        frontier = sorted(parent)
        for v in frontier:
            paths[v] = (*paths[parent[v]], v)
            out.append((v, d, paths[v]))
    return out


@pytest.fixture
def random_graph():
    """60 items, 150 random typed relationships (cycles and diamonds likely): (ids, (a, b, type) edges)."""

    def make(seed):
        rng = random.Random(seed)
        pairs = random_pairs(rng)
        slugs = ["runs-on", "uses", "depends-on"]
        typed = [(a, b, rng.choice(slugs)) for a, b in sorted(pairs)]
        g = build([(f"n{a}", f"n{b}", t) for a, b, t in typed])
        type_pk = dict(RelationshipType.objects.values_list("slug", "pk"))
        ids = sorted(ci.pk for ci in g.values())
        return rng, ids, [(g[f"n{a}"].pk, g[f"n{b}"].pk, type_pk[t]) for a, b, t in typed], type_pk

    return make


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_matches_a_naive_bfs_exactly(seed, random_graph, monkeypatch, walk_mode):
    rng, ids, edges, type_pk = random_graph(seed)
    cases = []
    for _ in range(8):
        starts = rng.sample(ids, rng.choice([1, 1, 2, 5]))
        types = rng.choice([None, [type_pk["runs-on"]], [type_pk["uses"], type_pk["depends-on"]]])
        cases.append((starts, rng.choice([1, 2, 4, 12]), rng.choice(["downstream", "upstream"]), types))
    for starts, depth, direction, types in cases:
        expected = naive_bfs(edges, starts, depth, direction, set(types) if types else None)
        got = services.impact_rows(item_ids=starts, direction=direction, depth=depth, type_ids=types)
        assert got == expected, (starts, depth, direction, types)
    if walk_mode != "database":
        return
    # Tiny chunks: a level split over many queries gives the same answer (SQLite's variable limit).
    monkeypatch.setattr(services, "STEP_CHUNK", 3)
    for starts, depth, direction, types in cases:
        expected = naive_bfs(edges, starts, depth, direction, set(types) if types else None)
        assert (
            services.impact_rows_sql(item_ids=starts, direction=direction, depth=depth, type_ids=types)
            == expected
        )


@pytest.mark.usefixtures("walk_mode")
def test_several_start_items_count_from_the_nearest():
    g = build([("A", "C"), ("C", "D"), ("D", "E"), ("B", "E"), ("E", "F")])
    rows = services.impact_rows(item_ids=[g["A"].pk, g["B"].pk], direction="downstream", depth=6)
    name = {i.pk: n for n, i in g.items()}
    assert [(name[n], d, "".join(name[p] for p in path)) for n, d, path in rows] == [
        ("C", 1, "AC"),
        ("E", 1, "BE"),
        ("D", 2, "ACD"),
        ("F", 2, "BEF"),
    ]
    # A start item reached from another start item is not a hit.
    rows = services.impact_rows(item_ids=[g["A"].pk, g["C"].pk], direction="downstream", depth=1)
    assert [name[n] for n, _, _ in rows] == ["D"]


@pytest.mark.usefixtures("walk_mode")
def test_depth_limit_and_upstream_type_filter():
    chain = [(f"n{i:02}", f"n{i + 1:02}", "runs-on" if i % 2 else "uses") for i in range(14)]
    g = build(chain)
    deepest = services.impact(item=g["n00"], depth=services.MAX_DEPTH)
    assert [(h.item.name, h.depth) for h in deepest] == [(f"n{i:02}", i) for i in range(1, 13)]
    assert [h.item.name for h in services.impact(item=g["n00"], depth=1)] == ["n01"]
    up = services.impact(item=g["n05"], direction="upstream", relationship_types=["uses"])
    assert [(h.item.name, h.path) for h in up] == [("n04", (g["n05"].pk, g["n04"].pk))]
    up = services.impact(item=g["n05"], direction="upstream", relationship_types=["runs-on", "uses"])
    assert [h.item.name for h in up] == ["n04", "n03", "n02", "n01", "n00"]
    assert services.impact_rows(item_ids=[g["n00"].pk], direction="downstream", depth=2, type_ids=[]) == []
    assert services.impact_rows(item_ids=[], direction="downstream", depth=2) == []
    with pytest.raises(ValidationError) as exc:
        services.impact_rows(item_ids=[g["n00"].pk], direction="both", depth=2)
    assert list(exc.value.message_dict) == ["direction"]


def test_reached_items_load_only_the_fields_callers_use():
    g = build([("A", "B"), ("B", "C")])
    hits = services.impact(item=g["A"])
    assert {h.item.name for h in hits} == {"B", "C"}
    deferred = hits[0].item.get_deferred_fields()
    assert "attributes" in deferred and "discovery" in deferred and "description" in deferred
    assert not deferred & set(services.IMPACT_FIELDS)
    with CaptureQueriesContext(connection) as ctx:
        shown = [
            (
                h.item.reference,
                h.item.ci_class.slug,
                h.item.status,
                h.item.criticality,
                h.item.get_absolute_url(),
            )
            for h in hits
        ]
        names = [str(h.item) for h in hits]
    assert len(ctx) == 0 and len(shown) == 2 and sorted(names) == ["B", "C"]
    # Any other field still loads on access, and the item saves like one loaded the usual way.
    b = next(h.item for h in hits if h.item.name == "B")
    assert b.description == "" and b.attributes == {} and b.ci_class.slug == "software"
    b.description = "edited through an impact hit"
    b.save()
    fresh = ConfigurationItem.objects.get(pk=b.pk)
    assert (fresh.description, fresh.name, fresh.reference) == (
        "edited through an impact hit",
        "B",
        b.reference,
    )


@pytest.mark.usefixtures("walk_mode")
def test_api_and_page_queries_do_not_grow_with_the_reach(admin_client):
    g = build([("root", "mid"), ("mid", "leaf")])
    api = reverse("api:cmdb-configurationitem-impact", kwargs={"pk": g["root"].pk})
    page = reverse("cmdb:configurationitem_impact", kwargs={"pk": g["root"].pk}) + "?direction=downstream"

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(url).status_code == 200
        return len(ctx)

    count(api), count(page)  # warm the per-process caches (configuration memo, content types)
    few = (count(api), count(page))
    more = build([(f"x{i:02}", f"y{i:02}") for i in range(20)])
    Relationship.objects.bulk_create(
        Relationship(source=g["root"], target=more[f"x{i:02}"], type=RelationshipType.objects.first())
        for i in range(20)
    )
    assert admin_client.get(api).json()["count"] == 42
    assert (count(api), count(page)) == few
