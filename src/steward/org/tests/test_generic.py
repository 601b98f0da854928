"""The generic UI and API test cases applied to every org model: each class gives data only."""

from __future__ import annotations

from typing import Any

from steward.org.models import Department, Location, Organisation, Person, Team
from steward.utilities.testing.api import APITestCases
from steward.utilities.testing.views import ViewTestCases


def base_records() -> dict[str, Any]:
    """Records of other models the rows under test point at."""
    org = Organisation.objects.create(name="Acme", slug="acme")
    dept = Department.objects.create(organisation=org, name="Operations", code="ops")
    loc = Location.objects.create(name="Paris", code="par", organisation=org, time_zone="Europe/Paris")
    return {"org": org, "dept": dept, "loc": loc}


# --- organisations ----------------------------------------------------------------------------
class OrganisationData:
    model = Organisation
    csv_data = ("name,slug,description", "Delta,delta,Fourth", "Echo,echo,Fifth", "Foxtrot,foxtrot,")
    bulk_edit_data = {"description": "Changed in bulk"}
    invalid_data = {"slug": "not a slug!"}
    field_constraint = {"description": ""}
    move_out_data = {"description": "Moved"}
    create_data = {"name": "Zulu", "slug": "zulu", "description": "New"}
    api_create_data = [
        {"name": "Xray", "slug": "xray", "description": "x"},
        {"name": "Yankee", "slug": "yankee"},
        {"name": "Zulu", "slug": "zulu", "tags": []},
    ]

    @classmethod
    def setUpTestData(cls) -> None:
        for name in ("Alpha", "Bravo", "Charlie"):
            Organisation.objects.create(name=name, slug=name.lower())


class OrganisationViewTest(OrganisationData, ViewTestCases.ObjectViewTestCase):
    pass


class OrganisationAPITest(OrganisationData, APITestCases.APIViewTestCase):
    pass


# --- departments ------------------------------------------------------------------------------
class DepartmentData:
    model = Department
    csv_data = (
        "organisation,name,code,head,description",
        "acme,Finance,fin,head@example.org,Money",
        "acme,Legal,legal,head@example.org,",
        "acme,Sales,sales,,",
    )
    bulk_edit_data = {"description": "Changed in bulk"}
    invalid_data = {"code": "bad code!"}
    field_constraint = {"description": ""}
    move_out_data = {"description": "Moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        org = Organisation.objects.create(name="Acme", slug="acme")
        head = Person.objects.create(first_name="Hedy", last_name="Head", email="head@example.org")
        for code in ("d1", "d2", "d3"):
            Department.objects.create(organisation=org, name=f"Dept {code}", code=code, head=head)
        cls.create_data = {"organisation": org.pk, "name": "Research", "code": "rnd", "head": head.pk}
        cls.api_create_data = [
            {"organisation": org.pk, "name": "Research", "code": "rnd", "head": head.pk},
            {"organisation": org.pk, "name": "Support", "code": "support"},
            {"organisation": org.pk, "name": "Security", "code": "sec", "description": "Guards"},
        ]


class DepartmentViewTest(DepartmentData, ViewTestCases.ObjectViewTestCase):
    pass


class DepartmentAPITest(DepartmentData, APITestCases.APIViewTestCase):
    pass


# --- locations --------------------------------------------------------------------------------
class LocationData:
    model = Location
    csv_data = (
        "type,name,code,organisation,time_zone",
        "site,Berlin,ber,acme,Europe/Berlin",
        "site,Madrid,mad,acme,Europe/Madrid",
        "building,Annex,annex,,",
    )
    bulk_edit_data = {"address": "1 Main Street"}
    invalid_data = {"time_zone": "Mars/Olympus_Mons"}
    field_constraint = {"type": "site"}
    move_out_data = {"type": "building"}

    @classmethod
    def setUpTestData(cls) -> None:
        org = Organisation.objects.create(name="Acme", slug="acme")
        for code in ("l1", "l2", "l3"):
            Location.objects.create(name=f"Site {code}", code=code, organisation=org, time_zone="UTC")
        cls.create_data = {
            "type": "site",
            "name": "Rome",
            "code": "rome",
            "organisation": org.pk,
            "time_zone": "Europe/Rome",
        }
        cls.api_create_data = [
            {"type": "site", "name": "Rome", "code": "rome", "organisation": org.pk},
            {"type": "region", "name": "Europe", "code": "eu"},
            {"type": "room", "name": "Room 1", "code": "r1", "time_zone": "Europe/Rome"},
        ]


class LocationViewTest(LocationData, ViewTestCases.ObjectViewTestCase):
    pass


class LocationAPITest(LocationData, APITestCases.APIViewTestCase):
    pass


# --- people -----------------------------------------------------------------------------------
class PersonData:
    model = Person
    csv_data = (
        "first_name,last_name,email,status,department,location,manager",
        "Grace,Hopper,grace@example.org,active,ops,par,p1@example.org",
        "Alan,Turing,alan@example.org,on_leave,ops,par,p2@example.org",
        "Edsger,Dijkstra,edsger@example.org,active,,,",
    )
    bulk_edit_data = {"title": "Engineer", "status": "on_leave"}
    invalid_data = {"email": "not-an-email"}
    field_constraint = {"status": "active"}
    move_out_data = {"status": "left"}

    @classmethod
    def setUpTestData(cls) -> None:
        refs = base_records()
        boss = None
        for n in (1, 2, 3):
            person = Person.objects.create(
                first_name=f"P{n}",
                last_name="Person",
                email=f"p{n}@example.org",
                department=refs["dept"],
                location=refs["loc"],
                manager=boss,
            )
            boss = boss or person
        cls.create_data = {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.org",
            "status": "active",
            "department": refs["dept"].pk,
            "location": refs["loc"].pk,
            "manager": boss.pk,
        }
        cls.api_create_data = [
            {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org", "manager": boss.pk},
            {"first_name": "Bob", "last_name": "Smith", "email": "bob@example.org", "status": "left"},
            {"first_name": "Cy", "last_name": "Young", "email": "cy@example.org", "location": refs["loc"].pk},
        ]


class PersonViewTest(PersonData, ViewTestCases.ObjectViewTestCase):
    pass


class PersonAPITest(PersonData, APITestCases.APIViewTestCase):
    pass


# --- teams ------------------------------------------------------------------------------------
class TeamData:
    model = Team
    csv_data = (
        "name,slug,lead,members,department",
        'Blue,blue,m1@example.org,"m1@example.org,m2@example.org",ops',
        "Green,green,m2@example.org,m3@example.org,ops",
        "Red,red,,,",
    )
    bulk_edit_data = {"description": "Changed in bulk", "email": "team@example.org"}
    invalid_data = {"slug": "bad slug!"}
    field_constraint = {"description": ""}
    move_out_data = {"description": "Moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        refs = base_records()
        people = [
            Person.objects.create(first_name=f"M{n}", last_name="Member", email=f"m{n}@example.org")
            for n in (1, 2, 3)
        ]
        for n in (1, 2, 3):
            team = Team.objects.create(
                name=f"Team {n}", slug=f"team-{n}", lead=people[n - 1], department=refs["dept"]
            )
            team.members.set(people[:n])
        cls.create_data = {
            "name": "Platform",
            "slug": "platform",
            "lead": people[0].pk,
            "members": [people[0].pk, people[2].pk],
            "department": refs["dept"].pk,
        }
        cls.update_data = {"description": "Renamed", "members": [people[2].pk]}
        cls.api_create_data = [
            {"name": "Platform", "slug": "platform", "lead": people[0].pk, "members": [people[1].pk]},
            {"name": "Data", "slug": "data", "department": refs["dept"].pk},
            {"name": "Web", "slug": "web", "email": "web@example.org"},
        ]


class TeamViewTest(TeamData, ViewTestCases.ObjectViewTestCase):
    pass


class TeamAPITest(TeamData, APITestCases.APIViewTestCase):
    pass
