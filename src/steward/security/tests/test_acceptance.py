"""Acceptance of the governance, risk, compliance and security issue, tried as a new user would.

"Import the LOW baseline, assess it, export OSCAL assessment results that round-trip; import
the OSV samples, run discovery on the test machine, see which items and services are exposed;
a risk accepted until yesterday raises its expiry event."

One walk through the public entry points: the grc API (framework import, assessment, prepare,
OSCAL export and import), the ``security-import`` command over the shared OSV samples, the real
agent run on this machine against a live server,
the five-minute job that matches the items discovery reported (run here as the scheduler would),
the exposure endpoint, a second agent run after the vulnerable libraries were upgraded, and the
hourly risk-acceptance job.

This machine's own Python libraries are current, so none of the OSV samples (all PyPI) would
match them. The agent is therefore started with one extra directory on its ``PYTHONPATH`` holding
the metadata of two old releases (urllib3 1.26.4, PyYAML 5.3.1), exactly as an outdated virtual
environment would show them to ``importlib.metadata``; every other package it reports (dpkg and
Python) is the machine's own. The versions sit on range boundaries of the samples: urllib3 1.26.4
is the *fixed* version of PYSEC-2021-59 and PyYAML 5.3.1 that of PYSEC-2020-96, so neither of
those may match.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from steward.cmdb import services as cmdb_services
from steward.cmdb.models import CIClass, ConfigurationItem
from steward.core import events as core_events
from steward.core.jobs import JobContext, execute_job
from steward.core.models import Token
from steward.grc import jobs as grc_jobs
from steward.grc import results as grc_results
from steward.grc import services as grc_services
from steward.grc.models import Assessment, Risk
from steward.grc.tests.conftest import LOW_CATALOG
from steward.org.models import Person
from steward.security import services
from steward.security.models import Advisory, Finding
from steward.utilities.testing import grant, make_user
from steward.utilities.testing.live import run_agent

OSV_SAMPLES = Path(__file__).resolve().parents[5] / "shared" / "data" / "osv"
if not OSV_SAMPLES.is_dir():
    OSV_SAMPLES = Path("/work/shared/data/osv")

#: Old releases the agent finds first on its path, and the sample advisories each must match.
OUTDATED = {"urllib3": "1.26.4", "PyYAML": "5.3.1"}
EXPECTED = {
    "urllib3": {"PYSEC-2021-108", "PYSEC-2023-192", "PYSEC-2023-212"},
    "pyyaml": {"PYSEC-2021-142"},
}


def outdated_site(root: Path) -> Path:
    for name, version in OUTDATED.items():
        info = root / f"{name}-{version}.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    return root


def findings_by_package(item: ConfigurationItem, state: str | None = None) -> dict[str, set[str]]:
    qs = Finding.objects.filter(configuration_item=item)
    if state:
        qs = qs.filter(state=state)
    out: dict[str, set[str]] = {}
    for package, identifier in qs.values_list("product__name", "advisory__identifier"):
        out.setdefault(package, set()).add(identifier)
    return out


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not (LOW_CATALOG.is_file() and OSV_SAMPLES.is_dir()), reason="needs the shared OSCAL and OSV samples"
)
def test_issue_acceptance_as_a_new_user(live_server, client, tmp_path, monkeypatch, capsys):
    # A transactional test before this one may have flushed the shipped data: restore it.
    cmdb_services.load_classes()
    matrix = grc_services.default_matrix() or grc_services.load_matrix()
    raised = []
    dispatch = core_events.dispatch

    def record(event, **kw):  # keep the domain events, and still run any rules
        raised.append(event)
        return dispatch(event, **kw)

    monkeypatch.setattr("steward.core.events.dispatch", record)
    client.force_login(make_user("newcomer", superuser=True))

    # --- 1. Import the LOW baseline, assess it, export OSCAL assessment results that round-trip.
    imported = client.post(
        "/api/grc/frameworks/import/",
        {"file": SimpleUploadedFile(LOW_CATALOG.name, LOW_CATALOG.read_bytes())},
    )
    assert imported.status_code == 200, imported.content
    framework_id = imported.json()["framework"]["id"]
    made = client.post("/api/grc/assessments/", {"name": "LOW audit", "framework": framework_id},
                       content_type="application/json")  # fmt: skip
    assert made.status_code == 201, made.content
    assessment = Assessment.objects.get(pk=made.json()["id"])
    assert client.post(f"/api/grc/assessments/{assessment.pk}/prepare/").json() == {"created": 149}
    verdicts = {"ac-2": "non_compliant", "ac-8": "partially_compliant", "pe-1": "not_applicable"}
    for result in assessment.results.select_related("requirement"):
        status = verdicts.get(result.requirement.control_id, "compliant")
        grc_services.record_result(result=result, actor=None, status=status, notes=f"Checked {status}")
    exported = client.get(f"/api/grc/assessments/{assessment.pk}/oscal/")
    assert exported.status_code == 200
    document = exported.json()
    grc_results.check_document(document)
    findings = {
        f["target"]["target-id"]: f["target"]["status"]["state"]
        for f in document["assessment-results"]["results"][0]["findings"]
    }
    assert findings["ac-2_obj"] == "not-satisfied" and findings["ac-1_obj"] == "satisfied"
    back = client.post(
        "/api/grc/assessments/import-oscal/", json.dumps(document), content_type="application/json"
    )
    assert back.status_code == 201, back.content
    copy = Assessment.objects.exclude(pk=assessment.pk).get()

    def verdicts_of(a: Assessment) -> dict[str, tuple[str, int | None, str]]:
        return {c: (s, sc, n) for c, s, sc, n in a.results.values_list("requirement__control_id", "status", "score",
                                                                         "notes")}  # fmt: skip

    assert len(verdicts_of(copy)) == 149 and verdicts_of(copy) == verdicts_of(assessment)
    again = client.get(f"/api/grc/assessments/{copy.pk}/oscal/").json()
    assert [f["target"] for f in again["assessment-results"]["results"][0]["findings"]] == [
        f["target"] for f in document["assessment-results"]["results"][0]["findings"]
    ]

    # --- 2. Import the OSV samples.
    call_command("security-import", str(OSV_SAMPLES))
    assert "advisories: 25 created" in capsys.readouterr().out
    assert Advisory.objects.count() == 25 and not Finding.objects.exists()  # nothing discovered yet

    # --- 3. Run discovery on the test machine (an outdated Python environment on it).
    agent = make_user("agent")
    grant(agent, ConfigurationItem, "view", "add", "change")
    key = Token.issue(user=agent, scope="discovery", write_enabled=True, description="acceptance")[1]
    first = run_agent(live_server.url, key, extra_path=outdated_site(tmp_path / "site"))
    assert first.returncode == 0, first.stderr
    host = ConfigurationItem.objects.get()
    installed = dict(
        host.installations.filter(product__ecosystem="pypi").values_list("product__name", "version")
    )
    assert installed["urllib3"] == "1.26.4" and installed["pyyaml"] == "5.3.1" and "django" in installed
    assert host.installations.filter(product__ecosystem="deb").count() > 0  # the machine's own packages
    # Matched by the five-minute pass over reported items, not the six-hourly full run.
    assert execute_job("security.match_discovered_items") == "succeeded"
    assert findings_by_package(host, "open") == EXPECTED
    finding = Finding.objects.get(configuration_item=host, advisory__identifier="PYSEC-2021-108")
    assert finding.due_date is not None and finding.fixed_version == "1.26.5"

    # --- 4. See which items and services are exposed.
    portal = ConfigurationItem.objects.create(name="Customer portal",
                                              ci_class=CIClass.objects.get(slug="business-application"))  # fmt: skip
    cmdb_services.relate(source=portal, target=host, type="depends-on", actor=None)
    exposure = client.get(f"/api/security/findings/{finding.pk}/exposure/")
    assert exposure.status_code == 200 and [s["name"] for s in exposure.json()] == ["Customer portal"]
    rows = services.exposure_by_service()
    assert [(r["name"], r["items"]) for r in rows] == [("Customer portal", 1)]
    listed = client.get("/api/security/findings/", {"configuration_item": host.pk, "state": "open"})
    assert listed.status_code == 200 and listed.json()["count"] == 4

    # The libraries are upgraded (the machine's own current releases): the next report closes all.
    second = run_agent(live_server.url, key)
    assert second.returncode == 0, second.stderr
    assert execute_job("security.match_discovered_items") == "succeeded"
    assert findings_by_package(host, "open") == {}
    assert findings_by_package(host, "fixed") == EXPECTED
    assert services.exposure_by_service() == []

    # --- 5. A risk accepted until yesterday raises its expiry event.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    owner = Person.objects.create(first_name="Rita", last_name="Risk", email="rita@example.org")
    risk = Risk.objects.create(title="Legacy ERP without support", matrix=matrix, treatment="accept",
                               accepted_by=owner, acceptance_expires=yesterday, state="accepted")  # fmt: skip
    raised.clear()
    grc_jobs.risk_acceptance_expiry(JobContext(name="grc.risk_acceptance_expiry", payload={}))
    expired = [e for e in raised if e.name == "grc.risk.acceptance_expired"]
    assert [(e.object_id, e.data["expired"]) for e in expired] == [(risk.pk, yesterday.isoformat())]
    grc_jobs.risk_acceptance_expiry(JobContext(name="grc.risk_acceptance_expiry", payload={}))
    assert len([e for e in raised if e.name == "grc.risk.acceptance_expired"]) == 1  # once per expiry
