"""SLA computation: due dates and elapsed business time for many clocks on a calendar with holidays.

    python -m bench --only sla --size 1000000 --rounds 5

The calendar is Paris office hours (Mon–Fri 09:00–12:00 and 13:00–17:00, Europe/Paris, French
public holidays). Each clock has a start in 2026–2027, a target (1 minute – 10 working days)
and an end up to 40 days later. Per round, each contender computes every clock's **due date**
(start + target working minutes) and **elapsed** working time (start → end):

* ``steward``: ``org.services.add_business_time_many`` / ``business_time_between_many`` on the
  calendar's compiled schedule (what the SLA engine uses);
* ``numpy``: a separate, hand-written numpy implementation (working intervals per day, cumulative
  sum, ``searchsorted``) — the floor the issue measures against;
* ``reference``: a straightforward pure-Python loop walking day by day through the calendar's
  hours and holidays, run on a sample (it is slow) and extrapolated to clocks/s. Every sampled
  clock's results must equal Steward's: the mismatch count is printed and must be zero.

Rounds are interleaved. Printed: clocks/s (median), the ratio of Steward's time to numpy's, the
speed-up over the reference, mismatches. JSON goes to ``bench/results/sla-<engine>-<time>.json``.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from zoneinfo import ZoneInfo

from bench.harness import Context, interleave, ratio, write_result

TZ = ZoneInfo("Europe/Paris")
HOURS = ((9 * 60, 12 * 60), (13 * 60, 17 * 60))  # minutes after local midnight, Mon–Fri
US, MINUTE = 1_000_000, 60_000_000
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
SAMPLE = 2_000


def make_clocks(n: int, seed: int) -> tuple[list[int], list[int], list[int]]:
    rng = random.Random(seed)
    base = int((dt.datetime(2026, 1, 1, tzinfo=dt.UTC) - EPOCH).total_seconds()) * US
    year = 365 * 86_400 * US
    starts = [base + rng.randrange(0, 2 * year // MINUTE) * MINUTE for _ in range(n)]
    targets = [rng.randrange(1, 10 * 420) * MINUTE for _ in range(n)]
    ends = [s + rng.randrange(0, 40 * 1440) * MINUTE for s in starts]
    return starts, targets, ends


def holiday_set(years: range) -> set[dt.date]:
    import holidays

    return set(holidays.country_holidays("FR", years=years))


# --- the straightforward reference -----------------------------------------------------------------
def _day_intervals(day: dt.date, closed: set[dt.date]) -> list[tuple[dt.datetime, dt.datetime]]:
    if day.weekday() >= 5 or day in closed:
        return []
    midnight = dt.datetime(day.year, day.month, day.day, tzinfo=TZ)
    return [(midnight + dt.timedelta(minutes=a), midnight + dt.timedelta(minutes=b)) for a, b in HOURS]


def reference_elapsed(start: dt.datetime, end: dt.datetime, closed: set[dt.date]) -> int:
    total = dt.timedelta()
    day = start.astimezone(TZ).date()
    while day <= end.astimezone(TZ).date():
        for a, b in _day_intervals(day, closed):
            lo, hi = max(a, start), min(b, end)
            if lo < hi:
                total += hi - lo
        day += dt.timedelta(days=1)
    return total // dt.timedelta(microseconds=1)


def reference_due(start: dt.datetime, amount_us: int, closed: set[dt.date]) -> dt.datetime:
    left = dt.timedelta(microseconds=amount_us)
    day = start.astimezone(TZ).date()
    while True:
        for a, b in _day_intervals(day, closed):
            lo = max(a, start)
            if lo < b:
                if b - lo >= left:
                    return lo + left
                left -= b - lo
        day += dt.timedelta(days=1)


# --- the numpy comparator ------------------------------------------------------------------------
def numpy_tables(first: dt.date, last: dt.date, closed: set[dt.date]):  # noqa: ANN201
    import numpy as np

    starts, ends = [], []
    day = first
    while day <= last:
        for a, b in _day_intervals(day, closed):
            starts.append((a - EPOCH) // dt.timedelta(microseconds=1))
            ends.append((b - EPOCH) // dt.timedelta(microseconds=1))
        day += dt.timedelta(days=1)
    s, e = np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)
    return s, e, np.cumsum(e - s)


def numpy_compute(tables, starts, targets, ends):  # noqa: ANN001, ANN201
    import numpy as np

    s, e, cum = tables

    def worked(t):  # noqa: ANN001, ANN202
        i = np.searchsorted(s, t, side="right") - 1
        j = np.maximum(i, 0)
        return np.where(i < 0, 0, cum[j] - np.maximum(0, e[j] - t))

    target = worked(starts) + targets
    k = np.searchsorted(cum, target, side="left")
    due = e[k] - (cum[k] - target)
    return due, worked(ends) - worked(starts)


def measure(size: int, rounds: int, seed: int) -> dict:
    import numpy as np

    from steward.org import services
    from steward.org.models.calendars import parse_hours

    closed = holiday_set(range(2025, 2030))
    weekly = tuple(parse_hours("09:00-12:00, 13:00-17:00") if d < 5 else () for d in range(7))
    schedule = services.Schedule(tz=TZ, weekly=weekly, country="FR")
    starts, targets, ends = make_clocks(size, seed)
    a_starts, a_targets, a_ends = (np.array(x, dtype=np.int64) for x in (starts, targets, ends))
    compile_started = time.perf_counter()
    schedule.covering(min(starts), max(ends))
    steward_compile = time.perf_counter() - compile_started
    compile_started = time.perf_counter()
    tables = numpy_tables(dt.date(2025, 12, 1), dt.date(2028, 12, 31), closed)
    numpy_compile = time.perf_counter() - compile_started

    def steward() -> tuple:
        due = services.add_business_time_many(calendar=schedule, starts=a_starts, amounts=a_targets)
        elapsed = services.business_time_between_many(calendar=schedule, starts=a_starts, ends=a_ends)
        return due, elapsed

    def numpy_version() -> tuple:
        return numpy_compute(tables, a_starts, a_targets, a_ends)

    sample = min(size, SAMPLE)

    def reference() -> None:
        for k in range(sample):
            s = EPOCH + dt.timedelta(microseconds=starts[k])
            reference_due(s, targets[k], closed)
            reference_elapsed(s, EPOCH + dt.timedelta(microseconds=ends[k]), closed)

    samples = interleave(rounds, {"steward": steward, "numpy": numpy_version})
    reference_samples = interleave(max(1, min(rounds, 3)), {"reference": reference})["reference"]

    due, elapsed = steward()
    n_due, n_elapsed = numpy_version()
    mismatches_numpy = int((due != n_due).sum() + (elapsed != n_elapsed).sum())
    mismatches = 0
    for k in range(sample):
        s = EPOCH + dt.timedelta(microseconds=starts[k])
        want_due = (reference_due(s, targets[k], closed) - EPOCH) // dt.timedelta(microseconds=1)
        want_elapsed = reference_elapsed(s, EPOCH + dt.timedelta(microseconds=ends[k]), closed)
        mismatches += int(int(due[k]) != want_due) + int(int(elapsed[k]) != want_elapsed)

    med = {name: statistics.median(v) for name, v in samples.items()}
    ref_per_clock = statistics.median(reference_samples) / sample
    report = {
        "clocks": size,
        "steward_clocks_per_s": round(size / med["steward"]),
        "numpy_clocks_per_s": round(size / med["numpy"]),
        "reference_clocks_per_s": round(1 / ref_per_clock),
        "steward_p50_s": round(med["steward"], 4),
        "numpy_p50_s": round(med["numpy"], 4),
        "ratio_vs_numpy": ratio(med["steward"], med["numpy"]),
        "speedup_vs_reference": round(ref_per_clock * size / med["steward"], 1),
        "reference_sample": sample,
        "mismatches_vs_reference": mismatches,
        "mismatches_vs_numpy": mismatches_numpy,
        "compile_s": {"steward": round(steward_compile, 3), "numpy": round(numpy_compile, 3)},
        "samples_s": samples,
        "reference_samples_s": reference_samples,
    }
    print(f"[sla] {size:,} clocks (due date + elapsed), p50 of {rounds} rounds:")
    print(f"  steward   {report['steward_clocks_per_s']:>12,} clocks/s  ({med['steward']:.3f} s)")
    print(f"  numpy     {report['numpy_clocks_per_s']:>12,} clocks/s  ({med['numpy']:.3f} s)  "
          f"ratio steward/numpy {report['ratio_vs_numpy']}")  # fmt: skip
    print(f"  reference {report['reference_clocks_per_s']:>12,} clocks/s  (pure-Python loop, {sample} sampled)  "
          f"steward is {report['speedup_vs_reference']}x faster")  # fmt: skip
    print(
        f"  mismatches: {mismatches} vs reference ({sample} clocks), {mismatches_numpy} vs numpy ({size:,})"
    )
    return report


def run(ctx: Context) -> dict:
    report = measure(ctx.size, ctx.rounds, ctx.seed)
    path = write_result("sla", ctx, report)
    print(f"  -> {path}")
    return report
