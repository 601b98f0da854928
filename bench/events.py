"""Event dispatch overhead per saved object: saves with the event machinery on against off.

    python -m bench --only events --rounds 30

Every save of a registered model queues a ``<model>.created`` event that is dispatched after
commit (``steward.core.events``). This benchmark creates ``org.Person`` rows in two shapes of
transaction -- ``batch`` (100 creates in one transaction) and ``single`` (one create per
transaction, 20 of them) -- under three settings, interleaved round by round:

* ``off``: events suppressed with ``steward.core.events.events_suppressed()`` (the baseline:
  the change log and search index still run, as in every other setting);
* ``on-0``: events on, no event rules;
* ``on-3``: events on, three enabled rules of which one matches ``org.person.created``; its
  action is a no-op registered by the benchmark, so the figure is the dispatch machinery
  (rule lookup, model filter, condition), not what an action does.

The time of a round includes the commit and the after-commit dispatch. Printed: p50/p95 per
saved object in µs, the overhead over ``off`` in µs per object, and the ratio; the queries
per saved object. JSON goes to ``bench/results/events-<engine>-<time>.json``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from bench.harness import Context, interleave, percentile, ratio, write_result

BATCH = 100
SINGLES = 20
NOOP_ACTION = "bench.noop"
_serial = itertools.count()


def make_rules() -> None:
    from django.contrib.contenttypes.models import ContentType

    from steward.core.models import EventRule
    from steward.core.registry import registry

    registry.event_actions[NOOP_ACTION] = lambda rule, event: None
    # Saved without full_clean(): the benchmark's no-op action is not a choice users get.
    EventRule.objects.create(
        name="bench: matching", event_types=["org.person.created"], action=NOOP_ACTION, enabled=False
    )
    EventRule.objects.create(
        name="bench: other event", event_types=["org.person.deleted"], action=NOOP_ACTION, enabled=False
    )
    other_model = EventRule.objects.create(
        name="bench: other model", event_types=["org.person.created"], action=NOOP_ACTION, enabled=False
    )
    other_model.object_types.set([ContentType.objects.get(app_label="core", model="tag")])


def set_rules_enabled(enabled: bool) -> None:
    from steward.core.models import EventRule

    EventRule.objects.filter(name__startswith="bench: ").update(enabled=enabled)


def create_people(count: int, per_transaction: int) -> None:
    from django.db import transaction

    from steward.org.models import Person

    for _start in range(0, count, per_transaction):
        with transaction.atomic():
            for _ in range(per_transaction):
                n = next(_serial)
                Person.objects.create(first_name="Bench", last_name=f"P{n}", email=f"e{n}@bench.invalid")


def contender(setting: str, count: int, per_transaction: int) -> Callable[[], None]:
    from steward.core.events import events_suppressed

    def run() -> None:
        # Enabling the rules is outside what a save costs but inside the timed call; an UPDATE
        # of three rows is a few µs per round, spread over the round's objects.
        set_rules_enabled(setting == "on-3")
        with events_suppressed() if setting == "off" else nullcontext():
            create_people(count, per_transaction)

    return run


def count_queries(fn: Callable[[], None]) -> int:
    from django.db import connection

    seen = [0]

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        fn()
    return seen[0]


def run(ctx: Context) -> dict[str, Any]:
    make_rules()
    settings_ = ("off", "on-0", "on-3")
    shapes = {"batch": (BATCH, BATCH), "single": (SINGLES, 1)}
    figures: dict[str, Any] = {}
    print(f"\n== event dispatch overhead: org.Person creates, {ctx.rounds} interleaved rounds ({ctx.engine})")
    print(
        f"{'shape':7} {'setting':8} {'p50 µs/obj':>11} {'p95 µs/obj':>11} {'overhead µs':>12} "
        f"{'ratio':>6} {'queries/obj':>12}"
    )
    for shape, (count, per_tx) in shapes.items():
        contenders = {s: contender(s, count, per_tx) for s in settings_}
        for fn in contenders.values():  # warm-up: caches, statement preparation
            fn()
        samples = interleave(ctx.rounds, contenders)
        per_object = {s: [t / count * 1e6 for t in samples[s]] for s in settings_}
        base = percentile(per_object["off"], 50)
        rows = {}
        for s in settings_:
            p50 = percentile(per_object[s], 50)
            queries = count_queries(contenders[s]) - 1  # minus the rules' enabling UPDATE
            rows[s] = {
                "p50_us_per_object": round(p50, 1),
                "p95_us_per_object": round(percentile(per_object[s], 95), 1),
                "overhead_us_per_object": round(p50 - base, 1),
                "ratio_to_off": ratio(p50, base),
                "queries_per_object": round(queries / count, 2),
                "samples_us_per_object": [round(v, 1) for v in per_object[s]],
            }
            r = rows[s]
            print(
                f"{shape:7} {s:8} {r['p50_us_per_object']:>11.1f} {r['p95_us_per_object']:>11.1f} "
                f"{r['overhead_us_per_object']:>12.1f} {r['ratio_to_off']:>6.2f} {r['queries_per_object']:>12.2f}"
            )
        figures[shape] = {"objects_per_round": count, "per_transaction": per_tx, "settings": rows}
    set_rules_enabled(False)
    path = write_result("events", ctx, {"scenarios": figures})
    print(f"wrote {path}")
    return figures
