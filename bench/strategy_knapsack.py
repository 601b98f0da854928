"""Portfolio selection over N candidates: Steward's exact knapsack against a textbook DP table.

``python -m bench.strategy_knapsack --candidates 300`` draws candidates shaped like IT business
cases (costs of 20 k–2 M in whole thousands, scores 0–100 with two decimals) and a budget of a
third of their total, then times in interleaved rounds:

- ``steward``: ``strategy.selection.select_within_budget`` — sparse dynamic programme over
  Pareto-optimal (cost, score) states, exact to the cent on any costs;
- ``reference``: the classic ``best[capacity]`` table over the budget in units of 1,000 — the
  straightforward exact method, only valid because the generated costs are whole thousands.

Both must return the same best score in every round. Results:
``bench/results/strategy_knapsack-none-<time>.json`` (no database involved).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from decimal import Decimal

from bench.harness import Context, interleave, ratio, summary_ms, write_result


def make_candidates(n: int, rng: random.Random) -> tuple[list, Decimal]:
    from steward.strategy.selection import Candidate

    candidates = [
        Candidate(i, Decimal(rng.randint(20, 2000) * 1000), Decimal(rng.randint(0, 10000)) / 100)
        for i in range(n)
    ]
    budget = sum((c.cost for c in candidates), Decimal(0)) / 3
    return candidates, budget.quantize(Decimal(1000))


def reference(candidates: list, budget: Decimal) -> Decimal:
    """The textbook exact 0/1 knapsack: one row of best scores per capacity unit of 1,000."""
    unit = 1000
    capacity = int(budget) // unit
    best = [0] * (capacity + 1)
    for c in candidates:
        weight, value = int(c.cost) // unit, int(c.score * 100)
        for cap in range(capacity, weight - 1, -1):
            candidate = best[cap - weight] + value
            if candidate > best[cap]:
                best[cap] = candidate
    return Decimal(best[capacity]) / 100


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.strategy_knapsack", description=__doc__)
    parser.add_argument("--candidates", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seed", type=int, default=20270101)
    args = parser.parse_args(argv)
    from steward.strategy.selection import select_within_budget

    rng = random.Random(args.seed)
    candidates, budget = make_candidates(args.candidates, rng)
    results: dict[str, Decimal] = {}

    def ours() -> None:
        results["steward"] = select_within_budget(candidates, budget).score

    def theirs() -> None:
        results["reference"] = reference(candidates, budget)

    samples = interleave(args.rounds, {"steward": ours, "reference": theirs})
    if results["steward"] != results["reference"]:
        print(f"MISMATCH: steward {results['steward']} != reference {results['reference']}", file=sys.stderr)
        return 1
    ctx = Context(size=args.candidates, rounds=args.rounds, engine="none", seed=args.seed)
    med = {name: statistics.median(s) for name, s in samples.items()}
    payload = {
        "budget": str(budget),
        "best_score": str(results["steward"]),
        "steward": summary_ms(samples["steward"]),
        "reference": summary_ms(samples["reference"]),
        "ratio_steward_to_reference": ratio(med["steward"], med["reference"]),
    }
    path = write_result("strategy_knapsack", ctx, payload)
    print(f"knapsack over {args.candidates} candidates, budget {budget}: best score {results['steward']}")
    print(f"  steward   p50 {payload['steward']['p50_ms']:.1f} ms  p95 {payload['steward']['p95_ms']:.1f} ms")
    print(
        f"  reference p50 {payload['reference']['p50_ms']:.1f} ms  p95 {payload['reference']['p95_ms']:.1f} ms"
    )
    print(f"  ratio steward/reference {payload['ratio_steward_to_reference']} → {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
