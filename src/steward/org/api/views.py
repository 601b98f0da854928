from __future__ import annotations

from steward.core.api.viewsets import StewardModelViewSet
from steward.org import filtersets
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


class CalendarDateViewSet(StewardModelViewSet):
    queryset = CalendarDate.objects.select_related("calendar")
    serializer_class = serializers.CalendarDateSerializer
    filterset_class = filtersets.CalendarDateFilterSet
