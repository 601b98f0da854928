from __future__ import annotations

from django.db.models import Count

from steward.core.views import ObjectViews, Panel
from steward.org import filtersets, forms, tables
from steward.org.models.calendars import WEEKDAY_FIELDS


class OrganisationViews(ObjectViews):
    filterset = filtersets.OrganisationFilterSet
    form = forms.OrganisationForm
    table = tables.OrganisationTable
    panels = (Panel("Organisation", ("name", "slug"), markdown=("description",)),)


class DepartmentViews(ObjectViews):
    filterset = filtersets.DepartmentFilterSet
    form = forms.DepartmentForm
    table = tables.DepartmentTable
    select_related = ("organisation", "parent", "head")
    panels = (
        Panel("Department", ("organisation", "parent", "name", "code", "head"), markdown=("description",)),
    )


class LocationViews(ObjectViews):
    filterset = filtersets.LocationFilterSet
    form = forms.LocationForm
    table = tables.LocationTable
    select_related = ("parent", "organisation")
    panels = (Panel("Location", ("type", "parent", "name", "code", "organisation", "address", "time_zone")),)


class PersonViews(ObjectViews):
    filterset = filtersets.PersonFilterSet
    form = forms.PersonForm
    table = tables.PersonTable
    select_related = ("department", "location", "manager", "user")
    panels = (
        Panel("Person", ("first_name", "last_name", "title", "status", "employee_id", "user")),
        Panel("Contact", ("email", "phone", "location")),
        Panel("Organisation", ("department", "manager", "teams")),
    )


class TeamViews(ObjectViews):
    filterset = filtersets.TeamFilterSet
    form = forms.TeamForm
    table = tables.TeamTable
    select_related = ("lead", "department")
    panels = (
        Panel("Team", ("name", "slug", "email", "lead", "department", "members"), markdown=("description",)),
    )

    @classmethod
    def base_queryset(cls):  # noqa: ANN206
        return super().base_queryset().annotate(member_count=Count("members"))


class BusinessCalendarViews(ObjectViews):
    filterset = filtersets.BusinessCalendarFilterSet
    form = forms.BusinessCalendarForm
    table = tables.BusinessCalendarTable
    panels = (
        Panel(
            "Calendar",
            ("name", "time_zone", "holiday_country", "holiday_subdivision"),
            markdown=("description",),
        ),
        Panel("Working hours", WEEKDAY_FIELDS),
    )


class CalendarDateViews(ObjectViews):
    filterset = filtersets.CalendarDateFilterSet
    form = forms.CalendarDateForm
    table = tables.CalendarDateTable
    select_related = ("calendar",)
    panels = (Panel("Calendar date", ("calendar", "date", "kind", "name", "hours")),)
