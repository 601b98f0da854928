"""Deterministic demo organisation for `steward demo`."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from steward.core import changelog
from steward.core.models import ObjectPermission, Tag
from steward.core.serialization import snapshot
from steward.org.models import (
    BusinessCalendar,
    CalendarDate,
    Department,
    Location,
    Organisation,
    Person,
    Team,
)

FIRST = [
    "Ada",
    "Alan",
    "Amara",
    "Ana",
    "Ben",
    "Chen",
    "Chloe",
    "Dara",
    "Elena",
    "Emeka",
    "Farah",
    "Felix",
    "Grace",
    "Hana",
    "Ines",
    "Ivan",
    "Jonas",
    "Julia",
    "Kai",
    "Kenji",
    "Lars",
    "Lea",
    "Leila",
    "Marco",
    "Maya",
    "Mei",
    "Nadia",
    "Noah",
    "Omar",
    "Priya",
    "Rafael",
    "Rosa",
    "Sam",
    "Sara",
    "Tariq",
    "Uma",
    "Vera",
    "Wei",
    "Yara",
    "Zoe",
]
LAST = [
    "Adams",
    "Baker",
    "Becker",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ito",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Martin",
    "Moreau",
    "Nakamura",
    "Novak",
    "Okafor",
    "Olsen",
    "Patel",
    "Petrov",
    "Rossi",
    "Santos",
    "Schmidt",
    "Silva",
    "Tanaka",
    "Torres",
    "Varga",
    "Weber",
    "Yilmaz",
]
DEPARTMENTS = [
    ("it", "Information Technology", None),
    ("it-ops", "IT Operations", "it"),
    ("it-sd", "Service Desk", "it-ops"),
    ("it-infra", "Infrastructure", "it-ops"),
    ("it-net", "Network Engineering", "it-infra"),
    ("it-apps", "Application Services", "it"),
    ("it-sec", "Information Security", "it"),
    ("it-pmo", "IT Project Office", "it"),
    ("fin", "Finance", None),
    ("hr", "Human Resources", None),
    ("ops", "Operations", None),
    ("sales", "Sales", None),
    ("legal", "Legal and Compliance", None),
]
TEAMS = [
    ("service-desk", "Service Desk", "it-sd"),
    ("server-ops", "Server Operations", "it-infra"),
    ("network", "Network Team", "it-net"),
    ("dba", "Database Administration", "it-infra"),
    ("app-support", "Application Support", "it-apps"),
    ("security-ops", "Security Operations", "it-sec"),
    ("identity", "Identity and Access", "it-sec"),
    ("end-user", "End-User Computing", "it-sd"),
    ("cloud", "Cloud Platform", "it-infra"),
    ("pmo", "Project Office", "it-pmo"),
]
TITLES = {
    "it-sd": ["Service Desk Analyst", "Senior Service Desk Analyst"],
    "it-infra": ["Systems Engineer", "Storage Engineer"],
    "it-net": ["Network Engineer"],
    "it-apps": ["Application Analyst", "Software Engineer"],
    "it-sec": ["Security Analyst", "Security Engineer"],
    "it-pmo": ["Project Manager", "Business Analyst"],
}


def _log_created(objs: list) -> None:
    changelog.record_many(changelog.Change(o, "create", None, snapshot(o)) for o in objs)


def load(*, rng: random.Random, scale: float) -> str:
    User = get_user_model()
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User.objects.create_superuser("admin", "admin@example.org", "admin")

    org = Organisation.objects.create(name="Northwind Group", slug="northwind", description="Demo company.")
    regions = [
        Location.objects.create(type="region", name=n, code=c)
        for n, c in (("Europe", "eu"), ("Americas", "am"))
    ]
    sites = []
    for region, name, code, tz in (
        (regions[0], "Paris HQ", "par", "Europe/Paris"),
        (regions[0], "Berlin Office", "ber", "Europe/Berlin"),
        (regions[0], "Dublin Data Centre", "dub-dc", "Europe/Dublin"),
        (regions[1], "New York Office", "nyc", "America/New_York"),
        (regions[1], "Toronto Office", "tor", "America/Toronto"),
    ):
        site = Location.objects.create(
            type="site", parent=region, name=name, code=code, organisation=org, time_zone=tz
        )
        Location.objects.create(
            type="building", parent=site, name=f"{name} – Main building", code=f"{code}-b1", organisation=org
        )
        sites.append(site)

    depts: dict[str, Department] = {}
    for code, name, parent in DEPARTMENTS:
        depts[code] = Department.objects.create(
            organisation=org, name=name, code=code, parent=depts.get(parent) if parent else None
        )

    count = max(20, int(400 * scale))
    people = []
    used: set[str] = set()
    codes = list(depts)
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first}.{last}".lower()
        if email in used:
            email = f"{email}{i}"
        used.add(email)
        dept = depts[rng.choice(codes)]
        people.append(
            Person(
                first_name=first,
                last_name=last,
                email=f"{email}@northwind.example",
                employee_id=f"E{10000 + i}",
                title=rng.choice(TITLES.get(dept.code, ["Specialist", "Coordinator", "Manager", "Analyst"])),
                department=dept,
                location=rng.choice(sites),
                phone=f"+33 1 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                status=rng.choices(["active", "on_leave", "left"], weights=[92, 3, 5])[0],
            )
        )
    Person.objects.bulk_create(people, batch_size=1000)
    _log_created(people)
    by_dept: dict[int, list[Person]] = {}
    for p in people:
        by_dept.setdefault(p.department_id, []).append(p)
    for dept in depts.values():
        staff = by_dept.get(dept.pk, [])
        if staff:
            dept.head = staff[0]
            dept.save()
            for p in staff[1:]:
                p.manager = staff[0]
            Person.objects.bulk_update(staff[1:], ["manager"], batch_size=1000)

    teams = []
    for slug, name, dept_code in TEAMS:
        team = Team.objects.create(
            name=name, slug=slug, department=depts[dept_code], email=f"{slug}@northwind.example"
        )
        members = [p for p in people if p.department_id == depts[dept_code].pk][:12] or rng.sample(people, 5)
        team.members.set(members)
        team.lead = members[0]
        team.save()
        teams.append(team)

    agent = User.objects.filter(username="agent").first() or User.objects.create_user(
        "agent", "agent@northwind.example", "agent"
    )
    desk_person = teams[0].members.first()
    if desk_person is not None and desk_person.user_id is None:
        desk_person.user = agent
        desk_person.save()
    for tag, colour in (("vip", "#d63939"), ("contractor", "#f59f00"), ("on-call", "#2fb344")):
        Tag.objects.create(name=tag, slug=tag, colour=colour)

    readers = Group.objects.get_or_create(name="Read only")[0]
    agents = Group.objects.get_or_create(name="Service desk agents")[0]
    org_types = ContentType.objects.filter(app_label="org")
    view_all = ObjectPermission.objects.create(name="View organisation", actions=["view"])
    view_all.object_types.set(org_types)
    view_all.groups.set([readers, agents])
    team_edit = ObjectPermission.objects.create(
        name="Edit people of my teams", actions=["change"], constraints={"teams__in": "$teams"}
    )
    team_edit.object_types.set(ContentType.objects.filter(app_label="org", model="person"))
    team_edit.groups.set([agents])
    agent.groups.add(agents)
    calendars = load_calendars()
    return f"org: {len(calendars)} business calendars, {len(people)} people, {len(depts)} departments, {len(teams)} teams, {len(sites)} sites"


def load_calendars() -> list[BusinessCalendar]:
    """Three calendars SLAs can run on: Paris and New York office hours, and round the clock."""
    office = "09:00-12:30, 13:30-18:00"
    specs = (
        ("Paris office hours", "Europe/Paris", "FR", "", office, "", "Paris HQ; French public holidays."),
        ("New York office hours", "America/New_York", "US", "NY", "08:00-17:00", "", "New York office."),
        ("24x7", "UTC", "", "", "00:00-24:00", "00:00-24:00", "Round the clock, no holidays."),
    )
    calendars = []
    for name, tz, country, subdiv, weekday, weekend, description in specs:
        cal = BusinessCalendar(
            name=name,
            time_zone=tz,
            holiday_country=country,
            holiday_subdivision=subdiv,
            description=description,
            **{f"{d}_hours": weekday for d in ("monday", "tuesday", "wednesday", "thursday", "friday")},
            saturday_hours=weekend,
            sunday_hours=weekend,
        )
        cal.full_clean()
        cal.save()
        calendars.append(cal)
    paris = calendars[0]
    dates = [
        CalendarDate(
            calendar=paris, date=datetime.date(2026, 12, d), kind="closed", name="Christmas shutdown"
        )
        for d in (28, 29, 30, 31)
    ]
    dates.append(
        CalendarDate(
            calendar=paris,
            date=datetime.date(2026, 11, 28),
            kind="open",
            name="Data-centre move (open Saturday)",
            hours="09:00-13:00",
        )
    )
    for d in dates:
        d.full_clean()
        d.save()
    return calendars
