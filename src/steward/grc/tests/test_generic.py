"""The generic UI and API test cases applied to every grc model: each class gives data only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from steward.grc.models import (
    Acknowledgement,
    AcknowledgementCampaign,
    Assessment,
    AssessmentResult,
    Control,
    Evidence,
    Finding,
    Framework,
    Indicator,
    Measurement,
    Policy,
    PolicyVersion,
    RaciAssignment,
    RaciMatrix,
    RemediationTask,
    Requirement,
    Risk,
    RiskMatrix,
    Scoping,
)
from steward.grc.tests.factories import LEVELS, SCALE
from steward.org.models import Organisation, Person
from steward.utilities.testing.api import APITestCases
from steward.utilities.testing.views import ViewTestCases

#: A time without microseconds: edit forms show minutes and seconds only.
ROUND = dt.datetime(2026, 1, 2, 9, 30, tzinfo=dt.UTC)


def base() -> dict[str, Any]:
    fw = Framework.objects.create(name="Baseline", identifier="urn:test:baseline", version="1")
    reqs = [Requirement.objects.create(framework=fw, control_id=f"r-{i}", title=f"Req {i}", sort_order=i)
            for i in range(1, 7)]  # fmt: skip
    person = Person.objects.create(first_name="Olga", last_name="Owner", email="olga@example.org")
    matrix = RiskMatrix.objects.create(name="3x3", likelihood=SCALE, impact=SCALE, levels=LEVELS, appetite=3)
    return {"fw": fw, "reqs": reqs, "person": person, "matrix": matrix}


# --- frameworks and requirements --------------------------------------------------------------
class FrameworkData:
    model = Framework
    csv_data = (
        "name,identifier,version,source",
        "ISO A,urn:x:a,2022,manual",
        "ISO B,urn:x:b,1,library",
        "ISO C,urn:x:c,1,manual",
    )
    bulk_edit_data = {"publisher": "Us"}
    invalid_data = {"source": "fax"}
    field_constraint = {"publisher": ""}
    move_out_data = {"publisher": "Them"}
    create_data = {"name": "New", "identifier": "urn:x:new", "version": "1", "source": "manual"}
    api_create_data = [
        {"name": "N1", "identifier": "urn:x:n1", "source": "manual"},
        {"name": "N2", "identifier": "urn:x:n2", "version": "2", "source": "library"},
        {"name": "N3", "identifier": "urn:x:n3", "source": "manual"},
    ]

    @classmethod
    def setUpTestData(cls) -> None:
        for i in range(3):
            Framework.objects.create(name=f"F{i}", identifier=f"urn:f:{i}")


class FrameworkViewTest(FrameworkData, ViewTestCases.ObjectViewTestCase):
    pass


class FrameworkAPITest(FrameworkData, APITestCases.APIViewTestCase):
    pass


class RequirementData:
    model = Requirement
    bulk_edit_data = {"guidance": "Changed in bulk"}
    invalid_data = {"kind": "chapter"}
    field_constraint = {"guidance": ""}
    move_out_data = {"guidance": "Moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        fw = Framework.objects.create(name="F", identifier="urn:f")
        for i in range(3):
            Requirement.objects.create(framework=fw, control_id=f"x-{i}", title=f"X {i}", sort_order=i)
        cls.csv_data = (
            "framework,control_id,kind,title",
            f"{fw.identifier},y-1,control,Y1",
            f"{fw.identifier},y-2,control,Y2",
            f"{fw.identifier},y-3,enhancement,Y3",
        )
        cls.create_data = {"framework": fw.pk, "control_id": "z-1", "kind": "control", "title": "Z", "sort_order": 1}  # fmt: skip
        cls.api_create_data = [
            {"framework": fw.pk, "control_id": f"z-{i}", "kind": "control", "title": f"Z{i}"}
            for i in range(2, 5)
        ]


class RequirementViewTest(RequirementData, ViewTestCases.ObjectViewTestCase):
    pass


class RequirementAPITest(RequirementData, APITestCases.APIViewTestCase):
    pass


# --- controls, scoping, evidence --------------------------------------------------------------
class ControlData:
    model = Control
    csv_data = (
        "name,implementation_status,test_result,tested_on",
        "Backups,implemented,compliant,2026-01-10",
        "MFA,planned,not_assessed,",
        "Patching,partially_implemented,partially_compliant,2026-02-01",
    )
    bulk_edit_data = {"implementation_status": "implemented"}
    invalid_data = {"tested_on": "not a date"}
    field_constraint = {"implementation_status": "planned"}
    move_out_data = {"implementation_status": "implemented"}

    @classmethod
    def setUpTestData(cls) -> None:
        b = base()
        for name in ("A", "B", "C"):
            Control.objects.create(name=name)
        cls.create_data = {"name": "New", "implementation_status": "planned", "test_result": "not_assessed",
                           "requirements": [b["reqs"][0].pk], "owner": b["person"].pk}  # fmt: skip
        cls.api_create_data = [
            {"name": "N1", "requirements": [b["reqs"][0].pk, b["reqs"][1].pk]},
            {"name": "N2", "test_result": "compliant", "tested_on": "2026-03-01"},
            {"name": "N3", "owner": b["person"].pk},
        ]


class ControlViewTest(ControlData, ViewTestCases.ObjectViewTestCase):
    pass


class ControlAPITest(ControlData, APITestCases.APIViewTestCase):
    pass


class ScopingData:
    model = Scoping
    bulk_edit_data = {"justification": "Changed in bulk"}
    invalid_data = {"requirement": ""}
    api_invalid_data = {"requirement": None}
    field_constraint = {"applicable": False}
    move_out_data = {"applicable": True}

    @classmethod
    def setUpTestData(cls) -> None:
        b = base()
        org = Organisation.objects.create(name="Acme", slug="acme")
        for req in b["reqs"][:3]:
            Scoping.objects.create(requirement=req, organisation=org, justification="No card data")
        r = b["reqs"]
        cls.csv_data = (
            "requirement,organisation,applicable,justification",
            f"{r[3].pk},acme,false,Out",
            f"{r[4].pk},acme,true,",
            f"{r[5].pk},acme,false,Out too",
        )
        cls.create_data = {"requirement": r[3].pk, "organisation": org.pk, "justification": "Not here"}
        cls.api_create_data = [
            {"requirement": r[i].pk, "organisation": org.pk, "applicable": False, "justification": "No"}
            for i in (3, 4, 5)
        ]


class ScopingViewTest(ScopingData, ViewTestCases.ObjectViewTestCase):
    pass


class ScopingAPITest(ScopingData, APITestCases.APIViewTestCase):
    pass


class EvidenceData:
    model = Evidence
    csv_data = (
        "name,kind,link,query",
        "Report 1,link,https://example.org/r1,",
        "Owners,automated,,cmdb.production_servers_without_owner",
        "Scan,file,,",
    )
    bulk_edit_data = {"description": "Changed in bulk"}
    invalid_data = {"link": "not a link"}
    field_constraint = {"description": ""}
    move_out_data = {"description": "Moved"}
    create_data = {"name": "New", "kind": "link", "link": "https://example.org/new"}
    api_create_data = [
        {"name": "N1", "kind": "link", "link": "https://example.org/n1"},
        {"name": "N2", "kind": "automated", "query": "core.superusers"},
        {"name": "N3", "kind": "file"},
    ]

    @classmethod
    def setUpTestData(cls) -> None:
        for i in range(3):
            Evidence.objects.create(name=f"E{i}", kind="link", link=f"https://example.org/{i}")


class EvidenceViewTest(EvidenceData, ViewTestCases.ObjectViewTestCase):
    pass


class EvidenceAPITest(EvidenceData, APITestCases.APIViewTestCase):
    pass


# --- assessments, results, findings, tasks ----------------------------------------------------
class AssessmentData:
    model = Assessment
    csv_data = (
        "name,framework,start_date,end_date",
        "Audit A,urn:test:baseline,2026-01-01,2026-01-31",
        "Audit B,urn:test:baseline,,",
        "Audit C,urn:test:baseline,2026-03-01,",
    )
    bulk_edit_data = {"description": "Changed in bulk"}
    invalid_data = {"framework": ""}
    api_invalid_data = {"framework": None}
    field_constraint = {"description": ""}
    move_out_data = {"description": "Moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        b = base()
        for i in range(3):
            Assessment.objects.create(name=f"A{i}", framework=b["fw"])
        cls.create_data = {"name": "New", "framework": b["fw"].pk, "assessor": b["person"].pk}
        cls.api_create_data = [{"name": f"N{i}", "framework": b["fw"].pk} for i in range(3)]


class AssessmentViewTest(AssessmentData, ViewTestCases.ObjectViewTestCase):
    pass


class AssessmentAPITest(AssessmentData, APITestCases.APIViewTestCase):
    pass


class AssessmentResultData:
    model = AssessmentResult
    bulk_edit_data = {"notes": "Changed in bulk"}
    invalid_data = {"score": "101"}
    api_invalid_data = {"score": 101}
    field_constraint = {"notes": ""}
    move_out_data = {"notes": "Moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        b = base()
        a = Assessment.objects.create(name="A", framework=b["fw"])
        r = b["reqs"]
        for req in r[:3]:
            AssessmentResult.objects.create(assessment=a, requirement=req)
        cls.csv_data = (
            "assessment,requirement,status,score",
            f"{a.reference},{r[3].pk},compliant,100",
            f"{a.reference},{r[4].pk},non_compliant,0",
            f"{a.reference},{r[5].pk},not_assessed,",
        )
        cls.create_data = {"assessment": a.pk, "requirement": r[3].pk, "status": "compliant", "score": 100}
        cls.api_create_data = [
            {"assessment": a.pk, "requirement": r[i].pk, "status": "partially_compliant", "score": 50}
            for i in (3, 4, 5)
        ]


class AssessmentResultViewTest(AssessmentResultData, ViewTestCases.ObjectViewTestCase):
    pass


class AssessmentResultAPITest(AssessmentResultData, APITestCases.APIViewTestCase):
    pass


class FindingData:
    model = Finding
    csv_data = (
        "title,severity,due_date",
        "Gap 1,high,2026-05-01",
        "Gap 2,low,",
        "Gap 3,critical,2026-06-01",
    )
    bulk_edit_data = {"severity": "high"}
    invalid_data = {"severity": "catastrophic"}
    field_constraint = {"severity": "moderate"}
    move_out_data = {"severity": "low"}

    @classmethod
    def setUpTestData(cls) -> None:
        b = base()
        a = Assessment.objects.create(name="A", framework=b["fw"])
        for i in range(3):
            Finding.objects.create(title=f"F{i}", assessment=a, requirement=b["reqs"][i])
        cls.create_data = {"title": "New", "severity": "moderate", "assessment": a.pk, "requirement": b["reqs"][0].pk,
                           "owner": b["person"].pk}  # fmt: skip
        cls.api_create_data = [{"title": f"N{i}", "severity": "high", "assessment": a.pk} for i in range(3)]


class FindingViewTest(FindingData, ViewTestCases.ObjectViewTestCase):
    pass


class FindingAPITest(FindingData, APITestCases.APIViewTestCase):
    pass


class RemediationTaskData:
    model = RemediationTask
    bulk_edit_data = {"notes": "Changed in bulk"}
    invalid_data = {"risk": "", "finding": ""}
    api_invalid_data = {"risk": None, "finding": None}
    field_constraint = {"done": False}
    move_out_data = {"done": True}

    @classmethod
    def setUpTestData(cls) -> None:
        b = base()
        risk = Risk.objects.create(title="R", matrix=b["matrix"])
        for i in range(3):
            RemediationTask.objects.create(title=f"T{i}", risk=risk)
        cls.csv_data = ("title,risk", f"A,{risk.reference}", f"B,{risk.reference}", f"C,{risk.reference}")
        cls.create_data = {"title": "New", "risk": risk.pk}
        cls.api_create_data = [{"title": f"N{i}", "risk": risk.pk} for i in range(3)]


class RemediationTaskViewTest(RemediationTaskData, ViewTestCases.ObjectViewTestCase):
    pass


class RemediationTaskAPITest(RemediationTaskData, APITestCases.APIViewTestCase):
    pass


# --- risk -------------------------------------------------------------------------------------
class RiskMatrixData:
    model = RiskMatrix
    bulk_edit_data = {"description": "Changed in bulk"}
    invalid_data = {"levels": "[]"}
    api_invalid_data = {"levels": []}
    field_constraint = {"description": ""}
    move_out_data = {"description": "Moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        import json

        RiskMatrix.objects.all().delete()  # the shipped one: its description is outside the constraint
        for i in range(3):
            RiskMatrix.objects.create(name=f"M{i}", likelihood=SCALE, impact=SCALE, levels=LEVELS)
        s, lv = json.dumps(SCALE), json.dumps(LEVELS)
        cls.csv_data = (
            "name,likelihood,impact,levels,appetite",
            *(f'N{i},"{s.replace(chr(34), chr(34) * 2)}","{s.replace(chr(34), chr(34) * 2)}",'
              f'"{lv.replace(chr(34), chr(34) * 2)}",3' for i in range(3)),
        )  # fmt: skip
        cls.create_data = {"name": "New", "likelihood": s, "impact": s, "levels": lv, "appetite": 4}
        cls.api_create_data = [
            {"name": f"A{i}", "likelihood": SCALE, "impact": SCALE, "levels": LEVELS} for i in range(3)
        ]


class RiskMatrixViewTest(RiskMatrixData, ViewTestCases.ObjectViewTestCase):
    pass


class RiskMatrixAPITest(RiskMatrixData, APITestCases.APIViewTestCase):
    pass


class RiskData:
    model = Risk
    bulk_edit_data = {"category": "Cyber"}
    invalid_data = {"inherent_likelihood": "9"}
    api_invalid_data = {"inherent_likelihood": 9}
    field_constraint = {"category": ""}
    move_out_data = {"category": "Moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        b = base()
        for i in range(3):
            Risk.objects.create(title=f"R{i}", matrix=b["matrix"], inherent_likelihood=2, inherent_impact=2)
        cls.csv_data = (
            "title,matrix,inherent_likelihood,inherent_impact,review_every_days",
            "Flood,3x3,1,3,90",
            "Fire,3x3,2,3,30",
            "Theft,3x3,,,90",
        )
        cls.create_data = {"title": "New", "matrix": b["matrix"].pk, "inherent_likelihood": 3, "inherent_impact": 3,
                           "review_every_days": 90, "owner": b["person"].pk}  # fmt: skip
        cls.api_create_data = [
            {"title": f"N{i}", "matrix": b["matrix"].pk, "residual_likelihood": 1, "residual_impact": 2}
            for i in range(3)
        ]


class RiskViewTest(RiskData, ViewTestCases.ObjectViewTestCase):
    pass


class RiskAPITest(RiskData, APITestCases.APIViewTestCase):
    pass


# --- governance -------------------------------------------------------------------------------
class PolicyData:
    model = Policy
    csv_data = (
        "title,policy_type,review_every_months",
        "Passwords,security,12",
        "Email,acceptable_use,24",
        "Backups,it,12",
    )
    bulk_edit_data = {"policy_type": "privacy"}
    invalid_data = {"policy_type": "poem"}
    field_constraint = {"policy_type": "it"}
    move_out_data = {"policy_type": "security"}
    create_data = {"title": "New", "policy_type": "it", "review_every_months": 12, "body": "# Rules"}
    api_create_data = [{"title": f"N{i}", "policy_type": "security", "body": "Text"} for i in range(3)]

    @classmethod
    def setUpTestData(cls) -> None:
        for i in range(3):
            Policy.objects.create(title=f"P{i}", body="Text")


class PolicyViewTest(PolicyData, ViewTestCases.ObjectViewTestCase):
    pass


class PolicyAPITest(PolicyData, APITestCases.APIViewTestCase):
    pass


class PolicyVersionData:
    model = PolicyVersion
    bulk_edit_data = {"body": "Changed in bulk"}
    invalid_data = {"version": "-1"}
    api_invalid_data = {"version": -1}
    field_constraint = {"body": "Text"}
    move_out_data = {"body": "Moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        p = Policy.objects.create(title="P", body="Text")
        for i in range(1, 4):
            PolicyVersion.objects.create(policy=p, version=i, body="Text", published_at=ROUND)
        cls.csv_data = (
            "policy,version,body,published_at",
            *(f"{p.reference},{i},Text {i},2026-01-0{i}T10:00:00Z" for i in range(4, 7)),
        )
        cls.create_data = {
            "policy": p.pk,
            "version": 10,
            "body": "New",
            "published_at": "2026-01-01 10:00:00+00:00",
        }
        cls.api_create_data = [
            {"policy": p.pk, "version": 20 + i, "body": "New", "published_at": "2026-01-01T10:00:00Z"}
            for i in range(3)
        ]


class PolicyVersionViewTest(PolicyVersionData, ViewTestCases.ObjectViewTestCase):
    pass


class PolicyVersionAPITest(PolicyVersionData, APITestCases.APIViewTestCase):
    pass


def _version() -> PolicyVersion:
    p = Policy.objects.create(title="P", body="Text")
    return PolicyVersion.objects.create(policy=p, version=1, body="Text", published_at=timezone.now())


class AcknowledgementCampaignData:
    model = AcknowledgementCampaign
    bulk_edit_data = {"due_date": "2030-02-01"}
    invalid_data = {"due_date": "someday"}
    field_constraint = {"due_date": "2030-01-01"}
    move_out_data = {"due_date": "2030-03-01"}

    @classmethod
    def setUpTestData(cls) -> None:
        v = _version()
        people = [
            Person.objects.create(first_name="P", last_name=str(i), email=f"p{i}@example.org")
            for i in range(3)
        ]
        for i in range(3):
            c = AcknowledgementCampaign.objects.create(
                name=f"C{i}", policy_version=v, due_date=dt.date(2030, 1, 1)
            )
            c.people.set(people)
        cls.csv_data = ("name,policy_version,due_date", *(f"D{i},{v.pk},2030-01-0{i + 1}" for i in range(3)))
        cls.create_data = {"name": "New", "policy_version": v.pk, "due_date": "2030-01-01",
                           "people": [p.pk for p in people]}  # fmt: skip
        cls.api_create_data = [
            {"name": f"N{i}", "policy_version": v.pk, "due_date": "2030-01-01", "people": [people[0].pk]}
            for i in range(3)
        ]


class AcknowledgementCampaignViewTest(AcknowledgementCampaignData, ViewTestCases.ObjectViewTestCase):
    pass


class AcknowledgementCampaignAPITest(AcknowledgementCampaignData, APITestCases.APIViewTestCase):
    pass


class AcknowledgementData:
    model = Acknowledgement
    bulk_edit_data = {"acknowledged_at": "2026-01-05 10:00:00+00:00"}
    invalid_data = {"acknowledged_at": "yesterday"}

    @classmethod
    def setUpTestData(cls) -> None:
        v = _version()
        people = [
            Person.objects.create(first_name="P", last_name=str(i), email=f"p{i}@example.org")
            for i in range(6)
        ]
        c = AcknowledgementCampaign.objects.create(name="C", policy_version=v, due_date=dt.date(2030, 1, 1))
        c.people.set(people)
        for p in people[:3]:
            Acknowledgement.objects.create(campaign=c, person=p, acknowledged_at=ROUND)
        cls.csv_data = (
            "campaign,person,acknowledged_at",
            *(f"{c.pk},{p.email},2026-01-02T10:00:00Z" for p in people[3:]),
        )
        cls.create_data = {
            "campaign": c.pk,
            "person": people[3].pk,
            "acknowledged_at": "2026-01-02 10:00:00+00:00",
        }
        cls.api_create_data = [
            {"campaign": c.pk, "person": p.pk, "acknowledged_at": "2026-01-02T10:00:00Z"} for p in people[3:]
        ]


class AcknowledgementViewTest(AcknowledgementData, ViewTestCases.ObjectViewTestCase):
    pass


class AcknowledgementAPITest(AcknowledgementData, APITestCases.APIViewTestCase):
    pass


class RaciMatrixData:
    model = RaciMatrix
    csv_data = ("name,description", "Change,x", "Release,y", "Access,")
    bulk_edit_data = {"description": "Changed in bulk"}
    invalid_data = {"name": ""}
    field_constraint = {"description": ""}
    move_out_data = {"description": "Moved"}
    create_data = {"name": "New"}
    api_create_data = [{"name": f"N{i}"} for i in range(3)]

    @classmethod
    def setUpTestData(cls) -> None:
        for i in range(3):
            RaciMatrix.objects.create(name=f"M{i}")


class RaciMatrixViewTest(RaciMatrixData, ViewTestCases.ObjectViewTestCase):
    pass


class RaciMatrixAPITest(RaciMatrixData, APITestCases.APIViewTestCase):
    pass


class RaciAssignmentData:
    model = RaciAssignment
    bulk_edit_data = {"responsibility": "C"}
    invalid_data = {"role": ""}
    field_constraint = {"responsibility": "R"}
    move_out_data = {"responsibility": "I"}

    @classmethod
    def setUpTestData(cls) -> None:
        m = RaciMatrix.objects.create(name="Change")
        for i in range(3):
            RaciAssignment.objects.create(matrix=m, activity=f"Act {i}", role="Engineer", responsibility="R")
        cls.csv_data = (
            "matrix,activity,role,responsibility",
            "Change,Approve,CAB,A",
            "Change,Approve,Owner,C",
            "Change,Build,Engineer,R",
        )
        cls.create_data = {"matrix": m.pk, "activity": "Test", "role": "QA", "responsibility": "R"}
        cls.api_create_data = [
            {"matrix": m.pk, "activity": f"X{i}", "role": "Lead", "responsibility": "A"} for i in range(3)
        ]


class RaciAssignmentViewTest(RaciAssignmentData, ViewTestCases.ObjectViewTestCase):
    pass


class RaciAssignmentAPITest(RaciAssignmentData, APITestCases.APIViewTestCase):
    pass


class IndicatorData:
    model = Indicator
    csv_data = (
        "name,kind,direction,green_at,red_at,frequency",
        "Uptime,kpi,higher,99.9,99,monthly",
        "MTTR,kpi,lower,4,12,monthly",
        "Open criticals,kri,lower,0,5,weekly",
    )
    bulk_edit_data = {"unit": "%"}
    invalid_data = {"red_at": "1", "green_at": "1"}  # equal thresholds: wrong either way
    field_constraint = {"unit": ""}
    move_out_data = {"unit": "h"}
    create_data = {"name": "New", "kind": "kpi", "direction": "higher", "green_at": "90.0000", "red_at": "80.0000",
                   "frequency": "monthly"}  # fmt: skip
    api_create_data = [
        {"name": f"N{i}", "kind": "kri", "direction": "lower", "green_at": "1", "red_at": "3"}
        for i in range(3)
    ]

    @classmethod
    def setUpTestData(cls) -> None:
        for i in range(3):
            Indicator.objects.create(name=f"I{i}", green_at=Decimal(90), red_at=Decimal(70))


class IndicatorViewTest(IndicatorData, ViewTestCases.ObjectViewTestCase):
    pass


class IndicatorAPITest(IndicatorData, APITestCases.APIViewTestCase):
    pass


class MeasurementData:
    model = Measurement
    csv_data = (
        "indicator,measured_at,value",
        "Uptime,2026-01-01T00:00:00Z,99.5",
        "Uptime,2026-02-01T00:00:00Z,99.9",
        "Uptime,2026-03-01T00:00:00Z,98",
    )
    bulk_edit_data = {"note": "Checked"}
    invalid_data = {"value": "lots"}
    field_constraint = {"note": ""}
    move_out_data = {"note": "Moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        ind = Indicator.objects.create(name="Uptime", green_at=Decimal(99), red_at=Decimal(95))
        for i in range(3):
            Measurement.objects.create(indicator=ind, measured_at=ROUND, value=Decimal(99 + i))
        cls.create_data = {
            "indicator": ind.pk,
            "measured_at": "2026-01-01 10:00:00+00:00",
            "value": "97.5000",
        }
        cls.api_create_data = [
            {"indicator": ind.pk, "measured_at": "2026-01-01T10:00:00Z", "value": str(90 + i)}
            for i in range(3)
        ]


class MeasurementViewTest(MeasurementData, ViewTestCases.ObjectViewTestCase):
    pass


class MeasurementAPITest(MeasurementData, APITestCases.APIViewTestCase):
    pass
