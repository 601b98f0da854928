"""Budget-versus-actual roll-up over many expense lines.

    python -m bench.finance_rollup                     # 1,000,000 expenses, SQLite
    python -m bench.finance_rollup --size 10000        # smoke size
    STEWARD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench.finance_rollup

A fresh throwaway database gets a fiscal year, 40 cost centres, 8 categories, an approved budget
of 40 × 8 × 12 lines (a quarter of them with a forecast) and ``--size`` expenses spread over the
year (bulk-loaded, outside the timing). Per round, each contender produces budget, forecast and
actual per period and cost centre, in base currency:

* ``steward``: ``finance.services.rollup`` — one aggregate statement (budget lines and expenses as
  one UNION ALL stream, summed per period and cost centre), plus the labels;
* ``python``: ``finance.services.reference_rollup`` — a plain loop over ``values_list`` rows;
* ``sql``: two hand-written ``GROUP BY`` statements (lines, expenses) on the same connection.

All three must agree to the cent (checked once). Rounds are interleaved; printed: medians and the
ratios of Steward's median to each comparator's. JSON goes to bench/results/finance_rollup-*.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import signal
import statistics
import sys
import time
from decimal import Decimal

from bench.harness import Context, interleave, ratio, summary_ms, write_result

CENTRES, CATEGORIES = 40, 8


def load(size: int, seed: int) -> dict:
    from steward.finance.models import (
        AccountCategory,
        Budget,
        BudgetLine,
        BudgetVersion,
        CostCentre,
        Expense,
        FiscalYear,
        Forecast,
    )

    rng = random.Random(seed)  # nosec B311 - generated benchmark data
    year = FiscalYear.objects.create(name="FY2027", start_date=dt.date(2027, 1, 1))
    periods = list(year.periods.order_by("number"))
    centres = CostCentre.objects.bulk_create(
        CostCentre(code=f"CC{n:03d}", name=f"Centre {n}") for n in range(CENTRES)
    )
    categories = AccountCategory.objects.bulk_create(
        AccountCategory(code=f"CAT{n}", name=f"Category {n}") for n in range(CATEGORIES)
    )
    budget = Budget.objects.create(name="Bench", fiscal_year=year)
    version = BudgetVersion.objects.create(budget=budget)
    BudgetVersion.objects.filter(pk=version.pk).update(state="approved")
    lines = []
    for centre in centres:
        for category in categories:
            for period in periods:
                amount = Decimal(rng.randrange(1_000_00, 50_000_00)) / 100
                lines.append(BudgetLine(version=version, cost_centre=centre, category=category, period=period,
                                        amount=amount, currency="EUR", base_amount=amount))  # fmt: skip
    lines = BudgetLine.objects.bulk_create(lines, batch_size=2000)
    Forecast.objects.bulk_create(
        (
            Forecast(
                budget_line=line,
                amount=line.amount,
                base_amount=(line.amount * Decimal("1.1")).quantize(Decimal("0.01")),
            )
            for line in lines[::4]
        ),
        batch_size=2000,
    )
    started = time.perf_counter()
    first = Expense.allocate_references(size)[0]
    number = int(first.removeprefix(Expense.reference_prefix))
    batch = 5000
    for offset in range(0, size, batch):
        rows = []
        for k in range(offset, min(size, offset + batch)):
            period = periods[rng.randrange(12)]
            amount = Decimal(rng.randrange(1_00, 5_000_00)) / 100
            rows.append(
                Expense(
                    reference=Expense.format_reference(number + k), date=period.start_date, period=period,
                    amount=amount, currency="EUR", base_amount=amount, cost_centre=centres[rng.randrange(CENTRES)],
                    category=categories[rng.randrange(CATEGORIES)],
                )
            )  # fmt: skip
        Expense.objects.bulk_create(rows)
    load_s = time.perf_counter() - started
    return {"year": year, "lines": len(lines), "load_s": load_s}


def sql_groupby(year_id: int) -> dict:
    """The floor: two plain GROUP BY statements, merged in a dict."""
    from django.db import connection

    from steward.finance.models import BudgetLine, BudgetVersion, Expense, FiscalPeriod, Forecast

    q = connection.ops.quote_name
    line, version, forecast = BudgetLine._meta.db_table, BudgetVersion._meta.db_table, Forecast._meta.db_table
    expense, period = Expense._meta.db_table, FiscalPeriod._meta.db_table
    cells: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT l.period_id, l.cost_centre_id, SUM(l.base_amount), SUM(COALESCE(f.base_amount, l.base_amount)) "  # noqa: S608  # nosec B608
            f"FROM {q(line)} l JOIN {q(version)} v ON v.id = l.version_id "
            f"LEFT JOIN {q(forecast)} f ON f.budget_line_id = l.id "
            f"WHERE v.state = 'approved' GROUP BY l.period_id, l.cost_centre_id"
        )
        for p, k, b, f in cursor.fetchall():
            cells[(p, k)] = [b, f, 0]
        cursor.execute(
            f"SELECT e.period_id, e.cost_centre_id, SUM(e.base_amount) FROM {q(expense)} e "  # noqa: S608  # nosec B608
            f"JOIN {q(period)} p ON p.id = e.period_id WHERE p.fiscal_year_id = %s GROUP BY e.period_id, e.cost_centre_id",
            [year_id],
        )
        for p, k, a in cursor.fetchall():
            cells.setdefault((p, k), [0, 0, 0])[2] = a
    return cells


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.finance_rollup", description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000, help="expense lines (default 1,000,000)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20270105)
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database afterwards")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")
    from bench import db

    database = db.create()
    try:
        import django

        django.setup()
        db.migrate()
        data = load(args.size, args.seed)
        return measure(args, database.engine, data)
    finally:
        if not args.keep:
            database.drop()


def measure(args: argparse.Namespace, engine: str, data: dict) -> int:
    from steward.finance import services

    year = data["year"]
    out: dict = {}

    def steward() -> None:
        out["steward"] = services.rollup(fiscal_year=year, dimension="cost_centre").cells

    def python() -> None:
        out["python"] = services.reference_rollup(fiscal_year=year, dimension="cost_centre")

    def sql() -> None:
        out["sql"] = sql_groupby(year.pk)

    samples = interleave(args.rounds, {"steward": steward, "python": python, "sql": sql})
    cent = Decimal("0.01")
    mismatches = 0
    for key, fig in out["python"].items():
        mine = out["steward"].get(key)
        b, f, a = out["sql"].get(key, [0, 0, 0])
        floor = tuple(Decimal(str(x)).quantize(cent) for x in (b, f, a))
        expected = (fig.budget, fig.forecast, fig.actual)
        got = None if mine is None else (mine.budget, mine.forecast, mine.actual)
        if got != expected or got != floor:
            if not mismatches:
                print(
                    f"  first mismatch at {key}: steward {got}, python {expected}, sql {floor}",
                    file=sys.stderr,
                )
            mismatches += 1
    med = {name: statistics.median(v) for name, v in samples.items()}
    payload = {
        "expenses": args.size,
        "budget_lines": data["lines"],
        "cells": len(out["steward"]),
        "load_s": round(data["load_s"], 1),
        "load_rows_per_s": round(args.size / data["load_s"]),
        "steward": summary_ms(samples["steward"]),
        "python_loop": summary_ms(samples["python"]),
        "sql_groupby": summary_ms(samples["sql"]),
        "ratio_steward_to_python": ratio(med["steward"], med["python"]),
        "ratio_steward_to_sql": ratio(med["steward"], med["sql"]),
        "mismatches": mismatches,
        "samples_s": samples,
    }
    path = write_result("finance_rollup", Context(size=args.size, rounds=args.rounds, engine=engine, seed=args.seed),
                        payload)  # fmt: skip
    print(f"[finance_rollup] {engine}: {args.size:,} expenses + {data['lines']:,} budget lines "
          f"(loaded in {data['load_s']:.1f} s), {len(out['steward'])} cells, p50 of {args.rounds} rounds:")  # fmt: skip
    print(f"  steward roll-up   {med['steward'] * 1000:>9.1f} ms")
    print(
        f"  python loop       {med['python'] * 1000:>9.1f} ms   ratio steward/python {payload['ratio_steward_to_python']}"
    )
    print(
        f"  SQL GROUP BY      {med['sql'] * 1000:>9.1f} ms   ratio steward/sql    {payload['ratio_steward_to_sql']}"
    )
    print(f"  mismatches: {mismatches}  -> {path}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
