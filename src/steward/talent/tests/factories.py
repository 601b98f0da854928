"""Builders of talent rows for the registry-driven tests (permission matrix, hardening, fuzzing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from steward.utilities.testing.factories import factory, make_instance


def _skill() -> Any:
    from steward.talent.models import Skill

    return make_instance(Skill)


@factory("talent.skilllibrary")
def _library(n: int, **overrides: Any) -> Any:
    from steward.talent.models import SkillLibrary

    return SkillLibrary.objects.create(**{"urn": f"urn:test:library:{n}", "name": f"Library {n}", "version": "1",
                                          **overrides})  # fmt: skip


@factory("talent.proficiencylevel")
def _level(n: int, **overrides: Any) -> Any:
    from steward.talent.models import ProficiencyLevel

    taken = set(ProficiencyLevel.objects.values_list("level", flat=True))
    level = next(lvl for lvl in range(1, 8) if lvl not in taken)
    return ProficiencyLevel.objects.create(**{"level": level, "name": f"Level {n}", **overrides})


@factory("talent.skillcategory")
def _category(n: int, **overrides: Any) -> Any:
    from steward.talent.models import SkillCategory

    return SkillCategory.objects.create(**{"name": f"Category {n}", **overrides})


@factory("talent.skill")
def _skill_row(n: int, **overrides: Any) -> Any:
    from steward.talent.models import Skill, SkillCategory

    values = {"name": f"Skill {n}", "category": make_instance(SkillCategory)}
    return Skill.objects.create(**{**values, **overrides})


@factory("talent.proficiency")
def _proficiency(n: int, **overrides: Any) -> Any:
    from steward.org.models import Person
    from steward.talent.models import Proficiency

    values = {"person": make_instance(Person), "skill": _skill(), "level": 3}
    return Proficiency.objects.create(**{**values, **overrides})


@factory("talent.certificationholding")
def _holding(n: int, **overrides: Any) -> Any:
    from steward.org.models import Person
    from steward.talent.models import Certification, CertificationHolding

    values = {"person": make_instance(Person), "certification": make_instance(Certification),
              "obtained": dt.date(2026, 1, 1)}  # fmt: skip
    return CertificationHolding.objects.create(**{**values, **overrides})


@factory("talent.courseskill")
def _course_skill(n: int, **overrides: Any) -> Any:
    from steward.talent.models import Course, CourseSkill

    values = {"course": make_instance(Course), "skill": _skill(), "target_level": 3}
    return CourseSkill.objects.create(**{**values, **overrides})


@factory("talent.roleprofile")
def _role(n: int, **overrides: Any) -> Any:
    from steward.talent.models import RoleProfile

    return RoleProfile.objects.create(**{"name": f"Role {n}", **overrides})


@factory("talent.rolerequirement")
def _role_requirement(n: int, **overrides: Any) -> Any:
    from steward.talent.models import RoleProfile, RoleRequirement

    values = {"role_profile": make_instance(RoleProfile), "skill": _skill(), "min_level": 3}
    return RoleRequirement.objects.create(**{**values, **overrides})


@factory("talent.projectskilldemand")
def _demand(n: int, **overrides: Any) -> Any:
    from steward.projects.models import Project
    from steward.talent.models import ProjectSkillDemand

    values = {"project": make_instance(Project), "skill": _skill(), "min_level": 3, "count": 1}
    return ProjectSkillDemand.objects.create(**{**values, **overrides})


@factory("talent.estateskillrequirement")
def _estate(n: int, **overrides: Any) -> Any:
    from steward.itsm.models import Service
    from steward.talent.models import EstateSkillRequirement

    values = {"service": make_instance(Service), "skill": _skill(), "min_level": 3}
    return EstateSkillRequirement.objects.create(**{**values, **overrides})


@factory("talent.positionskill")
def _position_skill(n: int, **overrides: Any) -> Any:
    from steward.talent.models import OpenPosition, PositionSkill

    values = {"position": make_instance(OpenPosition), "skill": _skill(), "min_level": 3}
    return PositionSkill.objects.create(**{**values, **overrides})


@factory("talent.developmentplan")
def _plan(n: int, **overrides: Any) -> Any:
    from steward.org.models import Person
    from steward.talent.models import DevelopmentPlan

    values = {"person": make_instance(Person), "title": f"Plan {n}", "start_date": dt.date(2027, 1, 1),
              "end_date": dt.date(2027, 12, 31)}  # fmt: skip
    return DevelopmentPlan.objects.create(**{**values, **overrides})


@factory("talent.developmentaction")
def _action(n: int, **overrides: Any) -> Any:
    from steward.talent.models import DevelopmentAction, DevelopmentPlan

    values = {
        "plan": make_instance(DevelopmentPlan),
        "description": f"Action {n}",
        "due_date": dt.date(2027, 3, 1),
    }
    return DevelopmentAction.objects.create(**{**values, **overrides})
