"""The critical path method (CPM) on plain data, without Django, so it can be benchmarked alone.

Times are whole days from the project start. A link says how the successor hangs on its
predecessor — finish-to-start (``fs``), start-to-start (``ss``), finish-to-finish (``ff``),
start-to-finish (``sf``) — plus a lag (negative for a lead).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass


class CycleError(ValueError):
    """The dependencies loop; ``cycle`` lists the activities in order."""

    def __init__(self, cycle: list[Hashable]) -> None:
        super().__init__(" → ".join(str(k) for k in [*cycle, cycle[0]]))
        self.cycle = cycle


@dataclass(frozen=True)
class Timing:
    early_start: int
    early_finish: int
    late_start: int
    late_finish: int

    @property
    def slack(self) -> int:
        return self.late_start - self.early_start

    @property
    def critical(self) -> bool:
        return self.slack <= 0


def find_cycle(edges: Iterable[tuple[Hashable, Hashable]]) -> list[Hashable] | None:
    """One cycle of the directed graph (its nodes in order), or None. Iterative DFS."""
    graph: dict[Hashable, list[Hashable]] = defaultdict(list)
    for a, b in edges:
        graph[a].append(b)
    state: dict[Hashable, int] = {}  # 1 on the stack, 2 done
    for root in list(graph):
        if state.get(root):
            continue
        stack: list[tuple[Hashable, int]] = [(root, 0)]
        path: list[Hashable] = []
        while stack:
            node, index = stack.pop()
            if index == 0:
                state[node] = 1
                path.append(node)
            children = graph.get(node, [])
            if index < len(children):
                stack.append((node, index + 1))
                child = children[index]
                if state.get(child) == 1:
                    return path[path.index(child) :]
                if not state.get(child):
                    stack.append((child, 0))
            else:
                state[node] = 2
                path.pop()
    return None


def critical_path(
    durations: Mapping[Hashable, int], links: Sequence[tuple[Hashable, Hashable, str, int]]
) -> tuple[dict[Hashable, Timing], int]:
    """Early/late start and finish of every activity, and the project's length in days.

    Raises ``CycleError`` naming a cycle when the links loop. Links to unknown activities are a
    ``KeyError``: the caller passes a consistent project.
    """
    successors: dict[Hashable, list[tuple[Hashable, str, int]]] = defaultdict(list)
    predecessors: dict[Hashable, list[tuple[Hashable, str, int]]] = defaultdict(list)
    indegree = dict.fromkeys(durations, 0)
    for pred, succ, kind, lag in links:
        if pred not in durations or succ not in durations:
            raise KeyError(pred if pred not in durations else succ)
        successors[pred].append((succ, kind, lag))
        predecessors[succ].append((pred, kind, lag))
        indegree[succ] += 1
    queue = deque(k for k, d in indegree.items() if d == 0)
    order: list[Hashable] = []
    while queue:
        node = queue.popleft()
        order.append(node)
        for succ, _kind, _lag in successors[node]:
            indegree[succ] -= 1
            if indegree[succ] == 0:
                queue.append(succ)
    if len(order) != len(durations):
        left = {k for k, d in indegree.items() if d > 0}
        cycle = find_cycle((p, s) for p, s, _k, _l in links if p in left and s in left)
        raise CycleError(cycle or sorted(left, key=str))

    es: dict[Hashable, int] = {}
    for node in order:
        d = durations[node]
        start = 0
        for pred, kind, lag in predecessors[node]:
            if kind == "fs":
                start = max(start, es[pred] + durations[pred] + lag)
            elif kind == "ss":
                start = max(start, es[pred] + lag)
            elif kind == "ff":
                start = max(start, es[pred] + durations[pred] + lag - d)
            else:  # sf
                start = max(start, es[pred] + lag - d)
        es[node] = start
    finish = max((es[k] + durations[k] for k in order), default=0)

    lf: dict[Hashable, int] = {}
    for node in reversed(order):
        d = durations[node]
        late = finish
        for succ, kind, lag in successors[node]:
            ls_succ = lf[succ] - durations[succ]
            if kind == "fs":
                late = min(late, ls_succ - lag)
            elif kind == "ss":
                late = min(late, ls_succ - lag + d)
            elif kind == "ff":
                late = min(late, lf[succ] - lag)
            else:  # sf
                late = min(late, lf[succ] - lag + d)
        lf[node] = late
    timings = {k: Timing(es[k], es[k] + durations[k], lf[k] - durations[k], lf[k]) for k in durations}
    return timings, finish
