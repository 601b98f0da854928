from __future__ import annotations

import django_filters

from steward.core.filtersets import StewardFilterSet
from steward.org.choices import CalendarDateKind, LocationType, PersonStatus
from steward.org.models import (
    BusinessCalendar,
    CalendarDate,
    Department,
    Location,
    Organisation,
    Person,
    Team,
)


class OrganisationFilterSet(StewardFilterSet):
    search_fields = ("name", "slug", "description")

    class Meta:
        model = Organisation
        fields = ("name", "slug")


class DepartmentFilterSet(StewardFilterSet):
    search_fields = ("name", "code", "description")

    class Meta:
        model = Department
        fields = ("organisation", "parent", "head", "code")


class LocationFilterSet(StewardFilterSet):
    search_fields = ("name", "code", "address")
    type = django_filters.MultipleChoiceFilter(choices=LocationType.choices)

    class Meta:
        model = Location
        fields = ("type", "parent", "organisation", "code")


class PersonFilterSet(StewardFilterSet):
    search_fields = ("first_name", "last_name", "email", "title", "employee_id")
    status = django_filters.MultipleChoiceFilter(choices=PersonStatus.choices)
    team = django_filters.ModelMultipleChoiceFilter(
        field_name="teams", queryset=Team.objects.all(), distinct=True
    )

    class Meta:
        model = Person
        fields = ("status", "department", "location", "manager", "team", "email", "user")


class TeamFilterSet(StewardFilterSet):
    search_fields = ("name", "slug", "description")
    member = django_filters.ModelMultipleChoiceFilter(
        field_name="members", queryset=Person.objects.all(), distinct=True
    )

    class Meta:
        model = Team
        fields = ("department", "lead", "member", "slug")


class BusinessCalendarFilterSet(StewardFilterSet):
    search_fields = ("name", "description", "time_zone")

    class Meta:
        model = BusinessCalendar
        fields = ("name", "time_zone", "holiday_country", "holiday_subdivision")


class CalendarDateFilterSet(StewardFilterSet):
    search_fields = ("name",)
    kind = django_filters.MultipleChoiceFilter(choices=CalendarDateKind.choices)
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = CalendarDate
        fields = ("calendar", "kind", "date")
