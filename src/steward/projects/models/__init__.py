from steward.projects.models.projects import Baseline, Portfolio, Programme, Project
from steward.projects.models.raid import RaidItem, StatusReport
from steward.projects.models.resources import ResourceProfile, TimeEntry, Timesheet
from steward.projects.models.tasks import Task, TaskDependency

__all__ = [
    "Baseline",
    "Portfolio",
    "Programme",
    "Project",
    "RaidItem",
    "ResourceProfile",
    "StatusReport",
    "Task",
    "TaskDependency",
    "TimeEntry",
    "Timesheet",
]
