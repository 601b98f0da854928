"""The generic UI and API test cases applied to every strategy model: each class gives data only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from steward.strategy.models import (
    BusinessCaseLine,
    CriterionScore,
    Initiative,
    InitiativeAlignment,
    KeyResult,
    KeyResultMeasurement,
    Objective,
    PortfolioScenario,
    ScoringCriterion,
    ScoringModel,
)
from steward.utilities.testing.api import APITestCases
from steward.utilities.testing.views import ViewTestCases

START, END = dt.date(2027, 1, 1), dt.date(2027, 12, 31)


def objective(title: str = "Objective") -> Objective:
    return Objective.objects.create(title=title, period_start=START, period_end=END)


class ObjectiveData:
    model = Objective
    csv_data = (
        "title,perspective,status,period_start,period_end",
        "Grow,customer,active,2027-01-01,2027-12-31",
        "Save,financial,draft,2027-01-01,2027-06-30",
        "Learn,learning,active,2027-01-01,2027-12-31",
    )
    bulk_edit_data = {"status": "achieved"}
    invalid_data = {"period_end": "2020-01-01"}
    field_constraint = {"perspective": "customer"}
    move_out_data = {"perspective": "financial"}
    create_data = {"title": "New", "perspective": "customer", "status": "active", "period_start": "2027-01-01",
                   "period_end": "2027-12-31"}  # fmt: skip
    api_create_data = [
        {"title": "A", "period_start": "2027-01-01", "period_end": "2027-12-31"},
        {"title": "B", "perspective": "internal", "period_start": "2027-01-01", "period_end": "2027-03-31"},
        {"title": "C", "status": "draft", "period_start": "2027-01-01", "period_end": "2027-12-31"},
    ]

    @classmethod
    def setUpTestData(cls) -> None:
        for title in ("One", "Two", "Three"):
            objective(title)


class ObjectiveViewTest(ObjectiveData, ViewTestCases.ObjectViewTestCase):
    pass


class ObjectiveAPITest(ObjectiveData, APITestCases.APIViewTestCase):
    pass


class KeyResultData:
    model = KeyResult
    bulk_edit_data = {"confidence": "low"}
    invalid_data = {"baseline": "not a number"}
    field_constraint = {"confidence": "high"}
    move_out_data = {"confidence": "low"}

    @classmethod
    def setUpTestData(cls) -> None:
        obj = objective()
        for n in range(3):
            KeyResult.objects.create(objective=obj, title=f"KR {n}", metric="m", baseline=D(0), target=D(10),
                                     confidence="high")  # fmt: skip
        cls.csv_data = (
            "objective,title,metric,baseline,target,confidence",
            f"{obj.reference},X,m,0,5,high",
            f"{obj.reference},Y,m,10,5,medium",
            f"{obj.reference},Z,m,1,2,low",
        )
        cls.create_data = {"objective": obj.pk, "title": "New", "metric": "m", "baseline": "1", "target": "2",
                           "confidence": "high"}  # fmt: skip
        cls.api_create_data = [
            {"objective": obj.pk, "title": "A", "metric": "m", "baseline": "0", "target": "1"},
            {"objective": obj.pk, "title": "B", "metric": "m", "baseline": "5", "target": "1", "unit": "h"},
            {
                "objective": obj.pk,
                "title": "C",
                "metric": "m",
                "baseline": "0",
                "target": "100",
                "confidence": "low",
            },
        ]


class KeyResultViewTest(KeyResultData, ViewTestCases.ObjectViewTestCase):
    pass


class KeyResultAPITest(KeyResultData, APITestCases.APIViewTestCase):
    pass


class KeyResultMeasurementData:
    model = KeyResultMeasurement
    bulk_edit_data = {"note": "Checked"}
    invalid_data = {"value": "lots"}
    field_constraint = {"note": ""}
    move_out_data = {"note": "moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        kr = KeyResult.objects.create(
            objective=objective(), title="KR", metric="m", baseline=D(0), target=D(10)
        )
        for day in (1, 2, 3):
            KeyResultMeasurement.objects.create(key_result=kr, date=dt.date(2027, 1, day), value=D(day))
        cls.csv_data = (
            "key_result,date,value",
            f"{kr.pk},2027-02-01,4",
            f"{kr.pk},2027-02-02,5",
            f"{kr.pk},2027-02-03,6",
        )
        cls.create_data = {"key_result": kr.pk, "date": "2027-03-01", "value": "7"}
        cls.api_create_data = [
            {"key_result": kr.pk, "date": f"2027-04-0{n}", "value": str(n)} for n in (1, 2, 3)
        ]


class KeyResultMeasurementViewTest(KeyResultMeasurementData, ViewTestCases.ObjectViewTestCase):
    pass


class KeyResultMeasurementAPITest(KeyResultMeasurementData, APITestCases.APIViewTestCase):
    pass


class InitiativeData:
    model = Initiative
    csv_data = (
        "title,currency,risk_score,discount_rate",
        "Portal,EUR,4,8",
        "ERP,EUR,20,10",
        "Chatbot,USD,9,8",
    )
    bulk_edit_data = {"risk_score": 12}
    invalid_data = {"currency": "EURO"}
    field_constraint = {"risk_score": 5}
    move_out_data = {"risk_score": 6}
    create_data = {"title": "New", "currency": "EUR", "discount_rate": "8", "risk_score": 5}
    api_create_data = [
        {"title": "A"},
        {"title": "B", "currency": "GBP", "risk_score": 3},
        {"title": "C", "start_date": "2027-01-01", "end_date": "2027-06-30"},
    ]

    @classmethod
    def setUpTestData(cls) -> None:
        for title in ("One", "Two", "Three"):
            Initiative.objects.create(title=title)


class InitiativeViewTest(InitiativeData, ViewTestCases.ObjectViewTestCase):
    pass


class InitiativeAPITest(InitiativeData, APITestCases.APIViewTestCase):
    pass


class InitiativeAlignmentData:
    model = InitiativeAlignment
    bulk_edit_data = {"rationale": "Checked"}
    invalid_data = {"score": "9"}
    field_constraint = {"score": 3}
    move_out_data = {"score": 4}

    @classmethod
    def setUpTestData(cls) -> None:
        initiative = Initiative.objects.create(title="I")
        objectives = [objective(f"O{n}") for n in range(6)]
        for obj in objectives[:3]:
            InitiativeAlignment.objects.create(initiative=initiative, objective=obj, score=3)
        cls.csv_data = (
            "initiative,objective,score",
            *(f"{initiative.reference},{o.reference},2" for o in objectives[3:]),
        )
        other = Initiative.objects.create(title="J")
        cls.create_data = {"initiative": other.pk, "objective": objectives[0].pk, "score": 5}
        cls.api_create_data = [
            {"initiative": other.pk, "objective": o.pk, "score": 1} for o in objectives[3:]
        ]


class InitiativeAlignmentViewTest(InitiativeAlignmentData, ViewTestCases.ObjectViewTestCase):
    pass


class InitiativeAlignmentAPITest(InitiativeAlignmentData, APITestCases.APIViewTestCase):
    pass


class BusinessCaseLineData:
    model = BusinessCaseLine
    bulk_edit_data = {"description": "Changed in bulk"}
    invalid_data = {"planned": "-5"}
    field_constraint = {"kind": "cost"}
    move_out_data = {"kind": "benefit", "category": "saving"}

    @classmethod
    def setUpTestData(cls) -> None:
        initiative = Initiative.objects.create(title="I")
        for year in (0, 1, 2):
            BusinessCaseLine.objects.create(initiative=initiative, year=year, kind="cost", category="opex",
                                            planned=D(100))  # fmt: skip
        cls.csv_data = (
            "initiative,year,kind,category,planned",
            f"{initiative.reference},3,cost,opex,100",
            f"{initiative.reference},1,benefit,saving,300",
            f"{initiative.reference},2,benefit,revenue,300",
        )
        cls.create_data = {"initiative": initiative.pk, "year": 0, "kind": "cost", "category": "capex",
                           "planned": "1000"}  # fmt: skip
        cls.api_create_data = [
            {"initiative": initiative.pk, "year": 0, "kind": "cost", "category": "capex", "planned": "1000"},
            {"initiative": initiative.pk, "year": 1, "kind": "benefit", "category": "saving", "planned": "600"},
            {"initiative": initiative.pk, "year": 2, "kind": "benefit", "category": "saving", "planned": "600",
             "realised": "550"},
        ]  # fmt: skip


class BusinessCaseLineViewTest(BusinessCaseLineData, ViewTestCases.ObjectViewTestCase):
    pass


class BusinessCaseLineAPITest(BusinessCaseLineData, APITestCases.APIViewTestCase):
    pass


class ScoringModelData:
    model = ScoringModel
    csv_data = ("name,description", "Lean,", "Risky,Risk first", "Value,Money first")
    bulk_edit_data = {"description": "Changed in bulk"}
    invalid_data = {"name": ""}
    field_constraint = {"description": ""}
    move_out_data = {"description": "moved"}
    create_data = {"name": "New"}
    api_create_data = [{"name": "A"}, {"name": "B", "description": "b"}, {"name": "C"}]

    @classmethod
    def setUpTestData(cls) -> None:
        for name in ("One", "Two", "Three"):
            ScoringModel.objects.create(name=name)


class ScoringModelViewTest(ScoringModelData, ViewTestCases.ObjectViewTestCase):
    pass


class ScoringModelAPITest(ScoringModelData, APITestCases.APIViewTestCase):
    pass


class ScoringCriterionData:
    model = ScoringCriterion
    bulk_edit_data = {"description": "Changed in bulk"}
    invalid_data = {"weight": "0"}
    field_constraint = {"source": "manual"}
    move_out_data = {"source": "npv"}

    @classmethod
    def setUpTestData(cls) -> None:
        model = ScoringModel.objects.create(name="M")
        for name in ("a", "b", "c"):
            ScoringCriterion.objects.create(scoring_model=model, name=name, weight=D(10))
        cls.csv_data = (
            "scoring_model,name,weight,source",
            "M,d,5,manual",
            "M,e,5,npv",
            "M,f,5,risk",
        )
        cls.create_data = {"scoring_model": model.pk, "name": "g", "weight": "3", "source": "manual"}
        cls.api_create_data = [
            {"scoring_model": model.pk, "name": "h", "weight": "1"},
            {"scoring_model": model.pk, "name": "i", "weight": "2", "source": "roi"},
            {"scoring_model": model.pk, "name": "j", "weight": "3", "source": "strategic_fit"},
        ]


class ScoringCriterionViewTest(ScoringCriterionData, ViewTestCases.ObjectViewTestCase):
    pass


class ScoringCriterionAPITest(ScoringCriterionData, APITestCases.APIViewTestCase):
    pass


class CriterionScoreData:
    model = CriterionScore
    bulk_edit_data = {"comment": "Checked"}
    invalid_data = {"value": "11"}
    field_constraint = {"comment": ""}
    move_out_data = {"comment": "moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        model = ScoringModel.objects.create(name="M")
        criteria = [ScoringCriterion.objects.create(scoring_model=model, name=n, weight=D(1)) for n in "abc"]
        first, second = Initiative.objects.create(title="I"), Initiative.objects.create(title="J")
        for criterion in criteria:
            CriterionScore.objects.create(initiative=first, criterion=criterion, value=D(5))
        cls.csv_data = (
            "initiative,criterion,value",
            *(f"{second.reference},{c.pk},7" for c in criteria),
        )
        third = Initiative.objects.create(title="K")
        cls.create_data = {"initiative": third.pk, "criterion": criteria[0].pk, "value": "4"}
        cls.api_create_data = [{"initiative": third.pk, "criterion": c.pk, "value": "6"} for c in criteria]


class CriterionScoreViewTest(CriterionScoreData, ViewTestCases.ObjectViewTestCase):
    pass


class CriterionScoreAPITest(CriterionScoreData, APITestCases.APIViewTestCase):
    pass


class PortfolioScenarioData:
    model = PortfolioScenario
    csv_data = (
        "name,scoring_model,budget,currency",
        "Low,M,1000,EUR",
        "Mid,M,2000,EUR",
        "High,M,3000,USD",
    )
    bulk_edit_data = {"description": "Changed in bulk"}
    invalid_data = {"budget": "-1"}
    field_constraint = {"currency": "EUR"}
    move_out_data = {"currency": "USD"}

    @classmethod
    def setUpTestData(cls) -> None:
        model = ScoringModel.objects.create(name="M")
        for n in (1, 2, 3):
            PortfolioScenario.objects.create(name=f"S{n}", scoring_model=model, budget=D(n * 1000))
        cls.create_data = {"name": "New", "scoring_model": model.pk, "budget": "5000", "currency": "EUR",
                           "candidate_states": "[]"}  # fmt: skip
        cls.api_create_data = [
            {"name": "A", "scoring_model": model.pk, "budget": "10"},
            {"name": "B", "scoring_model": model.pk, "budget": "20", "currency": "GBP"},
            {"name": "C", "scoring_model": model.pk, "budget": "30", "candidate_states": ["idea"]},
        ]


class PortfolioScenarioViewTest(PortfolioScenarioData, ViewTestCases.ObjectViewTestCase):
    pass


class PortfolioScenarioAPITest(PortfolioScenarioData, APITestCases.APIViewTestCase):
    pass
