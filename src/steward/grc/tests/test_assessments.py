"""Assessments: scoping, results inherited from controls, scores, OSCAL and CSV out and in."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError

from steward.core import workflow as wf
from steward.grc import results, services
from steward.grc.catalogs import CatalogError
from steward.grc.models import Assessment, Control, Evidence, Finding, Framework, Scoping
from steward.grc.tests.conftest import AR_EXAMPLE, LIBRARY, LOW_CATALOG, need
from steward.org.models import Department, Organisation
from steward.utilities.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def library() -> Framework:
    return services.import_framework_file(content=LIBRARY.read_bytes(), actor=None).framework


def req(fw: Framework, cid: str):
    return fw.requirements.get(control_id=cid)


def test_prepare_creates_results_applies_scoping_and_inherits_control_results(library):
    org = Organisation.objects.create(name="Acme", slug="acme")
    ops = Department.objects.create(organisation=org, name="Ops", code="ops")
    lab = Department.objects.create(organisation=org, name="Lab", code="lab")
    Scoping.objects.create(requirement=req(library, "ITB-SU-2"), department=ops, justification="No suppliers")
    tested = Control.objects.create(name="Backups", test_result="compliant", tested_on=dt.date(2026, 1, 5))
    tested.requirements.add(req(library, "ITB-OP-1"), req(library, "ITB-AM-1"))
    failing = Control.objects.create(
        name="Asset scans", test_result="non_compliant", tested_on=dt.date(2026, 1, 5)
    )
    failing.requirements.add(req(library, "ITB-AM-1"))  # the worse result wins
    elsewhere = Control.objects.create(
        name="Lab only", test_result="compliant", tested_on=dt.date(2026, 1, 5)
    )
    elsewhere.departments.add(lab)
    elsewhere.requirements.add(req(library, "ITB-CH-1"))

    a = Assessment.objects.create(name="Audit", framework=library)
    a.departments.add(ops)
    assert services.prepare_assessment(assessment=a, actor=None) == 17  # groups are not assessed
    assert services.prepare_assessment(assessment=a, actor=None) == 0
    by = {r.requirement.control_id: r for r in a.results.select_related("requirement", "inherited_from")}
    assert by["ITB-SU-2"].status == "not_applicable" and by["ITB-SU-2"].notes == "No suppliers"
    assert by["ITB-OP-1"].status == "compliant" and by["ITB-OP-1"].inherited_from == tested
    assert by["ITB-OP-1"].score == 100
    assert by["ITB-AM-1"].status == "non_compliant" and by["ITB-AM-1"].inherited_from == failing
    assert by["ITB-CH-1"].status == "not_assessed"  # its control covers another department
    # Test once, comply many: the same control answers another framework's requirement too.
    other = Framework.objects.create(name="Other", identifier="urn:other")
    r2 = other.requirements.create(control_id="BK-1", title="Backups")
    tested.requirements.add(r2)
    b = Assessment.objects.create(name="Other audit", framework=other)
    services.prepare_assessment(assessment=b, actor=None)
    assert b.results.get().status == "compliant"


def test_record_result_scores_and_compliance_percent(library):
    a = Assessment.objects.create(name="Audit", framework=library)
    services.prepare_assessment(assessment=a, actor=None)
    rows = list(a.results.order_by("id")[:4])
    services.record_result(result=rows[0], actor=None, status="compliant")
    services.record_result(result=rows[1], actor=None, status="partially_compliant")
    services.record_result(result=rows[2], actor=None, status="non_compliant", score=10)
    services.record_result(result=rows[3], actor=None, status="not_applicable")
    assert rows[1].score == 50 and rows[2].score == 10
    assert services.compliance_percent(a.results.all()) == round((100 + 50 + 10) / 3, 1)
    with pytest.raises(ValidationError) as exc:
        services.record_result(result=rows[0], actor=None, status="compliant", score=120)
    assert "score" in exc.value.message_dict
    Assessment.objects.filter(pk=a.pk).update(state="completed")
    rows[0].assessment.refresh_from_db()
    with pytest.raises(ValidationError):
        services.record_result(result=rows[0], actor=None, status="non_compliant")


def test_assessment_workflow_needs_dates(library):
    user = make_user("boss", superuser=True)
    a = Assessment.objects.create(name="Audit", framework=library)
    with pytest.raises(ValidationError) as exc:
        wf.transition(obj=a, name="start", actor=user)
    assert "start_date" in exc.value.message_dict
    wf.transition(obj=a, name="start", actor=user, data={"start_date": dt.date(2026, 1, 1)})
    wf.transition(obj=a, name="submit", actor=user)
    wf.transition(obj=a, name="complete", actor=user, data={"end_date": dt.date(2026, 2, 1)})
    a.refresh_from_db()
    assert a.state == "completed"


def test_the_schema_accepts_the_published_example():
    results.check_document(json.loads(need(AR_EXAMPLE).read_text()))


def assess_low() -> Assessment:
    fw = services.import_framework_file(content=need(LOW_CATALOG).read_bytes(), actor=None).framework
    a = Assessment.objects.create(name="LOW baseline audit", framework=fw, start_date=dt.date(2026, 3, 1),
                                  end_date=dt.date(2026, 3, 20), description="Yearly.")  # fmt: skip
    services.prepare_assessment(assessment=a, actor=None)
    ev = Evidence.objects.create(
        name="Account review minutes", kind="link", link="https://example.org/minutes"
    )
    statuses = ["compliant", "partially_compliant", "non_compliant", "not_applicable"]
    for i, r in enumerate(a.results.select_related("requirement").order_by("requirement__sort_order")):
        if i % 5 == 4:
            continue  # some stay not assessed
        services.record_result(result=r, actor=None, status=statuses[i % 4], notes=f"Checked {i}",
                               evidence=[ev] if i % 3 == 0 else [])  # fmt: skip
    Finding.objects.create(title="Shared admin accounts", assessment=a, requirement=fw.requirements.get(control_id="ac-2"),
                           severity="high", due_date=dt.date(2026, 6, 1))  # fmt: skip
    return a


def _without_volatile(doc: dict) -> dict:
    doc = json.loads(json.dumps(doc))
    root = doc["assessment-results"]
    root.pop("uuid")
    root["metadata"].pop("last-modified")
    for key in ("uuid",):
        root["results"][0].pop(key)
    for section in ("findings", "observations", "risks"):
        for item in root["results"][0].get(section, []):
            item.pop("uuid", None)
            item.pop("related-observations", None)
            item.pop("related-risks", None)
            item.pop("collected", None)
            for p in item.get("props", []):
                if p["name"] == "finding":
                    p["value"] = "FND"
    root["metadata"]["props"] = [p for p in root["metadata"]["props"] if p["name"] != "assessment"]
    root["metadata"].pop("version")
    root.pop("import-ap")
    root.pop("back-matter")
    return doc


def test_acceptance_import_low_assess_export_oscal_and_round_trip():
    """Import the LOW baseline, assess it, export OSCAL assessment results that round-trip."""
    a = assess_low()
    doc = results.export_assessment(a)
    results.check_document(doc)
    root = doc["assessment-results"]["results"][0]
    assert len(root["reviewed-controls"]["control-selections"][0]["include-controls"]) == 149
    finding = next(f for f in root["findings"] if f["target"]["target-id"] == "ac-1_obj")
    assert finding["target"]["status"]["state"] == "satisfied"
    assert {"name": "result", "ns": results.NS, "value": "compliant"} in finding["target"]["props"]
    assert root["risks"][0]["title"] == "Shared admin accounts"

    again = results.import_assessment(content=json.dumps(doc).encode(), actor=None)
    assert again.pk != a.pk and again.framework_id == a.framework_id
    original = dict(a.results.values_list("requirement__control_id", "status"))
    copied = dict(again.results.values_list("requirement__control_id", "status"))
    assert copied == original
    assert dict(a.results.values_list("requirement__control_id", "score")) == dict(
        again.results.values_list("requirement__control_id", "score")
    )
    assert again.findings.get().requirement.control_id == "ac-2"
    assert (
        again.results.get(requirement__control_id="ac-1").evidence.get().link == "https://example.org/minutes"
    )
    assert _without_volatile(results.export_assessment(again)) == _without_volatile(doc)


@pytest.mark.parametrize(
    ("breakage", "path"),
    [
        (lambda r: r["findings"][3]["target"].update(type="control"), "assessment-results.results[0].findings[3].target.type"),
        (lambda r: r["findings"][2]["target"].update({"target-id": "zz-1_obj"}),
         "assessment-results.results[0].findings[2].target.target-id"),
        (lambda r: r["findings"][1]["target"]["props"][0].update(value="great"),
         "assessment-results.results[0].findings[1].target.props"),
        (lambda r: r.pop("reviewed-controls"), "assessment-results.results[0]"),
    ],
)  # fmt: skip
def test_bad_assessment_results_name_the_path_and_import_nothing(breakage, path):
    a = assess_low()
    doc = results.export_assessment(a)
    breakage(doc["assessment-results"]["results"][0])
    before = Assessment.objects.count()
    with pytest.raises(CatalogError) as exc:
        results.import_assessment(content=json.dumps(doc), actor=None)
    assert exc.value.path == path, exc.value
    assert Assessment.objects.count() == before


def test_csv_export_has_a_row_per_requirement():
    a = assess_low()
    rows = list(csv.DictReader(io.StringIO(results.export_csv(a))))
    assert len(rows) == 149 and rows[0]["control_id"] == "ac-1" and rows[0]["result"] == "compliant"
    assert rows[0]["evidence"] == "https://example.org/minutes"


def test_ui_and_api_exports_and_prepare(admin_client, library):
    a = Assessment.objects.create(name="Audit", framework=library)
    assert admin_client.post(f"/grc/assessments/{a.pk}/prepare/").status_code == 302
    assert a.results.count() == 17
    response = admin_client.get(f"/grc/assessments/{a.pk}/oscal/")
    assert response.status_code == 200
    results.check_document(json.loads(response.content))
    assert admin_client.get(f"/grc/assessments/{a.pk}/csv/").status_code == 200
    detail = admin_client.get(a.get_absolute_url())
    assert detail.status_code == 200 and b"compliance" in detail.content
    api = admin_client.get(f"/api/grc/assessments/{a.pk}/oscal/")
    assert api.status_code == 200 and "assessment-results" in api.json()
    assert admin_client.post(f"/api/grc/assessments/{a.pk}/prepare/").json() == {"created": 0}
    imported = admin_client.post(
        "/api/grc/assessments/import-oscal/", api.json(), content_type="application/json"
    )
    assert imported.status_code == 201, imported.content
    bad = admin_client.post("/api/grc/assessments/import-oscal/", {"assessment-results": {}},
                            content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and bad.json()["path"] == "assessment-results"


def test_exports_need_the_view_permission(client, library):
    a = Assessment.objects.create(name="Audit", framework=library)
    client.force_login(make_user("nobody"))
    assert client.get(f"/grc/assessments/{a.pk}/oscal/").status_code == 403
    assert client.post(f"/grc/assessments/{a.pk}/prepare/").status_code == 403
    assert client.get(f"/api/grc/assessments/{a.pk}/oscal/").status_code == 403


def test_results_of_a_closed_assessment_cannot_change_through_the_ui_or_api(admin_client, library):
    a = Assessment.objects.create(name="Audit", framework=library)
    services.prepare_assessment(assessment=a, actor=None)
    result = a.results.order_by("id").first()
    services.record_result(result=result, actor=None, status="compliant")
    Assessment.objects.filter(pk=a.pk).update(state="completed")
    api = admin_client.patch(f"/api/grc/assessment-results/{result.pk}/", {"status": "non_compliant"},
                             content_type="application/json")  # fmt: skip
    assert api.status_code == 400 and "status" in api.json(), api.content
    form = admin_client.post(
        f"/grc/assessment-results/{result.pk}/edit/",
        {"assessment": a.pk, "requirement": result.requirement_id, "status": "non_compliant", "score": 0},
    )
    assert form.status_code == 422 and b"results cannot change" in form.content
    result.refresh_from_db()
    assert (result.status, result.score) == ("compliant", 100)
    Assessment.objects.filter(pk=a.pk).update(state="in_progress")  # open again: edits are accepted
    api = admin_client.patch(f"/api/grc/assessment-results/{result.pk}/", {"notes": "Re-checked"},
                             content_type="application/json")  # fmt: skip
    assert api.status_code == 200, api.content
