"""Findings: generic UI/API, matching with correct version order, closure, exposure, overdue events."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from steward.cmdb import services as cmdb_services
from steward.cmdb.models import SoftwareInstallation
from steward.core import workflow as wf
from steward.core.workflow import TransitionForbidden
from steward.security import services
from steward.security.models import Advisory, Finding, SeverityPolicy
from steward.security.tests.factories import advisory, install, item, product
from steward.utilities.testing import grant, make_user
from steward.utilities.testing.api import APITestCases
from steward.utilities.testing.views import ViewTestCases

FIX = [{"introduced": "0"}, {"fixed": "3.0.13-1~deb12u1"}]


class FindingData:
    model = Finding
    bulk_edit_data = {"due_date": "2027-01-01"}
    invalid_data = {"severity": "catastrophic"}
    field_constraint = {"severity": "high"}
    move_out_data = {"severity": "low"}

    @classmethod
    def setUpTestData(cls) -> None:
        host, other = item("db-01"), item("db-02")
        prod = product("openssl")
        advisories = [Advisory.objects.create(identifier=f"CVE-2030-00{i}") for i in range(6)]
        for adv in advisories[:3]:
            Finding.objects.create(
                configuration_item=host,
                advisory=adv,
                product=prod,
                installed_version="3.0.11-1",
                severity="high",
            )
        cls.csv_data = (
            "configuration_item,advisory,product,installed_version,severity",
            *(f"{other.reference},{adv.identifier},{prod.pk},3.0.11-1,high" for adv in advisories[3:]),
        )
        cls.create_data = {
            "configuration_item": other.pk, "advisory": advisories[0].pk, "product": prod.pk,
            "installed_version": "3.0.9-1", "severity": "high",
        }  # fmt: skip
        cls.api_create_data = [
            {"configuration_item": other.pk, "advisory": adv.pk, "product": prod.pk, "severity": "high"}
            for adv in advisories[:3]
        ]


class FindingViewTest(FindingData, ViewTestCases.ObjectViewTestCase):
    pass


class FindingAPITest(FindingData, APITestCases.APIViewTestCase):
    pass


# --- matching -----------------------------------------------------------------------------------
@pytest.fixture
def estate(db):
    """A server running a payroll API that the Payroll business application depends on."""
    server = item("app-01")
    api = item("payroll-api", "software")
    payroll = item("Payroll", "business-application")
    cmdb_services.relate(source=api, target=server, type="runs-on", actor=None)
    cmdb_services.relate(source=payroll, target=api, type="depends-on", actor=None)
    return {"server": server, "payroll": payroll, "openssl": product("openssl")}


def test_matching_respects_debian_order_and_sets_the_due_date(estate):
    server, openssl = estate["server"], estate["openssl"]
    patched = item("app-02")
    install(server, openssl, "3.0.11-1~deb12u2")  # before the fix: affected
    install(patched, openssl, "3.0.13-1~deb12u1")  # exactly the fix: not affected
    install(item("app-03"), openssl, "3.0.13-1")  # after the fix (~ sorts lower): not affected
    adv = advisory("CVE-2024-0727", "openssl", FIX)
    result = services.match_findings()
    assert (result.matched, result.created) == (1, 1)
    finding = Finding.objects.get()
    assert (finding.configuration_item, finding.advisory, finding.state) == (server, adv, "open")
    assert (finding.installed_version, finding.fixed_version, finding.severity) == (
        "3.0.11-1~deb12u2", "3.0.13-1~deb12u1", "critical",
    )  # fmt: skip
    days = SeverityPolicy.objects.get(severity="critical").remediation_days
    assert finding.due_date == timezone.localdate(finding.first_detected) + dt.timedelta(days=days)
    assert finding.reference.startswith("VULN")


def test_matching_is_idempotent(estate):
    install(estate["server"], estate["openssl"], "3.0.11-1")
    advisory("CVE-2024-0727", "openssl", FIX)
    services.match_findings()
    again = services.match_findings()
    assert (again.matched, again.created, again.updated, again.closed, again.reopened) == (1, 0, 0, 0, 0)
    assert Finding.objects.count() == 1


def test_upgrade_past_the_fix_closes_and_downgrade_reopens(estate):
    inst = install(estate["server"], estate["openssl"], "3.0.11-1")
    advisory("CVE-2024-0727", "openssl", FIX)
    services.match_findings()
    inst.version = "3.0.15-1~deb12u1"
    inst.save()
    assert services.match_findings().closed == 1
    finding = Finding.objects.get()
    assert (finding.state, finding.closure_reason) == ("fixed", "Upgraded to 3.0.15-1~deb12u1")
    assert finding.closed_at is not None
    assert wf.history(finding).first().actor.username == services.AUTOMATION_USERNAME
    inst.version = "3.0.11-1"
    inst.save()
    assert services.match_findings().reopened == 1
    finding.refresh_from_db()
    assert (finding.state, finding.closed_at, finding.closure_reason) == ("open", None, "")


def test_removing_the_installation_closes_the_finding(estate):
    inst = install(estate["server"], estate["openssl"], "3.0.11-1")
    advisory("CVE-2024-0727", "openssl", FIX)
    services.match_findings()
    inst.delete()
    services.match_findings()
    finding = Finding.objects.get()
    assert (finding.state, finding.closure_reason) == ("fixed", "3.0.11-1 no longer installed")


def test_risk_accepted_and_false_positive_survive_rematching(estate):
    install(estate["server"], estate["openssl"], "3.0.11-1")
    advisory("CVE-2024-0727", "openssl", FIX)
    advisory("CVE-2024-0728", "openssl", FIX)
    services.match_findings()
    manager = make_user("ciso", superuser=True)
    first, second = Finding.objects.order_by("advisory__identifier")
    until = timezone.localdate() + dt.timedelta(days=30)
    wf.transition(
        obj=first,
        name="accept_risk",
        actor=manager,
        data={"justification": "WAF", "risk_accepted_until": until},
    )
    wf.transition(obj=second, name="mark_false_positive", actor=manager, data={"justification": "Not loaded"})
    services.match_findings()
    assert sorted(Finding.objects.values_list("state", flat=True)) == ["false_positive", "risk_accepted"]


def test_accepting_risk_needs_a_security_manager_and_a_reason(estate):
    from django.core.exceptions import ValidationError

    install(estate["server"], estate["openssl"], "3.0.11-1")
    advisory("CVE-2024-0727", "openssl", FIX)
    services.match_findings()
    finding = Finding.objects.get()
    analyst = make_user("analyst")
    grant(analyst, Finding, "view", "change")
    with pytest.raises(TransitionForbidden):
        wf.transition(obj=finding, name="accept_risk", actor=analyst, data={"justification": "x",
                      "risk_accepted_until": "2030-01-01"})  # fmt: skip
    wf.transition(obj=finding, name="start", actor=analyst)  # anyone who may change it may start work
    with pytest.raises(ValidationError) as error:
        wf.transition(obj=finding, name="accept_risk", actor=make_user("boss", superuser=True), data={})
    assert {"justification", "risk_accepted_until"} <= set(error.value.message_dict)


def test_ranges_versions_and_ecosystems_are_matched_exactly(db):
    host = item("py-01")
    requests = product("requests", "pypi")
    lodash = product("lodash", "npm")
    pyyaml = product("PyYAML", "pypi")
    install(host, requests, "2.19.0")
    install(host, lodash, "4.17.15")
    install(host, pyyaml, "5.3")
    install(host, product("urllib3", "pypi"), "not a version")  # unreadable: counted, not matched
    advisory("PYSEC-1", "requests", [{"introduced": "0"}, {"fixed": "2.20.0"}], ecosystem="pypi",
             osv_ecosystem="PyPI")  # fmt: skip
    advisory("PYSEC-2", "requests", [{"introduced": "2.20.0"}, {"last_affected": "2.25.0"}], ecosystem="pypi",
             osv_ecosystem="PyPI")  # fmt: skip
    advisory("GHSA-1", "lodash", [{"introduced": "4.0.0"}, {"fixed": "4.17.19"}], ecosystem="npm",
             osv_ecosystem="npm")  # fmt: skip
    advisory(
        "PYSEC-3", "pyyaml", [{"introduced": "5.4"}], ecosystem="pypi", osv_ecosystem="PyPI", versions=["5.3"]
    )
    advisory("PYSEC-4", "urllib3", [{"introduced": "0"}], ecosystem="pypi", osv_ecosystem="PyPI")
    # Same name in another ecosystem must not match.
    advisory("DEB-1", "requests", [{"introduced": "0"}], ecosystem="deb", osv_ecosystem="Debian:12")
    result = services.match_findings()
    assert sorted(Finding.objects.values_list("advisory__identifier", flat=True)) == [
        "GHSA-1",
        "PYSEC-1",
        "PYSEC-3",
    ]
    assert result.unreadable_versions == 1


def test_withdrawn_advisories_and_unknown_ecosystems_do_not_match(db):
    host = item("alp-01")
    install(host, product("openssl"), "1.0-1")
    advisory("CVE-W", "openssl", [{"introduced": "0"}], withdrawn=timezone.now())
    advisory("ALPINE-1", "openssl", [{"introduced": "0"}], ecosystem="generic", osv_ecosystem="Alpine:v3.19")
    assert services.match_findings().matched == 0


def test_importing_advisories_matches_findings(estate):
    import json

    install(estate["server"], product("jinja2", "pypi"), "2.10")
    record = {
        "id": "PYSEC-2019-217",
        "affected": [{"package": {"ecosystem": "PyPI", "name": "Jinja2"},
                      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.10.1"}]}]}],
    }  # fmt: skip
    result = services.import_advisories(documents=[("a.json", json.dumps(record).encode())], actor=None)
    assert result.matching.created == 1
    assert Finding.objects.get().fixed_version == "2.10.1"


def test_severity_change_on_reimport_updates_open_findings(estate):
    install(estate["server"], estate["openssl"], "3.0.11-1")
    adv = advisory("CVE-2024-0727", "openssl", FIX, vector="CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N")
    services.match_findings()
    assert Finding.objects.get().severity == "low"
    adv.cvss3_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    adv.save()
    assert services.match_findings().updated == 1
    finding = Finding.objects.get()
    assert finding.severity == "critical"
    assert finding.due_date == timezone.localdate(finding.first_detected) + dt.timedelta(days=7)


# --- exposure -----------------------------------------------------------------------------------
def test_exposure_names_the_business_applications_above_the_item(estate, client):
    install(estate["server"], estate["openssl"], "3.0.11-1")
    advisory("CVE-2024-0727", "openssl", FIX)
    services.match_findings()
    assert services.exposed_services(item=estate["server"]) == [estate["payroll"]]
    rows = services.exposure_by_service()
    assert [(r["name"], r["items"], r["critical"]) for r in rows] == [("Payroll", 1, 1)]
    finding = Finding.objects.get()
    client.force_login(make_user("boss", superuser=True))
    page = client.get(reverse("security:finding_exposure", args=[finding.pk]))
    assert page.status_code == 200 and "Payroll" in page.content.decode()
    api = client.get(reverse("api:security-finding-exposure", args=[finding.pk]))
    assert [s["name"] for s in api.json()] == ["Payroll"]


def test_exposure_respects_permissions(estate, client):
    install(estate["server"], estate["openssl"], "3.0.11-1")
    advisory("CVE-2024-0727", "openssl", FIX)
    services.match_findings()
    finding = Finding.objects.get()
    user = make_user("viewer")
    client.force_login(user)
    assert client.get(reverse("security:finding_exposure", args=[finding.pk])).status_code == 403
    grant(user, Finding, "view")
    page = client.get(reverse("security:finding_exposure", args=[finding.pk]))
    assert page.status_code == 200 and "Payroll" not in page.content.decode()  # items hidden from them
    assert services.exposure_by_service(user=make_user("nobody")) == []


def test_upstream_reach_walks_from_many_items_at_once(estate):
    other = item("app-09")
    reach = cmdb_services.upstream_reach(item_ids=[estate["server"].pk, other.pk], depth=6)
    assert estate["payroll"].pk in reach[estate["server"].pk]
    assert reach[other.pk] == set()
    # More start items than SQLite allows terms in one compound SELECT (500): chunked, no error.
    many = [estate["server"].pk, *range(10_000_000, 10_000_700)]
    reach = cmdb_services.upstream_reach(item_ids=many, depth=2)
    assert estate["payroll"].pk in reach[estate["server"].pk] and reach[10_000_000] == set()


# --- overdue and dashboards -----------------------------------------------------------------------
def test_overdue_findings_raise_one_event_each(estate, django_capture_on_commit_callbacks, monkeypatch):
    fired = []
    monkeypatch.setattr(
        "steward.core.events.dispatch",
        lambda e, **kw: e.name.startswith("security.") and fired.append(e) or 0,
    )
    install(estate["server"], estate["openssl"], "3.0.11-1")
    advisory("CVE-2024-0727", "openssl", FIX)
    services.match_findings(now=timezone.now() - dt.timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        assert len(services.flag_overdue_findings()) == 1
        assert services.flag_overdue_findings() == []
    assert [e.name for e in fired] == ["security.finding.overdue"]
    assert fired[0].data["advisory"] == "CVE-2024-0727"


def test_dashboard_widgets_render(estate, client):
    install(estate["server"], estate["openssl"], "3.0.11-1")
    advisory("CVE-2024-0727", "openssl", FIX)
    services.match_findings(now=timezone.now() - dt.timedelta(days=30))
    from steward.security import dashboard

    boss = make_user("boss", superuser=True)
    assert dashboard.overdue(boss)["value"] == 1
    assert dashboard.open_by_severity(boss)["datasets"][0]["data"] == [1]
    assert dashboard.exposure_per_service(boss)["rows"] == [["Payroll", 1, 1, 0, 0, 0]]
    client.force_login(boss)
    assert client.get(reverse("home")).status_code == 200
    listed = client.get(reverse("security:finding_list") + "?overdue=true")
    assert listed.status_code == 200 and "CVE-2024-0727" in listed.content.decode()


# --- benchmark smoke run ------------------------------------------------------------------------
def test_set_based_matching_agrees_with_the_nested_loop_on_a_small_generated_estate(db):
    """The benchmark's workload, tiny: every installation checked against every advisory."""
    import argparse
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[4])
    if root not in sys.path:
        sys.path.insert(0, root)
    from bench import security_matching as bench

    from steward.security.models import AffectedPackage

    args = argparse.Namespace(installations=500, advisories=120, seed=3)
    counts = bench.build(args)
    assert counts["installations"] == 500
    packages = [
        (a, e, n, i, frozenset(v))
        for a, e, n, i, v in AffectedPackage.objects.values_list(
            "advisory_id", "ecosystem", "name", "intervals", "versions"
        )
    ]
    installs = list(
        SoftwareInstallation.objects.values_list(
            "id", "configuration_item_id", "product_id", "product__ecosystem", "product__name", "version"
        )
    )
    desired, _unreadable = services.compute_matches()
    assert set(desired) == bench.nested_loop(installs, packages)
    assert desired  # the generated estate is vulnerable somewhere


# --- set-based writes ---------------------------------------------------------------------------
def _history_actions(finding: Finding) -> list[str]:
    from steward.core.changelog import history_for

    return [c.action for c in history_for(finding)]


def test_matching_writes_closures_updates_and_reopenings_set_based(
    db, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """Many findings change in one run: history and change log for each, queries independent of N."""
    from steward.core.models import ObjectChange

    openssl = product("openssl")
    hosts = [item(f"web-{i:02d}") for i in range(12)]
    installs = [install(h, openssl, "3.0.11-1") for h in hosts]
    adv = advisory("CVE-2024-0727", "openssl", FIX)
    services.match_findings()
    services.match_findings()  # warm: the automation account and its permission exist
    for inst in installs[:6]:  # six upgraded past the fix
        SoftwareInstallation.objects.filter(pk=inst.pk).update(version="3.0.15-1~deb12u1")
    Advisory.objects.filter(pk=adv.pk).update(severity="low")  # the other six re-scored
    before = ObjectChange.objects.count()
    with django_assert_max_num_queries(40), django_capture_on_commit_callbacks(execute=True):
        result = services.match_findings()
    assert (result.closed, result.updated, result.created) == (6, 6, 0)
    assert ObjectChange.objects.count() - before == 12
    fixed = Finding.objects.filter(state="fixed")
    assert fixed.count() == 6 and all(f.closed_at and f.closure_reason.startswith("Upgraded") for f in fixed)
    for f in fixed:
        assert [h.transition for h in wf.history(f)] == ["resolve"]
        assert sorted(_history_actions(f)) == ["create", "update"]
    still_open = Finding.objects.filter(state="open")
    assert {f.severity for f in still_open} == {"low"}
    assert all(f.due_date == services.due_date_for("low", f.first_detected) for f in still_open)
    # Downgraded again: all six reopen in one step, each with its history row.
    for inst in installs[:6]:
        SoftwareInstallation.objects.filter(pk=inst.pk).update(version="3.0.11-1")
    with django_assert_max_num_queries(40):
        assert services.match_findings().reopened == 6
    assert not Finding.objects.filter(state="fixed").exists()
    assert not Finding.objects.filter(closed_at__isnull=False).exists()
    assert [h.transition for h in wf.history(fixed.model.objects.get(pk=f.pk))] == ["reopen", "resolve"]


def test_a_bulk_transition_refused_for_one_record_changes_none(estate):
    from steward.core.workflow import TransitionNotAllowed

    install(estate["server"], estate["openssl"], "3.0.11-1")
    advisory("CVE-2024-0727", "openssl", FIX)
    advisory("CVE-2024-0728", "openssl", FIX)
    services.match_findings()
    robot = services.automation_user()
    first, second = Finding.objects.order_by("advisory__identifier")
    wf.transition(obj=second, name="resolve", actor=robot, data={"closure_reason": "patched"})
    with pytest.raises(TransitionNotAllowed, match=second.reference):
        wf.transition_many(objs=[first, second], name="resolve", actor=robot)
    first.refresh_from_db()
    assert first.state == "open" and not wf.history(first).exists()
    with pytest.raises(TransitionForbidden):
        wf.transition_many(objs=[first], name="resolve", actor=make_user("nobody"))
    wf.transition_many(objs=[first], name="resolve", actor=robot, data={first.pk: {"closure_reason": "by hand"}},
                       derived=Finding.derive_state_fields)  # fmt: skip
    first.refresh_from_db()
    assert (first.state, first.closure_reason) == ("fixed", "by hand") and first.closed_at is not None


# --- discovery is followed by matching of the reported items ------------------------------------
def _report(version: str) -> dict:
    return {
        "version": 1,
        "hostname": "web-07",
        "packages": [
            {"ecosystem": "deb", "name": "openssl", "version": version, "architecture": "amd64"},
            {"ecosystem": "pypi", "name": "Django", "version": "6.1"},
        ],
    }


def test_items_discovery_reported_are_matched_by_the_five_minute_job(db):
    from steward.cmdb.discovery import ingest_agent_payload
    from steward.core.jobs import execute_job

    advisory("CVE-2024-0727", "openssl", FIX)
    elsewhere = item("db-09")
    install(elsewhere, product("openssl"), "3.0.11-1")  # never reported by discovery: the 6-hourly run's

    host = ingest_agent_payload(data=_report("3.0.11-1"), actor=None).item
    assert execute_job("security.match_discovered_items") == "succeeded"
    finding = Finding.objects.get()  # the reported host only
    assert finding.configuration_item == host and finding.state == "open"
    assert finding.installed_version == "3.0.11-1" and finding.fixed_version == "3.0.13-1~deb12u1"

    # Upgraded past the fix: the report retires the old installation (and clears the finding's
    # link to it, which the foreign-key check at commit would otherwise refuse); the next pass
    # closes the finding.
    ingest_agent_payload(data=_report("3.0.13-1~deb12u1"), actor=None)
    finding.refresh_from_db()
    assert finding.installation_id is None and finding.state == "open"
    assert execute_job("security.match_discovered_items") == "succeeded"
    finding.refresh_from_db()
    assert finding.state == "fixed"


def test_the_discovery_pass_takes_only_items_reported_since(db):
    advisory("CVE-2024-0727", "openssl", FIX)
    old, recent = item("old-01"), item("new-01")
    for ci in (old, recent):
        install(ci, product("openssl"), "3.0.11-1")
    now = timezone.now()
    ConfigurationItem = type(old)
    ConfigurationItem.objects.filter(pk=old.pk).update(last_discovered=now - dt.timedelta(hours=2))
    ConfigurationItem.objects.filter(pk=recent.pk).update(last_discovered=now)
    result = services.match_discovered_items(since=now - dt.timedelta(minutes=6))
    assert result.created == 1 and Finding.objects.get().configuration_item == recent
    assert services.match_discovered_items(since=now + dt.timedelta(minutes=1)).matched == 0
    assert services.match_discovered_items(since=None).created == 1  # first pass: every reported item
    assert Finding.objects.count() == 2
