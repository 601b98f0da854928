"""Registers time, capacity, the RAID log and status reports (called from ``ProjectsConfig.ready``).

Kept apart from the plan/schedule registration in ``apps.py`` so each area's wiring reads in
one place.
"""

from __future__ import annotations

from importlib import import_module


def register_resources() -> None:
    from steward.core.registry import MenuItem, registry
    from steward.core.search import SearchSpec
    from steward.core.workflow import register_approvers, register_workflow
    from steward.projects import demo_resources, views_resources, workflows_resources
    from steward.projects.api import views_resources as api
    from steward.projects.models import RaidItem, ResourceProfile, StatusReport, TimeEntry, Timesheet

    # Importing the RAID services registers the workflow action the status-report publish runs.
    import_module("steward.projects.services_raid")
    register_approvers(workflows_resources.MANAGER, workflows_resources.TimesheetManager())
    register_workflow("projects.timesheet", workflows_resources.TIMESHEET, model=Timesheet)
    register_workflow("projects.status_report", workflows_resources.STATUS_REPORT, model=StatusReport)
    registry.demo_loaders.append((45, demo_resources.load))
    group = "Projects"
    registry.menu_group(group, icon="briefcase", weight=20)
    raid_search = SearchSpec(fields={"reference": 3, "title": 3, "description": 1}, summary="description")
    for model, view, viewset, menu, icon, spec in (
        (TimeEntry, views_resources.TimeEntryViews, api.TimeEntryViewSet, (group, "Time entries"), "clock", None),
        (Timesheet, views_resources.TimesheetViews, api.TimesheetViewSet, (group, "Timesheets"), "calendar-week",
         None),
        (RaidItem, views_resources.RaidItemViews, api.RaidItemViewSet, (group, "RAID log"), "alert-triangle",
         raid_search),
        (StatusReport, views_resources.StatusReportViews, api.StatusReportViewSet, (group, "Status reports"),
         "report", None),
        (ResourceProfile, views_resources.ResourceProfileViews, api.ResourceProfileViewSet,
         (group, "Resource profiles"), "user-dollar", None),
    ):  # fmt: skip
        registry.register(model, views=view, viewset=viewset, menu=menu, icon=icon, search=spec)
    registry.menu_group(group).items.extend(
        [
            MenuItem("My timesheet", "projects:timesheet_mine", "projects.view_timesheet", "clock-edit"),
            MenuItem(
                "Capacity", "projects:resourceprofile_capacity", "projects.view_resourceprofile", "grid-4x4"
            ),
        ]
    )
