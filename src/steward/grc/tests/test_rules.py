"""Stated rules the other grc tests left unexercised: scoping by service, the compliance finding
and risk treatment workflows, the SLA and appetite metrics, and the scheduled evidence re-collection."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone

from steward.core import workflow as wf
from steward.core.jobs import JobContext
from steward.grc import jobs, services
from steward.grc.metrics import METRICS
from steward.grc.models import (
    Assessment,
    Control,
    Evidence,
    Finding,
    Framework,
    RemediationTask,
    Risk,
    Scoping,
)
from steward.org.models import Person
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework() -> Framework:
    fw = Framework.objects.create(name="Ops", identifier="urn:test:ops")
    for cid in ("OP-1", "OP-2", "OP-3"):
        fw.requirements.create(control_id=cid, title=cid)
    return fw


def test_scoping_and_control_applicability_per_service(framework):
    from steward.itsm.models import Service

    payroll, wiki = Service.objects.create(name="Payroll"), Service.objects.create(name="Wiki")
    req = {r.control_id: r for r in framework.requirements.all()}
    Scoping.objects.create(requirement=req["OP-1"], service=payroll, justification="No card data")
    Scoping.objects.create(requirement=req["OP-1"], service=wiki, justification="No card data")
    Scoping.objects.create(requirement=req["OP-2"], service=payroll, justification="Hosted")  # wiki: applies
    wiki_only = Control.objects.create(
        name="Wiki backups", test_result="compliant", tested_on=dt.date(2026, 1, 5)
    )
    wiki_only.services.add(wiki)
    wiki_only.requirements.add(req["OP-3"])

    both = Assessment.objects.create(name="Both", framework=framework)
    both.services.add(payroll, wiki)
    services.prepare_assessment(assessment=both, actor=None)
    got = dict(both.results.values_list("requirement__control_id", "status"))
    # Out for every service in scope → not applicable; out for one only → still assessed.
    assert got == {"OP-1": "not_applicable", "OP-2": "not_assessed", "OP-3": "compliant"}
    assert both.results.get(requirement__control_id="OP-1").notes == "No card data"

    payroll_only = Assessment.objects.create(name="Payroll", framework=framework)
    payroll_only.services.add(payroll)
    services.prepare_assessment(assessment=payroll_only, actor=None)
    got = dict(payroll_only.results.values_list("requirement__control_id", "status"))
    # OP-2 is scoped out for payroll; the wiki's control does not answer for payroll.
    assert got == {"OP-1": "not_applicable", "OP-2": "not_applicable", "OP-3": "not_assessed"}


def test_compliance_finding_remediation_workflow(framework):
    owner = Person.objects.create(first_name="Olga", last_name="Owner", email="olga@example.org")
    editor = make_user("editor")
    grant(editor, Finding, "view", "change")
    finding = Finding.objects.create(title="No MFA on VPN", severity="high",
                                     requirement=framework.requirements.get(control_id="OP-1"))  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        wf.transition(obj=finding, name="remediate", actor=editor)
    assert {"owner", "due_date"} <= set(exc.value.message_dict)
    wf.transition(obj=finding, name="remediate", actor=editor,
                  data={"owner": owner.pk, "due_date": dt.date(2026, 9, 1)})  # fmt: skip
    RemediationTask.objects.create(title="Enable MFA", finding=finding, assignee=owner)
    with pytest.raises(ValidationError) as exc:
        wf.transition(obj=finding, name="resolve", actor=editor)
    assert "resolution" in exc.value.message_dict
    wf.transition(obj=finding, name="resolve", actor=editor, data={"resolution": "MFA enforced"})
    with pytest.raises(wf.TransitionForbidden):  # closing is for compliance managers or auditors
        wf.transition(obj=finding, name="close", actor=editor)
    auditor = make_user("auditor")
    grant(auditor, Finding, "view", "change")
    auditor.groups.add(Group.objects.get_or_create(name="Auditors")[0])
    wf.transition(obj=finding, name="close", actor=auditor)
    finding.refresh_from_db()
    assert finding.state == "closed" and finding.tasks.get().title == "Enable MFA"


def test_risk_treatment_needs_a_plan_then_residual_scores(framework):
    matrix = services.default_matrix() or services.load_matrix()
    boss = make_user("boss", superuser=True)
    control = Control.objects.create(name="Offline backups")
    risk = Risk.objects.create(title="Ransomware", matrix=matrix, inherent_likelihood=4, inherent_impact=5)
    risk.controls.add(control)
    wf.transition(obj=risk, name="assess", actor=boss)
    with pytest.raises(ValidationError) as exc:
        wf.transition(obj=risk, name="treat", actor=boss)
    assert {"treatment", "treatment_plan"} <= set(exc.value.message_dict)
    wf.transition(obj=risk, name="treat", actor=boss,
                  data={"treatment": "mitigate", "treatment_plan": "Immutable backups, EDR"})  # fmt: skip
    RemediationTask.objects.create(title="Buy EDR", risk=risk, due_date=dt.date(2026, 8, 1))
    with pytest.raises(ValidationError) as exc:
        wf.transition(obj=risk, name="monitor", actor=boss)
    assert {"residual_likelihood", "residual_impact"} <= set(exc.value.message_dict)
    wf.transition(obj=risk, name="monitor", actor=boss, data={"residual_likelihood": 2, "residual_impact": 4})
    risk.refresh_from_db()
    assert (risk.state, risk.inherent_score, risk.residual_score) == ("monitored", 20, 8)
    assert list(risk.controls.all()) == [control] and risk.tasks.get().title == "Buy EDR"
    assert not risk.exceeds_appetite  # residual 8 ≤ appetite 9; inherent 20 was above


def test_sla_compliance_metric_counts_clocks_stopped_in_the_window():
    from steward.itsm.models import Incident, SLAClock
    from steward.utilities.testing.factories import make_instance

    assert METRICS["itsm.sla_compliance_percent"].func() is None  # no clock: no measurement
    for _ in range(5):
        make_instance(SLAClock, incident=make_instance(Incident))
    ids = list(SLAClock.objects.order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    SLAClock.objects.filter(pk__in=ids).update(status="stopped", stopped_at=now - dt.timedelta(days=2))
    SLAClock.objects.filter(pk=ids[0]).update(breached=True)
    SLAClock.objects.filter(pk=ids[1]).update(stopped_at=now - dt.timedelta(days=45))  # outside 30 days
    SLAClock.objects.filter(pk=ids[2]).update(
        status="running", stopped_at=None, breached=True
    )  # not finished
    total = len(ids) - 2
    assert METRICS["itsm.sla_compliance_percent"].func() == (Decimal(100) * (total - 1) / total).quantize(
        Decimal("0.1")
    )


def test_risks_above_appetite_metric_ignores_closed_and_treated_risks():
    matrix = services.default_matrix() or services.load_matrix()
    Risk.objects.create(title="High", matrix=matrix, inherent_likelihood=5, inherent_impact=4)  # 20 > 9
    Risk.objects.create(title="Treated", matrix=matrix, inherent_likelihood=5, inherent_impact=5,
                        residual_likelihood=1, residual_impact=2)  # fmt: skip
    Risk.objects.create(
        title="Closed", matrix=matrix, inherent_likelihood=5, inherent_impact=5, state="closed"
    )
    Risk.objects.create(title="Low", matrix=matrix, inherent_likelihood=1, inherent_impact=1)
    assert METRICS["grc.risks_above_appetite"].func() == Decimal(1)


def test_the_daily_job_recollects_automated_evidence_only():
    from steward.utilities.testing import make_user as user

    user("root", superuser=True)
    auto = Evidence.objects.create(name="Admins", kind="automated", query="core.superusers")
    link = Evidence.objects.create(name="Minutes", kind="link", link="https://example.org/m")
    jobs.collect_evidence(JobContext(name="grc.collect_evidence", payload={}))
    auto.refresh_from_db()
    first = auto.collected_at
    assert first is not None and auto.row_count == 1
    user("root2", superuser=True)
    jobs.collect_evidence(JobContext(name="grc.collect_evidence", payload={}))
    auto.refresh_from_db()
    link.refresh_from_db()
    assert auto.collected_at > first and auto.row_count == 2 and link.collected_at is None
