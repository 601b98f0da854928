"""The generic UI and API test cases applied to every innovation model: each class gives data only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from django.utils import timezone

from steward.innovation import models as m
from steward.org.models import Person
from steward.utilities.testing.api import APITestCases
from steward.utilities.testing.views import ViewTestCases

START, END = dt.date(2027, 1, 1), dt.date(2027, 3, 31)
_people = iter(range(1, 10_000))


def person() -> Person:
    n = next(_people)
    return Person.objects.create(first_name="P", last_name=f"{n}", email=f"p{n}@example.org")


def plan(title: str = "Rollout") -> m.ChangePlan:
    return m.ChangePlan.objects.create(title=title)


def criteria_set(name: str = "Default") -> m.CriteriaSet:
    cs = m.CriteriaSet.objects.create(name=name)
    m.EvaluationCriterion.objects.create(criteria_set=cs, name="Value", weight=D(3))
    m.EvaluationCriterion.objects.create(criteria_set=cs, name="Effort", weight=D(1))
    return cs


def quadrant(name: str = "Tools", position: int = 0) -> m.RadarQuadrant:
    return m.RadarQuadrant.objects.create(name=name, position=position)


def survey(closes_in: int = 30) -> m.ReadinessSurvey:
    return m.ReadinessSurvey.objects.create(plan=plan(), title="Ready?",
                                            closes_at=timezone.now() + dt.timedelta(days=closes_in))  # fmt: skip


# --- ideas ---------------------------------------------------------------------------------------
class CriteriaSetData:
    model = m.CriteriaSet
    csv_data = ("name,description", "Cost,a", "Risk,b", "Fit,c")
    bulk_edit_data = {"description": "Reviewed"}
    invalid_data = {"name": ""}
    create_data = {"name": "New set", "description": "x"}
    api_create_data = [{"name": "A"}, {"name": "B", "description": "b"}, {"name": "C"}]

    @classmethod
    def setUpTestData(cls) -> None:
        for name in ("One", "Two", "Three"):
            m.CriteriaSet.objects.create(name=name)


class CriteriaSetViewTest(CriteriaSetData, ViewTestCases.ObjectViewTestCase):
    pass


class CriteriaSetAPITest(CriteriaSetData, APITestCases.APIViewTestCase):
    pass


class EvaluationCriterionData:
    model = m.EvaluationCriterion
    bulk_edit_data = {"weight": "2.50"}
    invalid_data = {"weight": "0"}
    field_constraint = {"description": ""}
    move_out_data = {"description": "moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        cs = m.CriteriaSet.objects.create(name="Set")
        for name in ("Value", "Effort", "Risk"):
            m.EvaluationCriterion.objects.create(criteria_set=cs, name=name, weight=D(1))
        cls.csv_data = ("criteria_set,name,weight", "Set,Reach,1", "Set,Cost,2", "Set,Speed,3")
        cls.create_data = {"criteria_set": cs.pk, "name": "Fit", "weight": "2"}
        cls.api_create_data = [{"criteria_set": cs.pk, "name": n, "weight": "1.5"} for n in ("A", "B", "C")]


class EvaluationCriterionViewTest(EvaluationCriterionData, ViewTestCases.ObjectViewTestCase):
    pass


class EvaluationCriterionAPITest(EvaluationCriterionData, APITestCases.APIViewTestCase):
    pass


class IdeaData:
    model = m.Idea
    csv_data = (
        "title,category,description",
        "Chatbot,service,**bold**",
        "Less paper,cost,x",
        "Hot desks,workplace,y",
    )
    bulk_edit_data = {"category": "technology"}
    invalid_data = {"category": "magic"}
    field_constraint = {"category": "process"}
    move_out_data = {"category": "cost"}
    api_create_data = [
        {"title": "A"},
        {"title": "B", "category": "cost"},
        {"title": "C", "expected_benefit": "Time"},
    ]

    @classmethod
    def setUpTestData(cls) -> None:
        for title in ("One", "Two", "Three"):
            m.Idea.objects.create(title=title, category="process")
        cls.create_data = {
            "title": "New",
            "category": "process",
            "submitter": person().pk,
            "description": "*hi*",
        }


class IdeaViewTest(IdeaData, ViewTestCases.ObjectViewTestCase):
    pass


class IdeaAPITest(IdeaData, APITestCases.APIViewTestCase):
    pass


class IdeaVoteData:
    model = m.IdeaVote
    invalid_data = {"voter": "999999"}

    @classmethod
    def setUpTestData(cls) -> None:
        idea, other = m.Idea.objects.create(title="Idea"), m.Idea.objects.create(title="Other")
        voters = [person() for _n in range(9)]
        for v in voters[:3]:
            m.IdeaVote.objects.create(idea=idea, voter=v)
        cls.bulk_edit_data = {"comment": "Yes"}
        cls.csv_data = ("idea,voter", *(f"{idea.reference},{v.email}" for v in voters[3:6]))
        cls.create_data = {"idea": idea.pk, "voter": voters[6].pk}
        cls.api_create_data = [{"idea": other.pk, "voter": v.pk} for v in voters[6:9]]


class IdeaVoteViewTest(IdeaVoteData, ViewTestCases.ObjectViewTestCase):
    pass


class IdeaVoteAPITest(IdeaVoteData, APITestCases.APIViewTestCase):
    pass


class IdeaScoreData:
    model = m.IdeaScore
    bulk_edit_data = {"comment": "Checked"}
    invalid_data = {"value": "11"}
    field_constraint = {"comment": ""}
    move_out_data = {"comment": "moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        cs = criteria_set()
        value, effort = cs.criteria.order_by("name")[1], cs.criteria.order_by("name")[0]
        idea = m.Idea.objects.create(title="Idea", criteria_set=cs, state="evaluating")
        people = [person() for _n in range(6)]
        for p in people[:3]:
            m.IdeaScore.objects.create(idea=idea, criterion=value, evaluator=p, value=D(7))
        cls.csv_data = (
            "idea,criterion,evaluator,value",
            *(f"{idea.reference},{effort.pk},{p.email},4" for p in people[:3]),
        )
        cls.create_data = {"idea": idea.pk, "criterion": effort.pk, "evaluator": people[3].pk, "value": "6"}
        cls.api_create_data = [{"idea": idea.pk, "criterion": effort.pk, "evaluator": p.pk, "value": "5.5"}
                               for p in people[3:]]  # fmt: skip


class IdeaScoreViewTest(IdeaScoreData, ViewTestCases.ObjectViewTestCase):
    pass


class IdeaScoreAPITest(IdeaScoreData, APITestCases.APIViewTestCase):
    pass


# --- radar ---------------------------------------------------------------------------------------
class RadarQuadrantData:
    model = m.RadarQuadrant
    csv_data = ("name,position", "Techniques,0", "Platforms,2", "Languages,3")
    bulk_edit_data = {"description": "Reviewed"}
    invalid_data = {"position": "4"}
    field_constraint = {"description": ""}
    move_out_data = {"description": "moved"}
    create_data = {"name": "New", "position": "1"}
    api_create_data = [
        {"name": "A", "position": 0},
        {"name": "B", "position": 1},
        {"name": "C", "position": 3},
    ]

    @classmethod
    def setUpTestData(cls) -> None:
        for n, name in enumerate(("Tools", "Frameworks", "Data")):
            quadrant(name, n)


class RadarQuadrantViewTest(RadarQuadrantData, ViewTestCases.ObjectViewTestCase):
    pass


class RadarQuadrantAPITest(RadarQuadrantData, APITestCases.APIViewTestCase):
    pass


class RadarEntryData:
    model = m.RadarEntry
    bulk_edit_data = {"description": "Reviewed"}
    invalid_data = {"quadrant": "999999"}
    field_constraint = {"owner__isnull": True}

    @classmethod
    def setUpTestData(cls) -> None:
        q = quadrant()
        for name in ("Kubernetes", "Terraform", "Rust"):
            m.RadarEntry.objects.create(name=name, quadrant=q, ring="assess")
        cls.csv_data = ("name,quadrant,ring", "Go,Tools,adopt", "Deno,Tools,hold", "Nix,Tools,trial")
        cls.create_data = {"name": "Zig", "quadrant": q.pk, "ring": "assess"}
        cls.move_out_data = {"owner": person().pk}
        # The same ring as the rows: a PUT onto a row must not move it (that takes a movement).
        cls.api_create_data = [{"name": n, "quadrant": q.pk, "ring": "assess"} for n in ("A", "B", "C")]


class RadarEntryViewTest(RadarEntryData, ViewTestCases.ObjectViewTestCase):
    pass


class RadarEntryAPITest(RadarEntryData, APITestCases.APIViewTestCase):
    pass


class RadarMovementData:
    model = m.RadarMovement
    bulk_edit_data = {"rationale": "Revised"}
    invalid_data = {"to_ring": "nowhere"}
    field_constraint = {"to_ring": "trial"}
    move_out_data = {"to_ring": "hold"}

    @classmethod
    def setUpTestData(cls) -> None:
        q = quadrant()
        entries = [m.RadarEntry.objects.create(name=f"E{n}", quadrant=q, ring="assess") for n in range(6)]
        for e in entries[:3]:
            m.RadarMovement.objects.create(
                entry=e, to_ring="trial", rationale="Works", date=dt.date(2026, 1, 5)
            )
        day = str(timezone.localdate())
        cls.csv_data = (
            "entry,to_ring,rationale,date",
            *(f"{e.name},adopt,Proven,{day}" for e in entries[3:]),
        )
        cls.create_data = {"entry": entries[3].pk, "to_ring": "hold", "rationale": "Unsupported", "date": day}
        cls.api_create_data = [
            {"entry": e.pk, "to_ring": "adopt", "rationale": "Proven"} for e in entries[3:]
        ]


class RadarMovementViewTest(RadarMovementData, ViewTestCases.ObjectViewTestCase):
    pass


class RadarMovementAPITest(RadarMovementData, APITestCases.APIViewTestCase):
    pass


class RadarEditionData:
    model = m.RadarEdition
    csv_data = ("name,date", "2026 Q1,2026-03-31", "2026 Q2,2026-06-30", "2026 Q3,2026-09-30")
    bulk_edit_data = {"notes": "Published"}
    invalid_data = {"date": "someday"}
    create_data = {"name": "2027 Q1", "date": "2026-01-01"}
    api_create_data = [{"name": "A", "date": "2026-01-01"}, {"name": "B"}, {"name": "C", "notes": "c"}]

    @classmethod
    def setUpTestData(cls) -> None:
        m.RadarEntry.objects.create(name="Go", quadrant=quadrant(), ring="adopt")
        for name in ("One", "Two", "Three"):
            m.RadarEdition.objects.create(name=name, date=dt.date(2026, 1, 1))


class RadarEditionViewTest(RadarEditionData, ViewTestCases.ObjectViewTestCase):
    pass


class RadarEditionAPITest(RadarEditionData, APITestCases.APIViewTestCase):
    pass


# --- pilots --------------------------------------------------------------------------------------
class PilotData:
    model = m.Pilot
    csv_data = ("title,hypothesis,start_date,end_date", "A,h,2027-01-01,2027-02-01", "B,h,2027-01-01,2027-03-01",
                "C,h,2027-02-01,2027-04-01")  # fmt: skip
    bulk_edit_data = {"end_date": "2027-06-30"}
    invalid_data = {"end_date": "2020-01-01"}
    create_data = {
        "title": "New",
        "hypothesis": "It helps",
        "start_date": "2027-01-01",
        "end_date": "2027-02-01",
    }
    api_create_data = [{"title": n, "hypothesis": "h", "start_date": "2027-01-01", "end_date": "2027-01-31"}
                       for n in ("A", "B", "C")]  # fmt: skip

    @classmethod
    def setUpTestData(cls) -> None:
        for title in ("One", "Two", "Three"):
            m.Pilot.objects.create(title=title, hypothesis="h", start_date=START, end_date=END)


class PilotViewTest(PilotData, ViewTestCases.ObjectViewTestCase):
    pass


class PilotAPITest(PilotData, APITestCases.APIViewTestCase):
    pass


class SuccessCriterionData:
    model = m.SuccessCriterion
    bulk_edit_data = {"target": "95 %"}
    invalid_data = {"target": ""}
    field_constraint = {"result": ""}
    move_out_data = {"result": "moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        pilot = m.Pilot.objects.create(title="P", hypothesis="h", start_date=START, end_date=END)
        for name in ("Speed", "Cost", "Happiness"):
            m.SuccessCriterion.objects.create(pilot=pilot, name=name, target="10 % faster")
        cls.csv_data = ("pilot,name,target", *(f"{pilot.reference},{n},1" for n in ("X", "Y", "Z")))
        cls.create_data = {"pilot": pilot.pk, "name": "New", "target": "2", "outcome": "pending"}
        cls.api_create_data = [{"pilot": pilot.pk, "name": n, "target": "3"} for n in ("A", "B", "C")]


class SuccessCriterionViewTest(SuccessCriterionData, ViewTestCases.ObjectViewTestCase):
    pass


class SuccessCriterionAPITest(SuccessCriterionData, APITestCases.APIViewTestCase):
    pass


# --- change plans --------------------------------------------------------------------------------
class ChangePlanData:
    model = m.ChangePlan
    csv_data = ("title,go_live", "CRM rollout,2027-01-01", "New laptops,2027-02-01", "Office move,")
    bulk_edit_data = {"go_live": "2027-05-01"}
    invalid_data = {"go_live": "soon"}
    create_data = {"title": "New", "go_live": "2027-03-01"}
    api_create_data = [{"title": "A"}, {"title": "B", "go_live": "2027-01-01"}, {"title": "C"}]

    @classmethod
    def setUpTestData(cls) -> None:
        for title in ("One", "Two", "Three"):
            plan(title)


class ChangePlanViewTest(ChangePlanData, ViewTestCases.ObjectViewTestCase):
    pass


class ChangePlanAPITest(ChangePlanData, APITestCases.APIViewTestCase):
    pass


class StakeholderGroupData:
    model = m.StakeholderGroup
    bulk_edit_data = {"adkar_stage": "desire"}
    invalid_data = {"influence": "huge"}
    field_constraint = {"interest": "high"}
    move_out_data = {"interest": "low"}

    @classmethod
    def setUpTestData(cls) -> None:
        p = plan()
        for name in ("Agents", "Managers", "Finance"):
            m.StakeholderGroup.objects.create(plan=p, name=name, interest="high")
        cls.csv_data = ("plan,name,interest", *(f"{p.reference},{n},high" for n in ("X", "Y", "Z")))
        cls.create_data = {"plan": p.pk, "name": "New", "influence": "high", "interest": "high",
                           "impact_level": "high", "adkar_stage": "awareness", "people": [person().pk]}  # fmt: skip
        cls.api_create_data = [{"plan": p.pk, "name": n, "interest": "high"} for n in ("A", "B", "C")]


class StakeholderGroupViewTest(StakeholderGroupData, ViewTestCases.ObjectViewTestCase):
    pass


class StakeholderGroupAPITest(StakeholderGroupData, APITestCases.APIViewTestCase):
    pass


class CommunicationMessageData:
    model = m.CommunicationMessage
    bulk_edit_data = {"subject": "Updated"}
    invalid_data = {"channel": "pigeon"}
    field_constraint = {"channel": "email"}
    move_out_data = {"channel": "notification"}

    @classmethod
    def setUpTestData(cls) -> None:
        p = plan()
        group = m.StakeholderGroup.objects.create(plan=p, name="All")
        for n in range(3):
            msg = m.CommunicationMessage.objects.create(plan=p, send_on=START, subject=f"News {n}", body="Hi")
            msg.audience.set([group])
        cls.csv_data = ("plan,audience,send_on,subject,body",
                        *(f"{p.reference},{group.pk},2027-02-0{n},S{n},B" for n in (1, 2, 3)))  # fmt: skip
        cls.create_data = {"plan": p.pk, "audience": [group.pk], "channel": "email", "send_on": "2027-01-05",
                           "subject": "Hello", "body": "Text"}  # fmt: skip
        cls.api_create_data = [{"plan": p.pk, "audience": [group.pk], "send_on": "2027-01-06", "subject": n,
                                "body": "b"} for n in ("A", "B", "C")]  # fmt: skip


class CommunicationMessageViewTest(CommunicationMessageData, ViewTestCases.ObjectViewTestCase):
    pass


class CommunicationMessageAPITest(CommunicationMessageData, APITestCases.APIViewTestCase):
    pass


class TrainingItemData:
    model = m.TrainingItem
    bulk_edit_data = {"notes": "Room 4"}
    invalid_data = {"date": "tomorrow-ish"}

    @classmethod
    def setUpTestData(cls) -> None:
        p = plan()
        for n in range(3):
            m.TrainingItem.objects.create(plan=p, title=f"Session {n}", date=START)
        cls.csv_data = ("plan,title,date", *(f"{p.reference},T{n},2027-01-0{n}" for n in (1, 2, 3)))
        cls.create_data = {"plan": p.pk, "title": "New", "date": "2027-01-09"}
        cls.api_create_data = [{"plan": p.pk, "title": n, "date": "2027-01-10"} for n in ("A", "B", "C")]


class TrainingItemViewTest(TrainingItemData, ViewTestCases.ObjectViewTestCase):
    pass


class TrainingItemAPITest(TrainingItemData, APITestCases.APIViewTestCase):
    pass


class ReadinessSurveyData:
    model = m.ReadinessSurvey
    bulk_edit_data = {"title": "Renamed"}
    invalid_data = {"closes_at": "never"}

    @classmethod
    def setUpTestData(cls) -> None:
        p = plan()
        for n in range(3):
            m.ReadinessSurvey.objects.create(
                plan=p, title=f"S{n}", closes_at=timezone.now() + dt.timedelta(days=9)
            )
        cls.csv_data = ("plan,title,closes_at", *(f"{p.reference},X{n},2030-01-01 12:00" for n in (1, 2, 3)))
        cls.create_data = {"plan": p.pk, "title": "New", "closes_at": "2030-01-01 12:00"}
        cls.api_create_data = [{"plan": p.pk, "title": n, "closes_at": "2030-01-01T12:00:00Z"} for n in "ABC"]


class ReadinessSurveyViewTest(ReadinessSurveyData, ViewTestCases.ObjectViewTestCase):
    pass


class ReadinessSurveyAPITest(ReadinessSurveyData, APITestCases.APIViewTestCase):
    pass


class SurveyQuestionData:
    model = m.SurveyQuestion
    bulk_edit_data = {"position": "5"}
    invalid_data = {"position": "-1"}

    @classmethod
    def setUpTestData(cls) -> None:
        s = survey()
        for n in range(3):
            m.SurveyQuestion.objects.create(survey=s, text=f"Q{n}", position=n)
        cls.csv_data = ("survey,text", *(f"{s.pk},T{n}" for n in (1, 2, 3)))
        cls.create_data = {"survey": s.pk, "text": "I know why we change", "position": "1"}
        cls.api_create_data = [{"survey": s.pk, "text": n} for n in ("A", "B", "C")]


class SurveyQuestionViewTest(SurveyQuestionData, ViewTestCases.ObjectViewTestCase):
    pass


class SurveyQuestionAPITest(SurveyQuestionData, APITestCases.APIViewTestCase):
    pass


class SurveyAnswerData:
    model = m.SurveyAnswer
    bulk_edit_data = {"score": "4"}
    invalid_data = {"score": "6"}
    field_constraint = {"comment": ""}
    move_out_data = {"comment": "moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        question = m.SurveyQuestion.objects.create(survey=survey(), text="Ready?")
        people = [person() for _n in range(9)]
        for p in people[:3]:
            m.SurveyAnswer.objects.create(question=question, respondent=p, score=3)
        cls.csv_data = ("question,respondent,score", *(f"{question.pk},{p.email},2" for p in people[3:6]))
        cls.create_data = {"question": question.pk, "respondent": people[6].pk, "score": "5"}
        cls.api_create_data = [{"question": question.pk, "respondent": p.pk, "score": 1} for p in people[6:]]


class SurveyAnswerViewTest(SurveyAnswerData, ViewTestCases.ObjectViewTestCase):
    pass


class SurveyAnswerAPITest(SurveyAnswerData, APITestCases.APIViewTestCase):
    pass


class ReadinessItemData:
    model = m.ReadinessItem
    bulk_edit_data = {"done": "on"}
    update_data = {"done": True}
    invalid_data = {"due_date": "someday"}
    field_constraint = {"title__startswith": "I"}
    move_out_data = {"title": "Moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        p = plan()
        for n in range(3):
            m.ReadinessItem.objects.create(plan=p, title=f"Item {n}")
        cls.csv_data = ("plan,title", *(f"{p.reference},C{n}" for n in (1, 2, 3)))
        cls.create_data = {"plan": p.pk, "title": "Item new", "due_date": "2027-01-01"}
        cls.api_create_data = [{"plan": p.pk, "title": n} for n in ("A", "B", "C")]


class ReadinessItemViewTest(ReadinessItemData, ViewTestCases.ObjectViewTestCase):
    bulk_edit_data = {"due_date": "2027-02-01"}
    update_data = None


class ReadinessItemAPITest(ReadinessItemData, APITestCases.APIViewTestCase):
    bulk_edit_data = {"done": True}
    update_data = None


class AdoptionMetricData:
    model = m.AdoptionMetric
    bulk_edit_data = {"target": "50"}
    invalid_data = {"kind": "telepathy"}
    field_constraint = {"name__startswith": "M"}
    move_out_data = {"name": "Other"}

    @classmethod
    def setUpTestData(cls) -> None:
        p = plan()
        for n in range(3):
            m.AdoptionMetric.objects.create(plan=p, name=f"M{n}", kind="logins")
        cls.csv_data = ("plan,name,kind", *(f"{p.reference},X{n},logins" for n in (1, 2, 3)))
        cls.create_data = {"plan": p.pk, "name": "New", "kind": "logins", "target": "10"}
        cls.api_create_data = [{"plan": p.pk, "name": n, "kind": "logins"} for n in ("A", "B", "C")]


class AdoptionMetricViewTest(AdoptionMetricData, ViewTestCases.ObjectViewTestCase):
    pass


class AdoptionMetricAPITest(AdoptionMetricData, APITestCases.APIViewTestCase):
    pass
