"""Business calendars: known answers worked out by hand, a naive reference, UI and API."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import holidays
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from steward.core.models import ObjectChange
from steward.org import services
from steward.org.models import BusinessCalendar, CalendarDate
from steward.org.models.calendars import parse_hours
from steward.org.services import add_business_minutes, business_minutes_between

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NY = ZoneInfo("America/New_York")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def make_calendar(name: str, tz: str, country: str = "", weekday: str = "", weekend: str = "", **extra):
    hours = {**{f"{d}_hours": weekday for d in WEEKDAYS}, "saturday_hours": weekend, "sunday_hours": weekend}
    cal = BusinessCalendar(name=name, time_zone=tz, holiday_country=country, **{**hours, **extra})
    cal.full_clean()
    cal.save()
    return cal


def add_date(cal, date, kind="closed", name="", hours=""):
    obj = CalendarDate(calendar=cal, date=date, kind=kind, name=name, hours=hours)
    obj.full_clean()
    obj.save()
    cal.refresh_from_db()
    return obj


@pytest.fixture
def paris(db):
    """Mon-Fri 09:00-12:00 and 13:00-17:00 (420 min a day), French holidays."""
    return make_calendar("Paris", "Europe/Paris", "FR", "09:00-12:00, 13:00-17:00")


@pytest.fixture
def new_york(db):
    """Mon-Fri 08:00-17:00 (540 min a day), US holidays."""
    return make_calendar("New York", "America/New_York", "US", "08:00-17:00")


def p(*args):
    return dt.datetime(*args, tzinfo=PARIS)


def n(*args):
    return dt.datetime(*args, tzinfo=NY)


# --- known answers -------------------------------------------------------------------------------
def test_paris_spring_forward_weekend(paris):
    # Fri 16:00-17:00 is 60, the DST weekend has no hours, Mon 09:00-10:00 (now UTC+2) is 60.
    end = add_business_minutes(calendar=paris, start=p(2026, 3, 27, 16), minutes=120)
    assert end == p(2026, 3, 30, 10)
    assert end.utcoffset() == dt.timedelta(hours=2)
    assert end.astimezone(dt.UTC) == dt.datetime(2026, 3, 30, 8, tzinfo=dt.UTC)
    assert business_minutes_between(calendar=paris, start=p(2026, 3, 27, 16), end=p(2026, 3, 30, 10)) == 120


def test_paris_fall_back_weekend(paris):
    end = add_business_minutes(calendar=paris, start=p(2026, 10, 23, 16, 30), minutes=90)
    assert end == p(2026, 10, 26, 10)
    assert end.astimezone(dt.UTC) == dt.datetime(2026, 10, 26, 9, tzinfo=dt.UTC)


def test_round_the_clock_days_are_23_and_25_hours_long_on_dst_sundays(db):
    cal = make_calendar("24x7 Paris", "Europe/Paris", weekday="00:00-24:00", weekend="00:00-24:00")
    assert business_minutes_between(calendar=cal, start=p(2026, 3, 29), end=p(2026, 3, 30)) == 23 * 60
    assert business_minutes_between(calendar=cal, start=p(2026, 10, 25), end=p(2026, 10, 26)) == 25 * 60
    assert business_minutes_between(calendar=cal, start=p(2026, 6, 7), end=p(2026, 6, 8)) == 24 * 60
    # One hour after 01:30 winter time is 03:30 summer time.
    assert add_business_minutes(calendar=cal, start=p(2026, 3, 29, 1, 30), minutes=60) == p(
        2026, 3, 29, 3, 30
    )


def test_hours_inside_the_skipped_and_repeated_hour(db):
    cal = make_calendar("Sunday nights", "Europe/Paris", weekend="02:30-04:00")
    sunday = business_minutes_between
    # Spring forward: 02:00-03:00 never happens, so only 03:00-04:00 is worked.
    assert sunday(calendar=cal, start=p(2026, 3, 29), end=p(2026, 3, 30)) == 60
    assert sunday(calendar=cal, start=p(2026, 3, 22), end=p(2026, 3, 23)) == 90
    # Fall back: 02:30-03:00 happens twice (summer then winter time), so 120 in all.
    assert sunday(calendar=cal, start=p(2026, 10, 25), end=p(2026, 10, 26)) == 120


def test_new_york_spring_forward(new_york):
    # Fri 16:00-17:00 EST (60) then Mon 08:00-09:00 EDT (60); 21:00Z on Friday to 13:00Z on Monday.
    end = add_business_minutes(calendar=new_york, start=n(2026, 3, 6, 16), minutes=120)
    assert end == n(2026, 3, 9, 9)
    assert end.astimezone(dt.UTC) == dt.datetime(2026, 3, 9, 13, tzinfo=dt.UTC)
    cal = make_calendar("24x7 NY", "America/New_York", weekday="00:00-24:00", weekend="00:00-24:00")
    assert business_minutes_between(calendar=cal, start=n(2026, 3, 7, 12), end=n(2026, 3, 8, 12)) == 23 * 60
    assert business_minutes_between(calendar=cal, start=n(2026, 11, 1), end=n(2026, 11, 2)) == 25 * 60


def test_french_labour_day(paris):
    # 1 May 2026 is a Friday and a public holiday: Thu 16-17 then Mon 4 May 09-10.
    assert add_business_minutes(calendar=paris, start=p(2026, 4, 30, 16), minutes=120) == p(2026, 5, 4, 10)
    assert business_minutes_between(calendar=paris, start=p(2026, 4, 30, 9), end=p(2026, 5, 5, 9)) == 840


def test_us_independence_day_observed_on_friday(new_york):
    # 4 July 2026 is a Saturday, observed on Friday 3 July.
    assert add_business_minutes(calendar=new_york, start=n(2026, 7, 2, 16), minutes=120) == n(2026, 7, 6, 9)


def test_start_on_a_holiday(paris):
    assert add_business_minutes(calendar=paris, start=p(2026, 5, 1, 10), minutes=30) == p(2026, 5, 4, 9, 30)
    assert business_minutes_between(calendar=paris, start=p(2026, 5, 1, 10), end=p(2026, 5, 1, 15)) == 0


def test_christmas_shutdown_and_new_year(paris):
    for day in (28, 29, 30, 31):
        add_date(paris, dt.date(2026, 12, day), name="Christmas shutdown")
    # Thu 24 Dec 16-17 (60); 25 Dec holiday; weekend; 28-31 closed; 1 Jan holiday; weekend.
    end = add_business_minutes(calendar=paris, start=p(2026, 12, 24, 16), minutes=120)
    assert end == p(2027, 1, 4, 10)
    assert business_minutes_between(calendar=paris, start=p(2026, 12, 24, 16), end=p(2027, 1, 4, 10)) == 120


def test_open_saturday_and_open_holiday(paris):
    add_date(paris, dt.date(2026, 11, 28), kind="open", name="Move", hours="09:00-13:00")
    assert add_business_minutes(calendar=paris, start=p(2026, 11, 27, 16), minutes=120) == p(2026, 11, 28, 10)
    assert business_minutes_between(calendar=paris, start=p(2026, 11, 28), end=p(2026, 11, 29)) == 240
    # Ascension (Thu 14 May 2026) opened with the weekday's regular hours.
    assert business_minutes_between(calendar=paris, start=p(2026, 5, 14), end=p(2026, 5, 15)) == 0
    add_date(paris, dt.date(2026, 5, 14), kind="open")
    assert business_minutes_between(calendar=paris, start=p(2026, 5, 14), end=p(2026, 5, 15)) == 420


def test_night_shift_crossing_midnight(db):
    cal = make_calendar("Night shift", "UTC", monday_hours="22:00-24:00", tuesday_hours="00:00-06:00")
    utc = dt.UTC
    start = dt.datetime(2026, 6, 1, 23, 30, tzinfo=utc)
    assert add_business_minutes(calendar=cal, start=start, minutes=60) == dt.datetime(
        2026, 6, 2, 0, 30, tzinfo=utc
    )
    assert (
        business_minutes_between(
            calendar=cal,
            start=dt.datetime(2026, 6, 1, 23, tzinfo=utc),
            end=dt.datetime(2026, 6, 2, 1, tzinfo=utc),
        )
        == 120
    )
    # 30 + 360 minutes run out at Tue 06:00; the last 90 are Monday 22:00-23:30 a week later.
    assert add_business_minutes(calendar=cal, start=start, minutes=8 * 60) == dt.datetime(
        2026, 6, 8, 23, 30, tzinfo=utc
    )


def test_starts_outside_hours_and_deadline_at_close(paris):
    assert add_business_minutes(calendar=paris, start=p(2026, 6, 8, 7), minutes=60) == p(2026, 6, 8, 10)
    assert add_business_minutes(calendar=paris, start=p(2026, 6, 8, 11, 30), minutes=60) == p(
        2026, 6, 8, 13, 30
    )
    assert add_business_minutes(calendar=paris, start=p(2026, 6, 8, 18), minutes=60) == p(2026, 6, 9, 10)
    # The earliest instant wins: a deadline at closing time stays at closing time.
    assert add_business_minutes(calendar=paris, start=p(2026, 6, 8, 16), minutes=60) == p(2026, 6, 8, 17)


def test_zero_negative_and_fractional(paris):
    saturday = p(2026, 6, 6, 10)
    assert add_business_minutes(calendar=paris, start=saturday, minutes=0) == saturday
    # Going back from Monday 09:00 lands in Friday; going back to 09:00 stops at the opening.
    assert add_business_minutes(calendar=paris, start=p(2026, 6, 8, 9), minutes=-60) == p(2026, 6, 5, 16)
    assert add_business_minutes(calendar=paris, start=p(2026, 6, 8, 10), minutes=-60) == p(2026, 6, 8, 9)
    assert add_business_minutes(calendar=paris, start=p(2026, 6, 8, 13), minutes=-60) == p(2026, 6, 8, 11)
    assert business_minutes_between(calendar=paris, start=p(2026, 6, 8, 10), end=p(2026, 6, 8, 9)) == -60
    half = business_minutes_between(calendar=paris, start=p(2026, 6, 8, 9), end=p(2026, 6, 8, 9, 0, 30))
    assert half == 0.5 and isinstance(half, float)
    whole = business_minutes_between(calendar=paris, start=p(2026, 6, 8, 9), end=p(2026, 6, 8, 9, 1))
    assert whole == 1 and isinstance(whole, int)
    assert add_business_minutes(calendar=paris, start=p(2026, 6, 8, 9), minutes=0.5) == p(
        2026, 6, 8, 9, 0, 30
    )


def test_result_keeps_the_start_time_zone(paris):
    start = dt.datetime(2026, 6, 8, 7, tzinfo=dt.UTC)  # 09:00 in Paris
    end = add_business_minutes(calendar=paris, start=start, minutes=30)
    assert end.tzinfo is dt.UTC and end == dt.datetime(2026, 6, 8, 7, 30, tzinfo=dt.UTC)


def test_naive_datetimes_and_calendars_without_hours_are_refused(paris, db):
    with pytest.raises(ValueError, match="start must be timezone-aware"):
        add_business_minutes(calendar=paris, start=dt.datetime(2026, 6, 8, 9), minutes=10)
    with pytest.raises(ValueError, match="end must be timezone-aware"):
        business_minutes_between(calendar=paris, start=p(2026, 6, 8, 9), end=dt.datetime(2026, 6, 8, 10))
    empty = make_calendar("Never", "UTC")
    assert business_minutes_between(calendar=empty, start=p(2026, 1, 1), end=p(2027, 1, 1)) == 0
    with pytest.raises(ValueError, match="no working time"):
        add_business_minutes(calendar=empty, start=p(2026, 1, 1), minutes=1)


def test_cached_schedule_follows_new_dates(paris):
    start, end = p(2026, 6, 8), p(2026, 6, 9)
    assert business_minutes_between(calendar=paris, start=start, end=end) == 420
    add_date(paris, dt.date(2026, 6, 8), name="Closed")
    assert business_minutes_between(calendar=paris, start=start, end=end) == 0
    CalendarDate.objects.get(calendar=paris).delete()
    paris.refresh_from_db()
    assert business_minutes_between(calendar=paris, start=start, end=end) == 420


def test_far_dates_extend_the_schedule(paris):
    # 1 May 2031 is a Thursday and a holiday; the schedule is first built around 2026.
    business_minutes_between(calendar=paris, start=p(2026, 6, 8), end=p(2026, 6, 9))
    assert add_business_minutes(calendar=paris, start=p(2031, 4, 30, 16), minutes=120) == p(2031, 5, 2, 10)
    assert business_minutes_between(calendar=paris, start=p(2020, 1, 6), end=p(2020, 1, 7)) == 420


# --- naive reference on random inputs ---------------------------------------------------------------
def reference_is_working(weekly, tz, overrides, hols, instant):
    local = instant.astimezone(tz)
    day = local.date()
    if day in overrides:
        intervals = overrides[day]
    elif day in hols:
        intervals = ()
    else:
        intervals = weekly[day.weekday()]
    minute = local.hour * 60 + local.minute
    return any(a <= minute < b for a, b in intervals)


@pytest.mark.parametrize("which", ["paris", "new_york", "night"])
def test_matches_minute_by_minute_reference(which, paris, new_york):
    if which == "night":
        cal = make_calendar(
            "Night", "Europe/Paris", weekday="00:00-02:30, 21:00-24:00", weekend="02:00-03:00"
        )
    else:
        cal = paris if which == "paris" else new_york
    add_date(cal, dt.date(2026, 3, 28), kind="open", hours="10:00-12:00")
    add_date(cal, dt.date(2026, 10, 26))
    tz = ZoneInfo(cal.time_zone)
    weekly = cal.weekly_hours()
    overrides = {}
    for d in cal.dates.all():
        overrides[d.date] = (
            () if d.kind == "closed" else parse_hours(d.hours) or cal.weekly_hours()[d.date.weekday()]
        )
    hols = set(holidays.country_holidays(cal.holiday_country, years=[2026])) if cal.holiday_country else set()
    rng = random.Random(20261124 + len(which))
    windows = [dt.datetime(2026, 3, 5, tzinfo=dt.UTC), dt.datetime(2026, 10, 20, tzinfo=dt.UTC)]
    for _ in range(80):
        start = rng.choice(windows) + dt.timedelta(minutes=rng.randrange(0, 20 * 24 * 60))
        span = rng.randrange(0, 4 * 24 * 60)
        end = start + dt.timedelta(minutes=span)
        expected = sum(
            reference_is_working(weekly, tz, overrides, hols, start + dt.timedelta(minutes=i))
            for i in range(span)
        )
        assert business_minutes_between(calendar=cal, start=start, end=end) == expected, (start, end)
        assert business_minutes_between(calendar=cal, start=end, end=start) == -expected
        # add: walk forward minute by minute until `want` working minutes have passed.
        want = rng.randrange(0, 1500)
        instant, done = start, 0
        while done < want:
            done += reference_is_working(weekly, tz, overrides, hols, instant)
            instant += dt.timedelta(minutes=1)
        result = add_business_minutes(calendar=cal, start=start, minutes=want)
        assert result == instant, (start, want)
        assert business_minutes_between(calendar=cal, start=start, end=result) == want
        back = add_business_minutes(calendar=cal, start=start, minutes=-want)
        assert business_minutes_between(calendar=cal, start=back, end=start) == want


# --- iCalendar import ------------------------------------------------------------------------------
FEED = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Steward tests//EN\r
BEGIN:VEVENT\r
UID:shutdown@example.org\r
DTSTART;VALUE=DATE:20261228\r
DTEND;VALUE=DATE:20261231\r
SUMMARY:Winter shutdown\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:bridge@example.org\r
DTSTART;VALUE=DATE:20260515\r
SUMMARY:Ascension bridge\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:meeting@example.org\r
DTSTART:20260520T090000Z\r
DTEND:20260520T100000Z\r
SUMMARY:A meeting, not a holiday\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_ical_import_is_idempotent_and_counts(paris):
    assert services.import_ical_holidays(calendar=paris, data=FEED) == 4
    dates = list(paris.dates.values_list("date", "kind", "name"))
    assert dates == [
        (dt.date(2026, 5, 15), "closed", "Ascension bridge"),
        (dt.date(2026, 12, 28), "closed", "Winter shutdown"),
        (dt.date(2026, 12, 29), "closed", "Winter shutdown"),
        (dt.date(2026, 12, 30), "closed", "Winter shutdown"),
    ]
    assert services.import_ical_holidays(calendar=paris, data=FEED) == 0
    assert paris.dates.count() == 4
    assert ObjectChange.objects.filter(object_repr__contains="Winter shutdown").count() == 3
    assert business_minutes_between(calendar=paris, start=p(2026, 5, 15), end=p(2026, 5, 16)) == 0


@pytest.mark.parametrize(
    "data",
    [
        b"this is not a calendar",
        FEED.replace(b"DTSTART;VALUE=DATE:20260515", b"DTSTART;VALUE=DATE:2026-99-99"),
        FEED.replace(b"DTEND;VALUE=DATE:20261231", b"DTEND;VALUE=DATE:20261201"),
        FEED.replace(b"DTSTART;VALUE=DATE:20260515\r\n", b""),
    ],
)
def test_malformed_ical_imports_nothing(paris, data):
    with pytest.raises(services.CalendarImportError):
        services.import_ical_holidays(calendar=paris, data=data)
    assert paris.dates.count() == 0


# --- model validation, UI and API ------------------------------------------------------------------
def test_subdivisions_take_the_package_spelling(db):
    cal = make_calendar("Sydney west", "Australia/Sydney", "au", holiday_subdivision="nsw western")
    assert (cal.holiday_country, cal.holiday_subdivision) == ("AU", "NSW Western")
    cal = make_calendar("NY", "America/New_York", "US", holiday_subdivision="ny")
    assert cal.holiday_subdivision == "NY"


def test_hours_are_normalised_and_bad_hours_name_the_field(db):
    cal = make_calendar("Norm", "UTC", weekday=" 13:00-17:00;8:00-12:00 ")
    assert cal.monday_hours == "08:00-12:00, 13:00-17:00"
    for bad in ("08:00-12:00, 11:00-13:00", "17:00-09:00", "9-17", "25:00-26:00", "10:00-10:00"):
        cal.tuesday_hours = bad
        with pytest.raises(Exception) as exc:
            cal.full_clean()
        assert "tuesday_hours" in exc.value.message_dict, bad


def test_ui_create_and_reject(admin_client):
    url = reverse("org:businesscalendar_add")
    data = {
        "name": "Lyon",
        "time_zone": "Europe/Paris",
        "holiday_country": "fr",
        "monday_hours": "09:00-17:00",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302
    cal = BusinessCalendar.objects.get(name="Lyon")
    assert cal.holiday_country == "FR" and cal.monday_hours == "09:00-17:00"
    assert admin_client.get(reverse("org:businesscalendar_detail", kwargs={"pk": cal.pk})).status_code == 200
    assert admin_client.get(reverse("org:businesscalendar_list")).status_code == 200
    for field, value in (
        ("monday_hours", "09:00-12:00, 11:00-17:00"),
        ("time_zone", "Europe/Atlantis"),
        ("holiday_country", "XX"),
        ("holiday_subdivision", "ZZ"),
    ):
        response = admin_client.post(url, {**data, "name": "Bad", field: value})
        assert response.status_code == 422
        assert field in response.context["form"].errors, field
    assert not BusinessCalendar.objects.filter(name="Bad").exists()
    date_url = reverse("org:calendardate_add")
    response = admin_client.post(
        date_url, {"calendar": cal.pk, "date": "2026-06-06", "kind": "open", "hours": ""}
    )
    assert response.status_code == 422 and "hours" in response.context["form"].errors
    response = admin_client.post(
        date_url, {"calendar": cal.pk, "date": "2026-06-06", "kind": "open", "hours": "10:00-12:00"}
    )
    assert response.status_code == 302 and cal.dates.get().hours == "10:00-12:00"


def test_api_create_and_reject(admin_client):
    url = reverse("api:org-businesscalendar-list")
    payload = {
        "name": "NYC",
        "time_zone": "America/New_York",
        "holiday_country": "US",
        "holiday_subdivision": "NY",
    }
    payload["friday_hours"] = "08:00-12:00, 13:00-16:00"
    response = admin_client.post(url, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["friday_hours"] == "08:00-12:00, 13:00-16:00"
    cal_id = response.json()["id"]
    for field, value in (
        ("friday_hours", "08:00-12:00, 12:00-11:00"),
        ("time_zone", "Mars/Olympus_Mons"),
        ("holiday_country", "QQ"),
    ):
        response = admin_client.post(
            url, {**payload, "name": "Bad", field: value}, content_type="application/json"
        )
        assert response.status_code == 400
        assert field in response.json(), (field, response.json())
    assert not BusinessCalendar.objects.filter(name="Bad").exists()
    dates = reverse("api:org-calendardate-list")
    response = admin_client.post(
        dates,
        {"calendar": cal_id, "date": "2026-07-03", "kind": "closed", "hours": "09:00-10:00"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "hours" in response.json()
    response = admin_client.post(
        dates,
        {"calendar": cal_id, "date": "2026-07-03", "kind": "open", "name": "Open on observed holiday"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert admin_client.get(dates + f"?calendar={cal_id}&kind=open").json()["count"] == 1


def test_api_ical_import(client, paris):
    from steward.utilities.testing import grant, make_user

    url = reverse("api:org-businesscalendar-import-ical", kwargs={"pk": paris.pk})
    reader = make_user("reader")
    grant(reader, BusinessCalendar, "view")
    client.force_login(reader)
    assert client.post(url, {"data": FEED.decode()}, content_type="application/json").status_code == 403
    editor = make_user("editor")
    grant(editor, BusinessCalendar, "view", "change")
    client.force_login(editor)
    response = client.post(url, {"data": "BEGIN:VCALENDAR\r\nnonsense"}, content_type="application/json")
    assert response.status_code == 400 and "data" in response.json()
    assert paris.dates.count() == 0
    response = client.post(url, {"file": SimpleUploadedFile("feed.ics", FEED, "text/calendar")})
    assert response.status_code == 200 and response.json() == {"created": 4}
    response = client.post(url, {"data": FEED.decode()}, content_type="application/json")
    assert response.json() == {"created": 0} and paris.dates.count() == 4


def test_bulk_import_edit_and_delete_of_dates_refresh_cached_schedules(paris):
    from steward.core import importexport
    from steward.org.forms import CalendarDateForm

    start, end = p(2026, 6, 8), p(2026, 6, 10)
    assert business_minutes_between(calendar=paris, start=start, end=end) == 840
    rows = [
        {"calendar": "Paris", "date": "2026-06-08", "kind": "closed"},
        {"calendar": "Paris", "date": "2026-06-09", "kind": "closed"},
    ]
    result = importexport.import_rows(
        model=CalendarDate, form_class=CalendarDateForm, rows=rows, dry_run=False
    )
    assert result.created == 2 and not result.errors
    paris.refresh_from_db()
    assert business_minutes_between(calendar=paris, start=start, end=end) == 0
    CalendarDate.objects.filter(date=dt.date(2026, 6, 9)).update(kind="open", hours="09:00-10:00")
    paris.refresh_from_db()
    assert business_minutes_between(calendar=paris, start=start, end=end) == 60
    CalendarDate.objects.all().delete()
    paris.refresh_from_db()
    assert business_minutes_between(calendar=paris, start=start, end=end) == 840


def test_calendar_csv_import_rejects_bad_rows_by_field(admin_client):
    url = reverse("org:businesscalendar_import")
    csv = "name,time_zone,holiday_country,monday_hours\nGood,UTC,,09:00-17:00\nBad,Europe/Nowhere,FR,09:00-17:00\n"
    response = admin_client.post(url, {"data": csv, "format": "csv", "confirm": "1"})
    assert response.status_code == 422
    errors = response.context["result"].errors
    assert [(e.row, e.field) for e in errors] == [(2, "time_zone")]
    assert not BusinessCalendar.objects.exists()


def test_ui_ical_import(admin_client, paris):
    detail = reverse("org:businesscalendar_detail", kwargs={"pk": paris.pk})
    url = reverse("org:businesscalendar_import_ical", kwargs={"pk": paris.pk})
    assert url.encode() in admin_client.get(detail).content
    response = admin_client.post(url, {"feed": SimpleUploadedFile("bad.ics", b"BEGIN:VCALENDAR\r\nbroken")})
    assert response.status_code == 302 and paris.dates.count() == 0
    page = admin_client.get(detail).content.decode()
    assert "Nothing was imported" in page
    admin_client.post(url, {"feed": SimpleUploadedFile("feed.ics", FEED, "text/calendar")})
    assert paris.dates.count() == 4
    assert "Imported 4 closed dates" in admin_client.get(detail).content.decode()


def test_list_pages_and_endpoints_do_not_repeat_queries(admin_client, paris, new_york):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    urls = [
        reverse("org:calendardate_list"),
        reverse("api:org-calendardate-list"),
        reverse("org:businesscalendar_list"),
        reverse("api:org-businesscalendar-list"),
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert admin_client.get(url).status_code == 200
            result.append(len(ctx))
        return result

    add_date(paris, dt.date(2026, 1, 2))
    few = counts()
    for day in range(5, 25):
        add_date(paris if day % 2 else new_york, dt.date(2026, 2, day))
    make_calendar("Third", "UTC")
    assert counts() == few


# --- batches (many SLA clocks at once) -------------------------------------------------------
@pytest.mark.parametrize("vectorised", [True, False], ids=["numpy", "pure-python"])
def test_batch_functions_equal_the_scalar_ones(db, monkeypatch, vectorised):
    cal = make_calendar("Batch", "Europe/Paris", "FR", "09:00-12:00, 13:00-17:00")
    add_date(cal, dt.date(2026, 12, 24), hours="09:00-12:00", kind="open")
    if not vectorised:
        monkeypatch.setattr(services, "numpy", None)
    schedule = services.schedule_for(cal)
    rng = random.Random(5)
    base = dt.datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC"))
    starts = [base + dt.timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60)) for _ in range(400)]
    ends = [s + dt.timedelta(minutes=rng.randrange(-3000, 60 * 24 * 40)) for s in starts]
    minutes = [rng.choice([0, -120, 1, 420, 4800, 60 * 24 * 400]) if i % 7 == 0 else rng.randrange(1, 9000)
               for i in range(len(starts))]  # fmt: skip
    s_us = [services.to_epoch_us(s) for s in starts]
    between = services.business_time_between_many(
        calendar=schedule, starts=s_us, ends=[services.to_epoch_us(e) for e in ends]
    )
    added = services.add_business_time_many(
        calendar=schedule, starts=s_us, amounts=[m * services.MINUTE for m in minutes]
    )
    for k, (s, e, m) in enumerate(zip(starts, ends, minutes, strict=True)):
        assert int(between[k]) == round(
            business_minutes_between(calendar=schedule, start=s, end=e) * services.MINUTE
        )
        assert int(added[k]) == services.to_epoch_us(
            add_business_minutes(calendar=schedule, start=s, minutes=m)
        )
    assert len(services.business_time_between_many(calendar=schedule, starts=[], ends=[])) == 0
