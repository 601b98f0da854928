from __future__ import annotations

from typing import Any

from django.apps import apps
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from steward.core.api.viewsets import StewardModelViewSet
from steward.talent import filtersets, services
from steward.talent import models as m
from steward.talent.api import serializers as s

NO_PAGING = {"pagination_class": None, "filter_backends": []}


def _int(request: Any, name: str, default: int | None = None) -> int | None:
    raw = request.query_params.get(name, request.data.get(name) if hasattr(request, "data") else None)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise ValidationError({name: ["A whole number is required."]}) from None


def _visible(request: Any, label: str, pk: int | None, field: str) -> Any:
    """A row of another model the user may view, or a 400 naming ``field``."""
    if pk is None:
        return None
    model = apps.get_model(label)
    obj = model.objects.restrict(request.user, "view").filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: [f"No {model._meta.verbose_name} with id {pk} that you may see."]})
    return obj


def _validator(request: Any) -> Any:
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied("Only a user linked to a person (a manager) may validate.")
    return person


class SkillLibraryViewSet(StewardModelViewSet):
    queryset = m.SkillLibrary.objects.all()
    serializer_class = s.SkillLibrarySerializer
    filterset_class = filtersets.SkillLibraryFilterSet

    @property
    def required_action(self) -> str:
        return "add" if getattr(self, "action", None) == "import_library" else super().required_action

    @extend_schema(request=s.LibraryImportRequestSerializer, responses={200: s.LibraryImportResultSerializer})
    @action(detail=False, methods=["post"], url_path="import", **NO_PAGING)
    def import_library(self, request: Any) -> Response:
        """Import (or update by URN) a skills library; a bad file imports nothing and names the entry."""
        body = s.LibraryImportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            result = services.import_library(content=body.validated_data["content"], actor=request.user)
        except services.LibraryError as exc:
            raise ValidationError({"content": [str(exc)]}) from None
        return Response(s.LibraryImportResultSerializer(result).data)


class ProficiencyLevelViewSet(StewardModelViewSet):
    queryset = m.ProficiencyLevel.objects.select_related("library")
    serializer_class = s.ProficiencyLevelSerializer
    filterset_class = filtersets.ProficiencyLevelFilterSet


class SkillCategoryViewSet(StewardModelViewSet):
    queryset = m.SkillCategory.objects.select_related("library")
    serializer_class = s.SkillCategorySerializer
    filterset_class = filtersets.SkillCategoryFilterSet


class SkillViewSet(StewardModelViewSet):
    queryset = m.Skill.objects.select_related("category", "library")
    serializer_class = s.SkillSerializer
    filterset_class = filtersets.SkillFilterSet


class ProficiencyViewSet(StewardModelViewSet):
    queryset = m.Proficiency.objects.select_related("person", "skill", "validated_by")
    serializer_class = s.ProficiencySerializer
    filterset_class = filtersets.ProficiencyFilterSet

    @property
    def required_action(self) -> str:
        return "change" if getattr(self, "action", None) == "validate" else super().required_action

    @extend_schema(request=s.ValidateRequestSerializer, responses={200: s.ProficiencySerializer})
    @action(detail=True, methods=["post"], url_path="validate", **NO_PAGING)
    def validate(self, request: Any, pk: int | None = None) -> Response:
        """The person's manager (the signed-in user) validates the proficiency, optionally correcting it."""
        body = s.ValidateRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        prof = services.validate_proficiency(
            proficiency=self.get_object(), validator=_validator(request), actor=request.user,
            level=body.validated_data.get("level"),
        )  # fmt: skip
        return Response(s.ProficiencySerializer(prof, context={"request": request}).data)


class CertificationViewSet(StewardModelViewSet):
    queryset = m.Certification.objects.select_related("skill")
    serializer_class = s.CertificationSerializer
    filterset_class = filtersets.CertificationFilterSet


class CertificationHoldingViewSet(StewardModelViewSet):
    queryset = m.CertificationHolding.objects.select_related("person", "certification")
    serializer_class = s.CertificationHoldingSerializer
    filterset_class = filtersets.CertificationHoldingFilterSet


class CourseViewSet(StewardModelViewSet):
    queryset = m.Course.objects.all()
    serializer_class = s.CourseSerializer
    filterset_class = filtersets.CourseFilterSet


class CourseSkillViewSet(StewardModelViewSet):
    queryset = m.CourseSkill.objects.select_related("course", "skill")
    serializer_class = s.CourseSkillSerializer
    filterset_class = filtersets.CourseSkillFilterSet


class EnrolmentViewSet(StewardModelViewSet):
    queryset = m.Enrolment.objects.select_related("person", "course", "validated_by")
    serializer_class = s.EnrolmentSerializer
    filterset_class = filtersets.EnrolmentFilterSet

    @property
    def required_action(self) -> str:
        return "change" if getattr(self, "action", None) == "validate" else super().required_action

    @extend_schema(request=None, responses={200: s.ProficiencySerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="validate", **NO_PAGING)
    def validate(self, request: Any, pk: int | None = None) -> Response:
        """The person's manager validates the completed course: proficiencies rise to its targets."""
        raised = services.validate_enrolment(
            enrolment=self.get_object(), validator=_validator(request), actor=request.user
        )
        return Response(s.ProficiencySerializer(raised, many=True, context={"request": request}).data)


class CareerPathViewSet(StewardModelViewSet):
    queryset = m.CareerPath.objects.all()
    serializer_class = s.CareerPathSerializer
    filterset_class = filtersets.CareerPathFilterSet


class RoleProfileViewSet(StewardModelViewSet):
    queryset = m.RoleProfile.objects.select_related("career_path")
    serializer_class = s.RoleProfileSerializer
    filterset_class = filtersets.RoleProfileFilterSet


class RoleRequirementViewSet(StewardModelViewSet):
    queryset = m.RoleRequirement.objects.select_related("role_profile", "skill")
    serializer_class = s.RoleRequirementSerializer
    filterset_class = filtersets.RoleRequirementFilterSet


class RoleAssignmentViewSet(StewardModelViewSet):
    queryset = m.RoleAssignment.objects.select_related("person", "role_profile")
    serializer_class = s.RoleAssignmentSerializer
    filterset_class = filtersets.RoleAssignmentFilterSet

    @extend_schema(responses={200: s.SkillGapSerializer(many=True)})
    @action(detail=True, methods=["get"], url_path="gap", **NO_PAGING)
    def gap(self, request: Any, pk: int | None = None) -> Response:
        """The person against their role: each required skill, the level held and the gap."""
        assignment = self.get_object()
        rows = services.person_gap(person=assignment.person, role_profile=assignment.role_profile)
        return Response(s.SkillGapSerializer(rows, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("team", int)], responses={200: s.WorkloadSerializer(many=True)}
    )
    @action(detail=False, methods=["get"], url_path="workload", **NO_PAGING)
    def workload(self, request: Any) -> Response:
        """Open work per person: ITSM assignments and project tasks with remaining hours."""
        team = _visible(request, "org.Team", _int(request, "team"), "team")
        people = team.members.restrict(request.user, "view").filter(status="active") if team else None
        rows = services.workload(people=people, user=request.user)
        return Response(s.WorkloadSerializer(rows, many=True).data)


class ProjectSkillDemandViewSet(StewardModelViewSet):
    queryset = m.ProjectSkillDemand.objects.select_related("project", "skill")
    serializer_class = s.ProjectSkillDemandSerializer
    filterset_class = filtersets.ProjectSkillDemandFilterSet

    @extend_schema(
        parameters=[
            OpenApiParameter("project", int, required=True),
            OpenApiParameter("team", int, required=True),
        ],
        responses={200: s.DemandGapSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], url_path="gap", **NO_PAGING)
    def gap(self, request: Any) -> Response:
        """A team against a project's skill demand: who qualifies and how many are missing."""
        project = _visible(request, "projects.Project", _int(request, "project"), "project")
        team = _visible(request, "org.Team", _int(request, "team"), "team")
        if project is None or team is None:
            raise ValidationError({"project" if project is None else "team": ["This parameter is required."]})
        return Response(
            s.DemandGapSerializer(services.team_project_gap(team=team, project=project), many=True).data
        )


class EstateSkillRequirementViewSet(StewardModelViewSet):
    queryset = m.EstateSkillRequirement.objects.select_related("service", "ci_class", "skill")
    serializer_class = s.EstateSkillRequirementSerializer
    filterset_class = filtersets.EstateSkillRequirementFilterSet

    def _kind(self, request: Any) -> str | None:
        kind = request.query_params.get("kind") or None
        if kind not in (None, "service", "ci_class"):
            raise ValidationError({"kind": ["Choose service or ci_class."]})
        return kind

    @extend_schema(
        parameters=[OpenApiParameter("kind", str, enum=["service", "ci_class"])],
        responses={200: s.CoverageSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], url_path="coverage", **NO_PAGING)
    def coverage(self, request: Any) -> Response:
        """The organisation against the estate: qualified people per service and CI class."""
        return Response(
            s.CoverageSerializer(
                services.estate_coverage(kind=self._kind(request), user=request.user), many=True
            ).data
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("minimum", int),
            OpenApiParameter("kind", str, enum=["service", "ci_class"]),
        ],
        responses={200: s.CoverageSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], url_path="key-person-risk", **NO_PAGING)
    def key_person_risk(self, request: Any) -> Response:
        """Services and CI classes supported by fewer than ``minimum`` (default 2) qualified people."""
        minimum = _int(request, "minimum", services.KEY_PERSON_MINIMUM)
        risks = services.key_person_risks(minimum=minimum, kind=self._kind(request), user=request.user)
        return Response(s.CoverageSerializer(risks, many=True).data)


class OpenPositionViewSet(StewardModelViewSet):
    queryset = m.OpenPosition.objects.select_related("role_profile", "team", "project", "filled_by")
    serializer_class = s.OpenPositionSerializer
    filterset_class = filtersets.OpenPositionFilterSet

    @property
    def required_action(self) -> str:
        return "add" if getattr(self, "action", None) == "raise_from_gap" else super().required_action

    @extend_schema(request=s.RaiseFromGapSerializer, responses={201: s.OpenPositionSerializer})
    @action(detail=False, methods=["post"], url_path="raise-from-gap", **NO_PAGING)
    def raise_from_gap(self, request: Any) -> Response:
        """Open a position with the skills a gap shows missing (service, CI class, project + team or person)."""
        body = s.RaiseFromGapSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        position = services.raise_position_from_gap(
            actor=request.user,
            service=_visible(request, "itsm.Service", d.get("service"), "service"),
            ci_class=_visible(request, "cmdb.CIClass", d.get("ci_class"), "ci_class"),
            project=_visible(request, "projects.Project", d.get("project"), "project"),
            team=_visible(request, "org.Team", d.get("team"), "team"),
            person=_visible(request, "org.Person", d.get("person"), "person"),
        )
        return Response(s.OpenPositionSerializer(position, context={"request": request}).data, status=201)


class PositionSkillViewSet(StewardModelViewSet):
    queryset = m.PositionSkill.objects.select_related("position", "skill")
    serializer_class = s.PositionSkillSerializer
    filterset_class = filtersets.PositionSkillFilterSet


class DevelopmentPlanViewSet(StewardModelViewSet):
    queryset = m.DevelopmentPlan.objects.select_related("person", "target_role")
    serializer_class = s.DevelopmentPlanSerializer
    filterset_class = filtersets.DevelopmentPlanFilterSet


class DevelopmentActionViewSet(StewardModelViewSet):
    queryset = m.DevelopmentAction.objects.select_related("plan__person", "skill", "course")
    serializer_class = s.DevelopmentActionSerializer
    filterset_class = filtersets.DevelopmentActionFilterSet
