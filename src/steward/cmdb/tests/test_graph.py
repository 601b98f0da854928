"""The in-memory relationship graph (ADR 31): the journal triggers, catching up with every kind of
write, rollbacks, reloads, compaction, and the copy's own set semantics."""

from __future__ import annotations

import io
import random

import pytest
from django.db import connection, transaction

from steward.cmdb import graph, services
from steward.cmdb.models import CIClass, ConfigurationItem, Relationship, RelationshipType
from steward.cmdb.tests.test_impact import build, naive_bfs

TRIGGERS = {
    "cmdb_relationship_journal_insert",
    "cmdb_relationship_journal_delete",
    "cmdb_relationship_journal_update",
}


def edges_now() -> list[tuple[int, int, int]]:
    return list(Relationship.objects.values_list("source_id", "target_id", "type_id"))


def journal() -> list[tuple[str, int, int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT op, source_id, target_id, type_id FROM {graph.JOURNAL} ORDER BY version")  # noqa: S608
        return [tuple(r) for r in cursor.fetchall()]


def stamp() -> int:
    """The newest journal number."""
    with connection.cursor() as cursor:
        cursor.execute(graph.HEAD_SQL)
        return cursor.fetchone()[0]


def assert_walks_match_the_table(starts: list[int]) -> None:
    """Every walk from ``starts`` over the process copy equals the naive answer on the table."""
    edges = edges_now()
    for direction in ("downstream", "upstream"):
        for depth in (1, 6):
            got = services.impact_rows(item_ids=starts, direction=direction, depth=depth)
            assert got == naive_bfs(edges, starts, depth, direction), (direction, depth)
            assert got == services.impact_rows_sql(item_ids=starts, direction=direction, depth=depth)


@pytest.fixture(autouse=True)
def _fresh_copies():
    """No test sees another's process copy (some set one by hand)."""
    graph.forget()
    yield
    graph.forget()


@pytest.fixture
def catalogue(transactional_db):
    """Classes and relationship types, which a transactional test's flush removes."""
    services.load_classes()


@pytest.fixture
def loads(monkeypatch):
    """Counts whole-table loads of the graph."""
    calls = []
    real = graph.load

    def counted(cursor):
        calls.append(1)
        return real(cursor)

    monkeypatch.setattr(graph, "load", counted)
    return calls


# --- the triggers ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_triggers_survive_every_migration():
    """A later migration that rebuilds ``cmdb_relationship`` on SQLite would drop them silently."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'cmdb_relationship'"
            )
            expected = TRIGGERS
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'cmdb_relationship'::regclass AND NOT tgisinternal"
            )
            expected = TRIGGERS | {"cmdb_relationship_journal_truncate"}
        assert {r[0] for r in cursor.fetchall()} == expected


@pytest.mark.django_db
def test_every_write_is_journalled_in_order():
    g = build([("A", "B"), ("B", "C")])
    runs_on, uses = (RelationshipType.objects.get(slug=s) for s in ("runs-on", "uses"))
    depends = RelationshipType.objects.get(slug="depends-on")
    before, start = stamp(), len(journal())
    ab = Relationship.objects.get(source=g["A"], target=g["B"])
    ab.description = "no key column changed"
    ab.save()
    assert stamp() == before and len(journal()) == start  # nothing for the graph
    ab.type = runs_on
    ab.save()
    Relationship.objects.filter(pk=ab.pk).update(target=g["C"])
    services.relate(source=g["C"], target=g["A"], type=uses, actor=None)
    A, B, C = (g[n].pk for n in "ABC")
    g["B"].delete()  # cascades to B→C
    assert journal()[start:] == [
        ("d", A, B, depends.pk),
        ("a", A, B, runs_on.pk),
        ("d", A, B, runs_on.pk),
        ("a", A, C, runs_on.pk),
        ("a", C, A, uses.pk),
        ("d", B, C, depends.pk),
    ]
    assert stamp() == before + 6


# --- catching up ---------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("catalogue", "walk_mode")
def test_every_kind_of_write_reaches_the_walk_without_a_reload(loads, settings):
    if not settings.CMDB_IMPACT_IN_MEMORY:
        pytest.skip("the database walk has no copy to keep")
    g = build([("A", "B"), ("B", "C"), ("C", "D")])
    starts = [g["A"].pk, g["C"].pk]
    assert_walks_match_the_table(starts)
    assert len(loads) == 1
    runs_on, uses = (RelationshipType.objects.get(slug=s) for s in ("runs-on", "uses"))
    extra = build([("E", "F")])
    writes = [
        lambda: services.relate(source=g["D"], target=extra["E"], type=runs_on, actor=None),
        lambda: Relationship.objects.filter(source=g["A"]).update(type=uses),  # type change only
        lambda: Relationship.objects.filter(source=g["B"]).update(target=g["D"]),  # rewired
        lambda: Relationship.objects.filter(source=g["C"], target=g["D"]).delete(),
        lambda: extra["E"].delete(),  # cascade
        lambda: Relationship.objects.bulk_create([Relationship(source=g["D"], target=g["A"], type=runs_on)]),
        lambda: services.import_items_csv(
            items=None,
            relationships=io.StringIO(f"source,type,target\n{g['D'].reference},uses,{g['B'].reference}\n"),
            actor=None,
        ),  # fmt: skip
    ]
    for write in writes:
        write()
        assert_walks_match_the_table(starts)
        held = graph._graphs[graph._key()]
        assert held.version == stamp()
    assert len(loads) == 1  # every change arrived through the journal


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("catalogue")
def test_a_rolled_back_write_never_reaches_the_process_copy():
    g = build([("A", "B")])
    a, b = g["A"].pk, g["B"].pk
    assert [r[0] for r in services.impact_rows(item_ids=[a], direction="downstream", depth=3)] == [b]
    held = graph._graphs[graph._key()]
    cd = build([("C", "D")])
    c, d = cd["C"], cd["D"]

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        services.relate(source=g["B"], target=c, type="uses", actor=None)
        # The transaction sees its own write...
        assert [r[0] for r in services.impact_rows(item_ids=[a], direction="downstream", depth=3)] == [
            b,
            c.pk,
            d.pk,
        ]
        # ...but the process copy is not replaced until it commits.
        assert graph._graphs[graph._key()] is held
        raise Undo
    assert [r[0] for r in services.impact_rows(item_ids=[a], direction="downstream", depth=3)] == [b]
    held = graph._graphs[graph._key()]
    assert held.version == stamp()

    with transaction.atomic():
        services.relate(source=g["B"], target=c, type="uses", actor=None)
        walked = services.impact_rows(item_ids=[a], direction="downstream", depth=3)
        assert graph._graphs[graph._key()] is held
    assert graph._graphs[graph._key()].version == stamp()  # swapped in at commit
    assert walked == services.impact_rows(item_ids=[a], direction="downstream", depth=3)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("catalogue")
def test_a_copy_too_far_behind_or_past_the_pruned_journal_reloads(loads, monkeypatch):
    g = build([("A", "B"), ("B", "C")])
    starts = [g["A"].pk]
    assert_walks_match_the_table(starts)
    assert len(loads) == 1
    monkeypatch.setattr(graph, "MAX_DELTAS", 2)
    more = build([("X", "Y"), ("Y", "Z"), ("Z", "X")])
    Relationship.objects.create(source=g["C"], target=more["X"], type=RelationshipType.objects.first())
    assert_walks_match_the_table(starts)  # 4 journal rows behind: reloaded
    assert len(loads) == 2
    monkeypatch.setattr(graph, "MAX_DELTAS", 50_000)
    Relationship.objects.filter(source=g["A"]).delete()
    Relationship.objects.filter(source=g["C"]).delete()
    assert graph.prune_journal(keep=1) > 0  # the first row this copy needs is gone
    assert_walks_match_the_table(starts)
    assert len(loads) == 3
    Relationship.objects.create(source=g["A"], target=g["C"], type=RelationshipType.objects.first())
    assert_walks_match_the_table(starts)
    assert len(loads) == 3  # caught up from the journal again


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("catalogue")
def test_truncating_the_table_reloads(loads):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; its DELETE is journalled row by row")
    g = build([("A", "B")])
    assert_walks_match_the_table([g["A"].pk])
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE cmdb_relationship")
    assert services.impact_rows(item_ids=[g["A"].pk], direction="downstream", depth=2) == []
    assert len(loads) == 2


@pytest.mark.django_db
def test_the_prune_job_keeps_the_newest_rows():
    build([(f"n{i}", f"n{i + 1}") for i in range(6)])
    version = stamp()
    graph.prune_journal(keep=2)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(version), max(version) FROM {graph.JOURNAL}")  # noqa: S608
        assert tuple(cursor.fetchone()) == (version - 1, version)
        cursor.execute(f"SELECT pruned_to FROM {graph.STAMP}")  # noqa: S608
        assert cursor.fetchone()[0] == version - 2
    graph.prune_journal(keep=0)  # the newest row always stays: numbers never go back
    assert stamp() == version
    from steward.cmdb import jobs

    assert jobs.prune_relationship_journal is not None


# --- the copy itself -----------------------------------------------------------------------------
@pytest.mark.parametrize("plain", [False, True], ids=["numpy", "plain-python"])
def test_applied_changes_and_compaction_keep_set_semantics(plain, monkeypatch):
    """Random adds and removes (with repeats, parallel edges of other types and new item ids)
    give the same walks as a graph built from scratch, before and after compaction."""
    if plain:
        monkeypatch.setattr(graph, "numpy", None)
    rng = random.Random(5)
    edges = {(rng.randrange(1, 40), rng.randrange(1, 40), rng.randrange(1, 4)) for _ in range(120)}
    edges = {e for e in edges if e[0] != e[1]}
    copy = graph.Graph.from_edges(0, *zip(*sorted(edges), strict=True))
    version = 0
    for step in range(6):
        rows = []
        for _ in range(25):
            edge = (rng.randrange(1, 60), rng.randrange(1, 60), rng.randrange(1, 4))
            if edge[0] == edge[1]:
                continue
            op = rng.choice("aad")
            if op == "d" and edges and rng.random() < 0.7:
                edge = rng.choice(sorted(edges))
            version += 1
            rows.append((version, op, *edge))
            (edges.add if op == "a" else edges.discard)(edge)
        copy = copy.apply(rows, version)
        if step == 3:
            assert copy.added or copy.removed
            copy = copy.compacted()
            assert not copy.added and not copy.removed
        fresh = graph.Graph.from_edges(version, *zip(*sorted(edges), strict=True))
        assert len(copy) == len(edges)
        assert all(e in copy for e in edges)
        for start in rng.sample(range(1, 60), 8):
            for direction in ("downstream", "upstream"):
                for types in (None, {1}, {2, 3}):
                    assert copy.walk([start], direction, 6, types) == fresh.walk([start], direction, 6, types)
                    assert copy.walk([start], direction, 6, types) == naive_bfs(
                        sorted(edges), [start], 6, direction, types
                    )


@pytest.mark.parametrize("plain", [False, True], ids=["numpy", "plain-python"])
def test_removing_one_type_keeps_the_parallel_edge_of_another(plain, monkeypatch):
    if plain:
        monkeypatch.setattr(graph, "numpy", None)
    copy = graph.Graph.from_edges(1, [1, 1, 2], [2, 2, 3], [7, 8, 7])
    copy = copy.apply([(2, "d", 1, 2, 7)], 2)
    # What is pending is worked out once per copy and filter, not at every walk.
    assert copy._pending("downstream", {7}) is copy._pending("downstream", {7})
    assert copy._pending("downstream", {7}) is not copy._pending("downstream", None)
    assert [r[:2] for r in copy.walk([1], "downstream", 3)] == [(2, 1), (3, 2)]
    assert copy.walk([1], "downstream", 3, {7}) == []
    assert [r[:2] for r in copy.walk([3], "upstream", 3, {8, 7})] == [(2, 1), (1, 2)]
    # Re-adding restores it; adding what is there or removing what is not changes nothing.
    copy = copy.apply([(3, "a", 1, 2, 7), (4, "a", 1, 2, 8), (5, "d", 9, 10, 7)], 5)
    assert len(copy) == 3 and not copy.added and not copy.removed


@pytest.mark.django_db
def test_compaction_during_catch_up_keeps_answers(monkeypatch, settings):
    settings.CMDB_IMPACT_IN_MEMORY = True
    monkeypatch.setattr(graph, "COMPACT_MIN", 1)
    monkeypatch.setattr(graph, "COMPACT_AT", 0.0)
    cls = CIClass.objects.get(slug="software")
    items = ConfigurationItem.objects.bulk_create(
        ConfigurationItem(name=f"c{i}", ci_class=cls, reference=r)
        for i, r in enumerate(ConfigurationItem.allocate_references(8))
    )
    type_id = RelationshipType.objects.first().pk
    base = graph.Graph.from_edges(stamp(), [], [], [])
    graph._graphs[graph._key()] = base
    for a, b in zip(items, items[1:], strict=False):
        Relationship.objects.create(source=a, target=b, type_id=type_id)
    copy = graph.current()
    assert not copy.added and copy.stored == 7  # folded into the arrays
    assert [r[0] for r in copy.walk([items[0].pk], "downstream", 12)] == [i.pk for i in items[1:]]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("catalogue")
def test_a_large_relationship_import_reaches_the_walk_through_the_journal(loads, settings):
    """The importer's multi-row inserts, and ``core.bulk``'s (``COPY`` on PostgreSQL from
    ``COPY_FROM`` rows): the triggers journal every row, and the copy catches up without
    reloading."""
    from steward.core import bulk

    settings.CMDB_IMPACT_IN_MEMORY = True
    count = bulk.COPY_FROM + 20
    g = build([(f"h{i:03}", f"h{i + 1:03}") for i in range(count)])
    start = [g["h000"].pk]
    assert_walks_match_the_table(start)
    assert len(loads) == 1
    lines = [f"{g[f'h{i + 2:03}'].reference},uses,{g[f'h{i:03}'].reference}" for i in range(count - 1)]
    before = stamp()
    services.import_items_csv(
        items=None, relationships=io.StringIO("source,type,target\n" + "\n".join(lines) + "\n"), actor=None
    )
    assert stamp() - before == count - 1
    assert_walks_match_the_table(start)
    before = stamp()
    depends = RelationshipType.objects.get(slug="depends-on")
    bulk.insert(
        Relationship,
        [
            Relationship(source=g[f"h{i + 3:03}"], target=g[f"h{i:03}"], type=depends)
            for i in range(count - 2)
        ],
    )
    assert stamp() - before == count - 2
    assert_walks_match_the_table(start)
    assert len(loads) == 1
