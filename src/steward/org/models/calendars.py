"""Business calendars: weekly working hours in an IANA zone, public holidays and date overrides.

Working hours are written as text, one field per weekday: ``08:00-12:00, 13:00-17:00``.
Times are wall-clock times in the calendar's zone; ``24:00`` ends a day. A shift that runs
past midnight is written as two intervals on two days (``22:00-24:00`` then ``00:00-06:00``);
the computation joins them. The arithmetic lives in ``steward.org.services``.
"""

from __future__ import annotations

import re
import zoneinfo
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel
from steward.core.models.base import RestrictedQuerySet
from steward.org.choices import CalendarDateKind
from steward.utilities.choices import ChoiceField

WEEKDAY_FIELDS = (
    "monday_hours",
    "tuesday_hours",
    "wednesday_hours",
    "thursday_hours",
    "friday_hours",
    "saturday_hours",
    "sunday_hours",
)
_INTERVAL = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")
HOURS_HELP = _("Wall-clock intervals, comma-separated, e.g. 08:00-12:00, 13:00-17:00. Empty = closed.")


def parse_hours(text: str) -> tuple[tuple[int, int], ...]:
    """``"08:00-12:00, 13:00-17:00"`` → ``((480, 720), (780, 1020))`` in minutes after midnight.

    Raises ``ValidationError`` for a malformed interval, an end not after its start, or overlaps.
    """
    intervals = []
    for part in (p.strip() for p in (text or "").replace(";", ",").split(",")):
        if not part:
            continue
        match = _INTERVAL.match(part)
        if not match:
            raise ValidationError(_("“%(part)s” is not an interval like 08:00-12:00.") % {"part": part})
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
            raise ValidationError(_("“%(part)s” is not a valid time of day.") % {"part": part})
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if end <= start:
            raise ValidationError(_("In “%(part)s” the end is not after the start.") % {"part": part})
        intervals.append((start, end))
    intervals.sort()
    for (_s1, e1), (s2, _e2) in zip(intervals, intervals[1:], strict=False):
        if s2 < e1:
            raise ValidationError(_("Intervals overlap around %(t)s.") % {"t": format_minutes(s2)})
    return tuple(intervals)


def format_minutes(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_hours(intervals: tuple[tuple[int, int], ...]) -> str:
    return ", ".join(f"{format_minutes(a)}-{format_minutes(b)}" for a, b in intervals)


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def supported_countries() -> dict[str, list[str]]:
    import holidays

    return holidays.list_supported_countries()


class BusinessCalendar(StewardModel):
    """When work happens: weekly hours in one time zone, minus public holidays, plus overrides.

    SLA clocks count business minutes on a calendar (see ``org.services``).
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC", help_text=_("IANA name."))
    holiday_country = models.CharField(
        _("holiday country"), max_length=8, blank=True, help_text=_("ISO code, e.g. FR; empty = none.")
    )
    holiday_subdivision = models.CharField(
        _("holiday subdivision"), max_length=16, blank=True, help_text=_("e.g. NY for New York state.")
    )
    monday_hours = models.CharField(_("Monday"), max_length=200, blank=True, help_text=HOURS_HELP)
    tuesday_hours = models.CharField(_("Tuesday"), max_length=200, blank=True, help_text=HOURS_HELP)
    wednesday_hours = models.CharField(_("Wednesday"), max_length=200, blank=True, help_text=HOURS_HELP)
    thursday_hours = models.CharField(_("Thursday"), max_length=200, blank=True, help_text=HOURS_HELP)
    friday_hours = models.CharField(_("Friday"), max_length=200, blank=True, help_text=HOURS_HELP)
    saturday_hours = models.CharField(_("Saturday"), max_length=200, blank=True, help_text=HOURS_HELP)
    sunday_hours = models.CharField(_("Sunday"), max_length=200, blank=True, help_text=HOURS_HELP)
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")

    def __str__(self) -> str:
        return self.name

    def weekly_hours(self) -> tuple[tuple[tuple[int, int], ...], ...]:
        """Seven tuples of (start, end) minutes, Monday first."""
        return tuple(parse_hours(getattr(self, name)) for name in WEEKDAY_FIELDS)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.time_zone not in _zones():
            errors["time_zone"] = _("Unknown IANA time zone “%(tz)s”.") % {"tz": self.time_zone}
        self.holiday_country = (self.holiday_country or "").strip().upper()
        self.holiday_subdivision = (self.holiday_subdivision or "").strip()
        countries = supported_countries()
        if self.holiday_country and self.holiday_country not in countries:
            errors["holiday_country"] = _("No public holidays known for country “%(c)s”.") % {
                "c": self.holiday_country
            }
        elif self.holiday_subdivision:
            if not self.holiday_country:
                errors["holiday_subdivision"] = _("Choose a holiday country first.")
            else:
                # Store the package's own spelling (codes like NY, names like "NSW Western").
                known = {s.casefold(): s for s in countries[self.holiday_country]}
                if self.holiday_subdivision.casefold() in known:
                    self.holiday_subdivision = known[self.holiday_subdivision.casefold()]
                else:
                    errors["holiday_subdivision"] = _("“%(s)s” is not a subdivision of %(c)s.") % {
                        "s": self.holiday_subdivision,
                        "c": self.holiday_country,
                    }
        for name in WEEKDAY_FIELDS:
            try:
                setattr(self, name, format_hours(parse_hours(getattr(self, name))))
            except ValidationError as exc:
                errors[name] = exc.messages
        if errors:
            raise ValidationError(errors)


class CalendarDateQuerySet(RestrictedQuerySet):
    """Bulk writes (import, bulk edit and delete) bump the calendars they touch, like ``save``."""

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        created = super().bulk_create(objs, *args, **kwargs)
        touch_calendar(*{o.calendar_id for o in objs})
        return created

    def bulk_update(self, objs: Any, *args: Any, **kwargs: Any) -> int:
        objs = list(objs)
        before = set(self.filter(pk__in=[o.pk for o in objs]).values_list("calendar_id", flat=True))
        count = super().bulk_update(objs, *args, **kwargs)
        touch_calendar(*before, *{o.calendar_id for o in objs})
        return count

    def update(self, **kwargs: Any) -> int:
        before = set(self.values_list("calendar_id", flat=True))
        count = super().update(**kwargs)
        touch_calendar(*before, kwargs.get("calendar_id") or getattr(kwargs.get("calendar"), "pk", None))
        return count

    def delete(self) -> tuple[int, dict[str, int]]:
        before = set(self.values_list("calendar_id", flat=True))
        result = super().delete()
        touch_calendar(*before)
        return result


class CalendarDate(StewardModel):
    """One date that departs from the weekly pattern: a closed day or an open day with its hours.

    A closed day (company shutdown) has no working time. An open day replaces whatever the
    date would otherwise be — weekend or public holiday — with its own hours, or with the
    weekday's regular hours when left empty.
    """

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="dates", verbose_name=_("calendar")
    )
    date = models.DateField(_("date"))
    kind = ChoiceField(_("kind"), choices_class=CalendarDateKind, default=CalendarDateKind.CLOSED)
    name = models.CharField(_("name"), max_length=200, blank=True)
    hours = models.CharField(
        _("hours"), max_length=200, blank=True, help_text=_("Open days only; empty = the weekday's hours.")
    )

    objects = CalendarDateQuerySet.as_manager()

    class Meta:
        ordering = ("calendar__name", "date", "id")
        verbose_name = _("calendar date")
        verbose_name_plural = _("calendar dates")
        constraints = [models.UniqueConstraint(fields=("calendar", "date"), name="org_calendardate_unique")]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name or self.get_kind_display()}"

    def clean(self) -> None:
        super().clean()
        if self.kind == CalendarDateKind.CLOSED:
            if (self.hours or "").strip():
                raise ValidationError({"hours": _("A closed day has no hours.")})
            return
        try:
            intervals = parse_hours(self.hours)
        except ValidationError as exc:
            raise ValidationError({"hours": exc.messages}) from None
        self.hours = format_hours(intervals)
        if not intervals and self.calendar_id and self.date:
            if not self.calendar.weekly_hours()[self.date.weekday()]:
                raise ValidationError({"hours": _("This weekday has no regular hours; give the hours.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        touch_calendar(self.calendar_id, getattr(self, "_loaded_values", {}).get("calendar_id"))

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        result = super().delete(*args, **kwargs)
        touch_calendar(self.calendar_id)
        return result


def touch_calendar(*calendar_ids: int | None) -> None:
    """Bump the calendars' version so cached schedules built from their old dates are dropped."""
    ids = {pk for pk in calendar_ids if pk}
    if ids:
        BusinessCalendar.objects.filter(pk__in=ids).update(last_updated=timezone.now())
