"""Pages of resources, timesheets, the capacity heat map, the RAID log and status reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core.registry import registry
from steward.core.views import ObjectViews, Panel
from steward.core.views.generic import ModelView, ObjectDetailView
from steward.projects import filtersets_resources as filtersets
from steward.projects import forms_resources as forms
from steward.projects import services, services_raid, services_resources
from steward.projects import tables_resources as tables
from steward.projects.models import Project, Task, Timesheet
from steward.projects.models.resources import week_start


class ResourceProfileViews(ObjectViews):
    filterset = filtersets.ResourceProfileFilterSet
    form = forms.ResourceProfileForm
    table = tables.ResourceProfileTable
    select_related = ("person", "calendar")
    panels = (Panel("Resource", ("person", "hourly_rate", "currency", "weekly_capacity", "calendar")),)

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        return [path(f"{slug}/capacity/", CapacityView.as_view(views=cls), name="resourceprofile_capacity"),
                *super().urls()]  # fmt: skip


class TimesheetViews(ObjectViews):
    filterset = filtersets.TimesheetFilterSet
    form = forms.TimesheetForm
    table = tables.TimesheetTable
    select_related = ("person",)
    panels = (Panel("Timesheet", ("person", "week_start", "note")),)
    detail_template = "projects/timesheet_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        v = {"views": cls}
        patterns = [p for p in super().urls() if p.name != "timesheet_detail"]
        return [
            path(f"{slug}/<int:pk>/", TimesheetDetailView.as_view(**v), name="timesheet_detail"),
            path(f"{slug}/<int:pk>/cell/", TimesheetCellView.as_view(**v), name="timesheet_cell"),
            path(f"{slug}/mine/", MyTimesheetView.as_view(**v), name="timesheet_mine"),
            *patterns,
        ]


class TimeEntryViews(ObjectViews):
    filterset = filtersets.TimeEntryFilterSet
    form = forms.TimeEntryForm
    table = tables.TimeEntryTable
    select_related = ("person", "project", "task")
    panels = (
        Panel("Time", ("person", "date", "hours", "project", "task", "billable", "note")),
        Panel("Cost", ("rate", "cost", "timesheet")),
    )


class RaidItemViews(ObjectViews):
    filterset = filtersets.RaidItemFilterSet
    form = forms.RaidItemForm
    table = tables.RaidItemTable
    select_related = ("project", "owner")
    panels = (
        Panel("RAID item", ("reference", "project", "type", "title", "owner", "status", "due_date", "tasks"),
              markdown=("description",)),
        Panel("Assessment", ("probability", "impact", "score", "grc_risk", "decided_by", "decided_on")),
    )  # fmt: skip
    detail_template = "projects/raiditem_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        return [path(f"{slug}/<int:pk>/escalate/", EscalateView.as_view(views=cls), name="raiditem_escalate"),
                *super().urls()]  # fmt: skip


class StatusReportViews(ObjectViews):
    filterset = filtersets.StatusReportFilterSet
    form = forms.StatusReportForm
    table = tables.StatusReportTable
    select_related = ("project",)
    panels = (
        Panel("Status report", ("project", "period_start", "period_end", "overall", "schedule", "cost", "scope",
                                "key_risks", "published_at"),
              markdown=("summary", "accomplishments", "next_steps")),
    )  # fmt: skip
    detail_template = "projects/statusreport_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        v = {"views": cls}
        patterns = [p for p in super().urls() if p.name != "statusreport_detail"]
        return [
            path(f"{slug}/<int:pk>/", StatusReportDetailView.as_view(**v), name="statusreport_detail"),
            path(f"{slug}/<int:pk>/print/", StatusReportPrintView.as_view(**v), name="statusreport_print"),
            *patterns,
        ]


# --- timesheets -----------------------------------------------------------------------------------
class TimesheetDetailView(ObjectDetailView):
    """The generic page plus the week's grid (rows = project/task, columns = days)."""

    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        if "object" in extra:
            sheet = extra["object"]
            context.update(grid_context(self.request, sheet))
        return context


def grid_context(request: HttpRequest, sheet: Timesheet, error: str = "") -> dict[str, Any]:
    editable = not sheet.is_locked and request.user.has_perm("projects.change_timesheet", sheet)
    projects = Project.objects.restrict(request.user, "view").exclude(status__in=("closed", "cancelled"))
    return {
        "sheet": sheet,
        "grid": services_resources.timesheet_grid(sheet),
        "grid_editable": editable,
        "grid_error": error,
        "grid_projects": projects.order_by("reference")[:200] if editable else [],
        "previous_week": sheet.week_start - dt.timedelta(weeks=1),
        "next_week": sheet.week_start + dt.timedelta(weeks=1),
    }


class TimesheetCellView(ModelView):
    """Set one cell of the grid (HTMX POST); answers with the re-drawn grid, or the error in it."""

    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        sheet = self.get_object(pk)
        error = ""
        try:
            project = (
                Project.objects.restrict(request.user, "view").filter(pk=request.POST.get("project")).first()
            )
            if project is None:
                raise ValidationError({"project": _("Choose a project.")})
            task = None
            if request.POST.get("task"):
                task = Task.objects.filter(project=project, pk=request.POST.get("task")).first()
                if task is None:
                    raise ValidationError({"task": _("Choose a task of %(p)s.") % {"p": project}})
            try:
                date = dt.date.fromisoformat(request.POST.get("date", ""))
            except ValueError:
                raise ValidationError({"date": _("Give a date as YYYY-MM-DD.")}) from None
            try:
                hours = Decimal((request.POST.get("hours") or "0").replace(",", ".").strip() or "0")
            except InvalidOperation:
                raise ValidationError({"hours": _("Give a number of hours.")}) from None
            if not hours.is_finite():
                raise ValidationError({"hours": _("Give a number of hours.")})
            services_resources.set_timesheet_cell(timesheet=sheet, actor=request.user, project=project, task=task,
                                                  date=date, hours=hours)  # fmt: skip
        except ValidationError as exc:
            error = " ".join(exc.messages)
        sheet.refresh_from_db()
        context = self.context(object=sheet, **grid_context(request, sheet, error))
        response = render(request, "projects/inc/timesheet_grid.html", context)
        if error and not request.headers.get("HX-Request"):
            response.status_code = 400
        return response


class MyTimesheetView(ModelView):
    """The signed-in person's timesheet of a week (``?week=``): opens it, or offers to start it."""

    def get(self, request: HttpRequest) -> HttpResponse:
        person = getattr(request.user, "person", None)
        week = self.week(request)
        if person is not None:
            sheet = self.queryset().filter(person=person, week_start=week).first()
            if sheet is not None:
                return redirect(sheet.get_absolute_url())
        return render(request, "projects/timesheet_mine.html", self.context(person=person, week=week))

    def post(self, request: HttpRequest) -> HttpResponse:
        person = getattr(request.user, "person", None)
        if person is None or not request.user.has_perm("projects.add_timesheet"):
            raise PermissionDenied
        sheet = services_resources.open_timesheet(person=person, week=self.week(request), actor=request.user)
        return redirect(sheet.get_absolute_url())

    @staticmethod
    def week(request: HttpRequest) -> dt.date:
        try:
            return week_start(
                dt.date.fromisoformat(request.GET.get("week") or request.POST.get("week") or "")
            )
        except ValueError:
            return week_start(timezone.localdate())


# --- capacity -------------------------------------------------------------------------------------
class CapacityView(ModelView):
    """People × weeks: demand as a share of the available hours, over-allocation in red."""

    def get(self, request: HttpRequest) -> HttpResponse:
        from steward.org.models import Team

        try:
            start, weeks = services_resources.capacity_window(request.GET)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            start, weeks = timezone.localdate(), 8
        teams = Team.objects.restrict(request.user, "view").order_by("name")
        team = teams.filter(pk=request.GET["team"]).first() if request.GET.get("team", "").isdigit() else None
        people = services_resources.capacity_people(user=request.user, team=team, start=start, weeks=weeks)
        grid = services_resources.capacity(people=people, start=start, weeks=weeks)
        return render(
            request,
            "projects/capacity.html",
            self.context(grid=grid, teams=teams, team=team, start=week_start(start), weeks=weeks,
                         previous=week_start(start) - dt.timedelta(weeks=weeks),
                         next=week_start(start) + dt.timedelta(weeks=weeks)),
        )  # fmt: skip


# --- RAID and status reports ----------------------------------------------------------------------
class EscalateView(ModelView):
    """Escalate a project risk to the GRC risk register (POST)."""

    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.get_object(pk)
        if not request.user.has_perm("grc.add_risk"):
            raise PermissionDenied
        try:
            risk = services_raid.escalate_risk(item=item, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Escalated to the risk register as %(ref)s.") % {"ref": risk.reference}
            )
        return redirect(item.get_absolute_url())


class StatusReportDetailView(ObjectDetailView):
    """The generic page plus the earned-value figures: frozen once published, live while a draft."""

    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        if "object" in extra:
            context.update(report_context(extra["object"]))
            if extra["object"].is_published:
                context["perms"] = {**context["perms"], "change": False}
        return context


def report_context(report: Any) -> dict[str, Any]:
    if report.is_published:
        evm = {n: getattr(report, n) for n in ("bac", "pv", "ev", "ac", "cpi", "spi", "eac")}
    else:
        live = services.earned_value(project=report.project, status_date=report.period_end)
        evm = {n: getattr(live, n) for n in ("bac", "pv", "ev", "ac", "cpi", "spi", "eac")}
    return {"evm": evm, "key_risks": report.key_risks.select_related("owner").order_by("-score", "reference")}


class StatusReportPrintView(ModelView):
    """The report on one printable page (no navigation)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = get_object_or_404(self.queryset().select_related("project", "project__manager"), pk=pk)
        return render(
            request, "projects/statusreport_print.html", {"object": report, **report_context(report)}
        )
