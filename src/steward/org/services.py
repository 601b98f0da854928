"""Business-time arithmetic on business calendars, and iCalendar holiday import.

How it works: a calendar is compiled once into a ``Schedule`` — the sorted list of its
working intervals as UTC instants (integer microseconds since the epoch) over a span of
years, with the running total of working time at the end of each interval. ``F(t)``, the
working time from the span's origin up to ``t``, is then one binary search; the business
time between two instants is ``F(end) - F(start)`` and adding time is the inverse search.
Compiled schedules are cached per calendar version, so the per-call path is two bisections
and no database query. The flat sorted arrays are what a vectorised (NumPy) path would use.

Semantics (the known-answer tests pin them):

* An instant is working time when its wall-clock time in the calendar's zone falls inside
  that local date's intervals. So on a spring-forward day 00:00-24:00 is 23 hours and on a
  fall-back day 25; an interval starting in the skipped hour starts when the clock jumps;
  the repeated hour counts twice when it is inside working hours.
* A date's intervals: an open calendar date (its hours, or the weekday's when empty), else
  none on a closed date or a public holiday, else the weekday's regular hours.
* ``business_minutes_between`` is antisymmetric: ``end`` before ``start`` gives a negative
  result. It returns an ``int`` when the result is a whole number of minutes, else a float.
* ``add_business_minutes`` with ``minutes > 0`` returns the earliest instant by which that
  much working time has elapsed (a deadline falling at 17:00 Friday stays at 17:00 Friday);
  with ``minutes < 0`` it goes back to the latest instant that much working time before
  (the start of working time); with 0 it returns ``start`` unchanged, even outside hours.
  Results are in ``start``'s time zone. So ``between(start, add(start, n)) == n`` always.
* Times are exact to the microsecond; naive datetimes are refused.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db import transaction

if TYPE_CHECKING:
    from steward.org.models import BusinessCalendar

__all__ = [
    "CalendarImportError",
    "Schedule",
    "add_business_minutes",
    "business_minutes_between",
    "import_ical_holidays",
    "schedule_for",
]

UTC = dt.UTC
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
US = 1_000_000  # microseconds per second
MINUTE = 60 * US
DAY = 86_400 * US
HORIZON_YEARS = 25  # how far a search goes before deciding the calendar has no working time
_SAMPLE = 6 * 3600 * US  # zone offsets are sampled this often; transitions are found by bisection

Intervals = tuple[tuple[int, int], ...]


def _to_us(value: dt.datetime, field: str) -> int:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{field} must be timezone-aware, got naive {value.isoformat()}")
    return (value - EPOCH) // dt.timedelta(microseconds=1)


def _from_us(value: int, tz: dt.tzinfo | None) -> dt.datetime:
    return (EPOCH + dt.timedelta(microseconds=value)).astimezone(tz)


class Schedule:
    """A calendar compiled to UTC working intervals; extends itself lazily by whole years."""

    def __init__(
        self,
        *,
        tz: ZoneInfo,
        weekly: tuple[Intervals, ...],
        overrides: dict[dt.date, Intervals | None] | None = None,
        country: str = "",
        subdivision: str = "",
    ) -> None:
        self.tz = tz
        self.weekly = weekly
        self.overrides = overrides or {}  # date -> intervals (open day) or () (closed day)
        self.country = country
        self.subdivision = subdivision
        self.span: _Span | None = None  # replaced whole, never mutated, when more years are needed

    # --- building -----------------------------------------------------------------------------
    def hours_on(self, day: dt.date, holidays: set[dt.date]) -> Intervals:
        if day in self.overrides:
            return self.overrides[day] or ()
        if day in holidays:
            return ()
        return self.weekly[day.weekday()]

    def _offsets(self, lo_us: int, hi_us: int) -> tuple[list[int], list[int]]:
        """UTC offset segments over [lo_us, hi_us): (segment starts, offsets), both in µs."""

        def offset(t: int) -> int:
            return _from_us(t, self.tz).utcoffset() // dt.timedelta(microseconds=1)

        starts, offsets = [lo_us], [offset(lo_us)]
        t = lo_us
        while t < hi_us:
            nxt = min(t + _SAMPLE, hi_us)
            if offset(nxt) != offsets[-1]:
                a, b = t, nxt  # offset(a) == previous, offset(b) differs; find the first second
                while b - a > US:
                    mid = a + max((b - a) // 2 // US * US, US)
                    if offset(mid) == offsets[-1]:
                        a = mid
                    else:
                        b = mid
                starts.append(b)
                offsets.append(offset(b))
            t = nxt
        return starts, offsets

    def _build(self, lo: int, hi: int) -> _Span:
        import holidays as holidays_lib

        holidays: set[dt.date] = set()
        if self.country:
            holidays = set(
                holidays_lib.country_holidays(
                    self.country, subdiv=self.subdivision or None, years=range(lo, hi + 1)
                )
            )
        first, last = dt.date(lo, 1, 1), dt.date(hi, 12, 31)
        base = (first - EPOCH.date()).days * DAY
        seg_starts, seg_offsets = self._offsets(base - DAY, base + ((last - first).days + 2) * DAY)
        pieces: list[tuple[int, int]] = []
        day, day_us = first, base
        while day <= last:
            for a, b in self.hours_on(day, holidays):
                local_a, local_b = day_us + a * MINUTE, day_us + b * MINUTE
                # Each offset segment maps a slice of UTC onto local time by a constant shift.
                k = max(bisect_right(seg_starts, local_a - 15 * 3600 * US) - 1, 0)
                while k < len(seg_starts) and seg_starts[k] < local_b + 15 * 3600 * US:
                    seg_end = seg_starts[k + 1] if k + 1 < len(seg_starts) else 1 << 62
                    s = max(seg_starts[k], local_a - seg_offsets[k])
                    e = min(seg_end, local_b - seg_offsets[k])
                    if s < e:
                        pieces.append((s, e))
                    k += 1
            day += dt.timedelta(days=1)
            day_us += DAY
        pieces.sort()
        starts: list[int] = []
        ends: list[int] = []
        cum: list[int] = []
        total = 0
        for s, e in pieces:
            if ends and s <= ends[-1]:  # touching or overlapping (midnight, repeated hour): join
                if e > ends[-1]:
                    total += e - ends[-1]
                    ends[-1] = e
                    cum[-1] = total
                continue
            total += e - s
            starts.append(s)
            ends.append(e)
            cum.append(total)
        span = _Span(lo, hi, starts, ends, cum)
        self.span = span  # one assignment: concurrent readers see the old span or the new one
        return span

    def covering(self, *instants: int) -> _Span:
        """A span on which F is exact at every instant given, built or extended as needed."""
        span = self.span
        if span is not None and all(span.covers(t) for t in instants):
            return span
        years = [_from_us(t, UTC).year for t in instants]
        lo = min(years) - 1 if span is None else min(span.lo, min(years) - 1)
        hi = max(years) + 1 if span is None else max(span.hi, max(years) + 1)
        return self._build(max(lo, 1), min(hi, 9998))

    # --- queries ------------------------------------------------------------------------------
    def between(self, start: int, end: int) -> int:
        if end < start:
            return -self.between(end, start)
        span = self.covering(start, end)
        return span.worked(end) - span.worked(start)

    def add(self, start: int, amount: int) -> int:
        if amount == 0:
            return start
        span = self.covering(start)
        start_year = _from_us(start, UTC).year
        while True:
            target = span.worked(start) + amount
            if amount > 0 and (not span.cum_end or target > span.cum_end[-1]):
                if span.hi >= start_year + HORIZON_YEARS:
                    break
                span = self._build(span.lo, min(span.hi + 5, 9998))
                continue
            if amount < 0 and target < 0:
                if span.lo <= max(start_year - HORIZON_YEARS, 1):
                    break
                span = self._build(max(span.lo - 5, 1), span.hi)
                continue
            # Earliest instant reaching target going forwards; latest one going backwards.
            cum = span.cum_end
            i = bisect_left(cum, target) if amount > 0 else bisect_right(cum, target)
            return span.ends[i] - (cum[i] - target)
        raise ValueError(f"The calendar has no working time within {HORIZON_YEARS} years of the start.")


class _Span:
    """Working intervals over whole years ``lo``..``hi`` (local dates), as flat sorted arrays."""

    __slots__ = ("_arrays", "covered_hi", "covered_lo", "cum_end", "ends", "hi", "lo", "starts")

    def __init__(self, lo: int, hi: int, starts: list[int], ends: list[int], cum_end: list[int]) -> None:
        self.lo, self.hi = lo, hi
        self.starts, self.ends = starts, ends
        self.cum_end = cum_end  # working time from the span's origin to the end of each interval
        # A day of margin each side: local dates at the ends map to UTC up to ~14 hours away.
        self.covered_lo = _to_us(dt.datetime(lo, 1, 1, tzinfo=UTC), "lo") + DAY
        self.covered_hi = _to_us(dt.datetime(hi + 1, 1, 1, tzinfo=UTC), "hi") - DAY
        self._arrays = None  # numpy copies of starts/ends/cum_end, made on first batch use

    def covers(self, t: int) -> bool:
        return self.covered_lo <= t < self.covered_hi

    def worked(self, t: int) -> int:
        """Working time (µs) from the span's origin to ``t``."""
        i = bisect_right(self.starts, t) - 1
        if i < 0:
            return 0
        return self.cum_end[i] - max(0, self.ends[i] - t)

    def arrays(self) -> tuple[Any, Any, Any]:
        if self._arrays is None:
            self._arrays = tuple(
                numpy.asarray(a, dtype=numpy.int64) for a in (self.starts, self.ends, self.cum_end)
            )
        return self._arrays

    def worked_many(self, t: Any) -> Any:
        """``worked`` of every instant of the int64 array ``t`` at once (numpy)."""
        starts, ends, cum = self.arrays()
        i = numpy.searchsorted(starts, t, side="right") - 1
        safe = numpy.maximum(i, 0)
        result = cum[safe] - numpy.maximum(0, ends[safe] - t)
        return numpy.where(i < 0, 0, result)


try:  # the optional "fast" extra: vectorised batches; without it the batch functions loop
    import numpy
except ImportError:  # pragma: no cover - exercised where numpy is not installed
    numpy = None


def to_epoch_us(value: dt.datetime) -> int:
    """An aware datetime as integer microseconds since the Unix epoch (the batch functions' unit)."""
    return _to_us(value, "value")


def business_time_between_many(*, calendar: BusinessCalendar | Schedule, starts: Any, ends: Any) -> Any:
    """Working microseconds between each ``starts[k]`` and ``ends[k]`` (epoch µs), all at once.

    The batch form of ``business_minutes_between`` for many SLA clocks: one calendar
    compilation, then one vectorised search (numpy) or a tight loop (without numpy). Returns an
    int64 array with numpy, else a list; ``end < start`` gives a negative amount, as the scalar does.
    """
    schedule = _schedule(calendar)
    if len(starts) == 0:
        return [] if numpy is None else numpy.zeros(0, dtype=numpy.int64)
    if numpy is None:
        return [schedule.between(int(a), int(b)) for a, b in zip(starts, ends, strict=True)]
    a = numpy.asarray(starts, dtype=numpy.int64)
    b = numpy.asarray(ends, dtype=numpy.int64)
    span = schedule.covering(int(min(a.min(), b.min())), int(max(a.max(), b.max())))
    return span.worked_many(b) - span.worked_many(a)


def add_business_time_many(*, calendar: BusinessCalendar | Schedule, starts: Any, amounts: Any) -> Any:
    """The instants ``amounts[k]`` µs of working time after ``starts[k]`` (epoch µs), all at once.

    The batch form of ``add_business_minutes`` (e.g. the due dates of many clocks). Positive
    amounts inside the compiled years are vectorised; zero, negative or far-reaching ones take
    the scalar path, so every result equals ``add_business_minutes``'s.
    """
    schedule = _schedule(calendar)
    if numpy is None or len(starts) == 0:
        return [schedule.add(int(s), int(m)) for s, m in zip(starts, amounts, strict=True)]
    start = numpy.asarray(starts, dtype=numpy.int64)
    amount = numpy.asarray(amounts, dtype=numpy.int64)
    span = schedule.covering(int(start.min()), int(start.max()))
    _starts, ends, cum = span.arrays()
    target = span.worked_many(start) + amount
    fast = (amount > 0) & (target <= (cum[-1] if len(cum) else -1))
    i = numpy.minimum(numpy.searchsorted(cum, target, side="left"), max(len(cum) - 1, 0))
    result = numpy.where(fast, ends[i] - (cum[i] - target), start) if len(cum) else start.copy()
    for k in numpy.flatnonzero(~fast & (amount != 0)):
        result[k] = schedule.add(int(start[k]), int(amount[k]))
    return result


# --- public service functions ---------------------------------------------------------------------
_CACHE: OrderedDict[tuple, Schedule] = OrderedDict()
_CACHE_SIZE = 256


def schedule_for(calendar: BusinessCalendar) -> Schedule:
    """The compiled schedule of ``calendar``, cached until the calendar or its dates change."""
    from steward.org.choices import CalendarDateKind
    from steward.org.models.calendars import WEEKDAY_FIELDS, parse_hours

    key = (
        calendar.pk,
        calendar.last_updated,
        calendar.time_zone,
        calendar.holiday_country,
        calendar.holiday_subdivision,
        *(getattr(calendar, f) for f in WEEKDAY_FIELDS),
    )
    if calendar.pk is not None and key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    overrides: dict[dt.date, Intervals | None] = {}
    if calendar.pk is not None:
        weekly = calendar.weekly_hours()
        for date, kind, hours in calendar.dates.values_list("date", "kind", "hours"):
            if kind == CalendarDateKind.CLOSED:
                overrides[date] = ()
            else:
                overrides[date] = parse_hours(hours) or weekly[date.weekday()]
    schedule = Schedule(
        tz=ZoneInfo(calendar.time_zone),
        weekly=calendar.weekly_hours(),
        overrides=overrides,
        country=calendar.holiday_country,
        subdivision=calendar.holiday_subdivision,
    )
    if calendar.pk is not None:
        _CACHE[key] = schedule
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return schedule


def _schedule(calendar: BusinessCalendar | Schedule) -> Schedule:
    return calendar if isinstance(calendar, Schedule) else schedule_for(calendar)


def add_business_minutes(
    *, calendar: BusinessCalendar | Schedule, start: dt.datetime, minutes: int | float
) -> dt.datetime:
    """The instant ``minutes`` of working time after ``start`` (before it when negative).

    See the module docstring for the exact rules; the result is in ``start``'s time zone.
    """
    schedule = _schedule(calendar)
    result = schedule.add(_to_us(start, "start"), round(minutes * MINUTE))
    return _from_us(result, start.tzinfo)


def business_minutes_between(
    *, calendar: BusinessCalendar | Schedule, start: dt.datetime, end: dt.datetime
) -> int | float:
    """Working minutes from ``start`` to ``end``; negative when ``end`` is before ``start``."""
    schedule = _schedule(calendar)
    micros = schedule.between(_to_us(start, "start"), _to_us(end, "end"))
    return micros // MINUTE if micros % MINUTE == 0 else micros / MINUTE


# --- iCalendar import -----------------------------------------------------------------------------
class CalendarImportError(ValueError):
    """The feed cannot be read; nothing was imported."""


def import_ical_holidays(*, calendar: BusinessCalendar, data: bytes) -> int:
    """Add the all-day events of an iCalendar feed to ``calendar`` as closed dates.

    Multi-day events close every day they span (DTEND is exclusive). Timed events are not
    holidays and are skipped; RRULEs are not expanded (holiday feeds list each year's dates).
    Dates the calendar already has — closed or open — are left as they are, so importing the
    same feed again changes nothing. Returns the number of dates created. A malformed feed
    raises ``CalendarImportError`` and imports nothing.
    """
    import icalendar

    from steward.core import changelog
    from steward.core.serialization import snapshot
    from steward.org.models import CalendarDate

    try:
        feed = icalendar.Calendar.from_ical(data)
    except Exception as exc:
        raise CalendarImportError(f"Not a valid iCalendar feed: {exc}") from None
    if getattr(feed, "name", "") != "VCALENDAR":
        raise CalendarImportError("Not a valid iCalendar feed: the top component is not VCALENDAR.")
    wanted: dict[dt.date, str] = {}
    for number, event in enumerate(feed.walk("VEVENT"), start=1):
        summary = str(event.get("SUMMARY", "")).strip()[:200]
        try:
            start = event.decoded("DTSTART")
        except Exception:
            raise CalendarImportError(
                f"Event {number} ({summary or 'no summary'}) has no valid DTSTART."
            ) from None
        if isinstance(start, dt.datetime):
            continue  # a timed event is not a holiday
        if not isinstance(start, dt.date):
            raise CalendarImportError(f"Event {number} ({summary or 'no summary'}) has no valid DTSTART.")
        try:
            end = event.decoded("DTEND") if "DTEND" in event else start + dt.timedelta(days=1)
        except Exception:
            raise CalendarImportError(
                f"Event {number} ({summary or 'no summary'}) has an invalid DTEND."
            ) from None
        if (
            isinstance(end, dt.datetime)
            or not isinstance(end, dt.date)
            or end <= start
            or (end - start).days > 366
        ):
            raise CalendarImportError(f"Event {number} ({summary or 'no summary'}) has an invalid DTEND.")
        day = start
        while day < end:
            wanted.setdefault(day, summary)
            day += dt.timedelta(days=1)
    with transaction.atomic():
        existing = set(calendar.dates.filter(date__in=list(wanted)).values_list("date", flat=True))
        new = [
            CalendarDate(calendar=calendar, date=day, kind="closed", name=name)
            for day, name in sorted(wanted.items())
            if day not in existing
        ]
        CalendarDate.objects.bulk_create(new)
        changelog.record_many(changelog.Change(o, "create", None, snapshot(o)) for o in new)
    calendar.refresh_from_db(fields=["last_updated"])
    return len(new)
