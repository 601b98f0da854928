from __future__ import annotations

from rest_framework import serializers

from steward.core.api.serializers import StewardModelSerializer
from steward.org.models import (
    BusinessCalendar,
    CalendarDate,
    Department,
    Location,
    Organisation,
    Person,
    Team,
)
from steward.org.models.calendars import WEEKDAY_FIELDS

COMMON = ("id", "url", "display", "tags", "custom_fields", "created", "last_updated")


class OrganisationSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Organisation
        fields = (*COMMON, "name", "slug", "description")
        brief_fields = ("id", "url", "display", "slug")


class DepartmentSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Department
        fields = (*COMMON, "organisation", "parent", "name", "code", "head", "description")
        brief_fields = ("id", "url", "display", "code")


class LocationSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Location
        fields = (*COMMON, "type", "parent", "name", "code", "organisation", "address", "time_zone")
        brief_fields = ("id", "url", "display", "code", "type")


class PersonSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Person
        fields = (
            *COMMON,
            "first_name",
            "last_name",
            "email",
            "title",
            "status",
            "manager",
            "department",
            "location",
            "phone",
            "employee_id",
            "user",
        )
        brief_fields = ("id", "url", "display", "email")


class TeamSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Team
        fields = (*COMMON, "name", "slug", "description", "email", "lead", "members", "department")
        brief_fields = ("id", "url", "display", "slug")


class BusinessCalendarSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = BusinessCalendar
        fields = (
            *COMMON,
            "name",
            "time_zone",
            "holiday_country",
            "holiday_subdivision",
            *WEEKDAY_FIELDS,
            "description",
        )
        brief_fields = ("id", "url", "display", "name")


class CalendarDateSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = CalendarDate
        fields = (*COMMON, "calendar", "date", "kind", "name", "hours")
        brief_fields = ("id", "url", "display", "date", "kind")


class ICalImportSerializer(serializers.Serializer):
    """Input and result of a calendar's iCalendar import."""

    data = serializers.CharField(required=False, write_only=True, help_text="The feed as text.")
    file = serializers.FileField(required=False, write_only=True, help_text="The feed as an upload.")
    created = serializers.IntegerField(read_only=True, help_text="Closed dates added.")
