from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from steward.core.api.viewsets import StewardModelViewSet
from steward.projects import filtersets_agile as filtersets
from steward.projects import services_agile
from steward.projects.api import serializers_agile as serializers
from steward.projects.models import (
    BacklogItem,
    GateCriterion,
    GateTemplate,
    Project,
    Sprint,
    StageGate,
    WipLimit,
)


class SprintViewSet(StewardModelViewSet):
    queryset = Sprint.objects.select_related("project", "carry_over_to")
    serializer_class = serializers.SprintSerializer
    filterset_class = filtersets.SprintFilterSet

    @extend_schema(responses={200: serializers.BurndownSerializer})
    @action(detail=True, methods=["get"], url_path="burndown", pagination_class=None, filter_backends=[])
    def burndown(self, request: Any, pk: int | None = None) -> Response:
        """Ideal line and remaining story points per day of the sprint."""
        return Response(services_agile.burndown(self.get_object()))

    @extend_schema(
        parameters=[OpenApiParameter("project", int, required=True), OpenApiParameter("last", int)],
        responses={200: serializers.VelocitySerializer},
    )
    @action(detail=False, methods=["get"], url_path="velocity", pagination_class=None, filter_backends=[])
    def velocity(self, request: Any) -> Response:
        """Completed points of a project's last closed sprints (default 6) and their mean."""
        try:
            project_id = int(request.query_params.get("project", ""))
            last = int(request.query_params.get("last", "6"))
        except ValueError:
            raise ValidationError({"project": ["Give the project id (and optionally last=N)."]}) from None
        if not 1 <= last <= 50:
            raise ValidationError({"last": ["Between 1 and 50."]})
        project = Project.objects.restrict(request.user, "view").filter(pk=project_id).first()
        if project is None:
            raise ValidationError({"project": ["No such project."]})
        return Response(services_agile.velocity(project, last=last))


class BacklogItemViewSet(StewardModelViewSet):
    queryset = BacklogItem.objects.select_related("project", "sprint", "epic", "assignee")
    serializer_class = serializers.BacklogItemSerializer
    filterset_class = filtersets.BacklogItemFilterSet

    @property
    def required_action(self) -> str:
        if getattr(self, "action", None) in ("move", "rank"):
            return "change"
        return super().required_action

    @extend_schema(request=serializers.MoveSerializer, responses={200: serializers.BacklogItemSerializer})
    @action(detail=True, methods=["post"], url_path="move")
    def move(self, request: Any, pk: int | None = None) -> Response:
        """Move the item to another board column (runs the workflow transition; WIP limits apply)."""
        body = serializers.MoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = self.get_object()
        services_agile.move_item(item=item, to_state=body.validated_data["state"], actor=request.user)
        item.refresh_from_db()
        return Response(self.get_serializer(item).data)

    @extend_schema(
        parameters=[OpenApiParameter("project", int, required=True)],
        request=serializers.RankSerializer,
        responses={200: serializers.BacklogItemSerializer(many=True)},
    )
    @action(detail=False, methods=["post"], url_path="rank", pagination_class=None, filter_backends=[])
    def rank(self, request: Any) -> Response:
        """Re-rank the listed items of a project in the order given (10, 20, 30…)."""
        body = serializers.RankSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        project = (
            Project.objects.restrict(request.user, "view")
            .filter(pk=request.query_params.get("project") or 0)
            .first()
        )
        if project is None:
            raise ValidationError({"project": ["No such project."]})
        order = body.validated_data["order"]
        allowed = set(self.get_queryset().filter(project=project, pk__in=order).values_list("pk", flat=True))
        denied = [pk for pk in order if pk not in allowed]
        if denied and BacklogItem.objects.filter(pk__in=denied, project=project).exists():
            raise PermissionDenied("You may not change some of these items.")
        items = services_agile.rerank(project=project, ordered=order, actor=request.user)
        return Response(self.get_serializer(items, many=True).data)


class WipLimitViewSet(StewardModelViewSet):
    queryset = WipLimit.objects.select_related("project")
    serializer_class = serializers.WipLimitSerializer
    filterset_class = filtersets.WipLimitFilterSet


class GateTemplateViewSet(StewardModelViewSet):
    queryset = GateTemplate.objects.all()
    serializer_class = serializers.GateTemplateSerializer
    filterset_class = filtersets.GateTemplateFilterSet


class StageGateViewSet(StewardModelViewSet):
    queryset = StageGate.objects.select_related("project").prefetch_related("approvers")
    serializer_class = serializers.StageGateSerializer
    filterset_class = filtersets.StageGateFilterSet


class GateCriterionViewSet(StewardModelViewSet):
    queryset = GateCriterion.objects.select_related("gate")
    serializer_class = serializers.GateCriterionSerializer
    filterset_class = filtersets.GateCriterionFilterSet
