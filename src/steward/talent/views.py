from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from steward.core.registry import registry
from steward.core.views import ObjectViews, Panel
from steward.core.views.generic import ModelView, ObjectDetailView
from steward.talent import filtersets, forms, services, tables
from steward.talent.models import OpenPosition


def _extra(cls: type[ObjectViews], pages: list[tuple[str, Any, str]], detail: Any = None) -> list[Any]:
    """The generic URLs plus ``pages`` (suffix, view class, name); ``detail`` replaces the detail view."""
    slug = registry.entry(cls.model).url_slug
    name = cls.model._meta.model_name
    v = {"views": cls}
    patterns = super(cls, cls).urls()  # type: ignore[misc]
    extra = [path(f"{slug}/{suffix}", view.as_view(**v), name=f"{name}_{url}") for suffix, view, url in pages]
    if detail is not None:
        patterns = [p for p in patterns if p.name != f"{name}_detail"]
        extra.append(path(f"{slug}/<int:pk>/", detail.as_view(**v), name=f"{name}_detail"))
    return [*extra, *patterns]


def _validator(request: HttpRequest) -> Any:
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied
    return person


class SkillLibraryViews(ObjectViews):
    filterset = filtersets.SkillLibraryFilterSet
    form = forms.SkillLibraryForm
    table = tables.SkillLibraryTable
    panels = (Panel("Library", ("name", "version", "urn", "publisher"), markdown=("description",)),)


class ProficiencyLevelViews(ObjectViews):
    filterset = filtersets.ProficiencyLevelFilterSet
    form = forms.ProficiencyLevelForm
    table = tables.ProficiencyLevelTable
    select_related = ("library",)
    panels = (Panel("Level", ("level", "name", "urn", "library"), markdown=("description",)),)


class SkillCategoryViews(ObjectViews):
    filterset = filtersets.SkillCategoryFilterSet
    form = forms.SkillCategoryForm
    table = tables.SkillCategoryTable
    select_related = ("library",)
    panels = (Panel("Category", ("name", "urn", "library"), markdown=("description",)),)


class SkillViews(ObjectViews):
    filterset = filtersets.SkillFilterSet
    form = forms.SkillForm
    table = tables.SkillTable
    select_related = ("category", "library")
    panels = (
        Panel(
            "Skill", ("name", "code", "category", "urn", "library", "withdrawn"), markdown=("description",)
        ),
    )


class ProficiencyViews(ObjectViews):
    filterset = filtersets.ProficiencyFilterSet
    form = forms.ProficiencyForm
    table = tables.ProficiencyTable
    select_related = ("person", "skill", "validated_by")
    panels = (
        Panel("Proficiency", ("person", "skill", "level", "notes")),
        Panel("Assessment", ("assessment", "validated_by", "validated_on")),
    )
    detail_template = "talent/proficiency_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        return _extra(cls, [("<int:pk>/validate/", ProficiencyValidateView, "validate")])


class CertificationViews(ObjectViews):
    filterset = filtersets.CertificationFilterSet
    form = forms.CertificationForm
    table = tables.CertificationTable
    select_related = ("skill",)
    panels = (
        Panel("Certification", ("name", "issuer", "validity_months", "reminder_days", "skill"),
              markdown=("description",)),
    )  # fmt: skip


class CertificationHoldingViews(ObjectViews):
    filterset = filtersets.CertificationHoldingFilterSet
    form = forms.CertificationHoldingForm
    table = tables.CertificationHoldingTable
    select_related = ("person", "certification")
    panels = (
        Panel("Holding", ("person", "certification", "obtained", "expires", "credential_id", "reminded")),
    )


class CourseViews(ObjectViews):
    filterset = filtersets.CourseFilterSet
    form = forms.CourseForm
    table = tables.CourseTable
    panels = (
        Panel(
            "Course", ("title", "provider", "duration_hours", "cost", "currency"), markdown=("description",)
        ),
    )


class CourseSkillViews(ObjectViews):
    filterset = filtersets.CourseSkillFilterSet
    form = forms.CourseSkillForm
    table = tables.CourseSkillTable
    select_related = ("course", "skill")
    panels = (Panel("Course skill", ("course", "skill", "target_level")),)


class EnrolmentViews(ObjectViews):
    filterset = filtersets.EnrolmentFilterSet
    form = forms.EnrolmentForm
    table = tables.EnrolmentTable
    select_related = ("person", "course", "validated_by")
    panels = (
        Panel("Enrolment", ("person", "course", "start_date", "completion_date", "score")),
        Panel("Validation", ("validated_by", "validated_on")),
    )
    detail_template = "talent/enrolment_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        return _extra(cls, [("<int:pk>/validate/", EnrolmentValidateView, "validate")])


class CareerPathViews(ObjectViews):
    filterset = filtersets.CareerPathFilterSet
    form = forms.CareerPathForm
    table = tables.CareerPathTable
    panels = (Panel("Career path", ("name",), markdown=("description",)),)
    detail_template = "talent/careerpath_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        return _extra(cls, [], detail=CareerPathDetailView)


class RoleProfileViews(ObjectViews):
    filterset = filtersets.RoleProfileFilterSet
    form = forms.RoleProfileForm
    table = tables.RoleProfileTable
    select_related = ("career_path",)
    panels = (Panel("Role profile", ("name", "career_path", "step"), markdown=("description",)),)


class RoleRequirementViews(ObjectViews):
    filterset = filtersets.RoleRequirementFilterSet
    form = forms.RoleRequirementForm
    table = tables.RoleRequirementTable
    select_related = ("role_profile", "skill")
    panels = (Panel("Requirement", ("role_profile", "skill", "min_level")),)


class RoleAssignmentViews(ObjectViews):
    filterset = filtersets.RoleAssignmentFilterSet
    form = forms.RoleAssignmentForm
    table = tables.RoleAssignmentTable
    select_related = ("person", "role_profile")
    panels = (Panel("Role", ("person", "role_profile", "since")),)
    detail_template = "talent/roleassignment_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        return _extra(cls, [("workload/", WorkloadView, "workload")], detail=RoleAssignmentDetailView)


class ProjectSkillDemandViews(ObjectViews):
    filterset = filtersets.ProjectSkillDemandFilterSet
    form = forms.ProjectSkillDemandForm
    table = tables.ProjectSkillDemandTable
    select_related = ("project", "skill")
    panels = (Panel("Demand", ("project", "skill", "min_level", "count")),)

    @classmethod
    def urls(cls) -> list[Any]:
        return _extra(cls, [("gap/", TeamProjectGapView, "gap")])


class EstateSkillRequirementViews(ObjectViews):
    filterset = filtersets.EstateSkillRequirementFilterSet
    form = forms.EstateSkillRequirementForm
    table = tables.EstateSkillRequirementTable
    select_related = ("service", "ci_class", "skill")
    panels = (Panel("Requirement", ("service", "ci_class", "skill", "min_level", "notes")),)

    @classmethod
    def urls(cls) -> list[Any]:
        return _extra(cls, [("coverage/", EstateCoverageView, "coverage")])


class OpenPositionViews(ObjectViews):
    filterset = filtersets.OpenPositionFilterSet
    form = forms.OpenPositionForm
    table = tables.OpenPositionTable
    select_related = ("role_profile", "team", "project", "filled_by")
    panels = (
        Panel("Position", ("reference", "title", "role_profile", "team", "project", "filled_by"),
              markdown=("reason",)),
    )  # fmt: skip
    detail_template = "talent/openposition_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        return _extra(cls, [("raise-from-gap/", RaiseFromGapView, "raise")])


class PositionSkillViews(ObjectViews):
    filterset = filtersets.PositionSkillFilterSet
    form = forms.PositionSkillForm
    table = tables.PositionSkillTable
    select_related = ("position", "skill")
    panels = (Panel("Position skill", ("position", "skill", "min_level")),)


class DevelopmentPlanViews(ObjectViews):
    filterset = filtersets.DevelopmentPlanFilterSet
    form = forms.DevelopmentPlanForm
    table = tables.DevelopmentPlanTable
    select_related = ("person", "target_role")
    panels = (
        Panel(
            "Plan",
            ("person", "title", "target_role", "start_date", "end_date", "status"),
            markdown=("goals",),
        ),
    )
    detail_template = "talent/developmentplan_detail.html"


class DevelopmentActionViews(ObjectViews):
    filterset = filtersets.DevelopmentActionFilterSet
    form = forms.DevelopmentActionForm
    table = tables.DevelopmentActionTable
    select_related = ("plan__person", "skill", "course")
    panels = (Panel("Action", ("plan", "description", "skill", "course", "due_date", "status", "done_on")),)


# --- pages beyond the generic ones ---------------------------------------------------------------
class ProficiencyValidateView(ModelView):
    """The manager validates a proficiency (POST only)."""

    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        prof = self.get_object(pk)
        level = request.POST.get("level") or None
        try:
            services.validate_proficiency(
                proficiency=prof, validator=_validator(request), actor=request.user,
                level=int(level) if level and level.isdigit() else None,
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Proficiency validated."))
        return redirect(prof.get_absolute_url())


class EnrolmentValidateView(ModelView):
    """The manager validates a completed course; the person's proficiencies rise (POST only)."""

    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enrolment = self.get_object(pk)
        try:
            raised = services.validate_enrolment(
                enrolment=enrolment, validator=_validator(request), actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Validated; %d proficiencies raised.") % len(raised))
        return redirect(enrolment.get_absolute_url())


class CareerPathDetailView(ObjectDetailView):
    """The path with its ladder of roles in order."""

    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        if "object" in extra:
            context["ladder"] = extra["object"].roles.order_by("step").prefetch_related("requirements__skill")
        return context


class RoleAssignmentDetailView(ObjectDetailView):
    """The person against their role: each required skill, the level held, the gap."""

    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        if "object" in extra:
            obj = extra["object"]
            context["gaps"] = services.person_gap(person=obj.person, role_profile=obj.role_profile)
            context["can_raise"] = self.request.user.has_perm("talent.add_openposition")
        return context


class WorkloadView(ModelView):
    """People × open work: incidents, fulfilment tasks, changes, project tasks and remaining hours."""

    def get(self, request: HttpRequest) -> HttpResponse:
        teams = apps.get_model("org", "Team").objects.restrict(request.user, "view").order_by("name")
        team_id = request.GET.get("team", "")
        team = teams.filter(pk=team_id).first() if team_id.isdigit() else None
        people = team.members.restrict(request.user, "view").filter(status="active") if team else None
        rows = services.workload(people=people, user=request.user)
        return render(request, "talent/workload.html", self.context(rows=rows, teams=teams, team=team))


class TeamProjectGapView(ModelView):
    """A team against a project's skill demand."""

    def get(self, request: HttpRequest) -> HttpResponse:
        teams = apps.get_model("org", "Team").objects.restrict(request.user, "view").order_by("name")
        projects = (
            apps.get_model("projects", "Project")
            .objects.restrict(request.user, "view")
            .filter(skill_demands__isnull=False)
            .distinct()
        )
        team_id, project_id = request.GET.get("team", ""), request.GET.get("project", "")
        team = teams.filter(pk=team_id).first() if team_id.isdigit() else None
        project = projects.filter(pk=project_id).first() if project_id.isdigit() else None
        rows = services.team_project_gap(team=team, project=project) if team and project else []
        return render(request, "talent/team_project_gap.html", self.context(
            rows=rows, teams=teams, projects=projects, team=team, project=project,
            short=any(r.shortfall for r in rows), can_raise=request.user.has_perm("talent.add_openposition"),
        ))  # fmt: skip


class EstateCoverageView(ModelView):
    """The organisation against the estate, and the key-person risks (fewer than N qualified people)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        raw = request.GET.get("minimum", "")
        minimum = int(raw) if raw.isdigit() and 1 <= int(raw) <= 50 else services.KEY_PERSON_MINIMUM
        rows = services.estate_coverage(user=request.user)
        risks = services.key_person_risks(minimum=minimum, user=request.user)
        return render(request, "talent/estate_coverage.html", self.context(
            rows=rows, risks=risks, minimum=minimum, can_raise=request.user.has_perm("talent.add_openposition"),
        ))  # fmt: skip


class RaiseFromGapView(ModelView):
    """'Raise from gap' (POST only): a service, an item class, a team × project or a person."""

    action = "add"
    TARGETS = (("service", "itsm.Service"), ("ci_class", "cmdb.CIClass"), ("project", "projects.Project"),
               ("team", "org.Team"), ("person", "org.Person"))  # fmt: skip

    def post(self, request: HttpRequest) -> HttpResponse:
        targets: dict[str, Any] = {}
        for name, label in self.TARGETS:
            raw = request.POST.get(name, "")
            if raw.isdigit():
                obj = apps.get_model(label).objects.restrict(request.user, "view").filter(pk=raw).first()
                if obj is None:
                    messages.error(request, _("You may not see that record."))
                    return redirect(self.return_url("/"))
                targets[name] = obj
        try:
            position: OpenPosition = services.raise_position_from_gap(actor=request.user, **targets)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(self.return_url("/"))
        messages.success(request, _("Position %s opened.") % position.reference)
        return redirect(position.get_absolute_url())
