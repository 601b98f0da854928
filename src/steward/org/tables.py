from __future__ import annotations

import django_tables2 as tables

from steward.core.tables import ChoiceBadgeColumn, StewardTable
from steward.org.models import (
    BusinessCalendar,
    CalendarDate,
    Department,
    Location,
    Organisation,
    Person,
    Team,
)


class OrganisationTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Organisation
        fields = ("pk", "name", "slug", "created")
        default_columns = ("name", "slug")


class DepartmentTable(StewardTable):
    name = tables.Column(linkify=True)
    organisation = tables.Column(linkify=True)
    parent = tables.Column(linkify=True)
    head = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Department
        fields = ("pk", "name", "code", "organisation", "parent", "head")
        default_columns = ("name", "code", "organisation", "parent", "head")


class LocationTable(StewardTable):
    name = tables.Column(linkify=True)
    type = ChoiceBadgeColumn()
    parent = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Location
        fields = ("pk", "name", "type", "code", "parent", "organisation", "time_zone")
        default_columns = ("name", "type", "code", "parent")


class PersonTable(StewardTable):
    name = tables.Column(
        accessor="last_name", verbose_name="Name", linkify=True, order_by=("last_name", "first_name")
    )
    status = ChoiceBadgeColumn()
    department = tables.Column(linkify=True)
    location = tables.Column(linkify=True)
    manager = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Person
        fields = (
            "pk",
            "name",
            "email",
            "title",
            "status",
            "department",
            "location",
            "manager",
            "phone",
            "employee_id",
        )
        default_columns = ("name", "email", "title", "status", "department", "location")

    def render_name(self, record: Person) -> str:
        return str(record)


class TeamTable(StewardTable):
    name = tables.Column(linkify=True)
    lead = tables.Column(linkify=True)
    member_count = tables.Column(accessor="member_count", verbose_name="Members", orderable=False)

    class Meta(StewardTable.Meta):
        model = Team
        fields = ("pk", "name", "slug", "lead", "department", "email")
        default_columns = ("name", "lead", "member_count", "department")


class BusinessCalendarTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = BusinessCalendar
        fields = (
            "pk",
            "name",
            "time_zone",
            "holiday_country",
            "holiday_subdivision",
            "monday_hours",
            "friday_hours",
            "saturday_hours",
            "sunday_hours",
        )
        default_columns = ("name", "time_zone", "holiday_country", "monday_hours", "saturday_hours")


class CalendarDateTable(StewardTable):
    date = tables.Column(linkify=True)
    calendar = tables.Column(linkify=True)
    kind = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = CalendarDate
        fields = ("pk", "date", "calendar", "kind", "name", "hours")
        default_columns = ("date", "calendar", "kind", "name", "hours")
