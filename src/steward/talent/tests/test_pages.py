"""Talent pages and endpoints beyond the generic ones: permissions, content and the demo story."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest
from django.urls import reverse

from steward.itsm.models import Service
from steward.org.models import Person, Team
from steward.projects.models import Project
from steward.talent import demo, services
from steward.talent.models import (
    Course,
    CourseSkill,
    Enrolment,
    EstateSkillRequirement,
    OpenPosition,
    Proficiency,
    ProjectSkillDemand,
    RoleAssignment,
    RoleProfile,
    RoleRequirement,
    Skill,
    SkillCategory,
    SkillLibrary,
)
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    category = SkillCategory.objects.create(name="Ops")
    erp = Skill.objects.create(name="ERP", category=category)
    boss = Person.objects.create(first_name="Boss", last_name="B", email="boss@example.org")
    ann = Person.objects.create(first_name="Ann", last_name="A", email="ann@example.org", manager=boss)
    team = Team.objects.create(name="Apps", slug="apps")
    team.members.add(ann)
    service = Service.objects.create(name="ERP")
    EstateSkillRequirement.objects.create(service=service, skill=erp, min_level=4)
    prof = Proficiency.objects.create(person=ann, skill=erp, level=5)
    project = Project.objects.create(name="ERP upgrade", start_date=dt.date(2027, 1, 4))
    ProjectSkillDemand.objects.create(project=project, skill=erp, min_level=4, count=2)
    role = RoleProfile.objects.create(name="ERP analyst")
    RoleRequirement.objects.create(role_profile=role, skill=erp, min_level=6)
    assignment = RoleAssignment.objects.create(person=ann, role_profile=role)
    return {"erp": erp, "boss": boss, "ann": ann, "team": team, "service": service, "prof": prof,
            "project": project, "assignment": assignment}  # fmt: skip


_serial = itertools.count(1)


def user_with(model, *actions, person=None):
    user = make_user(f"u{next(_serial)}-{model._meta.model_name}")
    if actions:
        grant(user, model, *actions)
    if person is not None:
        person.user = user
        person.save()
    return user


# --- pages ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url_name", "model"),
    [
        ("talent:estateskillrequirement_coverage", EstateSkillRequirement),
        ("talent:projectskilldemand_gap", ProjectSkillDemand),
        ("talent:roleassignment_workload", RoleAssignment),
    ],
)
def test_pages_need_view_permission(client, world, url_name, model):
    url = reverse(url_name)
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(user_with(model))
    assert client.get(url).status_code == 403
    client.force_login(user_with(model, "view"))
    assert client.get(url).status_code == 200


def test_key_person_page_names_the_one_qualified_person(client, world):
    client.force_login(make_user("admin", superuser=True))
    body = client.get(reverse("talent:estateskillrequirement_coverage")).content.decode()
    assert 'id="key-person-risks"' in body and "Ann A" in body and "Raise position" in body
    body = client.get(reverse("talent:estateskillrequirement_coverage"), {"minimum": "1"}).content.decode()
    assert "No key-person risk." in body


def test_team_project_gap_page(client, world):
    client.force_login(make_user("admin", superuser=True))
    response = client.get(
        reverse("talent:projectskilldemand_gap"), {"project": world["project"].pk, "team": world["team"].pk}
    )
    body = response.content.decode()
    assert 'id="demand-gap"' in body and "Ann A" in body


def test_role_assignment_detail_shows_the_gap(client, world):
    client.force_login(make_user("admin", superuser=True))
    body = client.get(world["assignment"].get_absolute_url()).content.decode()
    assert 'id="gap"' in body and "<td data-gap>1</td>" in body


def test_raise_from_gap_needs_add_permission_and_opens_a_position(client, world):
    url = reverse("talent:openposition_raise")
    client.force_login(user_with(OpenPosition, "view"))
    assert client.post(url, {"service": world["service"].pk}).status_code == 403
    user = user_with(OpenPosition, "view", "add")
    client.force_login(user)
    # The service must be visible to the user too.
    client.post(url, {"service": world["service"].pk})
    assert not OpenPosition.objects.exists()
    grant(user, Service, "view")
    response = client.post(url, {"service": world["service"].pk})
    position = OpenPosition.objects.get()
    assert response.status_code == 302 and response.url == position.get_absolute_url()
    assert [s.skill for s in position.skills.all()] == [world["erp"]]


def test_validate_proficiency_page_by_the_manager_only(client, world):
    url = reverse("talent:proficiency_validate", args=[world["prof"].pk])
    client.force_login(user_with(Proficiency, "view"))
    assert client.post(url).status_code == 403
    client.force_login(user_with(Proficiency, "view", "change", person=world["ann"]))  # herself
    client.post(url)
    world["prof"].refresh_from_db()
    assert world["prof"].assessment == "self"
    boss_user = user_with(Proficiency, "view", "change", person=world["boss"])
    client.force_login(boss_user)
    client.post(url, {"level": "4"})
    world["prof"].refresh_from_db()
    assert (world["prof"].assessment, world["prof"].level, world["prof"].validated_by) == (
        "validated", 4, world["boss"]
    )  # fmt: skip


def test_validate_enrolment_page(client, world):
    course = Course.objects.create(title="ERP advanced")
    CourseSkill.objects.create(course=course, skill=world["erp"], target_level=6)
    enrolment = Enrolment.objects.create(person=world["ann"], course=course, state="completed",
                                         completion_date=dt.date(2027, 1, 1))  # fmt: skip
    url = reverse("talent:enrolment_validate", args=[enrolment.pk])
    client.force_login(user_with(Enrolment, "view"))
    assert client.post(url).status_code == 403
    client.force_login(user_with(Enrolment, "view", "change", person=world["boss"]))
    assert client.post(url).status_code == 302
    world["prof"].refresh_from_db()
    assert world["prof"].level == 6


# --- API ------------------------------------------------------------------------------------------
def api(client, user):
    client.force_login(user)
    return client


def test_key_person_risk_endpoint(client, world):
    url = reverse("api:talent-estateskillrequirement-key-person-risk")
    assert client.get(url).status_code in (401, 403)
    assert api(client, user_with(EstateSkillRequirement)).get(url).status_code == 403
    reader = user_with(EstateSkillRequirement, "view")
    response = api(client, reader).get(url, {"minimum": "2"})
    assert response.status_code == 200
    (row,) = response.json()  # may not view people: Ann counts but is not named
    assert (row["target_name"], row["qualified_count"], row["names"], row["qualified_hidden"]) == (
        "ERP",
        1,
        [],
        1,
    )
    grant(reader, Person, "view")
    (row,) = client.get(url, {"minimum": "2"}).json()
    assert (row["qualified_count"], row["names"], row["qualified"], row["qualified_hidden"]) == (
        1, ["Ann A"], [world["ann"].pk], 0
    )  # fmt: skip
    assert client.get(url, {"minimum": "x"}).status_code == 400
    assert client.get(url, {"kind": "printer"}).status_code == 400
    coverage = client.get(reverse("api:talent-estateskillrequirement-coverage")).json()
    assert coverage[0]["requirements"] == [{"skill": world["erp"].pk, "skill_name": "ERP", "min_level": 4}]


def test_gap_endpoints(client, world):
    admin = make_user("admin", superuser=True)
    api(client, admin)
    gap = client.get(reverse("api:talent-roleassignment-gap", args=[world["assignment"].pk])).json()
    assert gap == [{"skill": world["erp"].pk, "skill_name": "ERP", "required": 6, "actual": 5, "gap": 1}]
    url = reverse("api:talent-projectskilldemand-gap")
    rows = client.get(url, {"project": world["project"].pk, "team": world["team"].pk}).json()
    assert rows[0]["qualified"] == [world["ann"].pk] and rows[0]["shortfall"] == 1
    assert "team" in client.get(url, {"project": world["project"].pk}).json()
    assert "project" in client.get(url, {"project": 999999, "team": world["team"].pk}).json()
    workload = client.get(reverse("api:talent-roleassignment-workload")).json()
    assert workload == []


def test_raise_from_gap_endpoint(client, world):
    url = reverse("api:talent-openposition-raise-from-gap")
    assert (
        api(client, user_with(OpenPosition, "view")).post(url, {"service": world["service"].pk}).status_code
        == 403
    )
    api(client, make_user("admin", superuser=True))
    response = client.post(url, {"project": world["project"].pk, "team": world["team"].pk},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["reference"].startswith("POS")
    response = client.post(url, {}, content_type="application/json")
    assert response.status_code == 400 and "service" in response.json()


def test_library_import_endpoint(client, db):
    url = reverse("api:talent-skilllibrary-import-library")
    assert api(client, user_with(SkillLibrary, "view")).post(url, {"content": "x"}).status_code == 403
    api(client, make_user("admin", superuser=True))
    bad = client.post(
        url, {"content": "library: {urn: urn:x, name: X, version: '1'}"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "library.levels" in bad.json()["content"][0]
    assert not SkillLibrary.objects.exists()
    text = services.DEFAULT_LIBRARY.read_text()
    ok = client.post(url, {"content": text}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["created"] > 40


def test_validate_proficiency_endpoint(client, world):
    url = reverse("api:talent-proficiency-validate", args=[world["prof"].pk])
    assert api(client, user_with(Proficiency, "view")).post(url).status_code == 403
    api(client, user_with(Proficiency, "view", "change"))
    assert client.post(url).status_code == 403  # no person behind the user
    api(client, user_with(Proficiency, "view", "change", person=world["ann"]))
    response = client.post(url, {"level": 9}, content_type="application/json")
    assert response.status_code == 400
    api(client, user_with(Proficiency, "view", "change", person=world["boss"]))
    response = client.post(url, {"level": 9}, content_type="application/json")
    assert response.status_code == 400 and "level" in response.json()
    world["prof"].refresh_from_db()  # the refused validation changed nothing
    assert (world["prof"].level, world["prof"].assessment, world["prof"].validated_by) == (5, "self", None)
    response = client.post(url, {"level": 4}, content_type="application/json")
    assert response.status_code == 200 and response.json()["assessment"] == "validated"


# --- the acceptance story -------------------------------------------------------------------------
def test_demo_gap_analysis_names_single_person_services(client, db):
    """With the demo data, the key-person page names the services only one person can support."""
    n = 0
    for slug in demo.TEAM_SKILLS:
        team = Team.objects.create(name=slug.title(), slug=slug)
        for _ in range(5):
            n += 1
            team.members.add(
                Person.objects.create(first_name=f"P{n}", last_name=slug, email=f"p{n}@example.org")
            )
    for name in demo.SERVICE_SKILLS:
        Service.objects.create(name=name)
    Project.objects.create(name="ERP upgrade", start_date=dt.date(2027, 1, 4))
    summary = demo.load(rng=random.Random(7), scale=1.0)
    assert "key-person risks" in summary
    single = {str(c.target): c.names for c in services.key_person_risks() if c.kind == "service"}
    for name in ("ERP", "Payroll", "Identity and access"):
        assert len(single[name]) == 1, single
    assert "Server hosting" not in single and "CRM" not in single
    client.force_login(make_user("admin", superuser=True))
    body = client.get(reverse("talent:estateskillrequirement_coverage")).content.decode()
    assert "ERP" in body and single["ERP"][0] in body
    assert OpenPosition.objects.filter(title__contains="ERP").exists()
