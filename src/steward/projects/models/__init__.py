from steward.projects.models.agile import BacklogItem, Sprint, WipLimit
from steward.projects.models.gates import GateCriterion, GateTemplate, StageGate
from steward.projects.models.projects import Baseline, Portfolio, Programme, Project
from steward.projects.models.raid import RaidItem, StatusReport
from steward.projects.models.resources import ResourceProfile, TimeEntry, Timesheet
from steward.projects.models.tasks import Task, TaskDependency

__all__ = [
    "BacklogItem",
    "Baseline",
    "GateCriterion",
    "GateTemplate",
    "Portfolio",
    "Programme",
    "Project",
    "RaidItem",
    "ResourceProfile",
    "Sprint",
    "StageGate",
    "StatusReport",
    "Task",
    "TaskDependency",
    "TimeEntry",
    "Timesheet",
    "WipLimit",
]
