"""Demo data: the starter framework, controls mapped to it, an assessment in progress with
findings, a risk register on the default matrix, policies, a RACI matrix and KPIs."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import Group
from django.utils import timezone

LIBRARY = Path(__file__).parent / "data" / "steward-it-baseline.yaml"

CONTROLS = [
    ("Monthly CMDB reconciliation", ["ITB-AM-1", "ITB-AM-2"], "implemented", "compliant"),
    ("Leaver access removal within one day", ["ITB-AC-1"], "implemented", "partially_compliant"),
    (
        "Quarterly privileged access review",
        ["ITB-AC-2", "ITB-AC-3"],
        "partially_implemented",
        "non_compliant",
    ),
    ("Hardware token MFA for administrators", ["ITB-AC-2.1"], "implemented", "compliant"),
    ("Change advisory board", ["ITB-CH-1", "ITB-CH-2"], "implemented", "compliant"),
    ("Nightly backups with quarterly restore test", ["ITB-OP-1"], "implemented", "compliant"),
    ("Central log platform, 13 months retention", ["ITB-OP-3"], "implemented", "compliant"),
    ("Monthly patch window", ["ITB-OP-4"], "partially_implemented", "partially_compliant"),
    ("Major incident review board", ["ITB-IM-2"], "planned", "not_assessed"),
]
RISKS = [
    ("Ransomware encrypts file servers", "Cyber", 4, 5, 2, 4, "mitigate"),
    ("Single data centre power failure", "Infrastructure", 2, 5, 2, 3, "mitigate"),
    ("Key supplier for payroll ceases trading", "Supplier", 2, 4, 2, 4, "transfer"),
    ("Legacy ERP runs on unsupported OS", "Technology", 4, 3, 4, 3, "accept"),
    ("Privileged accounts shared among admins", "Access", 3, 4, 2, 3, "mitigate"),
    ("Loss of key network engineer", "People", 3, 3, 2, 2, "mitigate"),
    ("Personal data sent to wrong recipient", "Privacy", 3, 3, 3, 2, "mitigate"),
]
POLICIES = [
    ("Information security policy", "security"),
    ("Acceptable use of IT", "acceptable_use"),
    ("Backup and recovery standard", "it"),
]


def load(*, rng: random.Random, scale: float = 1.0) -> str:
    from steward.grc import services
    from steward.grc.models import (
        AcknowledgementCampaign,
        Assessment,
        Control,
        Evidence,
        Finding,
        Indicator,
        Policy,
        RaciAssignment,
        RaciMatrix,
        Risk,
    )  # fmt: skip
    from steward.org.models import Person, Team

    people = list(Person.objects.filter(status="active").order_by("pk")[:40])
    if not people:
        return "grc: skipped (load the organisation demo first)"
    for name in ("Compliance managers", "Auditors", "Risk managers", "Policy approvers"):
        Group.objects.get_or_create(name=name)
    framework = services.import_framework_file(content=LIBRARY.read_bytes(), actor=None).framework
    matrix = services.default_matrix() or services.load_matrix()
    today = timezone.localdate()
    by_id = {r.control_id: r for r in framework.requirements.all()}

    controls = []
    for name, reqs, impl, result in CONTROLS:
        control = Control.objects.create(
            name=name, owner=rng.choice(people), implementation_status=impl, test_result=result,
            tested_on=today - dt.timedelta(days=rng.randint(5, 120)) if result != "not_assessed" else None,
        )  # fmt: skip
        control.requirements.set([by_id[r] for r in reqs])
        controls.append(control)
    evidence = Evidence.objects.create(
        name="Production servers without an owner", kind="automated", query="cmdb.production_servers_without_owner",
        description="Captured daily; the list should be empty.",
    )  # fmt: skip
    evidence.controls.add(controls[0])
    services.collect_evidence(evidence=evidence, actor=None)
    Evidence.objects.create(name="Backup restore test report Q3", kind="link",
                            link="https://intranet.example.org/it/backup/restore-q3")  # fmt: skip

    assessment = Assessment.objects.create(
        name=f"Internal audit {today.year}", framework=framework, assessor=people[0],
        start_date=today - dt.timedelta(days=14), description="Yearly internal audit against the IT baseline.",
    )  # fmt: skip
    services.prepare_assessment(assessment=assessment, actor=None)
    Assessment.objects.filter(pk=assessment.pk).update(state="in_progress")
    for req_id, severity, title in (
        ("ITB-AC-2", "high", "Privileged access was not reviewed last quarter"),
        ("ITB-OP-4", "moderate", "Twelve servers missed the September patch window"),
    ):
        Finding.objects.create(
            title=title, assessment=assessment, requirement=by_id[req_id], severity=severity,
            owner=rng.choice(people), due_date=today + dt.timedelta(days=rng.randint(20, 60)),
        )  # fmt: skip

    for title, category, il, ii, rl, ri, treatment in RISKS:
        risk = Risk.objects.create(
            title=title, category=category, owner=rng.choice(people), matrix=matrix, inherent_likelihood=il,
            inherent_impact=ii, residual_likelihood=rl, residual_impact=ri, treatment=treatment,
            treatment_plan="See the linked controls and tasks.", state="treating" if treatment != "accept" else "accepted",
            accepted_by=people[1] if treatment == "accept" else None,
            acceptance_expires=today + dt.timedelta(days=90) if treatment == "accept" else None,
            last_reviewed=today - dt.timedelta(days=rng.randint(10, 120)),
        )  # fmt: skip
        risk.controls.set(rng.sample(controls, 2))

    for title, kind in POLICIES:
        policy = Policy.objects.create(
            title=title, policy_type=kind, owner=rng.choice(people), state="published",
            body=f"# {title}\n\n## Purpose\n\nSets the rules everyone follows.\n\n## Scope\n\nAll staff and contractors.",
        )  # fmt: skip
        version = services.publish_policy_version(policy=policy, actor=None)
        campaign = AcknowledgementCampaign.objects.create(
            name=f"{title} – all staff", policy_version=version, due_date=today + dt.timedelta(days=30)
        )
        campaign.people.set(people[:20])
        for person in rng.sample(people[:20], rng.randint(5, 15)):
            services.acknowledge(campaign=campaign, person=person, actor=None)

    raci = RaciMatrix.objects.create(name="Change management", description="Who decides what in a change.")
    team = Team.objects.order_by("pk").first()
    for activity, rows in (
        ("Raise a change", [("R", people[2]), ("A", people[3]), ("I", "Service desk")]),
        ("Approve a normal change", [("R", "Change advisory board"), ("A", people[4]), ("C", people[5])]),
        ("Implement a change", [("R", team or "Implementers"), ("A", people[3]), ("I", "Service desk")]),
    ):
        for letter, party in rows:
            kwargs = (
                {"person": party}
                if isinstance(party, Person)
                else ({"team": party} if isinstance(party, Team) else {"role": party})
            )
            RaciAssignment.objects.create(matrix=raci, activity=activity, responsibility=letter, **kwargs)

    for name, kind, unit, direction, target, green, red, metric in (
        ("Incident MTTR", "kpi", "h", "lower", "8", "8", "24", "itsm.incident_mttr_hours"),
        ("SLA compliance", "kpi", "%", "higher", "95", "95", "85", "itsm.sla_compliance_percent"),
        ("Risks above appetite", "kri", "", "lower", "0", "1", "4", "grc.risks_above_appetite"),
        ("Staff who completed security training", "kpi", "%", "higher", "90", "90", "70", ""),
    ):
        ind = Indicator.objects.create(
            name=name, kind=kind, unit=unit, direction=direction, target=Decimal(target), green_at=Decimal(green),
            red_at=Decimal(red), owner=rng.choice(people), metric=metric,
        )  # fmt: skip
        base = float(target)
        for months in range(6, 0, -1):
            value = Decimal(str(round(base * rng.uniform(0.8, 1.15), 1)))
            services.record_measurement(
                indicator=ind,
                value=value,
                actor=None,
                measured_at=timezone.now() - dt.timedelta(days=30 * months),
            )
    services.compute_indicators()
    return (
        f"grc: {framework}, {len(controls)} controls, 1 assessment, {len(RISKS)} risks, "
        f"{len(POLICIES)} policies, 1 RACI matrix, 4 indicators"
    )
