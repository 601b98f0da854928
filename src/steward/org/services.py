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
from typing import TYPE_CHECKING
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
        self.lo = self.hi = 0  # years covered, inclusive; 0 = nothing built yet
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.cum_end: list[int] = []  # working time from the origin to the end of each interval

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

    def _build(self, lo: int, hi: int) -> None:
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
        self.lo, self.hi, self.starts, self.ends, self.cum_end = lo, hi, starts, ends, cum

    def _ensure(self, t: int) -> None:
        """Make sure F(t) is exact: the built span covers t with a day of margin each side."""
        if self.lo and self._covered_lo() <= t < self._covered_hi():
            return
        year = _from_us(t, UTC).year
        lo = min(self.lo or year, year - 1)
        hi = max(self.hi or year, year + 1)
        self._build(max(lo, 1), min(hi, 9998))

    def _covered_lo(self) -> int:
        return _to_us(dt.datetime(self.lo, 1, 1, tzinfo=UTC), "t") + DAY

    def _covered_hi(self) -> int:
        return _to_us(dt.datetime(self.hi + 1, 1, 1, tzinfo=UTC), "t") - DAY

    # --- queries ------------------------------------------------------------------------------
    def worked(self, t: int) -> int:
        """Working time (µs) from the origin of the built span to ``t``; call ``_ensure`` first."""
        i = bisect_right(self.starts, t) - 1
        if i < 0:
            return 0
        return self.cum_end[i] - max(0, self.ends[i] - t)

    def between(self, start: int, end: int) -> int:
        if end < start:
            return -self.between(end, start)
        self._ensure(start)
        self._ensure(end)  # extending keeps what was built, so start stays covered
        return self.worked(end) - self.worked(start)

    def add(self, start: int, amount: int) -> int:
        if amount == 0:
            return start
        self._ensure(start)
        start_year = _from_us(start, UTC).year
        while True:
            target = self.worked(start) + amount
            if amount > 0 and (not self.cum_end or target > self.cum_end[-1]):
                if self.hi >= start_year + HORIZON_YEARS:
                    break
                self._build(self.lo, min(self.hi + 5, 9998))
                continue
            if amount < 0 and target < 0:
                if self.lo <= max(start_year - HORIZON_YEARS, 1):
                    break
                self._build(max(self.lo - 5, 1), self.hi)
                continue
            # Earliest instant reaching target going forwards; latest one going backwards.
            i = bisect_left(self.cum_end, target) if amount > 0 else bisect_right(self.cum_end, target)
            return self.ends[i] - (self.cum_end[i] - target)
        raise ValueError(f"The calendar has no working time within {HORIZON_YEARS} years of the start.")


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
