from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers as drf
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from steward.core.api.viewsets import StewardModelViewSet
from steward.projects import filtersets, services
from steward.projects.api import serializers
from steward.projects.models import Baseline, Portfolio, Programme, Project, Task, TaskDependency


class PortfolioViewSet(StewardModelViewSet):
    queryset = Portfolio.objects.select_related("owner")
    serializer_class = serializers.PortfolioSerializer
    filterset_class = filtersets.PortfolioFilterSet


class ProgrammeViewSet(StewardModelViewSet):
    queryset = Programme.objects.select_related("portfolio", "manager")
    serializer_class = serializers.ProgrammeSerializer
    filterset_class = filtersets.ProgrammeFilterSet


class ProjectViewSet(StewardModelViewSet):
    queryset = Project.objects.select_related(
        "programme", "initiative", "sponsor", "manager"
    ).prefetch_related("objectives")
    serializer_class = serializers.ProjectSerializer
    filterset_class = filtersets.ProjectFilterSet

    @property
    def required_action(self) -> str:
        if getattr(self, "action", None) == "promote":
            return "add"
        return "change" if getattr(self, "action", None) == "schedule" else super().required_action

    @extend_schema(
        request=inline_serializer("PromoteRequest", {"initiative": drf.IntegerField()}),
        responses={201: serializers.ProjectSerializer},
    )
    @action(detail=False, methods=["post"], url_path="promote", pagination_class=None, filter_backends=[])
    def promote(self, request: Any) -> Response:
        """Create the project delivering an approved initiative and move the initiative to in delivery."""
        from steward.core import workflow as wf
        from steward.projects import services_governance
        from steward.strategy.models import Initiative

        try:
            pk = int(request.data.get("initiative"))
        except (TypeError, ValueError):
            raise ValidationError({"initiative": ["Give the initiative's id."]}) from None
        initiative = Initiative.objects.restrict(request.user, "view").filter(pk=pk).first()
        if initiative is None:
            raise ValidationError({"initiative": ["No such initiative."]})
        try:
            project = services_governance.promote_initiative(initiative=initiative, actor=request.user)
        except wf.TransitionNotAllowed as exc:
            # 400 naming the request's field rather than the platform's 409: the initiative the
            # caller chose is not approved, which is bad input to this endpoint.
            raise ValidationError({"initiative": [str(exc)]}) from None
        return Response(self.get_serializer(project).data, status=201)

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer(
                "ScheduleResult", {"days": drf.IntegerField(), "end_date": drf.DateField()}
            )
        },
    )
    @action(detail=True, methods=["post"], url_path="schedule", pagination_class=None, filter_backends=[])
    def schedule(self, request: Any, pk: int | None = None) -> Response:
        """Compute the critical path: every task's early/late dates, slack and criticality."""
        project = self.get_object()
        days = services.schedule_project(project=project, actor=request.user)
        return Response({"days": days, "end_date": project.end_date})

    @extend_schema(
        parameters=[OpenApiParameter("status_date", dt.date, description="Default: today.")],
        responses={200: serializers.EarnedValueSerializer},
    )
    @action(detail=True, methods=["get"], url_path="earned-value", pagination_class=None, filter_backends=[])
    def earned_value(self, request: Any, pk: int | None = None) -> Response:
        """PV, EV, AC, CPI, SPI, EAC, ETC and VAC on a status date."""
        raw = request.query_params.get("status_date")
        try:
            status_date = dt.date.fromisoformat(raw) if raw else timezone.localdate()
        except ValueError:
            raise ValidationError({"status_date": ["Give a date as YYYY-MM-DD."]}) from None
        evm = services.earned_value(project=self.get_object(), status_date=status_date)
        return Response(serializers.EarnedValueSerializer(evm).data)


class TaskViewSet(StewardModelViewSet):
    queryset = Task.objects.select_related("project", "parent", "assignee")
    serializer_class = serializers.TaskSerializer
    filterset_class = filtersets.TaskFilterSet


class TaskDependencyViewSet(StewardModelViewSet):
    queryset = TaskDependency.objects.select_related("predecessor", "successor")
    serializer_class = serializers.TaskDependencySerializer
    filterset_class = filtersets.TaskDependencyFilterSet


class BaselineViewSet(StewardModelViewSet):
    queryset = Baseline.objects.select_related("project")
    serializer_class = serializers.BaselineSerializer
    filterset_class = filtersets.BaselineFilterSet
