from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core.registry import registry
from steward.core.views import ObjectViews, Panel
from steward.core.views.generic import ModelView, ObjectDetailView
from steward.projects import filtersets, forms, services, tables, views_agile
from steward.projects.models import Task


class PortfolioViews(ObjectViews):
    filterset = filtersets.PortfolioFilterSet
    form = forms.PortfolioForm
    table = tables.PortfolioTable
    select_related = ("owner",)
    panels = (Panel("Portfolio", ("name", "owner"), markdown=("description",)),)


class ProgrammeViews(ObjectViews):
    filterset = filtersets.ProgrammeFilterSet
    form = forms.ProgrammeForm
    table = tables.ProgrammeTable
    select_related = ("portfolio", "manager")
    panels = (Panel("Programme", ("name", "portfolio", "manager"), markdown=("description",)),)


class ProjectViews(ObjectViews):
    filterset = filtersets.ProjectFilterSet
    form = forms.ProjectForm
    table = tables.ProjectTable
    select_related = ("programme", "manager", "sponsor", "initiative")
    panels = (
        Panel("Project", ("reference", "name", "programme", "initiative", "objectives", "methodology", "status",
                          "health"),
              markdown=("description",)),
        Panel("People and money", ("sponsor", "manager", "start_date", "end_date", "budget", "currency")),
    )  # fmt: skip
    detail_template = "projects/project_detail.html"
    tabs = (("gantt", "Gantt"), *views_agile.TABS)

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        v = {"views": cls}
        patterns = [p for p in super().urls() if p.name != "project_detail"]
        return [
            path(f"{slug}/<int:pk>/", ProjectDetailView.as_view(**v), name="project_detail"),
            path(f"{slug}/<int:pk>/gantt/", GanttView.as_view(**v), name="project_gantt"),
            path(f"{slug}/<int:pk>/schedule/", ScheduleView.as_view(**v), name="project_schedule"),
            path(f"{slug}/<int:pk>/baseline/", BaselineView.as_view(**v), name="project_baseline"),
            path(
                f"{slug}/<int:pk>/milestones.ics", MilestoneFeedView.as_view(**v), name="project_milestones"
            ),
            *views_agile.project_urls(slug, cls),
            *patterns,
        ]


class TaskViews(ObjectViews):
    filterset = filtersets.TaskFilterSet
    form = forms.TaskForm
    table = tables.TaskTable
    select_related = ("project", "parent", "assignee")
    panels = (
        Panel("Task", ("project", "parent", "wbs", "name", "duration", "assignee", "allocation")),
        Panel("Schedule", ("start_date", "finish_date", "early_start", "late_start", "slack", "is_critical")),
        Panel("Progress and cost", ("percent_complete", "estimate_hours", "budget", "actual_cost")),
    )


class TaskDependencyViews(ObjectViews):
    filterset = filtersets.TaskDependencyFilterSet
    form = forms.TaskDependencyForm
    table = tables.TaskDependencyTable
    select_related = ("predecessor", "successor")
    panels = (Panel("Dependency", ("predecessor", "successor", "type", "lag")),)


class BaselineViews(ObjectViews):
    filterset = filtersets.BaselineFilterSet
    form = forms.BaselineForm
    table = tables.BaselineTable
    select_related = ("project",)
    panels = (Panel("Baseline", ("project", "name", "is_current", "created")),)


# --- pages beyond the generic ones ---------------------------------------------------------------
def status_date(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("status_date", ""))
    except ValueError:
        return timezone.localdate()


class ProjectDetailView(ObjectDetailView):
    """The generic page plus earned value, the critical tasks and the milestones."""

    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        if "object" in extra:
            project = extra["object"]
            context["status_date"] = status_date(self.request)
            context["evm"] = services.earned_value(project=project, status_date=context["status_date"])
            tasks = Task.objects.filter(project=project)
            context["critical"] = tasks.filter(is_critical=True).order_by("early_start", "wbs")[:25]
            context["milestones"] = tasks.filter(duration=0, children__isnull=True).order_by(
                "start_date", "wbs"
            )
            context["baseline"] = project.baselines.filter(is_current=True).first()
            context["can_change"] = self.request.user.has_perm("projects.change_project", project)
        return context


class ScheduleView(ModelView):
    """Run the critical-path scheduler (POST)."""

    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_object(pk)
        try:
            days = services.schedule_project(project=project, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Scheduled: %(days)d days, finishing %(end)s.") % {"days": days,
                                                                                          "end": project.end_date})  # fmt: skip
        return redirect(project.get_absolute_url())


class BaselineView(ModelView):
    """Take a baseline of the current schedule (POST)."""

    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_object(pk)
        name = (request.POST.get("name") or "").strip() or timezone.localdate().isoformat()
        try:
            services.take_baseline(project=project, name=name[:100], actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Baseline '%(name)s' taken.") % {"name": name[:100]})
        return redirect(project.get_absolute_url())


class GanttView(ModelView):
    """The schedule as a Gantt chart drawn on the server (SVG): critical tasks in red, milestones as
    diamonds, the current baseline as a thin bar under each task."""

    DAY, ROW, LABEL = 6, 22, 280

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_object(pk)
        tasks = list(Task.objects.filter(project=project, start_date__isnull=False).order_by("wbs", "early_start",
                                                                                              "pk")[:500])  # fmt: skip
        baseline = project.baselines.filter(is_current=True).first()
        planned = baseline.tasks if baseline else {}
        parents = {t.parent_id for t in tasks if t.parent_id}
        rows = []
        if tasks:
            origin = min(t.start_date for t in tasks)
            day = self.DAY
            for n, task in enumerate(tasks):
                y = 30 + n * self.ROW
                x = self.LABEL + (task.start_date - origin).days * day
                width = max(day, ((task.finish_date - task.start_date).days + 1) * day)
                row = {"task": task, "x": x, "y": y, "width": width, "mid": y + 8, "label_y": y + 12,
                       "progress": width * task.percent_complete // 100}  # fmt: skip
                if task.is_milestone and task.pk not in parents:
                    row["diamond"] = f"{x},{y + 2} {x + 7},{y + 9} {x},{y + 16} {x - 7},{y + 9}"
                plan = planned.get(str(task.pk))
                if plan:
                    b_start = dt.date.fromisoformat(plan["start"])
                    b_finish = dt.date.fromisoformat(plan["finish"])
                    row["baseline"] = {"x": self.LABEL + (b_start - origin).days * day,
                                       "width": max(day, ((b_finish - b_start).days + 1) * day), "y": y + 17}  # fmt: skip
                rows.append(row)
            span = max((t.finish_date - origin).days + 1 for t in tasks)
            width = self.LABEL + span * day + 20
        else:
            width = 600
        height = 40 + len(rows) * self.ROW
        return render(request, "projects/project_gantt.html",
                      self.context(object=project, tab="gantt", rows=rows, width=width, height=height))  # fmt: skip


class MilestoneFeedView(ModelView):
    """The project's milestones as an iCalendar document (all-day events)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_object(pk)
        cal = icalendar.Calendar()
        cal.add("prodid", "-//Steward//Project milestones//EN")
        cal.add("version", "2.0")
        cal.add("x-wr-calname", f"{project.reference} milestones")
        now = timezone.now()
        milestones = Task.objects.filter(
            project=project, duration=0, children__isnull=True, start_date__isnull=False
        )
        for task in milestones.order_by("start_date", "pk"):
            event = icalendar.Event()
            event.add("uid", f"task-{task.pk}@steward")
            event.add("dtstamp", now)
            event.add("summary", f"{project.reference} {task.name}")
            event.add("dtstart", task.start_date)
            event.add("dtend", task.start_date + dt.timedelta(days=1))
            event.add("url", request.build_absolute_uri(task.get_absolute_url()))
            cal.add_component(event)
        response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{project.reference}-milestones.ics"'
        return response
