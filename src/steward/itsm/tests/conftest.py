from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from steward.org.models import BusinessCalendar, Person, Team
from steward.utilities.testing import make_user

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def make_calendar(name: str, tz: str, country: str = "", weekday: str = "", weekend: str = ""):
    hours = {**{f"{d}_hours": weekday for d in WEEKDAYS}, "saturday_hours": weekend, "sunday_hours": weekend}
    cal = BusinessCalendar(name=name, time_zone=tz, holiday_country=country, **hours)
    cal.full_clean()
    cal.save()
    return cal


@pytest.fixture
def paris(db):
    """Mon-Fri 09:00-12:00 and 13:00-17:00 (420 min a day), French public holidays."""
    return make_calendar("Paris", "Europe/Paris", "FR", "09:00-12:00, 13:00-17:00")


@pytest.fixture
def team(db):
    alice = Person.objects.create(first_name="Alice", last_name="Agent", email="alice@example.org")
    team = Team.objects.create(name="Desk", slug="desk")
    team.members.add(alice)
    return team


@pytest.fixture
def agent(db, team):
    from steward.itsm.models import Incident, IncidentNote, TimeEntry
    from steward.utilities.testing import grant

    user = make_user("agent1")
    user.groups.add(Group.objects.get_or_create(name="Service desk agents")[0])
    person = team.members.get()
    person.user = user
    person.save()
    grant(user, Incident, "view", "add", "change")
    grant(user, IncidentNote, "view", "add")
    grant(user, TimeEntry, "view", "add")
    return user
