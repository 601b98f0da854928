"""The generic UI and API test cases applied to every projects model: each class gives data only."""

from __future__ import annotations

import datetime as dt

from steward.projects.models import Baseline, Portfolio, Programme, Project, Task, TaskDependency
from steward.utilities.testing.api import APITestCases
from steward.utilities.testing.views import ViewTestCases

START = dt.date(2027, 1, 4)


class PortfolioData:
    model = Portfolio
    csv_data = ("name,description", "Infra,", "Apps,Applications", "Security,")
    bulk_edit_data = {"description": "Changed in bulk"}
    invalid_data = {"name": ""}
    field_constraint = {"description": ""}
    move_out_data = {"description": "moved"}
    create_data = {"name": "New"}
    api_create_data = [{"name": "A"}, {"name": "B", "description": "b"}, {"name": "C"}]

    @classmethod
    def setUpTestData(cls) -> None:
        for name in ("One", "Two", "Three"):
            Portfolio.objects.create(name=name)


class PortfolioViewTest(PortfolioData, ViewTestCases.ObjectViewTestCase):
    pass


class PortfolioAPITest(PortfolioData, APITestCases.APIViewTestCase):
    pass


class ProgrammeData:
    model = Programme
    csv_data = ("portfolio,name", "P,Alpha", "P,Beta", "P,Gamma")
    bulk_edit_data = {"description": "Changed in bulk"}
    invalid_data = {"name": ""}
    field_constraint = {"description": ""}
    move_out_data = {"description": "moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        portfolio = Portfolio.objects.create(name="P")
        for name in ("One", "Two", "Three"):
            Programme.objects.create(portfolio=portfolio, name=name)
        cls.create_data = {"portfolio": portfolio.pk, "name": "New"}
        cls.api_create_data = [{"portfolio": portfolio.pk, "name": n} for n in ("A", "B", "C")]


class ProgrammeViewTest(ProgrammeData, ViewTestCases.ObjectViewTestCase):
    pass


class ProgrammeAPITest(ProgrammeData, APITestCases.APIViewTestCase):
    pass


class ProjectData:
    model = Project
    csv_data = (
        "name,methodology,status,health,start_date,budget,currency",
        "Portal,agile,planning,green,2027-01-04,1000,EUR",
        "ERP,waterfall,executing,amber,2027-02-01,5000,EUR",
        "LAN,hybrid,planning,red,2027-03-01,0,USD",
    )
    bulk_edit_data = {"health": "amber"}
    invalid_data = {"currency": "XXXX"}
    field_constraint = {"health": "green"}
    move_out_data = {"health": "red"}
    create_data = {"name": "New", "methodology": "waterfall", "status": "planning", "health": "green",
                   "start_date": "2027-01-04", "budget": "100", "currency": "EUR"}  # fmt: skip
    api_create_data = [
        {"name": "A", "start_date": "2027-01-04"},
        {"name": "B", "start_date": "2027-01-04", "methodology": "agile", "budget": "10"},
        {"name": "C", "start_date": "2027-05-01", "health": "amber"},
    ]

    @classmethod
    def setUpTestData(cls) -> None:
        for name in ("One", "Two", "Three"):
            Project.objects.create(name=name, start_date=START)


class ProjectViewTest(ProjectData, ViewTestCases.ObjectViewTestCase):
    pass


class ProjectAPITest(ProjectData, APITestCases.APIViewTestCase):
    pass


class TaskData:
    model = Task
    bulk_edit_data = {"percent_complete": 50}
    invalid_data = {"percent_complete": "150"}
    field_constraint = {"allocation": 100}
    move_out_data = {"allocation": 50}

    @classmethod
    def setUpTestData(cls) -> None:
        project = Project.objects.create(name="P", start_date=START)
        for n in (1, 2, 3):
            Task.objects.create(project=project, wbs=str(n), name=f"Task {n}", duration=n)
        cls.csv_data = (
            "project,wbs,name,duration,budget",
            f"{project.reference},4,Four,4,100",
            f"{project.reference},5,Five,0,0",
            f"{project.reference},6,Six,2,50",
        )
        cls.create_data = {"project": project.pk, "wbs": "9", "name": "New", "duration": 3, "allocation": 100,
                           "estimate_hours": "8", "budget": "10", "actual_cost": "0", "percent_complete": 0}  # fmt: skip
        cls.api_create_data = [
            {"project": project.pk, "name": "A", "duration": 1},
            {"project": project.pk, "name": "B", "duration": 0, "wbs": "7"},
            {"project": project.pk, "name": "C", "duration": 5, "budget": "500.00"},
        ]


class TaskViewTest(TaskData, ViewTestCases.ObjectViewTestCase):
    pass


class TaskAPITest(TaskData, APITestCases.APIViewTestCase):
    pass


class TaskDependencyData:
    model = TaskDependency
    bulk_edit_data = {"lag": 2}
    invalid_data = {"lag": "999"}
    field_constraint = {"type": "fs"}
    move_out_data = {"type": "ss"}

    @classmethod
    def setUpTestData(cls) -> None:
        project = Project.objects.create(name="P", start_date=START)
        t = [Task.objects.create(project=project, wbs=str(n), name=f"T{n}", duration=1) for n in range(8)]
        for a, b in ((0, 1), (1, 2), (2, 3)):
            TaskDependency.objects.create(predecessor=t[a], successor=t[b])
        cls.csv_data = (
            "predecessor,successor,type,lag",
            f"{t[3].pk},{t[4].pk},fs,0",
            f"{t[4].pk},{t[5].pk},ss,1",
            f"{t[5].pk},{t[6].pk},ff,-1",
        )
        cls.create_data = {"predecessor": t[6].pk, "successor": t[7].pk, "type": "fs", "lag": 0}
        cls.api_create_data = [
            {"predecessor": t[3].pk, "successor": t[4].pk},
            {"predecessor": t[4].pk, "successor": t[5].pk, "type": "sf"},
            {"predecessor": t[5].pk, "successor": t[6].pk, "lag": 3},
        ]


class TaskDependencyViewTest(TaskDependencyData, ViewTestCases.ObjectViewTestCase):
    pass


class TaskDependencyAPITest(TaskDependencyData, APITestCases.APIViewTestCase):
    pass


class BaselineData:
    model = Baseline
    bulk_edit_data = {"is_current": False}
    invalid_data = {"name": ""}
    field_constraint = {"is_current": True}
    move_out_data = {"is_current": False}

    @classmethod
    def setUpTestData(cls) -> None:
        project = Project.objects.create(name="P", start_date=START)
        for name in ("v1", "v2", "v3"):
            Baseline.objects.create(project=project, name=name)
        cls.csv_data = ("project,name,is_current", f"{project.reference},a,true", f"{project.reference},b,false",
                        f"{project.reference},c,true")  # fmt: skip
        cls.create_data = {"project": project.pk, "name": "New", "is_current": "on"}
        cls.api_create_data = [{"project": project.pk, "name": n} for n in ("x", "y", "z")]


class BaselineViewTest(BaselineData, ViewTestCases.ObjectViewTestCase):
    pass


class BaselineAPITest(BaselineData, APITestCases.APIViewTestCase):
    pass
