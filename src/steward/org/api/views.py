from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from steward.core.api.viewsets import StewardModelViewSet
from steward.org import filtersets, services
from steward.org.api import serializers
from steward.org.models import (
    BusinessCalendar,
    CalendarDate,
    Department,
    Location,
    Organisation,
    Person,
    Team,
)


class OrganisationViewSet(StewardModelViewSet):
    queryset = Organisation.objects.all()
    serializer_class = serializers.OrganisationSerializer
    filterset_class = filtersets.OrganisationFilterSet


class DepartmentViewSet(StewardModelViewSet):
    queryset = Department.objects.all()
    serializer_class = serializers.DepartmentSerializer
    filterset_class = filtersets.DepartmentFilterSet


class LocationViewSet(StewardModelViewSet):
    queryset = Location.objects.all()
    serializer_class = serializers.LocationSerializer
    filterset_class = filtersets.LocationFilterSet


class PersonViewSet(StewardModelViewSet):
    queryset = Person.objects.all()
    serializer_class = serializers.PersonSerializer
    filterset_class = filtersets.PersonFilterSet


class TeamViewSet(StewardModelViewSet):
    queryset = Team.objects.prefetch_related("members")
    serializer_class = serializers.TeamSerializer
    filterset_class = filtersets.TeamFilterSet


class BusinessCalendarViewSet(StewardModelViewSet):
    queryset = BusinessCalendar.objects.all()
    serializer_class = serializers.BusinessCalendarSerializer
    filterset_class = filtersets.BusinessCalendarFilterSet

    @property
    def required_action(self) -> str:
        return "change" if getattr(self, "action", None) == "import_ical" else super().required_action

    @extend_schema(
        request=serializers.ICalImportSerializer, responses={200: serializers.ICalImportSerializer}
    )
    @action(detail=True, methods=["post"], url_path="import-ical")
    def import_ical(self, request: Any, pk: int | None = None) -> Response:
        """Add an iCalendar feed's all-day events as closed dates (``file`` upload or ``data`` text)."""
        calendar = self.get_object()
        upload = request.FILES.get("file")
        text = request.data.get("data")
        if upload is not None:
            raw = upload.read()
        elif isinstance(text, str) and text.strip():
            raw = text.encode()
        else:
            raise ValidationError({"data": ["Send the feed as a `file` upload or as `data` text."]})
        try:
            created = services.import_ical_holidays(calendar=calendar, data=raw)
        except services.CalendarImportError as exc:
            raise ValidationError({"data": [str(exc)]}) from None
        return Response({"created": created})


class CalendarDateViewSet(StewardModelViewSet):
    queryset = CalendarDate.objects.select_related("calendar")
    serializer_class = serializers.CalendarDateSerializer
    filterset_class = filtersets.CalendarDateFilterSet
