"""API viewsets of the resource, RAID and status-report models, the capacity grid and risk escalation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from steward.core.api.viewsets import StewardModelViewSet
from steward.projects import filtersets_resources as filtersets
from steward.projects import services_raid, services_resources
from steward.projects.api import serializers_resources as serializers
from steward.projects.models import RaidItem, ResourceProfile, StatusReport, TimeEntry, Timesheet


class ResourceProfileViewSet(StewardModelViewSet):
    queryset = ResourceProfile.objects.select_related("person", "calendar")
    serializer_class = serializers.ResourceProfileSerializer
    filterset_class = filtersets.ResourceProfileFilterSet

    @extend_schema(
        parameters=[
            OpenApiParameter("start", dt.date, description="A day of the first week (default: today)."),
            OpenApiParameter("weeks", int, description="Number of weeks, 1–26 (default 8)."),
            OpenApiParameter("team", int, description="Only this team's members."),
        ],
        responses={200: serializers.CapacityRowSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], url_path="capacity", pagination_class=None, filter_backends=[])
    def capacity(self, request: Any) -> Response:
        """Available hours against project and service-desk demand per person per week."""
        from steward.org.models import Team

        start, weeks = services_resources.capacity_window(request.query_params)
        team = None
        raw_team = request.query_params.get("team")
        if raw_team:
            team = (
                Team.objects.restrict(request.user, "view").filter(pk=raw_team).first()
                if raw_team.isdigit()
                else None
            )
            if team is None:
                raise ValidationError({"team": ["No such team."]})
        people = services_resources.capacity_people(user=request.user, team=team, start=start, weeks=weeks)
        grid = services_resources.capacity(people=people, start=start, weeks=weeks)
        return Response(serializers.CapacityRowSerializer(grid.rows, many=True).data)


class TimesheetViewSet(StewardModelViewSet):
    queryset = Timesheet.objects.select_related("person")
    serializer_class = serializers.TimesheetSerializer
    filterset_class = filtersets.TimesheetFilterSet


class TimeEntryViewSet(StewardModelViewSet):
    queryset = TimeEntry.objects.select_related("person", "project", "task", "timesheet")
    serializer_class = serializers.ProjectTimeEntrySerializer
    filterset_class = filtersets.TimeEntryFilterSet


class RaidItemViewSet(StewardModelViewSet):
    queryset = RaidItem.objects.select_related("project", "owner", "decided_by", "grc_risk").prefetch_related(
        "tasks"
    )
    serializer_class = serializers.RaidItemSerializer
    filterset_class = filtersets.RaidItemFilterSet

    @property
    def required_action(self) -> str:
        return "change" if getattr(self, "action", None) == "escalate" else super().required_action

    @extend_schema(request=None, responses={200: serializers.RaidItemSerializer})
    @action(detail=True, methods=["post"], url_path="escalate", pagination_class=None, filter_backends=[])
    def escalate(self, request: Any, pk: int | None = None) -> Response:
        """Copy this project risk into the GRC risk register and link it."""
        if not request.user.has_perm("grc.add_risk"):
            self.permission_denied(request, message="You may not add risks to the risk register.")
        item = self.get_object()
        services_raid.escalate_risk(item=item, actor=request.user)
        item.refresh_from_db()
        return Response(self.get_serializer(item).data)


class StatusReportViewSet(StewardModelViewSet):
    queryset = StatusReport.objects.select_related("project").prefetch_related("key_risks")
    serializer_class = serializers.StatusReportSerializer
    filterset_class = filtersets.StatusReportFilterSet
