from __future__ import annotations

from django import forms

from steward.core.forms import StewardModelForm
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


class OrganisationForm(StewardModelForm):
    class Meta:
        model = Organisation
        fields = ("name", "slug", "description", "tags")


class DepartmentForm(StewardModelForm):
    class Meta:
        model = Department
        fields = ("organisation", "parent", "name", "code", "head", "description", "tags")


class LocationForm(StewardModelForm):
    class Meta:
        model = Location
        fields = ("type", "parent", "name", "code", "organisation", "address", "time_zone", "tags")


class PersonForm(StewardModelForm):
    class Meta:
        model = Person
        fields = (
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
            "tags",
        )


class TeamForm(StewardModelForm):
    class Meta:
        model = Team
        fields = ("name", "slug", "description", "email", "lead", "members", "department", "tags")


class BusinessCalendarForm(StewardModelForm):
    class Meta:
        model = BusinessCalendar
        fields = (
            "name",
            "time_zone",
            "holiday_country",
            "holiday_subdivision",
            *WEEKDAY_FIELDS,
            "description",
            "tags",
        )


class CalendarDateForm(StewardModelForm):
    class Meta:
        model = CalendarDate
        fields = ("calendar", "date", "kind", "name", "hours", "tags")
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}
