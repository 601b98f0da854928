from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext as _

from steward.core.registry import registry
from steward.core.views import ObjectViews, Panel
from steward.core.views.generic import ModelView
from steward.org import filtersets, forms, services, tables
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
    detail_template = "org/businesscalendar_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        view = CalendarICalImportView.as_view(views=cls)
        return [
            *super().urls(),
            path(f"{slug}/<int:pk>/import-ical/", view, name="businesscalendar_import_ical"),
        ]


class CalendarICalImportView(ModelView):
    """Adds an uploaded iCalendar feed's all-day events to a calendar as closed dates."""

    action = "change"
    max_bytes = 2 * 1024 * 1024

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        calendar = self.get_object(pk, "change")
        upload = request.FILES.get("feed")
        if upload is None or upload.size > self.max_bytes:
            messages.error(request, _("Feed: choose an iCalendar (.ics) file of at most 2 MB."))
            return HttpResponseRedirect(calendar.get_absolute_url())
        try:
            created = services.import_ical_holidays(calendar=calendar, data=upload.read())
        except services.CalendarImportError as exc:
            messages.error(request, _("Feed: %(error)s Nothing was imported.") % {"error": exc})
        else:
            messages.success(request, _("Imported %(n)d closed dates.") % {"n": created})
        return HttpResponseRedirect(calendar.get_absolute_url())


class CalendarDateViews(ObjectViews):
    filterset = filtersets.CalendarDateFilterSet
    form = forms.CalendarDateForm
    table = tables.CalendarDateTable
    select_related = ("calendar",)
    panels = (Panel("Calendar date", ("calendar", "date", "kind", "name", "hours")),)
