"""GRC domain operations: framework import, assessments, evidence, risks, policies, KPIs.

Views, the API, jobs and the ``grc-import`` command call these; each is keyword-only,
atomic and takes the actor explicitly.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core import changelog, events
from steward.core import workflow as wf
from steward.core.context import change_context
from steward.core.search import index as search_index
from steward.core.serialization import snapshot
from steward.grc import catalogs
from steward.grc.catalogs import CatalogError, FrameworkData, RequirementData
from steward.grc.choices import DEFAULT_SCORES, EvidenceKind, Raci, RequirementKind, ResultStatus, Treatment
from steward.grc.metrics import METRICS, PERIODS
from steward.grc.models import (
    Acknowledgement,
    AcknowledgementCampaign,
    Assessment,
    AssessmentResult,
    Control,
    Evidence,
    Framework,
    Indicator,
    Measurement,
    Policy,
    PolicyVersion,
    RaciMatrix,
    Requirement,
    Risk,
    RiskMatrix,
    Scoping,
)
from steward.grc.queries import MAX_ROWS, QUERIES

REQUIREMENT_FIELDS = (
    "kind",
    "label",
    "title",
    "statement",
    "guidance",
    "parameters",
    "parts",
    "sort_order",
    "withdrawn",
)


# --- frameworks ---------------------------------------------------------------------------------
@dataclass
class ImportSummary:
    framework: Framework
    created: int = 0
    updated: int = 0
    withdrawn: int = 0
    unchanged: int = 0
    catalog: ImportSummary | None = None

    def __str__(self) -> str:
        text = _("%(fw)s: %(c)d requirements created, %(u)d updated, %(w)d withdrawn, %(n)d unchanged.") % {
            "fw": self.framework, "c": self.created, "u": self.updated, "w": self.withdrawn, "n": self.unchanged,
        }  # fmt: skip
        return f"{self.catalog} {text}" if self.catalog else text


def _lookup_catalog(uuid: str, title: str) -> Framework | None:
    query = Q(source_uuid=uuid) if uuid else Q(pk__in=[])
    if title:
        query |= Q(name=title) | Q(identifier=f"oscal-catalog:{title}")
    return (
        Framework.objects.filter(query)
        .exclude(source="oscal-profile")
        .order_by("-imported_at", "-id")
        .first()
    )


def _saved_rows(framework: Framework) -> list[RequirementData]:
    rows = (
        framework.requirements.filter(withdrawn=False).select_related("parent").order_by("sort_order", "id")
    )
    return [
        RequirementData(
            control_id=r.control_id, kind=r.kind, title=r.title, label=r.label,
            parent_id=r.parent.control_id if r.parent_id else None, statement=r.statement, guidance=r.guidance,
            parameters=r.parameters, parts=r.parts,
        )
        for r in rows
    ]  # fmt: skip


def parse_framework(
    *, content: bytes | str, base_dir: Path | None = None, catalog: Framework | None = None
) -> FrameworkData:
    """Read and check a framework file (OSCAL catalog/profile JSON or Steward YAML) without writing."""
    doc = catalogs.load_document(content)
    kind = catalogs.document_kind(doc)
    if kind == "catalog":
        return catalogs.parse_oscal_catalog(doc)
    if kind == "library":
        return catalogs.parse_library(doc)
    return catalogs.parse_oscal_profile(
        doc,
        base_dir=base_dir,
        lookup=(lambda uuid, title: catalog) if catalog is not None else _lookup_catalog,
        catalog_rows=lambda c: c.requirements if isinstance(c, FrameworkData) else _saved_rows(c),
    )


def import_framework_file(
    *, content: bytes | str, actor: Any, base_dir: Path | None = None, catalog: Framework | None = None
) -> ImportSummary:
    """Import (or update to a new version) the framework in ``content``; all or nothing.

    Raises ``CatalogError`` naming the offending element's path; nothing is written then.
    """
    data = parse_framework(content=content, base_dir=base_dir, catalog=catalog)
    return import_framework(data=data, actor=actor)


def _depths(rows: list[RequirementData]) -> dict[str, int]:
    parents = {r.control_id: r.parent_id for r in rows}
    depths: dict[str, int] = {}
    for cid in parents:
        chain, node = [], cid
        while node is not None and node not in depths:
            chain.append(node)
            node = parents.get(node)
        base = depths[node] if node is not None else -1
        for offset, item in enumerate(reversed(chain), start=1):
            depths[item] = base + offset
    return depths


@transaction.atomic
def import_framework(*, data: FrameworkData, actor: Any) -> ImportSummary:
    """Create or update a framework and its requirement tree in place, keyed by control id.

    Requirements missing from the new version are marked withdrawn (their assessment results
    stay linked); re-imported ones keep their row, so results follow the new text.
    """
    with change_context(actor=actor, source="import"):
        catalog_summary = None
        based_on = data.based_on
        done: dict[str, ImportSummary] = {}
        for source in data.sources or [based_on]:  # every catalog (or profile) a file brought along
            if isinstance(source, FrameworkData) and source.identifier not in done:
                done[source.identifier] = import_framework(data=source, actor=actor)
        if isinstance(based_on, FrameworkData):
            catalog_summary = done[based_on.identifier]
            based_on = catalog_summary.framework
        framework = Framework.objects.select_for_update().filter(identifier=data.identifier).first()
        framework = framework or Framework(identifier=data.identifier)
        for name in ("name", "version", "source", "source_uuid", "publisher", "description"):
            setattr(framework, name, getattr(data, name))
        framework.based_on = based_on
        framework.imported_at = timezone.now()
        framework.full_clean(validate_unique=False)
        framework.save()
        summary = ImportSummary(framework=framework, catalog=catalog_summary)

        existing = {r.control_id: r for r in Requirement.objects.filter(framework=framework)}
        depths = _depths(data.requirements)
        new: list[Requirement] = []
        changed: list[tuple[Requirement, dict[str, Any]]] = []
        wanted: dict[str, tuple[Requirement, RequirementData]] = {}
        for order, row in enumerate(data.requirements, start=1):
            values = {
                "kind": row.kind, "label": row.label[:100], "title": row.title[:500], "statement": row.statement,
                "guidance": row.guidance, "parameters": row.parameters, "parts": row.parts, "sort_order": order,
                "withdrawn": row.withdrawn,
            }  # fmt: skip
            obj = existing.get(row.control_id)
            if obj is None:
                obj = Requirement(framework=framework, control_id=row.control_id[:100], **values)
                new.append(obj)
            else:
                pre = snapshot(obj)
                for key, value in values.items():
                    setattr(obj, key, value)
                changed.append((obj, pre))
            wanted[row.control_id] = (obj, row)
        # Parents first, so every child can point at a saved row.
        for depth in sorted({depths[r.control_id] for r in data.requirements}):
            level = [o for o in new if depths[o.control_id] == depth]
            for obj in level:
                parent = wanted[obj.control_id][1].parent_id
                obj.parent_id = wanted[parent][0].pk if parent else None
            Requirement.objects.bulk_create(level, batch_size=500)
        updates = []
        for obj, pre in changed:
            parent = wanted[obj.control_id][1].parent_id
            obj.parent_id = wanted[parent][0].pk if parent else None
            post = snapshot(obj)
            if changelog.is_noop(pre, post):
                summary.unchanged += 1
            else:
                updates.append(changelog.Change(obj, "update", pre, post))
        for obj in existing.values():
            if obj.control_id not in wanted and not obj.withdrawn:
                pre = snapshot(obj)
                obj.withdrawn = True
                updates.append(changelog.Change(obj, "update", pre, snapshot(obj)))
                summary.withdrawn += 1
        if updates:
            Requirement.objects.bulk_update(
                [c.instance for c in updates], [*REQUIREMENT_FIELDS, "parent"], batch_size=500
            )
        summary.created, summary.updated = len(new), len(updates) - summary.withdrawn
        changelog.record_many([changelog.Change(o, "create", None, snapshot(o)) for o in new] + updates)
        search_index.index_many([*new, *(c.instance for c in updates)])
        events.emit(
            events.Event(
                name="grc.framework.imported", model="grc.framework", object_id=framework.pk,
                object_repr=str(framework)[:200], object_url=framework.get_absolute_url(),
                data={"created": summary.created, "updated": summary.updated, "withdrawn": summary.withdrawn},
            )
        )  # fmt: skip
    return summary


# --- scoping and assessments --------------------------------------------------------------------
def _scope_ids(obj: Any) -> dict[str, set[int]]:
    return {
        "organisation": set(obj.organisations.values_list("pk", flat=True)),
        "department": set(obj.departments.values_list("pk", flat=True)),
        "service": set(obj.services.values_list("pk", flat=True)),
    }


def control_applies(*, control: Control, scope: dict[str, set[int]]) -> bool:
    """A control with no scope applies everywhere; otherwise it must cover part of ``scope``."""
    own = _scope_ids(control)
    if not any(own.values()):
        return True
    if not any(scope.values()):
        return False
    return any(own[k] & scope[k] for k in own)


def not_applicable_requirements(*, framework: Framework, scope: dict[str, set[int]]) -> dict[int, str]:
    """Requirement id → justification, for requirements scoped out of every unit in ``scope``.

    A requirement is out when a "does not apply" decision covers each unit and service of the
    scope (and none of them says it does apply).
    """
    units = [(k, pk) for k, pks in scope.items() for pk in pks]
    if not units:
        return {}
    decisions: dict[int, dict[tuple[str, int], Scoping]] = defaultdict(dict)
    for s in Scoping.objects.filter(requirement__framework=framework):
        key = (
            ("organisation", s.organisation_id)
            if s.organisation_id
            else (("department", s.department_id) if s.department_id else ("service", s.service_id))
        )
        decisions[s.requirement_id][key] = s
    out = {}
    for req_id, by_unit in decisions.items():
        chosen = [by_unit.get(u) for u in units]
        if all(c is not None and not c.applicable for c in chosen):
            out[req_id] = "; ".join(sorted({c.justification for c in chosen if c}))
    return out


@transaction.atomic
def prepare_assessment(*, assessment: Assessment, actor: Any) -> int:
    """Create a result for every assessable requirement not yet in the assessment.

    Requirements scoped out of the assessment's units get "not applicable"; others inherit the
    test result of an in-scope control mapped to them, the worst such result when several are.
    Returns the number of results created.
    """
    with change_context(actor=actor, source="service"):
        scope = _scope_ids(assessment)
        have = set(assessment.results.values_list("requirement_id", flat=True))
        requirements = list(
            assessment.framework.requirements.filter(withdrawn=False)
            .exclude(kind=RequirementKind.GROUP)
            .exclude(pk__in=have)
        )
        out_of_scope = not_applicable_requirements(framework=assessment.framework, scope=scope)
        inherited = _inherited_results(requirements=requirements, scope=scope)
        now = timezone.now()
        rows = []
        for req in requirements:
            result = AssessmentResult(assessment=assessment, requirement=req)
            if req.pk in out_of_scope:
                result.status, result.notes = ResultStatus.NOT_APPLICABLE, out_of_scope[req.pk]
                result.assessed_at = now
            elif req.pk in inherited:
                control = inherited[req.pk]
                result.status, result.inherited_from = control.test_result, control
                result.score = DEFAULT_SCORES.get(control.test_result)
                result.notes = _("Inherited from %(control)s, tested on %(date)s.") % {
                    "control": control,
                    "date": control.tested_on,
                }
                result.assessed_at = now
            rows.append(result)
        AssessmentResult.objects.bulk_create(rows, batch_size=500)
        changelog.record_many(changelog.Change(r, "create", None, snapshot(r)) for r in rows)
        return len(rows)


SEVERITY_ORDER = [
    ResultStatus.NON_COMPLIANT, ResultStatus.PARTIAL, ResultStatus.COMPLIANT, ResultStatus.NOT_APPLICABLE,
]  # fmt: skip


def _inherited_results(*, requirements: list[Requirement], scope: dict[str, set[int]]) -> dict[int, Control]:
    ids = [r.pk for r in requirements]
    links = Control.requirements.through.objects.filter(requirement_id__in=ids).select_related("control")
    by_req: dict[int, list[Control]] = defaultdict(list)
    applies: dict[int, bool] = {}
    for link in links:
        control = link.control
        if control.test_result == ResultStatus.NOT_ASSESSED:
            continue
        if control.pk not in applies:
            applies[control.pk] = control_applies(control=control, scope=scope)
        if applies[control.pk]:
            by_req[link.requirement_id].append(control)
    return {
        req: min(controls, key=lambda c: (SEVERITY_ORDER.index(c.test_result), c.pk))
        for req, controls in by_req.items()
    }


@transaction.atomic
def record_result(
    *, result: AssessmentResult, actor: Any, status: str, score: int | None = None, notes: str | None = None,
    evidence: list[Evidence] | None = None,
) -> AssessmentResult:  # fmt: skip
    """Set the verdict on one requirement; the score defaults from the verdict."""
    if result.assessment.state in ("completed", "cancelled"):
        raise ValidationError({"status": _("The assessment is closed; its results cannot change.")})
    with change_context(actor=actor, source="service"):
        result.status = status
        result.score = score if score is not None else DEFAULT_SCORES.get(status)
        if notes is not None:
            result.notes = notes
        result.inherited_from = None
        result.assessed_at = timezone.now() if status != ResultStatus.NOT_ASSESSED else None
        result.full_clean()
        result.save()
        if evidence is not None:
            result.evidence.set(evidence)
    return result


def compliance_percent(results: QuerySet[AssessmentResult]) -> float | None:
    """Mean score of the assessed, applicable results (None when nothing is assessed yet)."""
    assessed = results.exclude(status__in=(ResultStatus.NOT_ASSESSED, ResultStatus.NOT_APPLICABLE))
    scores = [
        s if s is not None else DEFAULT_SCORES.get(st, 0) for st, s in assessed.values_list("status", "score")
    ]
    if not scores:
        return None
    return round(sum(scores) / len(scores), 1)


def result_counts(assessment: Assessment) -> dict[str, int]:
    counts = Counter(assessment.results.values_list("status", flat=True))
    return {value: counts.get(value, 0) for value in ResultStatus.values}


def framework_compliance(*, user: Any) -> list[tuple[Framework, float | None, Assessment]]:
    """Per framework: the compliance % of its latest assessment that has results."""
    latest: dict[int, Assessment] = {}
    for a in (
        Assessment.objects.restrict(user, "view").exclude(state="cancelled").select_related("framework")
        .order_by("framework_id", "-end_date", "-created")
    ):  # fmt: skip
        latest.setdefault(a.framework_id, a)
    return [(a.framework, compliance_percent(a.results.all()), a) for a in latest.values()]


# --- evidence -----------------------------------------------------------------------------------
@transaction.atomic
def collect_evidence(*, evidence: Evidence, actor: Any) -> Evidence:
    """Run an automated evidence's query now and store its rows with the time of capture."""
    if evidence.kind != EvidenceKind.AUTOMATED or evidence.query not in QUERIES:
        raise ValidationError(
            {"query": _("Only automated evidence with a registered query can be collected.")}
        )
    rows = QUERIES[evidence.query].func()
    with change_context(actor=actor, source="job" if actor is None else "service"):
        evidence.collected_at = timezone.now()
        if rows is None:
            evidence.row_count = None
            evidence.data = {"available": False, "reason": _("The data this query reads is not installed.")}
        else:
            evidence.row_count = len(rows)
            evidence.data = {
                "available": True,
                "rows": [
                    {k: str(v) if v is not None else None for k, v in row.items()} for row in rows[:MAX_ROWS]
                ],
                "truncated": len(rows) > MAX_ROWS,
            }
        evidence.save()
        events.emit(
            events.Event(
                name="grc.evidence.collected", model="grc.evidence", object_id=evidence.pk,
                object_repr=str(evidence)[:200], object_url=evidence.get_absolute_url(),
                data={"rows": evidence.row_count},
            )
        )  # fmt: skip
    return evidence


def collect_all_evidence() -> list[Evidence]:
    return [
        collect_evidence(evidence=e, actor=None)
        for e in Evidence.objects.filter(kind=EvidenceKind.AUTOMATED).exclude(query="")
        if e.query in QUERIES
    ]


# --- risks --------------------------------------------------------------------------------------
def default_matrix() -> RiskMatrix | None:
    return RiskMatrix.objects.filter(is_default=True).first() or RiskMatrix.objects.order_by("pk").first()


MATRIX_FILE = Path(__file__).parent / "data" / "risk_matrix_5x5.yaml"


@transaction.atomic
def load_matrix(*, text: str | None = None, actor: Any = None) -> RiskMatrix:
    """Create or update the shipped 5×5 matrix (or the one in ``text``) by name."""
    import yaml

    raw = yaml.safe_load(text if text is not None else MATRIX_FILE.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or not isinstance(raw.get("matrix"), dict):
        raise CatalogError("$", "expected a top-level 'matrix' object.")
    spec = raw["matrix"]
    with change_context(actor=actor, source="import"):
        matrix = RiskMatrix.objects.filter(name=spec.get("name")).first() or RiskMatrix()
        for key in ("name", "description", "likelihood", "impact", "levels", "appetite"):
            setattr(matrix, key, spec.get(key, getattr(matrix, key)))
        matrix.is_default = bool(spec.get("default", matrix.is_default))
        try:
            matrix.full_clean()
        except ValidationError as exc:
            key, messages = next(iter(exc.message_dict.items()))
            raise CatalogError(f"matrix.{key}", " ".join(messages)) from None
        matrix.save()
    return matrix


def heat_map(risks: QuerySet[Risk], matrix: RiskMatrix, *, residual: bool = False) -> list[dict[str, Any]]:
    """Rows of cells (impact across, likelihood down, highest first) with counts and colours."""
    prefix = "residual" if residual else "inherent"
    counts = Counter(risks.filter(matrix=matrix).values_list(f"{prefix}_likelihood", f"{prefix}_impact"))
    rows = []
    for lk in reversed(matrix.likelihood):
        cells = []
        for im in matrix.impact:
            score = lk["value"] * im["value"]
            level = matrix.level(score) or {}
            cells.append({
                "likelihood": lk["value"], "impact": im["value"], "score": score,
                "count": counts.get((lk["value"], im["value"]), 0), "colour": level.get("colour", "secondary"),
                "level": level.get("label", ""), "over_appetite": bool(matrix.appetite and score > matrix.appetite),
            })  # fmt: skip
        rows.append({"likelihood": lk, "cells": cells})
    return rows


def _risk_event(name: str, risk: Risk, data: dict[str, Any]) -> None:
    events.emit(
        events.Event(
            name=name, model="grc.risk", object_id=risk.pk, object_repr=str(risk)[:200],
            object_url=risk.get_absolute_url(), data=data,
        )
    )  # fmt: skip


@transaction.atomic
def raise_expired_acceptances(*, today: dt.date | None = None) -> list[Risk]:
    """Raise ``grc.risk.acceptance_expired`` once for each accepted risk whose acceptance ran out.

    The expiry date the event was raised for is remembered, so a later run stays quiet until
    the acceptance is renewed with a new date.
    """
    today = today or timezone.localdate()
    expired = list(
        Risk.objects.select_for_update()
        .filter(treatment=Treatment.ACCEPT, acceptance_expires__lt=today)
        .exclude(state="closed")
        .exclude(acceptance_expiry_raised=F("acceptance_expires"))
    )
    with change_context(actor=None, source="job"):
        for risk in expired:
            risk.acceptance_expiry_raised = risk.acceptance_expires
            risk.save(update_fields=["acceptance_expiry_raised", "last_updated"])
            _risk_event(
                "grc.risk.acceptance_expired", risk,
                {"expired": risk.acceptance_expires.isoformat(), "accepted_by": str(risk.accepted_by or "")},
            )  # fmt: skip
    return expired


def risk_review_due_date(risk: Risk) -> dt.date:
    """The day ``risk`` falls due for review: its cadence after the last review (or creation)."""
    since = risk.last_reviewed or timezone.localdate(risk.created)
    return since + dt.timedelta(days=risk.review_every_days)


def risks_due_for_review(*, today: dt.date | None = None) -> list[Risk]:
    today = today or timezone.localdate()
    due = []
    for risk in Risk.objects.exclude(state="closed").only("pk", "reference", "title", "last_reviewed",
                                                          "review_every_days", "created",
                                                          "review_due_raised"):  # fmt: skip
        if risk_review_due_date(risk) <= today:
            due.append(risk)
    return due


@transaction.atomic
def announce_risk_reviews(*, today: dt.date | None = None) -> list[Risk]:
    """Raise ``grc.risk.review_due`` once per due date for risks whose review is due.

    The due date the event was raised for is remembered on the risk, so the daily job stays
    quiet for a risk still waiting for its review; reviewing it (a new due date) re-arms it.
    Event rules notify owners. Returns the risks announced by this run.
    """
    announced = []
    with change_context(actor=None, source="job"):
        for risk in risks_due_for_review(today=today):
            due_on = risk_review_due_date(risk)
            if risk.review_due_raised == due_on:
                continue
            risk.review_due_raised = due_on
            risk.save(update_fields=["review_due_raised", "last_updated"])
            _risk_event(
                "grc.risk.review_due", risk,
                {"last_reviewed": str(risk.last_reviewed or ""), "due": due_on.isoformat()},
            )  # fmt: skip
            announced.append(risk)
    return announced


@transaction.atomic
def review_risk(*, risk: Risk, actor: Any, residual_likelihood: int | None = None,
                residual_impact: int | None = None) -> Risk:  # fmt: skip
    """Record that the risk was reviewed today (optionally re-scoring its residual level)."""
    with change_context(actor=actor, source="service"):
        if residual_likelihood is not None:
            risk.residual_likelihood = residual_likelihood
        if residual_impact is not None:
            risk.residual_impact = residual_impact
        risk.last_reviewed = timezone.localdate()
        risk.full_clean()
        risk.save()
    return risk


# --- policies -----------------------------------------------------------------------------------
@wf.register_side_effect("grc.publish_policy_version")
def _publish_side_effect(*, obj: Policy, transition: Any, actor: Any, history: Any) -> None:
    publish_policy_version(policy=obj, actor=actor)


@transaction.atomic
def publish_policy_version(*, policy: Policy, actor: Any) -> PolicyVersion:
    """Freeze the policy's current text as a numbered version (idempotent per version)."""
    with change_context(actor=actor, source="service"):
        policy = Policy.objects.select_for_update().get(pk=policy.pk)
        last = policy.versions.order_by("-version").first()
        if last is not None and last.body == policy.body:
            return last
        number = (last.version + 1) if last else 1
        approver = getattr(actor, "person", None) if getattr(actor, "is_authenticated", False) else None
        version = PolicyVersion.objects.create(
            policy=policy, version=number, body=policy.body, published_at=timezone.now(), approved_by=approver
        )
        policy.version = number
        policy.next_review = timezone.localdate() + dt.timedelta(
            days=round(30.44 * policy.review_every_months)
        )
        policy.save(update_fields=["version", "next_review", "last_updated"])
    return version


def policies_due_for_review(*, today: dt.date | None = None) -> list[Policy]:
    today = today or timezone.localdate()
    return list(
        Policy.objects.filter(state="published", next_review__lte=today)
        .exclude(review_reminded=F("next_review"))
        .select_related("owner__user")
    )


@transaction.atomic
def remind_policy_reviews(*, today: dt.date | None = None) -> list[Policy]:
    """Notify owners of policies due for review; once per review date."""
    from steward.core import notifications

    due = policies_due_for_review(today=today)
    with change_context(actor=None, source="job"):
        for policy in due:
            policy.review_reminded = policy.next_review
            policy.save(update_fields=["review_reminded", "last_updated"])
            events.emit(
                events.Event(
                    name="grc.policy.review_due", model="grc.policy", object_id=policy.pk,
                    object_repr=str(policy)[:200], object_url=policy.get_absolute_url(),
                    data={"next_review": policy.next_review.isoformat()},
                )
            )  # fmt: skip
            user = getattr(policy.owner, "user", None) if policy.owner else None
            if user is not None:
                notifications.notify(
                    recipients=[user], kind=POLICY_REVIEW_NOTIFICATION,
                    title=_("Policy %s is due for review") % policy.reference,
                    body=_("Review %(policy)s by %(date)s.") % {"policy": policy, "date": policy.next_review},
                    obj=policy,
                )  # fmt: skip
    return due


POLICY_REVIEW_NOTIFICATION = "grc.policy_review"
ACK_NOTIFICATION = "grc.policy_acknowledgement"


def campaign_progress(campaign: AcknowledgementCampaign) -> dict[str, Any]:
    total = campaign.people.count()
    done = campaign.acknowledgements.count()
    return {"total": total, "done": done, "percent": round(100 * done / total, 1) if total else None}


@transaction.atomic
def acknowledge(*, campaign: AcknowledgementCampaign, person: Any, actor: Any) -> Acknowledgement:
    """Record that ``person`` read the campaign's policy version (once)."""
    if not campaign.people.filter(pk=person.pk).exists():
        raise ValidationError({"person": _("%s is not asked to acknowledge this policy.") % person})
    with change_context(actor=actor, source="service"):
        ack, _created = Acknowledgement.objects.get_or_create(
            campaign=campaign, person=person, defaults={"acknowledged_at": timezone.now()}
        )
    return ack


@transaction.atomic
def chase_campaign(*, campaign: AcknowledgementCampaign, actor: Any) -> int:
    """Remind everyone who has not acknowledged yet; returns how many were chased."""
    from steward.core import notifications

    done = campaign.acknowledgements.values("person_id")
    pending = campaign.people.exclude(pk__in=done).select_related("user")
    users = [p.user for p in pending if p.user_id]
    if users:
        notifications.notify(
            recipients=users, kind=ACK_NOTIFICATION,
            title=_("Please read and acknowledge %s") % campaign.policy_version.policy,
            body=_("Due by %s.") % campaign.due_date, obj=campaign.policy_version.policy,
        )  # fmt: skip
    with change_context(actor=actor, source="service"):
        campaign.last_chased = timezone.localdate()
        campaign.save(update_fields=["last_chased", "last_updated"])
    return len(users)


def chase_overdue_campaigns(*, today: dt.date | None = None) -> int:
    """Chase open campaigns weekly until everyone has acknowledged or the due date passed."""
    today = today or timezone.localdate()
    chased = 0
    for campaign in AcknowledgementCampaign.objects.filter(due_date__gte=today).select_related(
        "policy_version__policy"
    ):
        if campaign.last_chased and campaign.last_chased > today - dt.timedelta(days=7):
            continue
        chased += chase_campaign(campaign=campaign, actor=None)
    return chased


# --- RACI ---------------------------------------------------------------------------------------
def raci_problems(matrix: RaciMatrix) -> dict[str, str]:
    """Activity → problem, for activities without exactly one Accountable."""
    counts: dict[str, int] = defaultdict(int)
    for activity, letter in matrix.assignments.values_list("activity", "responsibility"):
        counts[activity] += letter == Raci.ACCOUNTABLE
    problems = {}
    for activity, n in sorted(counts.items()):
        if n == 0:
            problems[activity] = _("no Accountable")
        elif n > 1:
            problems[activity] = _("%d Accountables") % n
    return problems


def raci_grid(matrix: RaciMatrix) -> dict[str, Any]:
    """The matrix as activities × parties with the letters in each cell."""
    cells: dict[tuple[str, str], list[str]] = defaultdict(list)
    activities: list[str] = []
    parties: list[str] = []
    for a in matrix.assignments.select_related("person", "team").order_by("activity", "id"):
        party = str(a.party)
        if a.activity not in activities:
            activities.append(a.activity)
        if party not in parties:
            parties.append(party)
        cells[(a.activity, party)].append(a.responsibility)
    problems = raci_problems(matrix)
    return {
        "parties": parties,
        "rows": [
            {"activity": act, "cells": ["".join(sorted(cells.get((act, p), []))) for p in parties],
             "problem": problems.get(act, "")}
            for act in activities
        ],
    }  # fmt: skip


# --- indicators ---------------------------------------------------------------------------------
@transaction.atomic
def record_measurement(
    *, indicator: Indicator, value: Decimal, actor: Any, measured_at: dt.datetime | None = None, note: str = "",
    computed: bool = False,
) -> Measurement:  # fmt: skip
    with change_context(actor=actor, source="service"):
        m = Measurement(
            indicator=indicator,
            value=value,
            measured_at=measured_at or timezone.now(),
            note=note,
            computed=computed,
        )
        m.full_clean()
        m.save()
    return m


def compute_indicators() -> list[Measurement]:
    """Measure every indicator that has a registered metric; skip those with no data yet."""
    out = []
    for indicator in Indicator.objects.exclude(metric="").select_related("service"):
        metric = METRICS.get(indicator.metric)
        value = (
            metric.measure(period=PERIODS.get(indicator.frequency), service=indicator.service)
            if metric
            else None
        )
        if value is not None:
            out.append(record_measurement(indicator=indicator, value=value, actor=None, computed=True))
    return out


@dataclass
class ScorecardRow:
    indicator: Indicator
    value: Decimal | None
    measured_at: dt.datetime | None
    rag: str | None
    history: list[tuple[str, float]] = field(default_factory=list)


def scorecard(indicators: QuerySet[Indicator], *, points: int = 12) -> list[ScorecardRow]:
    """Latest value and RAG status per indicator, with its recent trend (oldest first)."""
    rows = []
    for ind in indicators.prefetch_related("measurements"):
        recent = sorted(ind.measurements.all(), key=lambda m: m.measured_at)[-points:]
        last = recent[-1] if recent else None
        rows.append(
            ScorecardRow(
                indicator=ind, value=last.value if last else None, measured_at=last.measured_at if last else None,
                rag=ind.rag(last.value) if last else None,
                history=[(timezone.localtime(m.measured_at).date().isoformat(), float(m.value)) for m in recent],
            )
        )  # fmt: skip
    return rows
