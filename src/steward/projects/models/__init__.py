from steward.projects.models.projects import Baseline, Portfolio, Programme, Project
from steward.projects.models.tasks import Task, TaskDependency

__all__ = ["Baseline", "Portfolio", "Programme", "Project", "Task", "TaskDependency"]
