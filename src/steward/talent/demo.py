"""Deterministic demo talent data for `steward demo`: the shipped skills library, the skills the
demo services and item classes need, proficiencies of the demo teams (a few services deliberately
rest on one person, so the key-person page has something to say), roles, certifications, courses,
enrolments, a project's skill demand, development plans and a routing rule by skill."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from steward.talent import services
from steward.talent.choices import Assessment
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
    Proficiency,
    ProjectSkillDemand,
    RoleAssignment,
    RoleProfile,
    RoleRequirement,
    Skill,
)

#: Service name → skills it needs (name, level).
SERVICE_SKILLS = {
    "Email and calendar": [("Email and collaboration platforms", 3)],
    "ERP": [("ERP application support", 4)],
    "VPN remote access": [("Remote access", 3), ("Network engineering", 3)],
    "Office Wi-Fi": [("Wireless networking", 3)],
    "Payroll": [("Payroll application support", 4)],
    "CRM": [("CRM application support", 3)],
    "Laptops and desktops": [("Endpoint management", 3)],
    "Database platform": [("Database administration", 4)],
    "Server hosting": [("Linux administration", 3), ("Virtualisation", 3)],
    "Identity and access": [("Identity and access management", 4)],
}
#: CI class slug → skills it needs.
CLASS_SKILLS = {
    "server": [("Linux administration", 3)],
    "database": [("Database administration", 3)],
    "network-device": [("Network engineering", 3)],
    "virtual-machine": [("Virtualisation", 3)],
    "storage": [("Storage administration", 3)],
    "container-cluster": [("Container orchestration", 3)],
}
#: Team slug → (skill, level the experts hold, how many experts). One expert = a key-person risk.
TEAM_SKILLS = {
    "app-support": [("ERP application support", 5, 1), ("Payroll application support", 4, 1),
                    ("CRM application support", 3, 3), ("Email and collaboration platforms", 3, 3)],
    "network": [("Network engineering", 4, 3), ("Remote access", 4, 2), ("Wireless networking", 3, 1)],
    "dba": [("Database administration", 5, 2), ("Linux administration", 3, 2)],
    "server-ops": [("Linux administration", 4, 3), ("Virtualisation", 4, 2), ("Storage administration", 4, 1),
                   ("Backup and recovery", 3, 2)],
    "security-ops": [("Identity and access management", 5, 1), ("Security operations", 4, 3)],
    "service-desk": [("Service desk", 3, 4), ("Endpoint management", 3, 3)],
    "cloud": [("Cloud platform engineering", 4, 2), ("Container orchestration", 4, 1)],
    "pmo": [("Project management", 5, 2), ("Business analysis", 4, 2)],
}  # fmt: skip

CERTIFICATIONS = [
    ("Certified cloud architect", "Cloud vendor", 36, "Cloud platform engineering"),
    ("Linux system administrator", "Open-source foundation", 36, "Linux administration"),
    ("Network professional", "Network vendor", 36, "Network engineering"),
    ("IT service management foundation", "Training body", None, "Incident and problem management"),
    ("Information security manager", "Security association", 36, "Security governance and risk"),
]
COURSES = [
    ("Kubernetes operations", "Cloud academy", "24", "1800", [("Container orchestration", 3)]),
    ("ERP finance module administration", "ERP vendor", "32", "2600", [("ERP application support", 4)]),
    ("Payroll configuration", "Payroll vendor", "16", "1400", [("Payroll application support", 4)]),
    ("Identity management in practice", "Security academy", "16", "1200", [("Identity and access management", 4)]),
    ("Leading IT projects", "Business school", "40", "3200", [("Project management", 4), ("People management", 3)]),
]  # fmt: skip


def load(*, rng: random.Random, scale: float) -> str:
    from steward.cmdb.models import CIClass
    from steward.itsm.models import Service
    from steward.org.models import Team
    from steward.projects.models import Project

    services.load_default_library(actor=None)
    skills = {s.name: s for s in Skill.objects.all()}
    today = dt.date.today()

    requirements = []
    for service in Service.objects.filter(name__in=SERVICE_SKILLS):
        for name, level in SERVICE_SKILLS[service.name]:
            requirements.append(EstateSkillRequirement(service=service, skill=skills[name], min_level=level))
    for ci_class in CIClass.objects.filter(slug__in=CLASS_SKILLS):
        for name, level in CLASS_SKILLS[ci_class.slug]:
            requirements.append(
                EstateSkillRequirement(ci_class=ci_class, skill=skills[name], min_level=level)
            )
    EstateSkillRequirement.objects.bulk_create(requirements)

    proficiencies: dict[tuple[int, int], Proficiency] = {}
    teams = {t.slug: t for t in Team.objects.filter(slug__in=TEAM_SKILLS)}
    for slug, wanted in TEAM_SKILLS.items():
        team = teams.get(slug)
        if team is None:
            continue
        members = list(team.members.filter(status="active").order_by("pk"))
        for name, level, experts in wanted:
            for n, person in enumerate(members):
                held = level if n < experts else max(1, level - rng.choice((2, 2, 3)))
                key = (person.pk, skills[name].pk)
                if key in proficiencies and proficiencies[key].level >= held:
                    continue
                validated = person.manager_id is not None and rng.random() < 0.6
                proficiencies[key] = Proficiency(
                    person=person, skill=skills[name], level=held,
                    assessment=Assessment.VALIDATED if validated else Assessment.SELF,
                    validated_by_id=person.manager_id if validated else None,
                    validated_on=today - dt.timedelta(days=rng.randrange(10, 300)) if validated else None,
                )  # fmt: skip
    Proficiency.objects.bulk_create(proficiencies.values())

    path = CareerPath.objects.create(
        name="Infrastructure engineering", description="From first server to platform lead."
    )
    ladder = []
    for step, (title, level) in enumerate((("Junior systems engineer", 2), ("Systems engineer", 3),
                                           ("Senior systems engineer", 4)), start=1):  # fmt: skip
        role = RoleProfile.objects.create(name=title, career_path=path, step=step)
        for name in ("Linux administration", "Virtualisation", "Backup and recovery"):
            RoleRequirement.objects.create(role_profile=role, skill=skills[name], min_level=level)
        ladder.append(role)
    analyst = RoleProfile.objects.create(name="Service desk analyst")
    RoleRequirement.objects.create(role_profile=analyst, skill=skills["Service desk"], min_level=3)
    RoleRequirement.objects.create(role_profile=analyst, skill=skills["Endpoint management"], min_level=2)
    assignments = 0
    assigned: set[int] = set()  # one role per person; small demos put people in several teams
    for slug, role in (("server-ops", ladder[1]), ("service-desk", analyst)):
        if slug in teams:
            for person in teams[slug].members.filter(status="active").order_by("pk")[:6]:
                if person.pk in assigned:
                    continue
                assigned.add(person.pk)
                RoleAssignment.objects.create(
                    person=person, role_profile=role, since=today - dt.timedelta(days=400)
                )
                assignments += 1

    people = [p for t in teams.values() for p in t.members.filter(status="active").order_by("pk")[:4]]
    holdings = 0
    for name, issuer, months, skill in CERTIFICATIONS:
        cert = Certification.objects.create(
            name=name, issuer=issuer, validity_months=months, skill=skills[skill]
        )
        for person in rng.sample(people, min(4, len(people))):
            obtained = today - dt.timedelta(days=rng.randrange(30, 36 * 30))
            holding = CertificationHolding(person=person, certification=cert, obtained=obtained)
            holding.full_clean()
            holding.save()
            holdings += 1

    courses = []
    for title, provider, hours, cost, targets in COURSES:
        course = Course.objects.create(title=title, provider=provider, duration_hours=Decimal(hours),
                                       cost=Decimal(cost), currency="EUR")  # fmt: skip
        for name, level in targets:
            CourseSkill.objects.create(course=course, skill=skills[name], target_level=level)
        courses.append(course)
    states = ["planned", "enrolled", "completed", "completed", "cancelled"]
    for n, person in enumerate(people[:10]):
        state = states[n % len(states)]
        Enrolment.objects.create(
            person=person, course=courses[n % len(courses)], state=state,
            start_date=today - dt.timedelta(days=60) if state != "planned" else today + dt.timedelta(days=30),
            completion_date=today - dt.timedelta(days=20) if state == "completed" else None,
            score=rng.randrange(70, 98) if state == "completed" else None,
        )  # fmt: skip

    project = Project.objects.filter(name="ERP upgrade").first()
    if project is not None:
        for name, level, count in (("ERP application support", 4, 2), ("Project management", 4, 1),
                                   ("Business analysis", 3, 2)):  # fmt: skip
            ProjectSkillDemand.objects.create(
                project=project, skill=skills[name], min_level=level, count=count
            )

    for person in people[:3]:
        plan = DevelopmentPlan.objects.create(
            person=person, title=f"Growth plan {today.year}", goals="Reach the next step on the career path.",
            target_role=ladder[-1], start_date=today.replace(month=1, day=1),
            end_date=today.replace(month=12, day=31),
        )  # fmt: skip
        DevelopmentAction.objects.create(plan=plan, description="Take the Kubernetes operations course",
                                         course=courses[0], due_date=today + dt.timedelta(days=90))  # fmt: skip
        DevelopmentAction.objects.create(plan=plan, description="Shadow the on-call lead for a month",
                                         skill=skills["Incident and problem management"],
                                         due_date=today + dt.timedelta(days=45), status="in_progress")  # fmt: skip

    risks = services.key_person_risks()
    erp = next((c for c in risks if c.kind == "service" and c.target.name == "ERP"), None)
    if erp is not None:
        services.raise_position_for_coverage(coverage=erp, actor=None)
    _routing_rule(teams, skills)
    return (
        f"talent: {len(skills)} skills, {len(proficiencies)} proficiencies, {assignments} role assignments, "
        f"{holdings} certifications held, {len(courses)} courses, {len(risks)} key-person risks"
    )


def _routing_rule(teams: dict[str, object], skills: dict[str, Skill]) -> None:
    """A service-desk rule that sends database-platform incidents to the least-loaded qualified DBA."""
    from steward.itsm.models import Service
    from steward.itsm.models.desk import AssignmentRule

    service = Service.objects.filter(name="Database platform").first()
    if service is None or "dba" not in teams:
        return
    AssignmentRule.objects.create(
        name="Database platform to a qualified DBA", order=5, service=service, team=teams["dba"],
        method="least_loaded", required_skill=skills["Database administration"], required_level=4,
        description="Only DBAs at level 4 or above take database-platform incidents.",
    )  # fmt: skip
