"""Governance: policy approval and versions, acknowledgements, RACI checks, KPIs; evidence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone

from steward.core import workflow as wf
from steward.core.dashboards import render_widgets
from steward.core.models import Notification
from steward.grc import services
from steward.grc.models import (
    AcknowledgementCampaign,
    Evidence,
    Indicator,
    Measurement,
    Policy,
    RaciAssignment,
    RaciMatrix,
)
from steward.org.models import Person, Team
from steward.utilities.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner() -> Person:
    return Person.objects.create(first_name="Pia", last_name="Policy", email="pia@example.org",
                                 user=make_user("pia"))  # fmt: skip


def approver():
    from steward.utilities.testing import grant

    user = make_user("approver")
    user.groups.add(Group.objects.get_or_create(name="Policy approvers")[0])
    grant(user, Policy, "view", "change")
    return user


def test_policy_approval_publishes_a_numbered_version(owner, django_capture_on_commit_callbacks):
    boss = make_user("boss", superuser=True)
    policy = Policy.objects.create(
        title="Passwords", owner=owner, body="# Rules\n\n<script>x()</script>Use a manager."
    )
    wf.transition(obj=policy, name="submit", actor=boss)
    with pytest.raises(wf.TransitionForbidden):
        wf.transition(obj=policy, name="approve", actor=make_user("random"))
    with django_capture_on_commit_callbacks(execute=True):
        wf.transition(obj=policy, name="approve", actor=approver())
    policy.refresh_from_db()
    assert policy.state == "published" and policy.version == 1 and policy.next_review is not None
    v1 = policy.versions.get()
    assert v1.body == policy.body
    wf.transition(obj=policy, name="revise", actor=boss)
    Policy.objects.filter(pk=policy.pk).update(body="Changed")
    wf.transition(obj=policy, name="submit", actor=boss)
    with django_capture_on_commit_callbacks(execute=True):
        wf.transition(obj=policy, name="approve", actor=make_user("other", superuser=True))
    assert list(policy.versions.values_list("version", flat=True)) == [2, 1]


def test_policy_body_is_sanitised_on_the_detail_page(admin_client):
    policy = Policy.objects.create(title="P", body="**bold** <script>alert(1)</script>")
    page = admin_client.get(policy.get_absolute_url())
    assert b"<strong>bold</strong>" in page.content and b"<script>alert(1)" not in page.content


def test_policy_review_reminder_once_per_date(owner, events, django_capture_on_commit_callbacks):
    today = dt.date(2026, 5, 1)
    policy = Policy.objects.create(title="P", owner=owner, body="x", state="published", next_review=today)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_policy_reviews(today=today) == [policy]
        assert services.remind_policy_reviews(today=today) == []
    assert [e.name for e in events] == ["grc.policy.review_due"]
    assert Notification.objects.filter(recipient=owner.user).count() == 1


def test_acknowledgement_campaign_progress_and_chasers(owner):
    policy = Policy.objects.create(title="P", body="x")
    version = services.publish_policy_version(policy=policy, actor=None)
    people = [owner] + [Person.objects.create(first_name="P", last_name=str(i), email=f"p{i}@example.org",
                                              user=make_user(f"p{i}")) for i in range(3)]  # fmt: skip
    campaign = AcknowledgementCampaign.objects.create(
        name="All", policy_version=version, due_date=dt.date(2030, 1, 1)
    )
    campaign.people.set(people)
    services.acknowledge(campaign=campaign, person=owner, actor=None)
    services.acknowledge(campaign=campaign, person=owner, actor=None)  # once
    assert services.campaign_progress(campaign) == {"total": 4, "done": 1, "percent": 25.0}
    stranger = Person.objects.create(first_name="S", last_name="S", email="s@example.org")
    with pytest.raises(ValidationError) as exc:
        services.acknowledge(campaign=campaign, person=stranger, actor=None)
    assert "person" in exc.value.message_dict
    assert services.chase_campaign(campaign=campaign, actor=None) == 3
    assert not Notification.objects.filter(recipient=owner.user).exists()
    # The quarterly chaser skips a campaign chased less than a week ago.
    assert services.chase_overdue_campaigns(today=timezone.localdate()) == 0


def test_ack_page_for_the_signed_in_person(client, owner):
    version = services.publish_policy_version(policy=Policy.objects.create(title="P", body="x"), actor=None)
    campaign = AcknowledgementCampaign.objects.create(
        name="All", policy_version=version, due_date=dt.date(2030, 1, 1)
    )
    campaign.people.add(owner)
    from steward.utilities.testing import grant

    grant(owner.user, AcknowledgementCampaign, "view")
    client.force_login(owner.user)
    assert client.post(f"/grc/acknowledgement-campaigns/{campaign.pk}/acknowledge/").status_code == 302
    assert campaign.acknowledgements.filter(person=owner).exists()


def test_raci_exactly_one_accountable(owner):
    matrix = RaciMatrix.objects.create(name="Change")
    team = Team.objects.create(name="Ops", slug="ops")
    RaciAssignment.objects.create(matrix=matrix, activity="Approve", person=owner, responsibility="A")
    RaciAssignment.objects.create(matrix=matrix, activity="Approve", team=team, responsibility="R")
    RaciAssignment.objects.create(matrix=matrix, activity="Build", role="Engineer", responsibility="R")
    assert services.raci_problems(matrix) == {"Build": "no Accountable"}
    second = RaciAssignment(matrix=matrix, activity="Approve", role="CAB", responsibility="A")
    with pytest.raises(ValidationError) as exc:
        second.full_clean()
    assert "responsibility" in exc.value.message_dict
    none = RaciAssignment(matrix=matrix, activity="Build", responsibility="I")
    with pytest.raises(ValidationError) as exc:
        none.full_clean()
    assert "person" in exc.value.message_dict
    grid = services.raci_grid(matrix)
    assert grid["parties"][0] == str(owner) and grid["rows"][1]["problem"] == "no Accountable"


def test_indicator_thresholds_scorecard_and_metrics(admin_client):
    mttr = Indicator.objects.create(name="MTTR", direction="lower", green_at=Decimal(4), red_at=Decimal(12),
                                    metric="itsm.incident_mttr_hours")  # fmt: skip
    assert [mttr.rag(Decimal(v)) for v in (3, 8, 12)] == ["green", "amber", "red"]
    up = Indicator.objects.create(name="Uptime", green_at=Decimal("99.9"), red_at=Decimal(99))
    assert [up.rag(Decimal(v)) for v in ("99.95", "99.5", "98")] == ["green", "amber", "red"]
    bad = Indicator(name="x", green_at=Decimal(1), red_at=Decimal(5), metric="nope")
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert {"green_at", "metric"} <= set(exc.value.message_dict)
    services.record_measurement(indicator=up, value=Decimal("99.5"), actor=None)
    # No incidents resolved in the window: the metric has no value and records nothing.
    assert services.compute_indicators() == [] and not Measurement.objects.filter(indicator=mttr).exists()
    rows = services.scorecard(Indicator.objects.order_by("name"))
    assert rows[1].rag == "amber" and rows[0].value is None
    assert admin_client.get("/grc/indicators/scorecard/").status_code == 200
    assert b"data-chart" in admin_client.get(up.get_absolute_url()).content


def test_mttr_metric_reads_incidents_by_model_label():
    from steward.grc.metrics import METRICS
    from steward.itsm.models import Incident

    inc = Incident.objects.create(short_description="Down")
    Incident.objects.filter(pk=inc.pk).update(
        created=timezone.now() - dt.timedelta(hours=6), resolved_at=timezone.now()
    )
    assert METRICS["itsm.incident_mttr_hours"].func() == Decimal("6.00")


def test_automated_evidence_is_collected_with_a_timestamp(
    admin_client, events, django_capture_on_commit_callbacks
):
    ev = Evidence.objects.create(name="Admins", kind="automated", query="core.superusers")
    make_user("root", superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.collect_evidence(evidence=ev, actor=None)
    ev.refresh_from_db()
    admins = sorted(get_user_model().objects.filter(is_superuser=True).values_list("username", flat=True))
    assert ev.collected_at is not None and ev.row_count == len(admins) >= 1
    assert [r["username"] for r in ev.data["rows"]] == admins
    assert [e.name for e in events] == ["grc.evidence.collected"]
    make_user("root2", superuser=True)
    assert admin_client.post(f"/grc/evidence/{ev.pk}/collect/").status_code == 302
    ev.refresh_from_db()
    assert ev.row_count == len(admins) + 1


def test_production_servers_without_owner_query():
    from steward.cmdb.models import CIClass, ConfigurationItem
    from steward.grc.queries import QUERIES

    server = CIClass.objects.filter(slug="server").first() or CIClass.objects.create(
        slug="server", name="Server"
    )
    ConfigurationItem.objects.create(name="db01", ci_class=server, environment="production")
    ConfigurationItem.objects.create(name="test01", ci_class=server, environment="test")
    rows = QUERIES["cmdb.production_servers_without_owner"].func()
    assert [r["name"] for r in rows] == ["db01"]


def test_a_query_over_an_absent_app_records_not_available(monkeypatch):
    from steward.grc import queries

    monkeypatch.setattr(queries, "model_or_none", lambda label: None)
    ev = Evidence.objects.create(
        name="Owners", kind="automated", query="cmdb.production_servers_without_owner"
    )
    services.collect_evidence(evidence=ev, actor=None)
    ev.refresh_from_db()
    assert ev.data["available"] is False and ev.row_count is None
    with pytest.raises(ValidationError):
        services.collect_evidence(evidence=Evidence.objects.create(name="L", kind="link", link="https://x.org"),
                                  actor=None)  # fmt: skip


def test_widgets_render(admin_client):
    from steward.grc.models import Assessment, Framework

    fw = Framework.objects.create(name="F", identifier="urn:f")
    r = fw.requirements.create(control_id="a", title="A")
    a = Assessment.objects.create(name="A", framework=fw)
    services.prepare_assessment(assessment=a, actor=None)
    services.record_result(result=a.results.get(requirement=r), actor=None, status="compliant")
    widgets = {w["widget"].name: w for w in render_widgets(make_user("root", superuser=True))}
    assert widgets["grc.compliance"]["data"]["datasets"][0]["data"] == [100.0]
    assert widgets["grc.risks_above_appetite"]["data"]["value"] == 0


# --- security metrics -----------------------------------------------------------------------------
@pytest.fixture
def security_estate(db):
    """Findings with known remediation times: 10, 14 and 45 days in the last month, 5 before it."""
    from steward.itsm.models import Service
    from steward.security.models import Advisory, Finding
    from steward.security.tests.factories import item, product

    now = timezone.now()
    day = dt.timedelta(days=1)
    in_service, elsewhere = item("pay-01"), item("wiki-01")
    service = Service.objects.create(name="Payroll")
    service.configuration_items.add(in_service)
    lib = product("openssl")
    rows = [
        # (item, advisory published, first detected, state, closed, severity)
        (in_service, now - 20 * day, now - 30 * day, "fixed", now - 10 * day, "high"),  # from publication: 10
        (elsewhere, None, now - 15 * day, "fixed", now - 1 * day, "high"),  # from detection: 14
        (in_service, now - 100 * day, now - 50 * day, "fixed", now - 5 * day, "medium"),  # detected later: 45
        (in_service, now - 60 * day, now - 60 * day, "fixed", now - 40 * day, "low"),  # before the period
        (in_service, None, now, "open", None, "critical"),
        (elsewhere, None, now, "in_progress", None, "critical"),
        (in_service, None, now, "open", None, "high"),
        (in_service, None, now, "risk_accepted", None, "critical"),
        (elsewhere, None, now, "false_positive", now, "critical"),  # closed, but not a fix
    ]
    for i, (ci, published, first, state, closed, severity) in enumerate(rows):
        adv = Advisory.objects.create(identifier=f"CVE-2031-{i:04d}", published=published)
        finding = Finding.objects.create(
            configuration_item=ci, advisory=adv, product=lib, severity=severity, first_detected=first,
            state=state, justification="x", risk_accepted_until=timezone.localdate() + day,
        )  # fmt: skip
        Finding.objects.filter(pk=finding.pk).update(closed_at=closed)
    return service


def test_patch_latency_is_the_median_days_to_fix_in_the_period(security_estate):
    from steward.grc.metrics import METRICS, patch_latency

    now = timezone.now()
    assert patch_latency(since=now - dt.timedelta(days=30), until=now) == (Decimal("14.0"), 3)
    assert patch_latency(since=now - dt.timedelta(days=30), until=now, service=security_estate) == (
        Decimal("27.5"), 2,
    )  # fmt: skip
    assert patch_latency(since=now - dt.timedelta(days=60), until=now)[1] == 4
    latency = METRICS["security.patch_latency_days"]
    assert latency.per_period and latency.by_service
    assert latency.measure(period=dt.timedelta(days=30)) == Decimal("14.0")
    assert latency.measure(period=dt.timedelta(days=7)) == Decimal("29.5")  # the 14- and 45-day fixes
    assert (
        latency.measure(period=dt.timedelta(days=3), service=security_estate) is None
    )  # nothing fixed: no value


def test_open_critical_vulnerabilities_count_active_critical_findings(security_estate):
    from steward.grc.metrics import METRICS

    metric = METRICS["security.open_critical_vulnerabilities"]
    assert metric.measure() == Decimal(2)  # risk-accepted and fixed ones are not open
    assert metric.measure(service=security_estate) == Decimal(1)


def test_indicators_measure_security_metrics_per_service_and_period(security_estate):
    quarterly = Indicator.objects.create(
        name="Patch latency (payroll)", direction="lower", green_at=Decimal(15), red_at=Decimal(30),
        metric="security.patch_latency_days", service=security_estate, frequency="quarterly",
    )  # fmt: skip
    critical = Indicator.objects.create(
        name="Open criticals", direction="lower", green_at=Decimal(0), red_at=Decimal(5),
        metric="security.open_critical_vulnerabilities",
    )  # fmt: skip
    measured = {m.indicator_id: m.value for m in services.compute_indicators()}
    # Quarterly: the payroll fixes of the last 91 days took 10, 20 and 45 days.
    assert measured == {quarterly.pk: Decimal("20.0"), critical.pk: Decimal(2)}
    assert quarterly.rag(measured[quarterly.pk]) == "amber"
    bad = Indicator(name="MTTR of payroll", green_at=Decimal(4), red_at=Decimal(12), direction="lower",
                    metric="itsm.incident_mttr_hours", service=security_estate)  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert "security.patch_latency_days" in exc.value.message_dict["service"][0]
