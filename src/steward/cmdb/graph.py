"""The relationship graph held in memory, one copy per process, kept in step through a journal.

Impact analysis walks this copy instead of asking the database one level at a time (ADR 31).
Database triggers (migration cmdb 0007) write a numbered journal row for every relationship
added or removed, in the writer's transaction. Before a walk, :func:`current` reads the newest
number (one query); if the copy is older it reads the journal rows it missed and applies them,
and reloads the whole table only when it is too far behind (more than ``MAX_DELTAS`` rows, or
past what was pruned) or the table was truncated.

A copy is immutable: applying changes makes a new one and swaps it in, so a walk running in
another thread never sees a half-applied change. What a transaction reads may include its own
uncommitted writes; such a copy serves that transaction's walks but becomes the process's copy
only when the transaction commits (``on_commit``), so a rollback never leaves phantom edges.

Each direction is stored in compressed-sparse-row form indexed by item id: the neighbours of
item ``i`` are ``neighbours[offsets[i]:offsets[i + 1]]``, with the relationship types alongside.
Changes since the last rebuild sit beside it (``added``, ``removed``) until they pass
``COMPACT_AT`` of the stored edges, when the arrays are rebuilt in memory (no database read).
With numpy installed each level of a walk is a handful of vectorised operations; without it the
same walk runs over ``array`` slices in plain Python.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction

try:
    import numpy
except ImportError:  # pragma: no cover - exercised by forcing the plain-Python path in tests
    numpy = None

STAMP = "cmdb_relationship_stamp"
JOURNAL = "cmdb_relationship_journal"
#: A copy further behind than this many journal rows is reloaded instead of caught up.
MAX_DELTAS = 50_000
#: Journal rows kept by ``prune_journal`` (a process further behind reloads).
KEEP_JOURNAL = 200_000
#: Pending changes (added + removed) that trigger a rebuild of the arrays: this share of the
#: stored edges, and never fewer than ``COMPACT_MIN``.
COMPACT_AT = 0.05
COMPACT_MIN = 2_000
#: Rows read per round trip when loading the whole table.
LOAD_CHUNK = 50_000

Edge = tuple[int, int, int]  # (source id, target id, type id)


class Adjacency:
    """One direction in compressed-sparse-row form, indexed by item id (see the module doc)."""

    __slots__ = ("neighbours", "offsets", "types")

    def __init__(self, offsets: Any, neighbours: Any, types: Any) -> None:
        self.offsets, self.neighbours, self.types = offsets, neighbours, types

    @property
    def size(self) -> int:
        """Item ids below this have a row in ``offsets``."""
        return len(self.offsets) - 1

    @property
    def nbytes(self) -> int:
        return sum(len(a) * a.itemsize for a in (self.offsets, self.neighbours, self.types))

    def has(self, here: int, there: int, type_id: int) -> bool:
        if here >= self.size:
            return False
        lo, hi = int(self.offsets[here]), int(self.offsets[here + 1])
        return any(
            int(n) == there and int(t) == type_id
            for n, t in zip(self.neighbours[lo:hi], self.types[lo:hi], strict=True)
        )

    def edges(self) -> tuple[Any, Any, Any]:
        """(here, there, type) of every stored edge, as three parallel sequences."""
        if numpy is not None and isinstance(self.offsets, numpy.ndarray):
            counts = numpy.diff(self.offsets)
            here = numpy.repeat(numpy.arange(self.size, dtype=numpy.int64), counts)
            return here, self.neighbours, self.types
        here = array("q")
        for i in range(self.size):
            here.extend([i] * (self.offsets[i + 1] - self.offsets[i]))
        return here, self.neighbours, self.types

    @classmethod
    def build(cls, here: Any, there: Any, types: Any) -> Adjacency:
        """Arrays from parallel sequences of edges, sorted by ``here`` (then as given)."""
        if numpy is not None:
            here = numpy.asarray(here, dtype=numpy.int64)
            size = int(here.max()) + 1 if len(here) else 0
            order = numpy.argsort(here, kind="stable")
            offsets = numpy.zeros(size + 1, dtype=numpy.int64)
            numpy.cumsum(numpy.bincount(here, minlength=size), out=offsets[1:])
            there, types = numpy.asarray(there, dtype=numpy.int64), numpy.asarray(types, dtype=numpy.int64)
            return cls(_narrow(offsets), _narrow(there[order]), _narrow(types[order]))
        size = max(here) + 1 if len(here) else 0
        counts = [0] * (size + 1)
        for h in here:
            counts[h + 1] += 1
        offsets = array("q", counts)
        for i in range(1, size + 1):
            offsets[i] += offsets[i - 1]
        fill = array("q", offsets)
        neighbours, kinds = array("q", bytes(8 * len(here))), array("q", bytes(8 * len(here)))
        for h, t, k in zip(here, there, types, strict=True):
            at = fill[h]
            neighbours[at], kinds[at] = t, k
            fill[h] = at + 1
        return cls(offsets, neighbours, kinds)


class Graph:
    """One immutable copy of the relationship graph at a journal version."""

    __slots__ = ("_pending_by", "added", "down", "removed", "up", "version")

    def __init__(
        self,
        version: int,
        down: Adjacency,
        up: Adjacency,
        added: dict[Edge, None] | None = None,
        removed: frozenset[Edge] = frozenset(),
    ) -> None:
        self.version, self.down, self.up = version, down, up
        self.added = added or {}  # insertion-ordered set of edges not in the arrays
        self.removed = removed  # edges in the arrays that are gone
        self._pending_by: dict[tuple[str, frozenset[int] | None], Any] = {}  # see _pending

    @classmethod
    def from_edges(cls, version: int, sources: Any, targets: Any, types: Any) -> Graph:
        return cls(
            version, Adjacency.build(sources, targets, types), Adjacency.build(targets, sources, types)
        )

    @property
    def stored(self) -> int:
        return len(self.down.neighbours)

    @property
    def nbytes(self) -> int:
        return self.down.nbytes + self.up.nbytes

    def __len__(self) -> int:
        return self.stored - len(self.removed) + len(self.added)

    def __contains__(self, edge: Edge) -> bool:
        if edge in self.added:
            return True
        return edge not in self.removed and self.down.has(*edge)

    def apply(self, rows: Iterable[Sequence[Any]], version: int) -> Graph:
        """A new copy with journal ``rows`` ((version, op, source, target, type), in order) applied.

        Idempotent per edge (adding a present edge or removing a missing one does nothing), so a
        copy loaded slightly after its journal number was read catches up correctly.
        """
        added, removed = dict(self.added), set(self.removed)
        for _version, op, source, target, type_id in rows:
            edge = (source, target, type_id)
            if op == "a":
                if edge in removed:
                    removed.discard(edge)
                elif edge not in added and not self.down.has(*edge):
                    added[edge] = None
            elif edge in added:
                del added[edge]
            elif edge not in removed and self.down.has(*edge):
                removed.add(edge)
        fresh = Graph(version, self.down, self.up, added, frozenset(removed))
        if len(added) + len(removed) > max(COMPACT_MIN, COMPACT_AT * self.stored):
            return fresh.compacted()
        return fresh

    def compacted(self) -> Graph:
        """The same graph with every pending change folded into rebuilt arrays."""
        here, there, types = self.down.edges()
        if numpy is not None and isinstance(here, numpy.ndarray):
            if self.removed:
                gone = numpy.array(sorted(self.removed), dtype=numpy.int64)
                keep = ~_rows_in(numpy.stack([here, there, types], axis=1), gone)
                here, there, types = here[keep], there[keep], types[keep]
            if self.added:
                extra = numpy.array(list(self.added), dtype=numpy.int64)
                here = numpy.concatenate([here, extra[:, 0]])
                there = numpy.concatenate([there, extra[:, 1]])
                types = numpy.concatenate([types, extra[:, 2]])
        else:
            kept = [e for e in zip(here, there, types, strict=True) if e not in self.removed]
            kept += list(self.added)
            here, there, types = (
                (array("q", column) for column in zip(*kept, strict=True)) if kept else ([], [], [])
            )
        return Graph.from_edges(self.version, here, there, types)

    def walk(
        self, starts: Iterable[int], direction: str, depth: int, type_ids: Iterable[int] | None = None
    ) -> list[tuple[int, int, tuple[int, ...]]]:
        """(item id, depth, path) of everything reached from ``starts``, nearest first.

        The same answer as the database walk (``services.impact_rows_sql``): breadth-first, an item
        first reached from several items of the level above takes the smallest as its parent,
        each reached item counts from the nearest start item, start items are not returned.
        """
        parent: dict[int, int | None] = dict.fromkeys(starts)
        types = None if type_ids is None else set(type_ids)
        if types is not None and not types:
            return []
        stepper = (
            self._levels_numpy
            if numpy is not None and isinstance(self.down.offsets, numpy.ndarray)
            else self._levels_python
        )
        levels = stepper(sorted(parent), direction, depth, types)
        paths: dict[int, tuple[int, ...]] = {i: (i,) for i in parent}
        rows: list[tuple[int, int, tuple[int, ...]]] = []
        append = rows.append
        for d, (nodes, vias) in enumerate(levels, start=1):
            for node, via in zip(nodes, vias, strict=True):
                path = paths[node] = paths[via] + (node,)
                append((node, d, path))
        return rows

    def _side(
        self, direction: str, types: set[int] | None
    ) -> tuple[tuple[Any, Any, Any, int], dict[int, list[int]], set[Edge]]:
        """The arrays walked in ``direction`` (offsets, neighbours, types, size) and the changes
        pending beside them (see ``_pending``)."""
        adjacency = self.down if direction == "downstream" else self.up
        arrays = (adjacency.offsets, adjacency.neighbours, adjacency.types, adjacency.size)
        return (arrays, *self._pending(direction, types))

    def _pending(self, direction: str, types: set[int] | None) -> tuple[dict[int, list[int]], set[Edge]]:
        """Added edges by the item they leave in ``direction``; removed ones as (from, to, type).

        Worked out once per copy, direction and type filter (a copy never changes), not per walk:
        up to ``COMPACT_AT`` of the stored edges may be pending.
        """
        key = (direction, None if types is None else frozenset(types))
        if key not in self._pending_by:
            if len(self._pending_by) >= 32:  # a few type filters are in use; never grow unbounded
                self._pending_by.clear()
            self._pending_by[key] = self._pending_now(direction, types)
        return self._pending_by[key]

    def _pending_now(self, direction: str, types: set[int] | None) -> tuple[dict[int, list[int]], set[Edge]]:
        extra: dict[int, list[int]] = {}
        for source, target, type_id in self.added:
            if types is None or type_id in types:
                here, there = (source, target) if direction == "downstream" else (target, source)
                extra.setdefault(here, []).append(there)
        gone = {
            (s, t, k) if direction == "downstream" else (t, s, k)
            for s, t, k in self.removed
            if types is None or k in types
        }
        return extra, gone

    def _levels_python(
        self, frontier: list[int], direction: str, depth: int, types: set[int] | None
    ) -> list[tuple[list[int], list[int]]]:
        (offsets, neighbours, kinds, size), extra, gone = self._side(direction, types)
        seen = set(frontier)
        levels = []
        while frontier and len(levels) < depth:
            reached: dict[int, int] = {}
            for via in frontier:  # ascending: the first via to reach a node is the smallest
                if via < size:
                    lo, hi = offsets[via], offsets[via + 1]
                    if types is None and not gone:
                        for node in neighbours[lo:hi]:
                            if node not in seen and node not in reached:
                                reached[node] = via
                    else:
                        for node, kind in zip(neighbours[lo:hi], kinds[lo:hi], strict=True):
                            if (
                                (types is None or kind in types)
                                and (via, node, kind) not in gone
                                and node not in seen
                                and node not in reached
                            ):
                                reached[node] = via
                for node in extra.get(via, ()):
                    if node not in seen and node not in reached:
                        reached[node] = via
            if not reached:
                break
            frontier = sorted(reached)
            seen.update(frontier)
            levels.append((frontier, [reached[n] for n in frontier]))
        return levels

    def _levels_numpy(
        self, starts: list[int], direction: str, depth: int, types: set[int] | None
    ) -> list[tuple[list[int], list[int]]]:
        np = numpy
        (offsets, neighbours, kinds, size), extra, gone = self._side(direction, types)
        wanted = None if types is None else np.fromiter(types, dtype=np.int64)
        gone_from = np.fromiter({e[0] for e in gone}, dtype=np.int64) if gone else None
        extra_from = np.fromiter(extra, dtype=np.int64) if extra else None
        frontier = np.array(starts, dtype=np.int64)
        top = max(
            self.down.size,
            self.up.size,
            int(frontier[-1]) + 1 if len(frontier) else 0,
            *(max(e[0], e[1]) + 1 for e in self.added),
        )
        seen = np.zeros(top, dtype=bool)
        seen[frontier] = True
        levels = []
        while len(frontier) and len(levels) < depth:
            inside = frontier[frontier < size] if frontier[-1] >= size else frontier
            lo = offsets[inside]
            counts = offsets[inside + 1] - lo
            total = int(counts.sum())
            # Positions of every neighbour of the frontier, grouped by frontier item in order.
            at = np.arange(total, dtype=np.int64) + np.repeat(lo - (np.cumsum(counts) - counts), counts)
            nodes, vias = neighbours[at], np.repeat(inside, counts)
            if wanted is not None or gone:
                found = kinds[at]
                keep = np.ones(len(nodes), dtype=bool) if wanted is None else np.isin(found, wanted)
                if gone:
                    for i in np.flatnonzero(keep & np.isin(vias, gone_from)).tolist():
                        keep[i] = (int(vias[i]), int(nodes[i]), int(found[i])) not in gone
                nodes, vias = nodes[keep], vias[keep]
            mixed = False
            if extra:
                more = [(n, v) for v in np.intersect1d(frontier, extra_from).tolist() for n in extra[v]]
                if more:
                    add = np.array(more, dtype=np.int64)
                    nodes, vias, mixed = (
                        np.concatenate([nodes, add[:, 0]]),
                        np.concatenate([vias, add[:, 1]]),
                        True,
                    )
            fresh = ~seen[nodes]
            nodes, vias = nodes[fresh], vias[fresh]
            if not len(nodes):
                break
            if mixed:  # restore ascending vias per node so the first occurrence is the smallest
                order = np.lexsort((vias, nodes))
                nodes, vias = nodes[order], vias[order]
            frontier, first = np.unique(nodes, return_index=True)
            seen[frontier] = True
            levels.append((frontier.tolist(), vias[first].tolist()))
        return levels


def _narrow(values: Any) -> Any:
    """``values`` as 32-bit integers when they fit (half the memory of a million-edge graph)."""
    if len(values) and int(values.max()) >= 2**31:
        return values
    return values.astype(numpy.int32)


def _rows_in(rows: Any, table: Any) -> Any:
    """Mask of ``rows`` (n × 3 int64) that appear in ``table`` (m × 3 int64, sorted)."""
    np = numpy
    view = np.dtype((np.void, rows.dtype.itemsize * 3))
    a = np.ascontiguousarray(rows).view(view).ravel()
    b = np.ascontiguousarray(table).view(view).ravel()
    return np.isin(a, b)


# --- the process's copy ----------------------------------------------------------------------
_lock = threading.Lock()
_graphs: dict[str, Graph] = {}  # by database name: tests and benchmarks switch databases


def _key() -> str:
    return f"{connection.alias}:{connection.settings_dict['NAME']}"


#: The newest journal number and the number up to which the journal was pruned.
HEAD_SQL = f"SELECT COALESCE(MAX(version), 0), (SELECT pruned_to FROM {STAMP}) FROM {JOURNAL}"  # noqa: S608  # nosec B608


def load(cursor: Any) -> Graph:
    """The whole table as a new copy, at the journal number read just before it."""
    cursor.execute(HEAD_SQL)
    version = cursor.fetchone()[0]
    table = connection.ops.quote_name("cmdb_relationship")
    cursor.execute(f"SELECT source_id, target_id, type_id FROM {table}")  # noqa: S608  # nosec B608
    if numpy is not None:
        parts = []
        while chunk := cursor.fetchmany(LOAD_CHUNK):
            parts.append(numpy.array(chunk, dtype=numpy.int64))
        edges = numpy.concatenate(parts) if parts else numpy.zeros((0, 3), dtype=numpy.int64)
        return Graph.from_edges(version, edges[:, 0], edges[:, 1], edges[:, 2])
    sources, targets, types = array("q"), array("q"), array("q")
    while chunk := cursor.fetchmany(LOAD_CHUNK):
        for s, t, k in chunk:
            sources.append(s)
            targets.append(t)
            types.append(k)
    return Graph.from_edges(version, sources, targets, types)


def current() -> Graph:
    """The relationship graph as this connection sees it now (one query when nothing changed).

    Journal numbers become visible in order (see migration cmdb 0007), so every row numbered up
    to the newest one seen is there, unless pruned; numbers may skip (rolled-back writes).
    """
    key = _key()
    held = _graphs.get(key)
    with connection.cursor() as cursor:
        cursor.execute(HEAD_SQL)
        version, pruned_to = cursor.fetchone()
        if held is not None and held.version == version:
            return held
        fresh = None
        if held is not None and pruned_to <= held.version < version:
            cursor.execute(
                f"SELECT version, op, source_id, target_id, type_id FROM {JOURNAL}"  # noqa: S608  # nosec B608
                " WHERE version > %s AND version <= %s ORDER BY version LIMIT %s",
                [held.version, version, MAX_DELTAS + 1],
            )
            rows = cursor.fetchall()
            if len(rows) <= MAX_DELTAS and all(r[1] != "t" for r in rows):
                fresh = held.apply(rows, version)
        if fresh is None:
            fresh = load(cursor)
    if connection.in_atomic_block:
        # What this transaction read may include its own writes: shared only once committed.
        transaction.on_commit(lambda: _swap(key, held, fresh))
    else:
        _swap(key, held, fresh)
    return fresh


def _swap(key: str, held: Graph | None, fresh: Graph) -> None:
    with _lock:
        if _graphs.get(key) is held:
            _graphs[key] = fresh


def forget() -> None:
    """Drop every process copy (tests; the next walk reloads)."""
    with _lock:
        _graphs.clear()


def prune_journal(keep: int = KEEP_JOURNAL) -> int:
    """Delete journal rows more than ``keep`` (at least 1) numbers old; how many went.

    The newest row always stays, so numbers never go back; copies older than what was pruned
    reload.
    """
    keep = max(1, keep)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(version), 0) FROM {JOURNAL}")  # noqa: S608  # nosec B608
        horizon = cursor.fetchone()[0] - keep
        cursor.execute(f"DELETE FROM {JOURNAL} WHERE version <= %s", [horizon])  # noqa: S608  # nosec B608
        removed = cursor.rowcount
        cursor.execute(f"UPDATE {STAMP} SET pruned_to = %s WHERE pruned_to < %s", [horizon, horizon])  # noqa: S608  # nosec B608
    return removed
