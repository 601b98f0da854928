"""The generic UI and API test cases applied to every talent model: each class gives data only."""

from __future__ import annotations

import datetime as dt

from steward.itsm.models import Service
from steward.org.models import Person, Team
from steward.projects.models import Project
from steward.talent.models import (
    CareerPath,
    Certification,
    CertificationHolding,
    Course,
    CourseSkill,
    DevelopmentAction,
    DevelopmentPlan,
    Enrolment,
    EstateSkillRequirement,
    OpenPosition,
    PositionSkill,
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
from steward.utilities.testing.api import APITestCases
from steward.utilities.testing.views import ViewTestCases


def person(n: int | str) -> Person:
    return Person.objects.create(first_name="P", last_name=f"Person {n}", email=f"p{n}@example.org")


def skill(name: str) -> Skill:
    category = SkillCategory.objects.get_or_create(name="Generic")[0]
    return Skill.objects.create(name=name, category=category)


def service(name: str) -> Service:
    return Service.objects.create(name=name)


def project(name: str) -> Project:
    return Project.objects.create(name=name, start_date=dt.date(2027, 1, 4))


# --- catalogue ------------------------------------------------------------------------------------
class SkillLibraryData:
    model = SkillLibrary
    csv_data = (
        "urn,name,version",
        "urn:test:a,A,1",
        "urn:test:b,B,2",
        "urn:test:c,C,3",
    )
    bulk_edit_data = {"publisher": "Us"}
    invalid_data = {"urn": "not-a-urn"}
    field_constraint = {"publisher": ""}
    move_out_data = {"publisher": "Them"}
    create_data = {"urn": "urn:test:new", "name": "New", "version": "1"}
    api_create_data = [{"urn": f"urn:test:api{n}", "name": f"API {n}", "version": "1"} for n in range(3)]

    @classmethod
    def setUpTestData(cls) -> None:
        for n in range(3):
            SkillLibrary.objects.create(urn=f"urn:test:lib{n}", name=f"Lib {n}", version="1")


class SkillLibraryViewTest(SkillLibraryData, ViewTestCases.ObjectViewTestCase):
    pass


class SkillLibraryAPITest(SkillLibraryData, APITestCases.APIViewTestCase):
    pass


class ProficiencyLevelData:
    model = ProficiencyLevel
    csv_data = ("level,name", "4,Four", "5,Five", "6,Six")
    bulk_edit_data = {"description": "Described"}
    invalid_data = {"level": "9"}
    field_constraint = {"description": ""}
    move_out_data = {"description": "moved"}
    create_data = {"level": "7", "name": "Seven"}
    api_create_data = [{"level": n, "name": f"L{n}"} for n in (4, 5, 6)]

    @classmethod
    def setUpTestData(cls) -> None:
        for n in (1, 2, 3):
            ProficiencyLevel.objects.create(level=n, name=f"Level {n}")


class ProficiencyLevelViewTest(ProficiencyLevelData, ViewTestCases.ObjectViewTestCase):
    pass


class ProficiencyLevelAPITest(ProficiencyLevelData, APITestCases.APIViewTestCase):
    pass


class SkillCategoryData:
    model = SkillCategory
    csv_data = ("name,description", "Cat A,a", "Cat B,b", "Cat C,c")
    bulk_edit_data = {"description": "Shared"}
    invalid_data = {"name": ""}
    field_constraint = {"description": ""}
    move_out_data = {"description": "moved"}
    create_data = {"name": "New category"}
    api_create_data = [{"name": f"API category {n}"} for n in range(3)]

    @classmethod
    def setUpTestData(cls) -> None:
        for n in range(3):
            SkillCategory.objects.create(name=f"Category {n}")


class SkillCategoryViewTest(SkillCategoryData, ViewTestCases.ObjectViewTestCase):
    pass


class SkillCategoryAPITest(SkillCategoryData, APITestCases.APIViewTestCase):
    pass


class SkillData:
    model = Skill
    bulk_edit_data = {"code": "X"}
    invalid_data = {"category": "999999"}
    field_constraint = {"code": ""}
    move_out_data = {"code": "Y"}

    @classmethod
    def setUpTestData(cls) -> None:
        category = SkillCategory.objects.create(name="Infra")
        for n in range(3):
            Skill.objects.create(name=f"Skill {n}", category=category)
        cls.csv_data = ("name,category", "Linux,Infra", "Windows,Infra", "Storage,Infra")
        cls.create_data = {"name": "New skill", "category": category.pk}
        cls.api_create_data = [{"name": f"API skill {n}", "category": category.pk} for n in range(3)]


class SkillViewTest(SkillData, ViewTestCases.ObjectViewTestCase):
    pass


class SkillAPITest(SkillData, APITestCases.APIViewTestCase):
    pass


class ProficiencyData:
    model = Proficiency
    bulk_edit_data = {"notes": "Checked"}
    invalid_data = {"level": "8"}
    field_constraint = {"level__lte": 4}
    move_out_data = {"level": "6"}

    @classmethod
    def setUpTestData(cls) -> None:
        people = [person(n) for n in range(4)]
        skills = [skill(f"S{n}") for n in range(4)]
        for n in range(3):
            Proficiency.objects.create(person=people[n], skill=skills[n], level=3)
        cls.csv_data = (
            "person,skill,level",
            f"{people[3].email},S0,2",
            f"{people[3].email},S1,3",
            f"{people[3].email},S2,4",
        )
        cls.create_data = {"person": people[0].pk, "skill": skills[3].pk, "level": "4", "assessment": "self"}
        cls.api_create_data = [{"person": people[1].pk, "skill": skills[s].pk, "level": 2} for s in (0, 2, 3)]


class ProficiencyViewTest(ProficiencyData, ViewTestCases.ObjectViewTestCase):
    pass


class ProficiencyAPITest(ProficiencyData, APITestCases.APIViewTestCase):
    pass


# --- certifications and training -------------------------------------------------------------------
class CertificationData:
    model = Certification
    csv_data = ("name,issuer,validity_months", "Cert A,Body,12", "Cert B,Body,24", "Cert C,Body,")
    bulk_edit_data = {"issuer": "Other body"}
    invalid_data = {"validity_months": "0"}
    field_constraint = {"issuer": "Body"}
    move_out_data = {"issuer": "Elsewhere"}
    create_data = {"name": "New cert", "issuer": "Body", "validity_months": "36", "reminder_days": "[60, 7]"}
    api_create_data = [{"name": f"API cert {n}", "issuer": "Body", "reminder_days": [30]} for n in range(3)]

    @classmethod
    def setUpTestData(cls) -> None:
        for n in range(3):
            Certification.objects.create(name=f"Cert {n}", issuer="Body", validity_months=24)


class CertificationViewTest(CertificationData, ViewTestCases.ObjectViewTestCase):
    pass


class CertificationAPITest(CertificationData, APITestCases.APIViewTestCase):
    pass


class CertificationHoldingData:
    model = CertificationHolding
    bulk_edit_data = {"credential_id": "ABC"}
    invalid_data = {"expires": "2020-01-01"}
    field_constraint = {"credential_id": ""}
    move_out_data = {"credential_id": "moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        cert = Certification.objects.create(name="Cloud", issuer="Vendor")  # never expires: nothing computed
        people = [person(n) for n in range(3)]
        for p in people:
            CertificationHolding.objects.create(person=p, certification=cert, obtained=dt.date(2026, 1, 1))
        cls.csv_data = (
            "person,certification,obtained",
            f"{people[0].email},Cloud,2026-02-01",
            f"{people[1].email},Cloud,2026-03-01",
            f"{people[2].email},Cloud,2026-04-01",
        )
        cls.create_data = {"person": people[0].pk, "certification": cert.pk, "obtained": "2026-05-01",
                           "expires": "2028-05-01"}  # fmt: skip
        cls.api_create_data = [
            {"person": p.pk, "certification": cert.pk, "obtained": "2026-06-01", "expires": "2028-06-01"}
            for p in people
        ]


class CertificationHoldingViewTest(CertificationHoldingData, ViewTestCases.ObjectViewTestCase):
    pass


class CertificationHoldingAPITest(CertificationHoldingData, APITestCases.APIViewTestCase):
    pass


class CourseData:
    model = Course
    csv_data = ("title,provider,cost,currency", "C1,Academy,100,EUR", "C2,Academy,200,USD", "C3,School,0,EUR")
    bulk_edit_data = {"provider": "Other"}
    invalid_data = {"currency": "XXZ"}
    field_constraint = {"provider": "Academy"}
    move_out_data = {"provider": "School"}
    create_data = {"title": "New course", "provider": "Academy", "duration_hours": "8", "cost": "500",
                   "currency": "EUR"}  # fmt: skip
    api_create_data = [{"title": f"API course {n}", "cost": "10.00", "currency": "GBP"} for n in range(3)]

    @classmethod
    def setUpTestData(cls) -> None:
        for n in range(3):
            Course.objects.create(title=f"Course {n}", provider="Academy")


class CourseViewTest(CourseData, ViewTestCases.ObjectViewTestCase):
    pass


class CourseAPITest(CourseData, APITestCases.APIViewTestCase):
    pass


class CourseSkillData:
    model = CourseSkill
    bulk_edit_data = {"target_level": "4"}
    invalid_data = {"target_level": "0"}
    field_constraint = {"target_level": 3}
    move_out_data = {"target_level": "5"}

    @classmethod
    def setUpTestData(cls) -> None:
        course = Course.objects.create(title="K8s")
        skills = [skill(f"S{n}") for n in range(6)]
        for n in range(3):
            CourseSkill.objects.create(course=course, skill=skills[n], target_level=3)
        cls.csv_data = ("course,skill,target_level", "K8s,S3,2", "K8s,S4,3", "K8s,S5,4")
        cls.create_data = {"course": course.pk, "skill": skills[3].pk, "target_level": "3"}
        cls.api_create_data = [
            {"course": course.pk, "skill": skills[n].pk, "target_level": 2} for n in (3, 4, 5)
        ]


class CourseSkillViewTest(CourseSkillData, ViewTestCases.ObjectViewTestCase):
    pass


class CourseSkillAPITest(CourseSkillData, APITestCases.APIViewTestCase):
    pass


class EnrolmentData:
    model = Enrolment
    bulk_edit_data = {"start_date": "2027-02-01"}
    invalid_data = {"score": "101"}
    field_constraint = {"score__isnull": True}
    move_out_data = {"score": "50"}

    @classmethod
    def setUpTestData(cls) -> None:
        course = Course.objects.create(title="K8s")
        people = [person(n) for n in range(3)]
        for p in people:
            Enrolment.objects.create(person=p, course=course)
        cls.csv_data = (
            "person,course,start_date",
            f"{people[0].email},K8s,2027-01-01",
            f"{people[1].email},K8s,2027-01-02",
            f"{people[2].email},K8s,2027-01-03",
        )
        cls.create_data = {"person": people[0].pk, "course": course.pk, "start_date": "2027-03-01"}
        cls.api_create_data = [{"person": p.pk, "course": course.pk} for p in people]


class EnrolmentViewTest(EnrolmentData, ViewTestCases.ObjectViewTestCase):
    pass


class EnrolmentAPITest(EnrolmentData, APITestCases.APIViewTestCase):
    pass


# --- roles, demand and positions -------------------------------------------------------------------
class CareerPathData:
    model = CareerPath
    csv_data = ("name,description", "Path A,a", "Path B,b", "Path C,c")
    bulk_edit_data = {"description": "Ladder"}
    invalid_data = {"name": ""}
    field_constraint = {"description": ""}
    move_out_data = {"description": "moved"}
    create_data = {"name": "New path"}
    api_create_data = [{"name": f"API path {n}"} for n in range(3)]

    @classmethod
    def setUpTestData(cls) -> None:
        for n in range(3):
            CareerPath.objects.create(name=f"Path {n}")


class CareerPathViewTest(CareerPathData, ViewTestCases.ObjectViewTestCase):
    pass


class CareerPathAPITest(CareerPathData, APITestCases.APIViewTestCase):
    pass


class RoleProfileData:
    model = RoleProfile
    bulk_edit_data = {"description": "Role"}
    invalid_data = {"step": "0"}
    field_constraint = {"description": ""}
    move_out_data = {"description": "moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        path = CareerPath.objects.create(name="Infra")
        for n in range(3):
            RoleProfile.objects.create(name=f"Role {n}")
        cls.csv_data = ("name,career_path,step", "Junior,Infra,1", "Mid,Infra,2", "Senior,Infra,3")
        cls.create_data = {"name": "New role", "career_path": path.pk, "step": "1"}
        cls.api_create_data = [
            {"name": f"API role {n}", "career_path": path.pk, "step": n + 4} for n in range(3)
        ]


class RoleProfileViewTest(RoleProfileData, ViewTestCases.ObjectViewTestCase):
    pass


class RoleProfileAPITest(RoleProfileData, APITestCases.APIViewTestCase):
    pass


class RoleRequirementData:
    model = RoleRequirement
    bulk_edit_data = {"min_level": "4"}
    invalid_data = {"min_level": "12"}
    field_constraint = {"min_level": 3}
    move_out_data = {"min_level": "5"}

    @classmethod
    def setUpTestData(cls) -> None:
        role = RoleProfile.objects.create(name="Engineer")
        skills = [skill(f"S{n}") for n in range(6)]
        for n in range(3):
            RoleRequirement.objects.create(role_profile=role, skill=skills[n], min_level=3)
        cls.csv_data = ("role_profile,skill,min_level", "Engineer,S3,2", "Engineer,S4,3", "Engineer,S5,4")
        cls.create_data = {"role_profile": role.pk, "skill": skills[3].pk, "min_level": "3"}
        cls.api_create_data = [
            {"role_profile": role.pk, "skill": skills[n].pk, "min_level": 2} for n in (3, 4, 5)
        ]


class RoleRequirementViewTest(RoleRequirementData, ViewTestCases.ObjectViewTestCase):
    pass


class RoleRequirementAPITest(RoleRequirementData, APITestCases.APIViewTestCase):
    pass


class RoleAssignmentData:
    model = RoleAssignment
    bulk_edit_data = {"since": "2026-01-01"}
    invalid_data = {"role_profile": "999999"}
    field_constraint = {"since__isnull": True}
    move_out_data = {"since": "2026-02-01"}

    @classmethod
    def setUpTestData(cls) -> None:
        role = RoleProfile.objects.create(name="Engineer")
        people = [person(n) for n in range(9)]
        for p in people[:3]:
            RoleAssignment.objects.create(person=p, role_profile=role)
        cls.csv_data = ("person,role_profile", *(f"{p.email},Engineer" for p in people[3:6]))
        cls.create_data = {"person": people[6].pk, "role_profile": role.pk}
        cls.api_create_data = [{"person": p.pk, "role_profile": role.pk} for p in people[6:9]]


class RoleAssignmentViewTest(RoleAssignmentData, ViewTestCases.ObjectViewTestCase):
    pass


class RoleAssignmentAPITest(RoleAssignmentData, APITestCases.APIViewTestCase):
    pass


class ProjectSkillDemandData:
    model = ProjectSkillDemand
    bulk_edit_data = {"count": "2"}
    invalid_data = {"min_level": "0"}
    field_constraint = {"count": 1}
    move_out_data = {"count": "5"}

    @classmethod
    def setUpTestData(cls) -> None:
        proj = project("ERP upgrade")
        skills = [skill(f"S{n}") for n in range(6)]
        for n in range(3):
            ProjectSkillDemand.objects.create(project=proj, skill=skills[n], min_level=3, count=1)
        cls.csv_data = ("project,skill,min_level,count", *(f"{proj.reference},S{n},3,1" for n in (3, 4, 5)))
        cls.create_data = {"project": proj.pk, "skill": skills[3].pk, "min_level": "3", "count": "1"}
        cls.api_create_data = [
            {"project": proj.pk, "skill": skills[n].pk, "min_level": 4, "count": 2} for n in (3, 4, 5)
        ]


class ProjectSkillDemandViewTest(ProjectSkillDemandData, ViewTestCases.ObjectViewTestCase):
    pass


class ProjectSkillDemandAPITest(ProjectSkillDemandData, APITestCases.APIViewTestCase):
    pass


class EstateSkillRequirementData:
    model = EstateSkillRequirement
    bulk_edit_data = {"notes": "Checked"}
    invalid_data = {"min_level": "8"}
    field_constraint = {"min_level": 3}
    move_out_data = {"min_level": "5"}

    @classmethod
    def setUpTestData(cls) -> None:
        svc = service("ERP")
        skills = [skill(f"S{n}") for n in range(6)]
        for n in range(3):
            EstateSkillRequirement.objects.create(service=svc, skill=skills[n], min_level=3)
        cls.csv_data = ("service,skill,min_level", "ERP,S3,3", "ERP,S4,3", "ERP,S5,3")
        cls.create_data = {"service": svc.pk, "skill": skills[3].pk, "min_level": "3"}
        cls.api_create_data = [{"service": svc.pk, "skill": skills[n].pk, "min_level": 3} for n in (3, 4, 5)]


class EstateSkillRequirementViewTest(EstateSkillRequirementData, ViewTestCases.ObjectViewTestCase):
    pass


class EstateSkillRequirementAPITest(EstateSkillRequirementData, APITestCases.APIViewTestCase):
    pass


class OpenPositionData:
    model = OpenPosition
    csv_data = ("title,reason", "DBA,Gap", "Network engineer,Gap", "Analyst,Growth")
    bulk_edit_data = {"reason": "Growth"}
    invalid_data = {"team": "999999"}
    field_constraint = {"reason": ""}
    move_out_data = {"reason": "moved"}
    create_data = {"title": "New position"}
    api_create_data = [{"title": f"API position {n}"} for n in range(3)]

    @classmethod
    def setUpTestData(cls) -> None:
        Team.objects.create(name="Ops", slug="ops")
        for n in range(3):
            OpenPosition.objects.create(title=f"Position {n}")


class OpenPositionViewTest(OpenPositionData, ViewTestCases.ObjectViewTestCase):
    pass


class OpenPositionAPITest(OpenPositionData, APITestCases.APIViewTestCase):
    pass


class PositionSkillData:
    model = PositionSkill
    bulk_edit_data = {"min_level": "4"}
    invalid_data = {"min_level": "9"}
    field_constraint = {"min_level": 3}
    move_out_data = {"min_level": "5"}

    @classmethod
    def setUpTestData(cls) -> None:
        position = OpenPosition.objects.create(title="DBA")
        skills = [skill(f"S{n}") for n in range(6)]
        for n in range(3):
            PositionSkill.objects.create(position=position, skill=skills[n], min_level=3)
        cls.csv_data = ("position,skill,min_level", *(f"{position.reference},S{n},3" for n in (3, 4, 5)))
        cls.create_data = {"position": position.pk, "skill": skills[3].pk, "min_level": "3"}
        cls.api_create_data = [
            {"position": position.pk, "skill": skills[n].pk, "min_level": 3} for n in (3, 4, 5)
        ]


class PositionSkillViewTest(PositionSkillData, ViewTestCases.ObjectViewTestCase):
    pass


class PositionSkillAPITest(PositionSkillData, APITestCases.APIViewTestCase):
    pass


# --- development -----------------------------------------------------------------------------------
class DevelopmentPlanData:
    model = DevelopmentPlan
    bulk_edit_data = {"status": "completed"}
    invalid_data = {"end_date": "2020-01-01"}
    field_constraint = {"status": "active"}
    move_out_data = {"status": "abandoned"}

    @classmethod
    def setUpTestData(cls) -> None:
        people = [person(n) for n in range(3)]
        for p in people:
            DevelopmentPlan.objects.create(person=p, title="Grow", start_date=dt.date(2027, 1, 1),
                                           end_date=dt.date(2027, 12, 31))  # fmt: skip
        cls.csv_data = (
            "person,title,start_date,end_date",
            *(f"{p.email},Plan,2027-01-01,2027-06-30" for p in people),
        )
        cls.create_data = {"person": people[0].pk, "title": "New plan", "start_date": "2027-01-01",
                           "end_date": "2027-12-31", "status": "active"}  # fmt: skip
        cls.api_create_data = [
            {"person": p.pk, "title": "API plan", "start_date": "2027-01-01", "end_date": "2027-03-31"}
            for p in people
        ]


class DevelopmentPlanViewTest(DevelopmentPlanData, ViewTestCases.ObjectViewTestCase):
    pass


class DevelopmentPlanAPITest(DevelopmentPlanData, APITestCases.APIViewTestCase):
    pass


class DevelopmentActionData:
    model = DevelopmentAction
    bulk_edit_data = {"status": "in_progress"}
    invalid_data = {"done_on": "2027-01-01"}  # a done date on an action that is not done
    field_constraint = {"status": "planned"}
    move_out_data = {"status": "dropped"}

    @classmethod
    def setUpTestData(cls) -> None:
        plan = DevelopmentPlan.objects.create(person=person(1), title="Grow", start_date=dt.date(2027, 1, 1),
                                              end_date=dt.date(2027, 12, 31))  # fmt: skip
        for n in range(3):
            DevelopmentAction.objects.create(plan=plan, description=f"Step {n}", due_date=dt.date(2027, 3, 1))
        cls.csv_data = (
            "plan,description,due_date",
            *(f"{plan.pk},Imported {n},2027-04-0{n + 1}" for n in range(3)),
        )
        cls.create_data = {
            "plan": plan.pk,
            "description": "New step",
            "due_date": "2027-05-01",
            "status": "planned",
        }
        cls.api_create_data = [
            {"plan": plan.pk, "description": f"API step {n}", "due_date": "2027-06-01"} for n in range(3)
        ]


class DevelopmentActionViewTest(DevelopmentActionData, ViewTestCases.ObjectViewTestCase):
    pass


class DevelopmentActionAPITest(DevelopmentActionData, APITestCases.APIViewTestCase):
    pass
