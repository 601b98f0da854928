"""Budget-constrained selection: an exact 0/1 knapsack over decimal costs.

Pure Python without Django, so the benchmark (``bench/strategy_knapsack.py``) can time it alone.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

ZERO = Decimal(0)


class InfeasibleSelection(ValueError):
    """No selection satisfies the budget (and the mandatory initiatives)."""


@dataclass(frozen=True)
class Candidate:
    key: Any
    cost: Decimal
    score: Decimal


@dataclass(frozen=True)
class Selection:
    keys: tuple[Any, ...]
    cost: Decimal
    score: Decimal


def _scale(values: Sequence[Decimal]) -> int:
    """The power of ten that makes every value a whole number (exact: no rounding)."""
    places = max((-v.as_tuple().exponent for v in values if v.is_finite()), default=0)
    return 10 ** max(places, 0)


def select_within_budget(candidates: Sequence[Candidate], budget: Decimal) -> Selection:
    """The set of candidates with the greatest total score whose total cost fits the budget.

    Exact 0/1 knapsack by a sparse dynamic programme over Pareto-optimal (cost, score) states: a
    state survives only if no other state is both cheaper (or equal) and better. Costs and scores
    are scaled to whole numbers by a power of ten, so nothing is rounded and no unaffordable set
    can look affordable. Candidates are taken best value-for-money first, and a state is dropped
    when even the fractional (greedy) bound of what remains cannot reach the best set found:
    that keeps the front small on realistic portfolios. Ties go to the cheaper set; the order of
    the candidates decides the rest, so a run is repeatable.
    """
    if budget < 0:
        raise InfeasibleSelection(_("The budget cannot be negative."))
    for c in candidates:
        if c.cost < 0 or c.score < 0:
            raise ValueError(_("Candidate %(key)s has a negative cost or score.") % {"key": c.key})
    fitting = [(i, c) for i, c in enumerate(candidates) if c.cost <= budget]
    if candidates and not fitting:
        cheapest = min(c.cost for c in candidates)
        raise InfeasibleSelection(
            _("No candidate fits within the budget of %(budget)s; the cheapest costs %(cost)s.")
            % {"budget": budget, "cost": cheapest}
        )
    cost_unit = _scale([budget, *(c.cost for _i, c in fitting)])
    score_unit = _scale([c.score for _i, c in fitting])
    cap = int(budget * cost_unit)
    items = [(i, int(c.cost * cost_unit), int(c.score * score_unit)) for i, c in fitting]
    # Best value for money first; free items (cost 0) first of all.
    items.sort(key=lambda it: (-(it[2] / it[1]) if it[1] else float("-inf"), it[0]))
    n = len(items)
    prefix_cost, prefix_score = [0] * (n + 1), [0] * (n + 1)
    for k, (_i, cost, score) in enumerate(items):
        prefix_cost[k + 1] = prefix_cost[k] + cost
        prefix_score[k + 1] = prefix_score[k] + score

    def bound(start: int, room: int) -> float:
        """Greedy fractional fill of ``room`` with items from ``start`` on: an upper bound."""
        limit = prefix_cost[start] + room
        k = bisect_right(prefix_cost, limit, lo=start) - 1
        total = prefix_score[k] - prefix_score[start]
        if k < n:
            _i, cost, score = items[k]
            total += score * (limit - prefix_cost[k]) / cost
        return total

    # Each state: (cost, score, bitmask over ``items``), sorted by cost with scores strictly rising.
    states: list[tuple[int, int, int]] = [(0, 0, 0)]
    best = 0
    for index, (_i, cost, score) in enumerate(items):
        bit = 1 << index
        grown = [(c + cost, s + score, m | bit) for c, s, m in states if c + cost <= cap]
        merged = sorted(states + grown, key=lambda st: (st[0], -st[1]))
        best = max(best, max(st[1] for st in merged))
        states, top = [], -1
        for state in merged:
            if state[1] > top:
                top = state[1]
                # One unit of slack: float rounding in the bound must never prune an optimum.
                if state[1] + bound(index + 1, cap - state[0]) + 1 >= best:
                    states.append(state)
    cost, score, mask = max(states, key=lambda st: (st[1], -st[0]))
    chosen = sorted(items[k][0] for k in range(n) if mask >> k & 1)
    return Selection(
        keys=tuple(candidates[i].key for i in chosen),
        cost=Decimal(cost) / cost_unit,
        score=Decimal(score) / score_unit,
    )
