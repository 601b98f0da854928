"""The generic UI and API test cases applied to the agile and stage-gate models: each class gives data only."""

from __future__ import annotations

import datetime as dt

from steward.org.models import Person
from steward.projects.models import (
    BacklogItem,
    GateCriterion,
    GateTemplate,
    Project,
    Sprint,
    StageGate,
    WipLimit,
)
from steward.utilities.testing.api import APITestCases
from steward.utilities.testing.views import ViewTestCases

START = dt.date(2027, 1, 4)
STAGES = [{"name": "Initiation", "opens": "planning", "criteria": ["Business case approved"]}]


class SprintData:
    model = Sprint
    bulk_edit_data = {"goal": "Changed in bulk"}
    invalid_data = {"end_date": "2020-01-01"}
    field_constraint = {"goal": ""}
    move_out_data = {"goal": "moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        project = Project.objects.create(name="P", start_date=START)
        for n in (1, 2, 3):
            Sprint.objects.create(
                project=project, name=f"S{n}", start_date=START, end_date=START + dt.timedelta(13)
            )
        cls.csv_data = (
            "project,name,start_date,end_date",
            f"{project.reference},A,2027-02-01,2027-02-14",
            f"{project.reference},B,2027-02-15,2027-02-28",
            f"{project.reference},C,2027-03-01,2027-03-14",
        )
        cls.create_data = {
            "project": project.pk,
            "name": "New",
            "start_date": "2027-04-01",
            "end_date": "2027-04-14",
        }
        cls.api_create_data = [
            {"project": project.pk, "name": n, "start_date": "2027-05-01", "end_date": "2027-05-14"}
            for n in "XYZ"
        ]


class SprintViewTest(SprintData, ViewTestCases.ObjectViewTestCase):
    pass


class SprintAPITest(SprintData, APITestCases.APIViewTestCase):
    pass


class BacklogItemData:
    model = BacklogItem
    bulk_edit_data = {"story_points": 8}
    invalid_data = {"story_points": "4"}  # not on the scale
    field_constraint = {"kind": "story"}
    move_out_data = {"kind": "bug"}

    @classmethod
    def setUpTestData(cls) -> None:
        project = Project.objects.create(name="P", start_date=START)
        for n in (1, 2, 3):
            BacklogItem.objects.create(project=project, title=f"Item {n}", story_points=3, rank=n * 10)
        cls.csv_data = (
            "project,kind,title,story_points",
            f"{project.reference},story,Sign up,5",
            f"{project.reference},bug,Crash,1",
            f"{project.reference},spike,Offline,13",
        )
        cls.create_data = {
            "project": project.pk,
            "kind": "story",
            "title": "New",
            "story_points": 2,
            "rank": 40,
        }
        cls.api_create_data = [
            {"project": project.pk, "title": "A"},
            {"project": project.pk, "title": "B", "kind": "chore", "story_points": 20},
            {"project": project.pk, "title": "C", "description": "**Markdown**", "rank": 5},
        ]


class BacklogItemViewTest(BacklogItemData, ViewTestCases.ObjectViewTestCase):
    pass


class BacklogItemAPITest(BacklogItemData, APITestCases.APIViewTestCase):
    pass


class WipLimitData:
    model = WipLimit
    bulk_edit_data = {"limit": 9}
    invalid_data = {"status": "done"}  # only working columns take a limit
    field_constraint = {"limit": 3}
    move_out_data = {"limit": 4}

    @classmethod
    def setUpTestData(cls) -> None:
        projects = [Project.objects.create(name=f"P{n}", start_date=START) for n in range(6)]
        for project in projects[:3]:
            WipLimit.objects.create(project=project, status="in_progress", limit=3)
        cls.csv_data = (
            "project,status,limit",
            f"{projects[3].reference},review,2",
            f"{projects[4].reference},ready,5",
            f"{projects[5].reference},in_progress,4",
        )
        cls.create_data = {"project": projects[3].pk, "status": "ready", "limit": 2}
        cls.api_create_data = [{"project": projects[n].pk, "status": "review", "limit": 2} for n in (3, 4, 5)]


class WipLimitViewTest(WipLimitData, ViewTestCases.ObjectViewTestCase):
    pass


class WipLimitAPITest(WipLimitData, APITestCases.APIViewTestCase):
    pass


class GateTemplateData:
    model = GateTemplate
    csv_data = ("name,methodology,description", "Alpha,agile,", "Beta,waterfall,b", "Gamma,hybrid,")
    bulk_edit_data = {"description": "Changed in bulk"}
    invalid_data = {"stages": '[{"name": "X", "opens": "nowhere"}]'}
    field_constraint = {"description": ""}
    move_out_data = {"description": "moved"}
    create_data = {"name": "New", "methodology": "agile", "stages": '[{"name": "Go", "opens": "executing"}]'}
    api_create_data = [
        {"name": "A", "stages": STAGES},
        {"name": "B", "methodology": "agile"},
        {"name": "C", "methodology": "hybrid", "stages": []},
    ]

    @classmethod
    def setUpTestData(cls) -> None:
        for name in ("One", "Two", "Three"):
            GateTemplate.objects.create(name=name, stages=STAGES)


class GateTemplateViewTest(GateTemplateData, ViewTestCases.ObjectViewTestCase):
    pass


class GateTemplateAPITest(GateTemplateData, APITestCases.APIViewTestCase):
    pass


class StageGateData:
    model = StageGate
    bulk_edit_data = {"order": 5}
    invalid_data = {"opens": "proposed"}
    field_constraint = {"description": ""}
    move_out_data = {"description": "moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        project = Project.objects.create(name="P", start_date=START)
        person = Person.objects.create(first_name="Ada", last_name="Approver", email="ada@example.org")
        for n in (1, 2, 3):
            StageGate.objects.create(project=project, name=f"G{n}", order=n, opens="executing")
        cls.csv_data = (
            "project,name,order,opens",
            f"{project.reference},Initiation,1,planning",
            f"{project.reference},Planning,2,executing",
            f"{project.reference},Closure,3,closed",
        )
        cls.create_data = {"project": project.pk, "name": "New", "order": 9, "opens": "closing",
                           "approvers": [person.pk]}  # fmt: skip
        cls.api_create_data = [
            {"project": project.pk, "name": "A", "opens": "planning"},
            {"project": project.pk, "name": "B", "opens": "closing", "approvers": [person.pk]},
            {"project": project.pk, "name": "C", "order": 4},
        ]


class StageGateViewTest(StageGateData, ViewTestCases.ObjectViewTestCase):
    pass


class StageGateAPITest(StageGateData, APITestCases.APIViewTestCase):
    pass


class GateCriterionData:
    model = GateCriterion
    bulk_edit_data = {"met": True}
    invalid_data = {"text": ""}
    field_constraint = {"evidence": ""}
    move_out_data = {"evidence": "moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        project = Project.objects.create(name="P", start_date=START)
        gate = StageGate.objects.create(project=project, name="G", opens="executing")
        for n in (1, 2, 3):
            GateCriterion.objects.create(gate=gate, text=f"C{n}", order=n)
        cls.csv_data = ("gate,text,order,met", f"{gate.pk},Budget,1,true", f"{gate.pk},Plan,2,false",
                        f"{gate.pk},Risks,3,false")  # fmt: skip
        cls.create_data = {"gate": gate.pk, "text": "New", "order": 4}
        cls.api_create_data = [{"gate": gate.pk, "text": t} for t in ("X", "Y", "Z")]


class GateCriterionViewTest(GateCriterionData, ViewTestCases.ObjectViewTestCase):
    pass


class GateCriterionAPITest(GateCriterionData, APITestCases.APIViewTestCase):
    pass
