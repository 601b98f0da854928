"""Critical path on an N-task project: Steward's CPM against networkx's longest path on the same DAG.

``python -m bench.projects_cpm --tasks 10000`` draws a project shaped like a large programme
plan (each task waits on one to three earlier tasks, finish-to-start with a lag of 0–2 days,
durations 0–20 days) and times, in interleaved rounds:

- ``steward``: ``projects.scheduling.critical_path`` — topological order, forward and backward
  passes: early/late start and finish and slack of every task;
- ``networkx``: ``dag_longest_path_length`` on a DiGraph whose edge weights carry the
  predecessor's duration plus the lag (the project length only; building the graph is timed
  apart and reported).

Both must agree on the project length. No database. Results:
``bench/results/projects_cpm-none-<time>.json``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys

from bench.harness import Context, interleave, ratio, summary_ms, timed, write_result


def make_project(n: int, rng: random.Random) -> tuple[dict[int, int], list[tuple[int, int, str, int]]]:
    durations = {i: rng.randint(0, 20) for i in range(n)}
    links = []
    for i in range(1, n):
        for pred in set(rng.randint(max(0, i - 200), i - 1) for _ in range(rng.randint(1, 3))):
            links.append((pred, i, "fs", rng.randint(0, 2)))
    return durations, links


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.projects_cpm", description=__doc__)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--seed", type=int, default=20270104)
    args = parser.parse_args(argv)
    import networkx as nx

    from steward.projects.scheduling import critical_path

    durations, links = make_project(args.tasks, random.Random(args.seed))
    graph = nx.DiGraph()
    sink = "end"

    def build() -> None:
        graph.clear()
        graph.add_nodes_from(durations)
        graph.add_weighted_edges_from((p, s, durations[p] + lag) for p, s, _kind, lag in links)
        graph.add_weighted_edges_from((k, sink, d) for k, d in durations.items())

    build_seconds = timed(build)
    lengths: dict[str, int] = {}

    def ours() -> None:
        lengths["steward"] = critical_path(durations, links)[1]

    def theirs() -> None:
        lengths["networkx"] = nx.dag_longest_path_length(graph)

    samples = interleave(args.rounds, {"steward": ours, "networkx": theirs})
    if lengths["steward"] != lengths["networkx"]:
        print(f"MISMATCH: steward {lengths['steward']} != networkx {lengths['networkx']}", file=sys.stderr)
        return 1
    med = {k: statistics.median(v) for k, v in samples.items()}
    payload = {
        "tasks": args.tasks,
        "links": len(links),
        "project_days": lengths["steward"],
        "steward": summary_ms(samples["steward"]),
        "networkx": summary_ms(samples["networkx"]),
        "networkx_graph_build_ms": round(build_seconds * 1000, 1),
        "ratio_steward_to_networkx": ratio(med["steward"], med["networkx"]),
    }
    path = write_result("projects_cpm", Context(size=args.tasks, rounds=args.rounds, engine="none", seed=args.seed),
                        payload)  # fmt: skip
    print(f"CPM over {args.tasks} tasks / {len(links)} links: {lengths['steward']} days")
    print(
        f"  steward  p50 {payload['steward']['p50_ms']:.1f} ms (full forward+backward pass, slack per task)"
    )
    print(f"  networkx p50 {payload['networkx']['p50_ms']:.1f} ms (longest path length only; "
          f"graph build {payload['networkx_graph_build_ms']} ms once)")  # fmt: skip
    print(f"  ratio steward/networkx {payload['ratio_steward_to_networkx']} → {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
