from __future__ import annotations

import django_filters

from steward.core.filtersets import StewardFilterSet
from steward.talent.choices import ActionStatus, Assessment, PlanStatus
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


class SkillLibraryFilterSet(StewardFilterSet):
    search_fields = ("name", "urn", "publisher")

    class Meta:
        model = SkillLibrary
        fields = ("urn", "version")


class ProficiencyLevelFilterSet(StewardFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = ProficiencyLevel
        fields = ("level", "library")


class SkillCategoryFilterSet(StewardFilterSet):
    search_fields = ("name", "description", "urn")

    class Meta:
        model = SkillCategory
        fields = ("library",)


class SkillFilterSet(StewardFilterSet):
    search_fields = ("name", "code", "description", "urn")

    class Meta:
        model = Skill
        fields = ("category", "library", "withdrawn", "code")


class ProficiencyFilterSet(StewardFilterSet):
    search_fields = ("skill__name", "person__last_name", "person__first_name", "notes")
    assessment = django_filters.MultipleChoiceFilter(choices=Assessment.choices)
    level_min = django_filters.NumberFilter(field_name="level", lookup_expr="gte", label="Level at least")

    class Meta:
        model = Proficiency
        fields = ("person", "skill", "skill__category", "level", "assessment", "validated_by")


class CertificationFilterSet(StewardFilterSet):
    search_fields = ("name", "issuer", "description")

    class Meta:
        model = Certification
        fields = ("issuer", "skill")


class CertificationHoldingFilterSet(StewardFilterSet):
    search_fields = ("certification__name", "person__last_name", "credential_id")
    expires_before = django_filters.DateFilter(field_name="expires", lookup_expr="lte")
    expires_after = django_filters.DateFilter(field_name="expires", lookup_expr="gte")

    class Meta:
        model = CertificationHolding
        fields = ("person", "certification", "obtained", "expires")


class CourseFilterSet(StewardFilterSet):
    search_fields = ("title", "provider", "description")

    class Meta:
        model = Course
        fields = ("provider", "currency")


class CourseSkillFilterSet(StewardFilterSet):
    search_fields = ("course__title", "skill__name")

    class Meta:
        model = CourseSkill
        fields = ("course", "skill", "target_level")


class EnrolmentFilterSet(StewardFilterSet):
    search_fields = ("course__title", "person__last_name", "person__first_name")
    state = django_filters.AllValuesMultipleFilter(field_name="state")

    class Meta:
        model = Enrolment
        fields = ("person", "course", "state", "completion_date")


class CareerPathFilterSet(StewardFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = CareerPath
        fields = ("name",)


class RoleProfileFilterSet(StewardFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = RoleProfile
        fields = ("career_path", "step")


class RoleRequirementFilterSet(StewardFilterSet):
    search_fields = ("role_profile__name", "skill__name")

    class Meta:
        model = RoleRequirement
        fields = ("role_profile", "skill", "min_level")


class RoleAssignmentFilterSet(StewardFilterSet):
    search_fields = ("person__last_name", "person__first_name", "role_profile__name")

    class Meta:
        model = RoleAssignment
        fields = ("person", "role_profile")


class ProjectSkillDemandFilterSet(StewardFilterSet):
    search_fields = ("skill__name", "project__name")

    class Meta:
        model = ProjectSkillDemand
        fields = ("project", "skill", "min_level")


class EstateSkillRequirementFilterSet(StewardFilterSet):
    search_fields = ("skill__name", "notes")

    class Meta:
        model = EstateSkillRequirement
        fields = ("service", "ci_class", "skill", "min_level")


class OpenPositionFilterSet(StewardFilterSet):
    search_fields = ("reference", "title", "reason")
    state = django_filters.AllValuesMultipleFilter(field_name="state")

    class Meta:
        model = OpenPosition
        fields = ("state", "role_profile", "team", "project", "reference")


class PositionSkillFilterSet(StewardFilterSet):
    search_fields = ("skill__name",)

    class Meta:
        model = PositionSkill
        fields = ("position", "skill", "min_level")


class DevelopmentPlanFilterSet(StewardFilterSet):
    search_fields = ("title", "goals", "person__last_name")
    status = django_filters.MultipleChoiceFilter(choices=PlanStatus.choices)

    class Meta:
        model = DevelopmentPlan
        fields = ("person", "status", "target_role")


class DevelopmentActionFilterSet(StewardFilterSet):
    search_fields = ("description",)
    status = django_filters.MultipleChoiceFilter(choices=ActionStatus.choices)

    class Meta:
        model = DevelopmentAction
        fields = ("plan", "status", "skill", "course", "due_date")
