"""The talent models (one module per aggregate, re-exported here)."""

from steward.talent.models.certifications import Certification, CertificationHolding
from steward.talent.models.development import DevelopmentAction, DevelopmentPlan
from steward.talent.models.roles import (
    CareerPath,
    EstateSkillRequirement,
    OpenPosition,
    PositionSkill,
    ProjectSkillDemand,
    RoleAssignment,
    RoleProfile,
    RoleRequirement,
)
from steward.talent.models.skills import Proficiency, ProficiencyLevel, Skill, SkillCategory, SkillLibrary
from steward.talent.models.training import Course, CourseSkill, Enrolment

__all__ = [
    "CareerPath",
    "Certification",
    "CertificationHolding",
    "Course",
    "CourseSkill",
    "DevelopmentAction",
    "DevelopmentPlan",
    "Enrolment",
    "EstateSkillRequirement",
    "OpenPosition",
    "PositionSkill",
    "Proficiency",
    "ProficiencyLevel",
    "ProjectSkillDemand",
    "RoleAssignment",
    "RoleProfile",
    "RoleRequirement",
    "Skill",
    "SkillCategory",
    "SkillLibrary",
]
