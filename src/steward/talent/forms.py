from __future__ import annotations

from steward.core.forms import StewardModelForm
from steward.talent import models as m


class SkillLibraryForm(StewardModelForm):
    class Meta:
        model = m.SkillLibrary
        fields = ("urn", "name", "version", "publisher", "description", "tags")


class ProficiencyLevelForm(StewardModelForm):
    class Meta:
        model = m.ProficiencyLevel
        fields = ("level", "name", "description", "tags")


class SkillCategoryForm(StewardModelForm):
    class Meta:
        model = m.SkillCategory
        fields = ("name", "description", "tags")


class SkillForm(StewardModelForm):
    class Meta:
        model = m.Skill
        fields = ("category", "name", "code", "description", "withdrawn", "tags")


class ProficiencyForm(StewardModelForm):
    class Meta:
        model = m.Proficiency
        fields = ("person", "skill", "level", "assessment", "validated_by", "validated_on", "notes", "tags")


class CertificationForm(StewardModelForm):
    class Meta:
        model = m.Certification
        fields = ("name", "issuer", "validity_months", "reminder_days", "skill", "description", "tags")


class CertificationHoldingForm(StewardModelForm):
    class Meta:
        model = m.CertificationHolding
        fields = ("person", "certification", "obtained", "expires", "credential_id", "tags")


class CourseForm(StewardModelForm):
    class Meta:
        model = m.Course
        fields = ("title", "provider", "duration_hours", "cost", "currency", "description", "tags")


class CourseSkillForm(StewardModelForm):
    class Meta:
        model = m.CourseSkill
        fields = ("course", "skill", "target_level", "tags")


class EnrolmentForm(StewardModelForm):
    class Meta:
        model = m.Enrolment
        fields = ("person", "course", "start_date", "completion_date", "score", "tags")


class CareerPathForm(StewardModelForm):
    class Meta:
        model = m.CareerPath
        fields = ("name", "description", "tags")


class RoleProfileForm(StewardModelForm):
    class Meta:
        model = m.RoleProfile
        fields = ("name", "career_path", "step", "description", "tags")


class RoleRequirementForm(StewardModelForm):
    class Meta:
        model = m.RoleRequirement
        fields = ("role_profile", "skill", "min_level", "tags")


class RoleAssignmentForm(StewardModelForm):
    class Meta:
        model = m.RoleAssignment
        fields = ("person", "role_profile", "since", "tags")


class ProjectSkillDemandForm(StewardModelForm):
    class Meta:
        model = m.ProjectSkillDemand
        fields = ("project", "skill", "min_level", "count", "tags")


class EstateSkillRequirementForm(StewardModelForm):
    class Meta:
        model = m.EstateSkillRequirement
        fields = ("service", "ci_class", "skill", "min_level", "notes", "tags")


class OpenPositionForm(StewardModelForm):
    class Meta:
        model = m.OpenPosition
        fields = ("title", "role_profile", "team", "project", "reason", "tags")


class PositionSkillForm(StewardModelForm):
    class Meta:
        model = m.PositionSkill
        fields = ("position", "skill", "min_level", "tags")


class DevelopmentPlanForm(StewardModelForm):
    class Meta:
        model = m.DevelopmentPlan
        fields = ("person", "title", "goals", "target_role", "start_date", "end_date", "status", "tags")


class DevelopmentActionForm(StewardModelForm):
    class Meta:
        model = m.DevelopmentAction
        fields = ("plan", "description", "skill", "course", "due_date", "status", "done_on", "tags")
