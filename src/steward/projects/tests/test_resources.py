"""Time entries, their cost in earned value, timesheets and their grid, and capacity against demand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from steward.core import workflow as wf
from steward.itsm.models import Incident
from steward.itsm.models import TimeEntry as IncidentTime
from steward.org.models import BusinessCalendar, CalendarDate, Person, Team
from steward.projects import services, services_resources
from steward.projects.models import Project, ResourceProfile, Task, TimeEntry, Timesheet
from steward.utilities.testing import grant, make_user
from steward.utilities.testing.factories import make_instance

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2027, 3, 1)
WEEKDAYS = "09:00-17:00"


def person(name: str, **extra) -> Person:
    return Person.objects.create(
        first_name=name, last_name="Doe", email=f"{name.lower()}@example.org", **extra
    )


@pytest.fixture
def setup(db):
    ada = person("Ada")
    ResourceProfile.objects.create(person=ada, hourly_rate=D(100), weekly_capacity=D(40))
    project = Project.objects.create(name="Portal", start_date=MONDAY, budget=D(10000))
    task = Task.objects.create(project=project, wbs="1", name="Build", duration=5, budget=D(4000), assignee=ada,
                               allocation=50)  # fmt: skip
    services.schedule_project(project=project, actor=None)
    task.refresh_from_db()
    return {"ada": ada, "project": project, "task": task}


def log(s, day=MONDAY, hours="8", **extra):
    values = {"actor": None, "person": s["ada"], "date": day, "hours": D(hours), "project": s["project"],
              "task": s["task"], **extra}  # fmt: skip
    return services_resources.log_time(**values)


# --- time entries ---------------------------------------------------------------------------------
def test_cost_is_hours_times_the_rate_frozen_at_creation(setup):
    entry = log(setup, hours="7.5")
    assert (entry.rate, entry.cost) == (D(100), D("750.00"))
    ResourceProfile.objects.filter(person=setup["ada"]).update(hourly_rate=D(200))
    entry.hours = D(5)
    entry.full_clean()
    entry.save()
    entry.refresh_from_db()
    assert (entry.rate, entry.cost) == (D(100), D("500.00"))
    assert entry.timesheet.week_start == MONDAY


@pytest.mark.parametrize("hours", ["0", "-1", "24.5"])
def test_hours_out_of_range_are_refused_naming_the_field(setup, hours):
    with pytest.raises(ValidationError) as exc:
        log(setup, hours=hours)
    assert "hours" in exc.value.message_dict
    assert not TimeEntry.objects.exists()


def test_a_day_over_24_hours_is_refused_naming_the_date_counting_incident_time(setup):
    log(setup, hours="16")
    incident = make_instance(Incident)
    IncidentTime.objects.create(incident=incident, person=setup["ada"], date=MONDAY, minutes=6 * 60)
    with pytest.raises(ValidationError) as exc:
        log(setup, hours="3")
    assert "2027-03-01" in exc.value.message_dict["hours"][0]
    assert TimeEntry.objects.count() == 1
    log(setup, hours="2")  # exactly 24 is fine


def test_task_of_another_project_and_foreign_currency_are_refused(setup):
    other = Project.objects.create(name="Other", start_date=MONDAY)
    with pytest.raises(ValidationError) as exc:
        log(setup, project=other)
    assert "task" in exc.value.message_dict
    usd = Project.objects.create(name="US", start_date=MONDAY, currency="USD")
    with pytest.raises(ValidationError) as exc:
        log(setup, project=usd, task=None)
    assert "USD" in exc.value.message_dict["project"][0]


def test_logged_time_moves_actual_cost_and_cpi(setup):
    setup["task"].percent_complete = 50
    setup["task"].save()
    before = services.earned_value(project=setup["project"], status_date=MONDAY + dt.timedelta(days=4))
    assert before.ac == 0 and before.cpi is None
    log(setup, hours="8")
    log(setup, day=MONDAY + dt.timedelta(days=1), hours="8")
    after = services.earned_value(project=setup["project"], status_date=MONDAY + dt.timedelta(days=4))
    assert after.ac == D("1600.00")
    assert after.cpi == (D(2000) / D(1600)).quantize(D("0.001"))
    # Time logged after the status date is not in that date's AC.
    log(setup, day=MONDAY + dt.timedelta(days=7), hours="4")
    assert services.earned_value(project=setup["project"], status_date=MONDAY + dt.timedelta(days=4)).ac == D(
        1600
    )
    assert services.labour_cost(project=setup["project"]) == D(2000)


# --- timesheets -----------------------------------------------------------------------------------
@pytest.fixture
def team_setup(setup):
    boss_user, ada_user = make_user("boss"), make_user("ada")
    boss = person("Boss", user=boss_user)
    setup["ada"].manager, setup["ada"].user = boss, ada_user
    setup["ada"].save()
    for user in (boss_user, ada_user):
        grant(user, Timesheet, "view", "change", "add")
        grant(user, TimeEntry, "view", "change", "add")
        grant(user, Project, "view")
    return {**setup, "boss_user": boss_user, "ada_user": ada_user}


def test_submitted_week_is_locked_until_the_manager_sends_it_back(team_setup):
    entry = log(team_setup)
    sheet = entry.timesheet
    wf.transition(obj=sheet, name="submit", actor=team_setup["ada_user"])
    with pytest.raises(ValidationError) as exc:
        log(team_setup, day=MONDAY + dt.timedelta(days=2))
    assert "2027-03-01" in exc.value.message_dict["date"][0]
    with pytest.raises(wf.TransitionForbidden):
        wf.transition(obj=sheet, name="approve", actor=team_setup["ada_user"])
    wf.transition(obj=sheet, name="reject", actor=team_setup["boss_user"], comment="Split Monday")
    log(team_setup, day=MONDAY + dt.timedelta(days=2))
    wf.transition(obj=sheet, name="submit", actor=team_setup["ada_user"])
    wf.transition(obj=sheet, name="approve", actor=team_setup["boss_user"])
    sheet.refresh_from_db()
    assert sheet.state == "approved"


def test_entries_cannot_move_out_of_a_locked_week_nor_the_week_change(team_setup):
    entry = log(team_setup)
    later = log(team_setup, day=MONDAY + dt.timedelta(days=7), hours="1")
    wf.transition(obj=entry.timesheet, name="submit", actor=team_setup["ada_user"])
    entry = TimeEntry.objects.get(pk=entry.pk)
    entry.date = MONDAY + dt.timedelta(days=8)
    with pytest.raises(ValidationError) as exc:
        entry.full_clean()
    assert "date" in exc.value.message_dict
    later = TimeEntry.objects.get(pk=later.pk)
    later.date = MONDAY + dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        later.full_clean()
    sheet = Timesheet.objects.get(pk=later.timesheet_id)
    sheet.week_start = MONDAY + dt.timedelta(weeks=5)
    with pytest.raises(ValidationError) as exc:
        sheet.full_clean()
    assert "week_start" in exc.value.message_dict


def test_grid_cell_creates_updates_and_clears_an_entry(team_setup, client):
    sheet = services_resources.open_timesheet(person=team_setup["ada"], week=MONDAY + dt.timedelta(days=3),
                                              actor=None)  # fmt: skip
    assert sheet.week_start == MONDAY
    client.force_login(team_setup["ada_user"])
    page = client.get(sheet.get_absolute_url())
    assert page.status_code == 200 and b'id="timesheet-grid"' in page.content
    assert team_setup["task"].name.encode() in page.content  # assigned task offered as a row
    url = reverse("projects:timesheet_cell", args=[sheet.pk])
    cell = {"project": team_setup["project"].pk, "task": team_setup["task"].pk, "date": "2027-03-02"}
    response = client.post(url, {**cell, "hours": "6,5"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"data-grid-error" not in response.content
    assert TimeEntry.objects.get().hours == D("6.5")
    client.post(url, {**cell, "hours": "7"}, HTTP_HX_REQUEST="true")
    assert TimeEntry.objects.get().hours == D(7)
    bad = client.post(url, {**cell, "hours": "30"}, HTTP_HX_REQUEST="true")
    assert b"data-grid-error" in bad.content and TimeEntry.objects.get().hours == D(7)
    outside = client.post(url, {**cell, "date": "2027-03-09", "hours": "1"})
    assert outside.status_code == 400 and TimeEntry.objects.count() == 1
    client.post(url, {**cell, "hours": "0"}, HTTP_HX_REQUEST="true")
    assert not TimeEntry.objects.exists()


def test_grid_cell_needs_change_permission_and_a_draft_week(team_setup, client):
    sheet = services_resources.open_timesheet(person=team_setup["ada"], week=MONDAY, actor=None)
    url = reverse("projects:timesheet_cell", args=[sheet.pk])
    cell = {"project": team_setup["project"].pk, "date": "2027-03-02", "hours": "2"}
    viewer = make_user("viewer")
    grant(viewer, Timesheet, "view")
    client.force_login(viewer)
    assert client.post(url, cell).status_code == 403
    client.force_login(team_setup["ada_user"])
    wf.transition(obj=sheet, name="submit", actor=team_setup["ada_user"])
    response = client.post(url, cell)
    assert response.status_code == 400 and not TimeEntry.objects.exists()


def test_my_timesheet_opens_or_starts_the_week(team_setup, client):
    client.force_login(team_setup["ada_user"])
    url = reverse("projects:timesheet_mine")
    assert client.get(url, {"week": "2027-03-03"}).status_code == 200
    response = client.post(url, {"week": "2027-03-03"})
    sheet = Timesheet.objects.get(person=team_setup["ada"])
    assert response.status_code == 302 and sheet.week_start == MONDAY
    assert client.get(url, {"week": "2027-03-03"})["Location"] == sheet.get_absolute_url()


# --- capacity -------------------------------------------------------------------------------------
def test_task_allocation_makes_demand_per_working_day(setup):
    grid = services_resources.capacity(people=[setup["ada"]], start=MONDAY, weeks=2, today=MONDAY)
    first, second = grid.rows[0].cells
    assert (first.available, first.project, first.load) == (D(40), D(20), 50)
    assert second.project == 0 and not first.over


def test_calendar_holidays_and_closed_days_reduce_availability(setup):
    calendar = BusinessCalendar.objects.create(name="FR", holiday_country="FR", **{
        f"{d}_hours": WEEKDAYS for d in ("monday", "tuesday", "wednesday", "thursday", "friday")})  # fmt: skip
    CalendarDate.objects.create(calendar=calendar, date=dt.date(2027, 7, 12), kind="closed", name="Bridge")
    ResourceProfile.objects.filter(person=setup["ada"]).update(calendar=calendar)
    # 14 July 2027 (Wednesday) is a French public holiday; 12 July closed by the calendar.
    grid = services_resources.capacity(
        people=[setup["ada"]], start=dt.date(2027, 7, 14), weeks=1, today=MONDAY
    )
    assert grid.rows[0].cells[0].available == D(24)


def test_over_allocation_is_flagged_and_service_desk_work_counts(setup, settings):
    settings.PROJECTS_ITSM_HOURS_PER_ITEM = 5
    Task.objects.create(project=setup["project"], wbs="2", name="Also", duration=5, assignee=setup["ada"],
                        allocation=100, start_date=MONDAY, finish_date=MONDAY + dt.timedelta(days=4))  # fmt: skip
    make_instance(Incident, assignee=setup["ada"], state="in_progress")
    make_instance(Incident, assignee=setup["ada"], state="closed")
    past = MONDAY - dt.timedelta(weeks=1)
    IncidentTime.objects.create(incident=make_instance(Incident), person=setup["ada"], date=past, minutes=90)
    grid = services_resources.capacity(people=[setup["ada"]], start=past, weeks=2, today=MONDAY)
    last_week, this_week = grid.rows[0].cells
    assert last_week.service == D("1.5") and last_week.project == 0
    assert (this_week.project, this_week.service) == (D(60), D(5))
    assert this_week.over and this_week.load == 163 and grid.rows[0].over_weeks == 1


def test_capacity_page_and_api_do_not_query_per_cell(setup, client):
    user = make_user("planner", superuser=True)
    client.force_login(user)
    team = Team.objects.create(name="Devs", slug="devs")
    team.members.add(setup["ada"])
    url = reverse("projects:resourceprofile_capacity")

    def count(path, **params):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path, {"start": "2027-03-01", "weeks": "8", **params})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    small = count(url, team=team.pk)
    for n in range(6):
        p = person(f"Extra{n}")
        team.members.add(p)
        ResourceProfile.objects.create(person=p)
        Task.objects.create(project=setup["project"], name=f"T{n}", duration=3, assignee=p, start_date=MONDAY,
                            finish_date=MONDAY + dt.timedelta(days=2))  # fmt: skip
    assert count(url, team=team.pk) == small
    response = client.get(url, {"start": "2027-03-01", "weeks": "2", "team": team.pk})
    assert b'id="capacity-heatmap"' in response.content and response.content.count(b"data-person=") == 7
    api = reverse("api:projects-resourceprofile-capacity")
    small_api = count(api)
    person("Late")
    assert count(api) == small_api
    rows = client.get(api, {"start": "2027-03-01", "weeks": "2"}).json()
    ada = next(r for r in rows if r["person"] == setup["ada"].pk)
    assert ada["cells"][0]["load"] == 50 and ada["cells"][0]["over"] is False


def test_capacity_endpoints_refuse_bad_input_and_strangers(setup, client):
    api = reverse("api:projects-resourceprofile-capacity")
    page = reverse("projects:resourceprofile_capacity")
    stranger = make_user("stranger")
    client.force_login(stranger)
    assert client.get(page).status_code == 403
    assert client.get(api).status_code == 403
    client.force_login(make_user("admin", superuser=True))
    assert "weeks" in client.get(api, {"weeks": "99"}).json()
    assert "start" in client.get(api, {"start": "soon"}).json()
    assert "team" in client.get(api, {"team": "12345"}).json()
    assert client.get(page, {"weeks": "99"}).status_code == 200  # the page says so and shows the default
