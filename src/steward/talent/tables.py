from __future__ import annotations

import django_tables2 as tables

from steward.core.tables import ChoiceBadgeColumn, RowLinkColumn, StateColumn, StewardTable
from steward.talent import models as m


class SkillLibraryTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = m.SkillLibrary
        fields = ("pk", "name", "version", "urn", "publisher", "last_updated")
        default_columns = ("name", "version", "urn", "publisher", "last_updated")


class ProficiencyLevelTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = m.ProficiencyLevel
        fields = ("pk", "level", "name", "description", "urn")
        default_columns = ("level", "name", "description")


class SkillCategoryTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = m.SkillCategory
        fields = ("pk", "name", "urn", "library")
        default_columns = ("name", "urn", "library")


class SkillTable(StewardTable):
    name = tables.Column(linkify=True)
    category = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = m.Skill
        fields = ("pk", "name", "code", "category", "urn", "withdrawn")
        default_columns = ("name", "code", "category", "withdrawn")


class ProficiencyTable(StewardTable):
    person = tables.Column(linkify=True)
    skill = tables.Column(linkify=True)
    assessment = ChoiceBadgeColumn()
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = m.Proficiency
        fields = ("pk", "person", "skill", "level", "assessment", "validated_by", "validated_on", "link")
        default_columns = ("person", "skill", "level", "assessment", "validated_on", "link")


class CertificationTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = m.Certification
        fields = ("pk", "name", "issuer", "validity_months", "skill")
        default_columns = ("name", "issuer", "validity_months", "skill")


class CertificationHoldingTable(StewardTable):
    person = tables.Column(linkify=True)
    certification = tables.Column(linkify=True)
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = m.CertificationHolding
        fields = ("pk", "person", "certification", "obtained", "expires", "credential_id", "link")
        default_columns = ("person", "certification", "obtained", "expires", "link")


class CourseTable(StewardTable):
    title = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = m.Course
        fields = ("pk", "title", "provider", "duration_hours", "cost", "currency")
        default_columns = ("title", "provider", "duration_hours", "cost", "currency")


class CourseSkillTable(StewardTable):
    course = tables.Column(linkify=True)
    skill = tables.Column(linkify=True)
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = m.CourseSkill
        fields = ("pk", "course", "skill", "target_level", "link")
        default_columns = ("course", "skill", "target_level", "link")


class EnrolmentTable(StewardTable):
    person = tables.Column(linkify=True)
    course = tables.Column(linkify=True)
    state = StateColumn()
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = m.Enrolment
        fields = (
            "pk",
            "person",
            "course",
            "state",
            "start_date",
            "completion_date",
            "score",
            "validated_on",
            "link",
        )
        default_columns = ("person", "course", "state", "completion_date", "score", "link")


class CareerPathTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = m.CareerPath
        fields = ("pk", "name", "description")
        default_columns = ("name", "description")


class RoleProfileTable(StewardTable):
    name = tables.Column(linkify=True)
    career_path = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = m.RoleProfile
        fields = ("pk", "name", "career_path", "step")
        default_columns = ("name", "career_path", "step")


class RoleRequirementTable(StewardTable):
    role_profile = tables.Column(linkify=True)
    skill = tables.Column(linkify=True)
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = m.RoleRequirement
        fields = ("pk", "role_profile", "skill", "min_level", "link")
        default_columns = ("role_profile", "skill", "min_level", "link")


class RoleAssignmentTable(StewardTable):
    person = tables.Column(linkify=True)
    role_profile = tables.Column(linkify=True)
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = m.RoleAssignment
        fields = ("pk", "person", "role_profile", "since", "link")
        default_columns = ("person", "role_profile", "since", "link")


class ProjectSkillDemandTable(StewardTable):
    project = tables.Column(linkify=True)
    skill = tables.Column(linkify=True)
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = m.ProjectSkillDemand
        fields = ("pk", "project", "skill", "min_level", "count", "link")
        default_columns = ("project", "skill", "min_level", "count", "link")


class EstateSkillRequirementTable(StewardTable):
    service = tables.Column(linkify=True)
    ci_class = tables.Column(linkify=True)
    skill = tables.Column(linkify=True)
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = m.EstateSkillRequirement
        fields = ("pk", "service", "ci_class", "skill", "min_level", "notes", "link")
        default_columns = ("service", "ci_class", "skill", "min_level", "link")


class OpenPositionTable(StewardTable):
    reference = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    state = StateColumn()

    class Meta(StewardTable.Meta):
        model = m.OpenPosition
        fields = ("pk", "reference", "title", "state", "role_profile", "team", "project", "filled_by")
        default_columns = ("reference", "title", "state", "role_profile", "team")


class PositionSkillTable(StewardTable):
    position = tables.Column(linkify=True)
    skill = tables.Column(linkify=True)
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = m.PositionSkill
        fields = ("pk", "position", "skill", "min_level", "link")
        default_columns = ("position", "skill", "min_level", "link")


class DevelopmentPlanTable(StewardTable):
    title = tables.Column(linkify=True)
    person = tables.Column(linkify=True)
    status = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = m.DevelopmentPlan
        fields = ("pk", "title", "person", "target_role", "start_date", "end_date", "status")
        default_columns = ("title", "person", "target_role", "end_date", "status")


class DevelopmentActionTable(StewardTable):
    plan = tables.Column(linkify=True)
    status = ChoiceBadgeColumn()
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = m.DevelopmentAction
        fields = ("pk", "description", "plan", "skill", "course", "due_date", "status", "done_on", "link")
        default_columns = ("description", "plan", "due_date", "status", "link")
