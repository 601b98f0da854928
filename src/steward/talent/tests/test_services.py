"""Talent rules: library import, proficiencies, certification reminders, course completion, gaps,
key-person risk, positions raised from gaps, workload and skill-based incident routing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from steward.cmdb.models import CIClass
from steward.core import workflow as wf
from steward.core.models import Notification, ObjectChange
from steward.itsm import services as itsm
from steward.itsm.models import AssignmentRule, Incident, Service
from steward.org.models import Person, Team
from steward.projects.models import Project, Task
from steward.talent import services
from steward.talent.models import (
    Certification,
    CertificationHolding,
    Course,
    CourseSkill,
    Enrolment,
    EstateSkillRequirement,
    OpenPosition,
    Proficiency,
    ProficiencyLevel,
    ProjectSkillDemand,
    RoleAssignment,
    RoleProfile,
    RoleRequirement,
    Skill,
    SkillCategory,
    SkillLibrary,
)
from steward.utilities.testing import make_user

pytestmark = pytest.mark.django_db

LIBRARY = """
library:
  urn: urn:test:lib
  name: Test skills
  version: "1"
  levels:
{levels}
  categories:
    - urn: urn:test:cat:infra
      name: Infra
      skills:
        - {{urn: urn:test:skill:linux, name: Linux, code: LNX}}
        - {{urn: urn:test:skill:dba, name: Databases}}
"""
LEVELS = "\n".join(f"    - {{level: {n}, urn: 'urn:test:level:{n}', name: L{n}}}" for n in range(1, 8))


def people(*names, manager=None):
    return [
        Person.objects.create(first_name=n, last_name="T", email=f"{n.lower()}@example.org", manager=manager)
        for n in names
    ]


@pytest.fixture
def skills(db):
    category = SkillCategory.objects.create(name="Ops")
    return {
        n: Skill.objects.create(name=n, category=category) for n in ("Linux", "Databases", "Network", "ERP")
    }


# --- library ----------------------------------------------------------------------------------------
def test_library_import_creates_then_reimport_is_idempotent(events, django_capture_on_commit_callbacks):
    text = LIBRARY.format(levels=LEVELS)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.import_library(content=text, actor=None)
    assert (first.created, first.updated) == (7 + 1 + 2, 0)
    assert ProficiencyLevel.objects.count() == 7 and Skill.objects.count() == 2
    again = services.import_library(content=text, actor=None)
    assert (again.created, again.updated, again.unchanged, again.withdrawn) == (0, 0, 10, 0)
    assert [e.name for e in events] == ["talent.library.imported"]


def test_reimport_updates_by_urn_and_withdraws_what_left():
    services.import_library(content=LIBRARY.format(levels=LEVELS), actor=None)
    newer = (
        LIBRARY.format(levels=LEVELS)
        .replace('version: "1"', 'version: "2"')
        .replace("name: Linux,", "name: Linux systems,")
        .replace("        - {urn: urn:test:skill:dba, name: Databases}\n", "")
    )
    result = services.import_library(content=newer, actor=None)
    assert (result.updated, result.withdrawn) == (1, 1)
    linux = Skill.objects.get(urn="urn:test:skill:linux")
    assert linux.name == "Linux systems" and not linux.withdrawn
    assert Skill.objects.get(urn="urn:test:skill:dba").withdrawn
    assert SkillLibrary.objects.get().version == "2"


def test_shipped_library_loads_seven_levels_of_our_own():
    result = services.load_default_library()
    assert result.created > 40
    assert list(ProficiencyLevel.objects.values_list("name", flat=True)) == [
        "Aware", "Assisted", "Independent", "Accountable", "Authority", "Leader", "Strategist",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda t: t.replace("urn: urn:test:skill:dba", "urn: urn:test:skill:linux"),
         "library.categories[0].skills[1].urn"),
        (lambda t: t.replace("name: Databases", "name: Databases, colour: red"), "library.categories[0].skills[1].colour"),
        (lambda t: t.replace("{level: 3,", "{level: 9,"), "library.levels[2].level"),
        (lambda t: t.replace("    - {level: 7, urn: 'urn:test:level:7', name: L7}\n", ""), "library.levels"),
        (lambda t: t.replace("urn: urn:test:cat:infra", "urn: infra"), "library.categories[0].urn"),
        (lambda t: t.replace("name: Infra", "name: ''"), "library.categories[0].name"),
        (lambda t: t + "\n  : [", "$"),
    ],
)  # fmt: skip
def test_bad_library_names_the_entry_and_imports_nothing(mutate, path):
    text = mutate(LIBRARY.format(levels=LEVELS) + ("" if path != "$" else ""))
    with pytest.raises(services.LibraryError) as exc:
        services.import_library(content=text, actor=None)
    assert exc.value.path == path
    assert (
        not Skill.objects.exists()
        and not SkillLibrary.objects.exists()
        and not ProficiencyLevel.objects.exists()
    )


def test_import_command_reports_and_refuses_bad_files(tmp_path, capsys):
    good = tmp_path / "skills.yaml"
    good.write_text(LIBRARY.format(levels=LEVELS))
    call_command("talent_import", str(good))
    assert "10 created" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text("library: [1, 2]")
    with pytest.raises(CommandError, match="Nothing imported. library: expected a mapping"):
        call_command("talent_import", str(bad))


# --- proficiencies ----------------------------------------------------------------------------------
def test_level_outside_the_scale_is_refused_naming_the_field(skills):
    (ann,) = people("Ann")
    for bad in (0, 8):
        with pytest.raises(ValidationError) as exc:
            services.assess_proficiency(person=ann, skill=skills["Linux"], level=bad, actor=None)
        assert "level" in exc.value.message_dict and "between 1 and 7" in exc.value.message_dict["level"][0]
        prof = Proficiency(person=ann, skill=skills["Linux"], level=bad)
        with pytest.raises(ValidationError) as exc:
            prof.full_clean()
        assert exc.value.message_dict["level"] == ["The level must be between 1 and 7."]
    assert not Proficiency.objects.exists()


def test_self_assessment_then_manager_validation_keeps_history(skills):
    (boss,) = people("Boss")
    ann, other = people("Ann", "Other", manager=boss)
    prof = services.assess_proficiency(person=ann, skill=skills["Linux"], level=3, actor=None)
    assert prof.assessment == "self" and prof.validated_by is None
    with pytest.raises(ValidationError) as exc:
        services.validate_proficiency(proficiency=prof, validator=other, actor=None)
    assert "validated_by" in exc.value.message_dict
    services.validate_proficiency(
        proficiency=prof, validator=boss, actor=None, level=4, on=dt.date(2026, 5, 1)
    )
    prof.refresh_from_db()
    assert (prof.level, prof.assessment, prof.validated_by, prof.validated_on) == (
        4,
        "validated",
        boss,
        dt.date(2026, 5, 1),
    )
    # A new self-assessment clears the validation; the change log keeps every version.
    services.assess_proficiency(person=ann, skill=skills["Linux"], level=5, actor=None)
    prof.refresh_from_db()
    assert (prof.level, prof.assessment, prof.validated_by) == (5, "self", None)
    ct = ContentType.objects.get_for_model(Proficiency)
    levels = [c.postchange_data["level"] for c in ObjectChange.objects.filter(
        changed_object_type=ct, changed_object_id=prof.pk).order_by("seq")]  # fmt: skip
    assert levels == [3, 4, 5]


def test_validated_proficiency_needs_validator_and_date_and_not_oneself(skills):
    (ann,) = people("Ann")
    prof = Proficiency(person=ann, skill=skills["Linux"], level=3, assessment="validated")
    with pytest.raises(ValidationError) as exc:
        prof.full_clean()
    assert "validated_by" in exc.value.message_dict
    prof.validated_by, prof.validated_on = ann, dt.date(2026, 1, 1)
    with pytest.raises(ValidationError, match="their own"):
        prof.full_clean()


# --- certifications ---------------------------------------------------------------------------------
def test_expiry_is_computed_from_validity_or_given():
    (ann,) = people("Ann")
    cert = Certification.objects.create(name="Cloud", issuer="V", validity_months=24)
    holding = CertificationHolding(person=ann, certification=cert, obtained=dt.date(2026, 1, 31))
    holding.full_clean()
    assert holding.expires == dt.date(2028, 1, 31)
    given = CertificationHolding(person=ann, certification=cert, obtained=dt.date(2026, 1, 1),
                                 expires=dt.date(2026, 6, 30))  # fmt: skip
    given.full_clean()
    assert given.expires == dt.date(2026, 6, 30)
    given.expires = dt.date(2025, 1, 1)
    with pytest.raises(ValidationError) as exc:
        given.full_clean()
    assert "expires" in exc.value.message_dict


def test_reminder_days_must_be_whole_days():
    cert = Certification(name="X", issuer="V", reminder_days=[30, "soon"])
    with pytest.raises(ValidationError) as exc:
        cert.full_clean()
    assert "reminder_days" in exc.value.message_dict


def test_reminders_once_per_holding_per_threshold(events, django_capture_on_commit_callbacks):
    ann, bob = people("Ann", "Bob")
    ann.user = make_user("ann")
    ann.save()
    cert = Certification.objects.create(name="Cloud", issuer="V", reminder_days=[90, 30, 7])
    expires = dt.date(2027, 3, 31)
    holding = CertificationHolding.objects.create(person=ann, certification=cert, obtained=dt.date(2025, 1, 1),
                                                  expires=expires)  # fmt: skip
    CertificationHolding.objects.create(person=bob, certification=cert, obtained=dt.date(2025, 1, 1),
                                        expires=dt.date(2030, 1, 1))  # fmt: skip

    def run(days_before):
        with django_capture_on_commit_callbacks(execute=True):
            return services.send_certification_reminders(today=expires - dt.timedelta(days=days_before))

    assert run(100) == []
    assert [t for _h, t in run(90)] == [90]
    assert run(89) == [] and run(60) == []  # daily runs stay quiet until the next threshold
    assert [t for _h, t in run(30)] == [30]
    assert run(29) == []
    assert [t for _h, t in run(7)] == [7]
    assert run(3) == [] and run(-1) == []
    assert [e.data["threshold"] for e in events] == [90, 30, 7]
    assert events[0].data["days_left"] == 90 and events[0].object_id == holding.pk
    assert (
        Notification.objects.filter(recipient=ann.user, kind=services.CERTIFICATION_NOTIFICATION).count() == 3
    )


def test_a_late_record_gets_only_the_nearest_reminder_and_renewal_starts_again():
    (ann,) = people("Ann")
    cert = Certification.objects.create(name="Cloud", issuer="V", reminder_days=[90, 30, 7])
    today = dt.date(2027, 1, 1)
    holding = CertificationHolding.objects.create(person=ann, certification=cert, obtained=dt.date(2025, 1, 1),
                                                  expires=today + dt.timedelta(days=20))  # fmt: skip
    assert [t for _h, t in services.send_certification_reminders(today=today)] == [30]
    holding.refresh_from_db()
    assert holding.reminded == [90, 30]
    holding.expires = today + dt.timedelta(days=400)  # renewed
    holding.save()
    assert services.send_certification_reminders(today=today + dt.timedelta(days=310)) != []


# --- training ---------------------------------------------------------------------------------------
@pytest.fixture
def course(skills):
    course = Course.objects.create(title="DB admin", cost=Decimal("1200.00"), currency="EUR")
    CourseSkill.objects.create(course=course, skill=skills["Databases"], target_level=4)
    CourseSkill.objects.create(course=course, skill=skills["Linux"], target_level=2)
    return course


def test_completing_announces_the_cost_for_finance(course, events, django_capture_on_commit_callbacks):
    (ann,) = people("Ann")
    enrolment = Enrolment.objects.create(person=ann, course=course)
    assert enrolment.state == "planned"
    admin = make_user("admin", superuser=True)
    wf.transition(obj=enrolment, name="enrol", actor=admin)
    hooked = []
    services.COMPLETION_HOOKS.append(hooked.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.complete_enrolment(
                enrolment=enrolment, actor=admin, completion_date=dt.date(2027, 2, 1), score=88
            )
    finally:
        services.COMPLETION_HOOKS.remove(hooked.append)
    enrolment.refresh_from_db()
    assert (enrolment.state, enrolment.score) == ("completed", 88)
    (event,) = events
    assert event.name == "talent.enrolment.completed"
    assert (event.data["cost"], event.data["currency"]) == ("1200.00", "EUR")
    assert [e.pk for e in hooked] == [enrolment.pk]


def test_complete_needs_a_completion_date(course):
    (ann,) = people("Ann")
    enrolment = Enrolment.objects.create(person=ann, course=course, state="enrolled")
    with pytest.raises(ValidationError) as exc:
        wf.transition(obj=enrolment, name="complete", actor=make_user("admin", superuser=True))
    assert "completion_date" in exc.value.message_dict


def test_validating_a_completed_course_raises_proficiencies_never_lowers(course, skills):
    (boss,) = people("Boss")
    (ann,) = people("Ann", manager=boss)
    Proficiency.objects.create(person=ann, skill=skills["Linux"], level=3)
    enrolment = Enrolment.objects.create(person=ann, course=course, state="enrolled")
    with pytest.raises(ValidationError, match="Only a completed"):
        services.validate_enrolment(enrolment=enrolment, validator=boss, actor=None)
    Enrolment.objects.filter(pk=enrolment.pk).update(state="completed", completion_date=dt.date(2027, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.validate_enrolment(enrolment=enrolment, validator=ann, actor=None)
    assert "validated_by" in exc.value.message_dict
    raised = services.validate_enrolment(enrolment=enrolment, validator=boss, actor=None)
    assert [(p.skill.name, p.level, p.assessment) for p in raised] == [("Databases", 4, "validated")]
    assert Proficiency.objects.get(person=ann, skill=skills["Linux"]).level == 3
    with pytest.raises(ValidationError, match="already validated"):
        services.validate_enrolment(enrolment=enrolment, validator=boss, actor=None)


# --- gaps ---------------------------------------------------------------------------------------------
def test_person_against_their_role(skills):
    (ann,) = people("Ann")
    role = RoleProfile.objects.create(name="DBA")
    RoleRequirement.objects.create(role_profile=role, skill=skills["Databases"], min_level=4)
    RoleRequirement.objects.create(role_profile=role, skill=skills["Linux"], min_level=3)
    assert services.person_gap(person=ann) == []  # no role yet
    RoleAssignment.objects.create(person=ann, role_profile=role)
    Proficiency.objects.create(person=ann, skill=skills["Linux"], level=3)
    Proficiency.objects.create(person=ann, skill=skills["Databases"], level=2)
    ann.refresh_from_db()
    rows = [(g.skill.name, g.required, g.actual, g.gap) for g in services.person_gap(person=ann)]
    assert rows == [("Databases", 4, 2, 2), ("Linux", 3, 3, 0)]


def test_team_against_project_demand(skills):
    team = Team.objects.create(name="Apps", slug="apps")
    ann, bob, cid = people("Ann", "Bob", "Cid")
    team.members.add(ann, bob)
    project = Project.objects.create(name="ERP upgrade", start_date=dt.date(2027, 1, 4))
    ProjectSkillDemand.objects.create(project=project, skill=skills["ERP"], min_level=4, count=2)
    ProjectSkillDemand.objects.create(project=project, skill=skills["Linux"], min_level=2, count=1)
    Proficiency.objects.create(person=ann, skill=skills["ERP"], level=5)
    Proficiency.objects.create(person=bob, skill=skills["ERP"], level=3)
    Proficiency.objects.create(person=cid, skill=skills["ERP"], level=6)  # not in the team
    Proficiency.objects.create(person=bob, skill=skills["Linux"], level=2)
    rows = services.team_project_gap(team=team, project=project)
    assert [(g.skill.name, [str(p) for p in g.qualified], g.shortfall) for g in rows] == [
        ("ERP", ["Ann T"], 1), ("Linux", ["Bob T"], 0),
    ]  # fmt: skip
    position = services.raise_position_for_project(team=team, project=project, actor=None)
    assert [(s.skill.name, s.min_level) for s in position.skills.all()] == [("ERP", 4)]
    assert position.project == project and position.team == team and position.state == "open"


@pytest.fixture
def estate(skills):
    erp, hosting = Service.objects.create(name="ERP"), Service.objects.create(name="Server hosting")
    server = CIClass.objects.get_or_create(slug="server", defaults={"name": "Server"})[0]
    EstateSkillRequirement.objects.create(service=erp, skill=skills["ERP"], min_level=4)
    EstateSkillRequirement.objects.create(service=hosting, skill=skills["Linux"], min_level=3)
    EstateSkillRequirement.objects.create(service=hosting, skill=skills["Network"], min_level=2)
    EstateSkillRequirement.objects.create(ci_class=server, skill=skills["Linux"], min_level=3)
    ann, bob, cid, dan = people("Ann", "Bob", "Cid", "Dan")
    for person, skill, level in ((ann, "ERP", 5), (bob, "ERP", 3), (ann, "Linux", 3), (bob, "Linux", 4),
                                 (cid, "Linux", 5), (bob, "Network", 2), (cid, "Network", 1),
                                 (dan, "ERP", 6)):  # fmt: skip
        Proficiency.objects.create(person=person, skill=skills[skill], level=level)
    dan.status = "left"
    dan.save()
    return {"erp": erp, "hosting": hosting, "server": server}


def test_estate_coverage_counts_people_holding_every_required_skill(estate):
    coverage = {str(c.target): c.count for c in services.estate_coverage()}
    # ERP: Ann only (Bob is below the level, Dan has left); hosting: Bob only (needs both skills).
    assert coverage == {"ERP": 1, "Server hosting": 1, "Server": 3}


def test_key_person_risk_names_the_single_person_services_in_few_queries(estate):
    with CaptureQueriesContext(connection) as queries:
        risks = services.key_person_risks()
    assert len(queries) <= 3
    assert {(str(c.target), tuple(c.names)) for c in risks} == {
        ("ERP", ("Ann T",)),
        ("Server hosting", ("Bob T",)),
    }
    assert [str(c.target) for c in services.key_person_risks(minimum=4)] == [
        "ERP",
        "Server hosting",
        "Server",
    ]
    assert services.key_person_risks(kind="ci_class") == []
    with pytest.raises(ValidationError) as exc:
        services.key_person_risks(minimum=0)
    assert "minimum" in exc.value.message_dict


def test_estate_query_count_does_not_grow_with_targets(skills):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            services.key_person_risks()
        return len(ctx)

    (ann,) = people("Ann")
    Proficiency.objects.create(person=ann, skill=skills["Linux"], level=4)
    EstateSkillRequirement.objects.create(
        service=Service.objects.create(name="S0"), skill=skills["Linux"], min_level=3
    )
    few = queries()
    for n in range(1, 20):
        svc = Service.objects.create(name=f"S{n}")
        EstateSkillRequirement.objects.create(
            service=svc, skill=skills["ERP" if n % 2 else "Linux"], min_level=3
        )
    assert queries() == few


def test_raise_position_from_a_service_gap(estate):
    position = services.raise_position_from_gap(actor=None, service=estate["hosting"])
    assert OpenPosition.objects.get() == position and position.reference.startswith("POS")
    assert sorted((s.skill.name, s.min_level) for s in position.skills.all()) == [
        ("Linux", 3),
        ("Network", 2),
    ]
    assert "Only 1 qualified" in position.reason
    with pytest.raises(ValidationError) as exc:
        services.raise_position_from_gap(actor=None, service=Service.objects.create(name="No skills"))
    assert "service" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.raise_position_from_gap(actor=None)


def test_raise_position_refuses_bad_skills_and_writes_nothing(skills):
    with pytest.raises(ValidationError) as exc:
        services.raise_position(title="X", skills=[(skills["Linux"], 3), (skills["ERP"], 9)], actor=None)
    assert "Skill 2" in exc.value.message_dict["skills"][0]
    with pytest.raises(ValidationError) as exc:
        services.raise_position(title="X", skills=[], actor=None)
    assert "skills" in exc.value.message_dict
    assert not OpenPosition.objects.exists()


def test_estate_requirement_names_exactly_one_target(skills):
    req = EstateSkillRequirement(skill=skills["Linux"], min_level=3)
    with pytest.raises(ValidationError) as exc:
        req.full_clean()
    assert "service" in exc.value.message_dict
    req.service, req.ci_class = Service.objects.create(name="A"), CIClass.objects.create(name="Zz", slug="zz")
    with pytest.raises(ValidationError):
        req.full_clean()


def test_role_on_a_path_needs_a_step():
    from steward.talent.models import CareerPath

    role = RoleProfile(name="R", career_path=CareerPath.objects.create(name="P"))
    with pytest.raises(ValidationError) as exc:
        role.full_clean()
    assert "step" in exc.value.message_dict


# --- workload -----------------------------------------------------------------------------------------
def test_workload_counts_open_itsm_work_and_remaining_project_hours():
    ann, bob = people("Ann", "Bob")
    desk = Team.objects.create(name="Desk", slug="desk")
    desk.members.add(ann)
    itsm.create_incident(actor=None, short_description="a", assignment_team=desk, assignee=ann)
    itsm.create_incident(actor=None, short_description="b", assignment_team=desk, assignee=ann)
    done = itsm.create_incident(actor=None, short_description="c", assignment_team=desk, assignee=ann)
    Incident.objects.filter(pk=done.pk).update(state="closed")
    project = Project.objects.create(name="P", start_date=dt.date(2027, 1, 4))
    Task.objects.create(project=project, name="T1", assignee=bob, estimate_hours=Decimal(40), allocation=50,
                        percent_complete=50)  # fmt: skip
    Task.objects.create(
        project=project, name="T2", assignee=bob, estimate_hours=Decimal(8), percent_complete=100
    )
    rows = {str(w.person): (w.incidents, w.project_tasks, w.project_hours) for w in services.workload()}
    assert rows == {"Ann T": (2, 0, Decimal("0.0")), "Bob T": (0, 1, Decimal("10.0"))}
    (only,) = services.workload(people=[bob])
    assert only.items == 1


# --- routing by skill (itsm) --------------------------------------------------------------------------
def test_routing_rule_with_a_skill_picks_the_least_loaded_qualified_member(skills):
    team = Team.objects.create(name="DBA", slug="dba")
    ann, bob, cid = people("Ann", "Bob", "Cid")
    team.members.add(ann, bob, cid)
    Proficiency.objects.create(person=ann, skill=skills["Databases"], level=5)
    Proficiency.objects.create(person=bob, skill=skills["Databases"], level=2)  # not enough
    Proficiency.objects.create(person=cid, skill=skills["Databases"], level=4)
    itsm.create_incident(actor=None, short_description="busy", assignment_team=team, assignee=ann)
    db_service = Service.objects.create(name="Database platform")
    AssignmentRule.objects.create(name="DB", service=db_service, team=team, method="least_loaded",
                                  required_skill=skills["Databases"], required_level=4)  # fmt: skip
    first = itsm.create_incident(actor=None, short_description="slow", service=db_service)
    assert (first.assignment_team, first.assignee) == (team, cid)  # Bob is idle but not qualified
    second = itsm.create_incident(actor=None, short_description="locks", service=db_service)
    assert second.assignee in (ann, cid) and second.assignee != bob


def test_routing_rule_without_a_qualified_member_sets_the_team_only(skills):
    team = Team.objects.create(name="DBA", slug="dba")
    team.members.add(*people("Ann"))
    AssignmentRule.objects.create(name="DB", team=team, method="least_loaded", required_skill=skills["Databases"],
                                  required_level=6)  # fmt: skip
    incident = itsm.create_incident(actor=None, short_description="x")
    assert (incident.assignment_team, incident.assignee) == (team, None)


def test_routing_rule_skill_and_level_go_together(skills):
    team = Team.objects.create(name="DBA", slug="dba")
    rule = AssignmentRule(name="R", team=team, method="least_loaded", required_skill=skills["Linux"])
    with pytest.raises(ValidationError) as exc:
        rule.full_clean()
    assert "required_level" in exc.value.message_dict
    rule.required_level, rule.method = 3, "team"
    with pytest.raises(ValidationError) as exc:
        rule.full_clean()
    assert "method" in exc.value.message_dict
    rule.required_level = 8
    with pytest.raises(ValidationError) as exc:
        rule.full_clean()
    assert "required_level" in exc.value.message_dict
