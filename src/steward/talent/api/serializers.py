from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from steward.core.api.serializers import StewardModelSerializer
from steward.talent import models as m

COMMON = ("id", "url", "display", "tags", "custom_fields", "created", "last_updated")
BRIEF = ("id", "url", "display")


class SkillLibrarySerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.SkillLibrary
        fields = (*COMMON, "urn", "name", "version", "publisher", "description")
        brief_fields = (*BRIEF, "urn", "version")


class ProficiencyLevelSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.ProficiencyLevel
        fields = (*COMMON, "level", "name", "description", "urn", "library")
        read_only_fields = ("urn", "library")
        brief_fields = (*BRIEF, "level", "name")


class SkillCategorySerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.SkillCategory
        fields = (*COMMON, "name", "description", "urn", "library")
        read_only_fields = ("urn", "library")
        brief_fields = (*BRIEF, "name")


class SkillSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.Skill
        fields = (*COMMON, "category", "name", "code", "description", "urn", "library", "withdrawn")
        read_only_fields = ("urn", "library")
        brief_fields = (*BRIEF, "name", "code")


class ProficiencySerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.Proficiency
        fields = (*COMMON, "person", "skill", "level", "assessment", "validated_by", "validated_on", "notes")
        brief_fields = (*BRIEF, "level")


class CertificationSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.Certification
        fields = (*COMMON, "name", "issuer", "validity_months", "reminder_days", "skill", "description")
        brief_fields = (*BRIEF, "name")


class CertificationHoldingSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.CertificationHolding
        fields = (*COMMON, "person", "certification", "obtained", "expires", "credential_id", "reminded")
        read_only_fields = ("reminded",)
        brief_fields = (*BRIEF, "expires")


class CourseSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.Course
        fields = (*COMMON, "title", "provider", "duration_hours", "cost", "currency", "description")
        brief_fields = (*BRIEF, "title")


class CourseSkillSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.CourseSkill
        fields = (*COMMON, "course", "skill", "target_level")
        brief_fields = (*BRIEF, "target_level")


class EnrolmentSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.Enrolment
        fields = (*COMMON, "state", "person", "course", "start_date", "completion_date", "score", "validated_by",
                  "validated_on")  # fmt: skip
        read_only_fields = ("state", "validated_by", "validated_on")
        brief_fields = (*BRIEF, "state")


class CareerPathSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.CareerPath
        fields = (*COMMON, "name", "description")
        brief_fields = (*BRIEF, "name")


class RoleProfileSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.RoleProfile
        fields = (*COMMON, "name", "career_path", "step", "description")
        brief_fields = (*BRIEF, "name")


class RoleRequirementSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.RoleRequirement
        fields = (*COMMON, "role_profile", "skill", "min_level")
        brief_fields = (*BRIEF, "min_level")


class RoleAssignmentSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.RoleAssignment
        fields = (*COMMON, "person", "role_profile", "since")
        brief_fields = BRIEF


class ProjectSkillDemandSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.ProjectSkillDemand
        fields = (*COMMON, "project", "skill", "min_level", "count")
        brief_fields = (*BRIEF, "count")


class EstateSkillRequirementSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.EstateSkillRequirement
        fields = (*COMMON, "service", "ci_class", "skill", "min_level", "notes")
        brief_fields = (*BRIEF, "min_level")


class OpenPositionSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.OpenPosition
        fields = (
            *COMMON,
            "reference",
            "state",
            "title",
            "role_profile",
            "team",
            "project",
            "reason",
            "filled_by",
        )
        read_only_fields = ("state", "filled_by")
        brief_fields = (*BRIEF, "reference", "state")


class PositionSkillSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.PositionSkill
        fields = (*COMMON, "position", "skill", "min_level")
        brief_fields = (*BRIEF, "min_level")


class DevelopmentPlanSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.DevelopmentPlan
        fields = (*COMMON, "person", "title", "goals", "target_role", "start_date", "end_date", "status")
        brief_fields = (*BRIEF, "status")


class DevelopmentActionSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.DevelopmentAction
        fields = (*COMMON, "plan", "description", "skill", "course", "due_date", "status", "done_on")
        brief_fields = (*BRIEF, "status")


# --- computed answers ---------------------------------------------------------------------------
class LibraryImportRequestSerializer(serializers.Serializer):
    content = serializers.CharField(
        help_text="The library file's text (YAML or JSON).", trim_whitespace=False
    )


class LibraryImportResultSerializer(serializers.Serializer):
    library = serializers.IntegerField(source="library.pk")
    version = serializers.CharField(source="library.version")
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    withdrawn = serializers.IntegerField()


class ValidateRequestSerializer(serializers.Serializer):
    level = serializers.IntegerField(required=False, help_text="A corrected level (1–7).")


class SkillGapSerializer(serializers.Serializer):
    skill = serializers.IntegerField(source="skill.pk")
    skill_name = serializers.CharField(source="skill.name")
    required = serializers.IntegerField()
    actual = serializers.IntegerField(allow_null=True)
    gap = serializers.IntegerField()


class DemandGapSerializer(serializers.Serializer):
    skill = serializers.IntegerField(source="skill.pk")
    skill_name = serializers.CharField(source="skill.name")
    min_level = serializers.IntegerField()
    needed = serializers.IntegerField()
    qualified = serializers.SerializerMethodField()
    shortfall = serializers.IntegerField()

    def get_qualified(self, obj: object) -> list[int]:
        return [p.pk for p in obj.qualified]  # type: ignore[attr-defined]


class RequiredSkillSerializer(serializers.Serializer):
    skill = serializers.IntegerField()
    skill_name = serializers.CharField()
    min_level = serializers.IntegerField()


class CoverageSerializer(serializers.Serializer):
    kind = serializers.CharField()
    target = serializers.IntegerField(source="target.pk")
    target_name = serializers.CharField(source="target")
    requirements = serializers.SerializerMethodField()
    qualified_count = serializers.IntegerField(source="count")
    qualified = serializers.ListField(child=serializers.IntegerField(), help_text="The people you may see.")
    qualified_hidden = serializers.IntegerField(
        source="hidden", help_text="Qualified people you may not see."
    )
    names = serializers.ListField(child=serializers.CharField())

    @extend_schema_field(RequiredSkillSerializer(many=True))
    def get_requirements(self, obj: object) -> list[dict[str, object]]:
        return [{"skill": s.pk, "skill_name": s.name, "min_level": lvl} for s, lvl in obj.requirements]  # type: ignore[attr-defined]


class RaiseFromGapSerializer(serializers.Serializer):
    service = serializers.IntegerField(required=False)
    ci_class = serializers.IntegerField(required=False)
    project = serializers.IntegerField(required=False)
    team = serializers.IntegerField(required=False)
    person = serializers.IntegerField(required=False)


class WorkloadSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person.pk")
    person_name = serializers.CharField(source="person")
    incidents = serializers.IntegerField()
    tasks = serializers.IntegerField()
    changes = serializers.IntegerField()
    project_tasks = serializers.IntegerField()
    project_hours = serializers.DecimalField(max_digits=10, decimal_places=1)
