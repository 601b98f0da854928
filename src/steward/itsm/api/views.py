from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers as drf
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from steward.core import workflow as wf
from steward.core.api.authentication import TokenAuthentication
from steward.core.api.viewsets import StewardModelViewSet
from steward.itsm import alerts, filtersets, services
from steward.itsm.api import serializers
from steward.itsm.ical import feed_url
from steward.itsm.models import (
    Alert,
    AlertIntakeSettings,
    Change,
    FreezeWindow,
    Incident,
    IncidentNote,
    PriorityMatrix,
    Problem,
    RiskQuestion,
    Service,
    ServiceOffering,
    SLAClock,
    SLAPolicy,
    TimeEntry,
)


class ServiceViewSet(StewardModelViewSet):
    queryset = Service.objects.all()
    serializer_class = serializers.ServiceSerializer
    filterset_class = filtersets.ServiceFilterSet


class ServiceOfferingViewSet(StewardModelViewSet):
    queryset = ServiceOffering.objects.all()
    serializer_class = serializers.ServiceOfferingSerializer
    filterset_class = filtersets.ServiceOfferingFilterSet


class PriorityMatrixViewSet(StewardModelViewSet):
    queryset = PriorityMatrix.objects.all()
    serializer_class = serializers.PriorityMatrixSerializer
    filterset_class = filtersets.PriorityMatrixFilterSet


class IncidentViewSet(StewardModelViewSet):
    queryset = Incident.objects.all()
    serializer_class = serializers.IncidentSerializer
    filterset_class = filtersets.IncidentFilterSet

    @extend_schema(responses={200: serializers.ProblemSerializer(many=True)})
    @action(detail=True, methods=["get"], url_path="known-errors", pagination_class=None, filter_backends=[])
    def known_errors(self, request: Any, pk: int | None = None) -> Response:
        """Known errors that may explain this incident (same service, category or words)."""
        incident = self.get_object()
        found = services.matching_known_errors(incident=incident, user=request.user, limit=20)
        return Response(serializers.ProblemSerializer(found, many=True, context={"request": request}).data)


class IncidentNoteViewSet(StewardModelViewSet):
    queryset = IncidentNote.objects.all()
    serializer_class = serializers.IncidentNoteSerializer
    filterset_class = filtersets.IncidentNoteFilterSet

    def perform_create(self, serializer: Any) -> None:
        serializer.validated_data["author"] = self.request.user
        super().perform_create(serializer)
        services.note_added(note=serializer.instance, actor=self.request.user)


class TimeEntryViewSet(StewardModelViewSet):
    queryset = TimeEntry.objects.select_related("incident", "person")
    serializer_class = serializers.TimeEntrySerializer
    filterset_class = filtersets.TimeEntryFilterSet


class SLAPolicyViewSet(StewardModelViewSet):
    queryset = SLAPolicy.objects.all()
    serializer_class = serializers.SLAPolicySerializer
    filterset_class = filtersets.SLAPolicyFilterSet


class SLAClockViewSet(StewardModelViewSet):
    """Read-only: clocks are run by the SLA engine, never edited."""

    queryset = SLAClock.objects.select_related("incident", "policy__calendar")
    serializer_class = serializers.SLAClockSerializer
    filterset_class = filtersets.SLAClockFilterSet
    http_method_names = ["get", "head", "options"]


class ProblemViewSet(StewardModelViewSet):
    queryset = Problem.objects.prefetch_related("incidents")
    serializer_class = serializers.ProblemSerializer
    filterset_class = filtersets.ProblemFilterSet


class RiskQuestionViewSet(StewardModelViewSet):
    queryset = RiskQuestion.objects.all()
    serializer_class = serializers.RiskQuestionSerializer
    filterset_class = filtersets.RiskQuestionFilterSet


class FreezeWindowViewSet(StewardModelViewSet):
    queryset = FreezeWindow.objects.prefetch_related("services")
    serializer_class = serializers.FreezeWindowSerializer
    filterset_class = filtersets.FreezeWindowFilterSet


ConflictSerializer = inline_serializer(
    "ChangeConflict",
    {
        "kind": drf.CharField(),
        "id": drf.IntegerField(),
        "message": drf.CharField(),
        "start": drf.DateTimeField(),
        "end": drf.DateTimeField(),
    },
    many=True,
)


class ChangeViewSet(StewardModelViewSet):
    queryset = Change.objects.all()
    serializer_class = serializers.ChangeSerializer
    filterset_class = filtersets.ChangeFilterSet

    @extend_schema(responses={200: ConflictSerializer})
    @action(detail=True, methods=["get"], url_path="conflicts")
    def conflicts(self, request: Any, pk: int | None = None) -> Response:
        """Overlapping changes on the same service and freeze windows, computed now."""
        return Response(services.find_conflicts(self.get_object()))

    @extend_schema(
        responses={200: inline_serializer("ChangeCalendarFeed", {"url": drf.URLField()})},
    )
    @action(detail=False, methods=["get"], url_path="calendar-feed")
    def calendar_feed(self, request: Any) -> Response:
        """Your personal iCalendar feed URL of the change calendar (keep it secret)."""
        return Response({"url": request.build_absolute_uri(feed_url(request.user))})


class AlertIntakeSettingsViewSet(StewardModelViewSet):
    queryset = AlertIntakeSettings.objects.select_related("service", "assignment_team")
    serializer_class = serializers.AlertIntakeSettingsSerializer
    filterset_class = filtersets.AlertIntakeSettingsFilterSet


class CanOpenIncidents(BasePermission):
    """An alert-intake token's user must be allowed to open and change incidents and alerts."""

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated) and all(
            user.has_perm(p) for p in ("itsm.add_incident", "itsm.change_incident", "itsm.add_alert")
        )


AlertmanagerResult = inline_serializer(
    "AlertmanagerResult",
    {
        "received": drf.IntegerField(),
        "opened": drf.ListField(child=drf.CharField()),
        "updated": drf.ListField(child=drf.CharField()),
        "resolved": drf.ListField(child=drf.CharField()),
        "noted": drf.ListField(child=drf.CharField()),
    },
)


class AlertViewSet(StewardModelViewSet):
    queryset = Alert.objects.select_related("incident", "configuration_item")
    serializer_class = serializers.AlertSerializer
    filterset_class = filtersets.AlertFilterSet

    @extend_schema(
        request=inline_serializer(
            "AlertmanagerWebhook", {"receiver": drf.CharField(), "alerts": drf.ListField()}
        ),
        responses={200: AlertmanagerResult},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="alertmanager",
        authentication_classes=[TokenAuthentication.for_scope(alerts.TOKEN_SCOPE)],
        permission_classes=[CanOpenIncidents],
        filter_backends=[],
        pagination_class=None,
    )
    def alertmanager(self, request: Any) -> Response:
        """Prometheus Alertmanager webhook (version 4): firing alerts open incidents, clears note them.

        Needs a token of scope ``itsm.alerts``. A malformed body is refused with 400 naming the
        field (``alerts[0].labels.alertname``) and nothing is written.
        """
        try:
            notification = alerts.parse_notification(request.data)
        except alerts.PayloadError as exc:
            raise ValidationError({exc.field: [exc.message]}) from None
        try:
            result = services.ingest_alerts(notification=notification, actor=request.user)
        except wf.TransitionForbidden as exc:
            raise ValidationError({"token": [f"The token's user may not work incidents: {exc}"]}) from None
        except DjangoValidationError as exc:
            raise ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"alerts": exc.messages}
            ) from None
        return Response({"received": len(notification.alerts), **result.as_dict()})
