"""Assessment results out and in: OSCAL assessment-results JSON and CSV.

The OSCAL document holds one ``result`` per assessment: every requirement in scope under
``reviewed-controls``; a ``finding`` per assessed requirement (target ``<control-id>_obj``,
state satisfied / not-satisfied, and Steward's exact verdict and score as props in our
namespace); an ``observation`` per result that has evidence; a ``risk`` per finding record.
Reading it back rebuilds the same verdicts, so an export re-imported and exported again is
the same document apart from its uuids and timestamps.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from steward.core.context import change_context
from steward.grc.catalogs import CatalogError, load_document
from steward.grc.choices import DEFAULT_SCORES, ResultStatus, Severity
from steward.grc.models import Assessment, AssessmentResult, Evidence, Finding, Framework

NS = "urn:steward:ns:oscal"
OSCAL_VERSION = "1.1.2"
SCHEMA = Path(__file__).parent / "data" / "oscal_assessment_results.schema.json"
SATISFIED = {ResultStatus.COMPLIANT, ResultStatus.NOT_APPLICABLE}
RISK_STATUS = {
    "open": "open",
    "in_remediation": "remediating",
    "resolved": "deviation-approved",
    "closed": "closed",
}
FINDING_STATE = {v: k for k, v in RISK_STATUS.items()}


def _when(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _prop(name: str, value: Any) -> dict[str, str]:
    return {"name": name, "ns": NS, "value": str(value)}


def _props(raw: Any) -> dict[str, str]:
    return {p["name"]: p["value"] for p in raw or [] if isinstance(p, dict) and p.get("ns") == NS}


def export_assessment(assessment: Assessment) -> dict[str, Any]:
    """The assessment as an OSCAL assessment-results document (a dict ready for ``json.dumps``)."""
    results = list(
        assessment.results.select_related("requirement")
        .prefetch_related("evidence")
        .order_by("requirement__sort_order", "id")
    )
    findings = list(assessment.findings.select_related("requirement").order_by("reference"))
    framework = assessment.framework
    ap_uuid = str(uuid.uuid5(assessment.oscal_uuid, "assessment-plan"))
    meta: dict[str, Any] = {
        "title": assessment.name,
        "last-modified": _when(timezone.now()),
        "version": f"{assessment.reference}-{assessment.state}",
        "oscal-version": OSCAL_VERSION,
        "props": [
            _prop("assessment", assessment.reference),
            _prop("framework", framework.identifier),
            _prop("framework-version", framework.version or "-"),
        ],
    }
    if assessment.assessor_id:
        party = str(uuid.uuid5(assessment.oscal_uuid, f"person-{assessment.assessor_id}"))
        meta["roles"] = [{"id": "assessor", "title": "Assessor"}]
        meta["parties"] = [{"uuid": party, "type": "person", "name": str(assessment.assessor)}]
        meta["responsible-parties"] = [{"role-id": "assessor", "party-uuids": [party]}]
    risk_by_requirement: dict[int, list[str]] = {}
    risks = []
    for f in findings:
        risks.append({
            "uuid": str(f.oscal_uuid), "title": f.title, "description": f.description or f.title,
            "statement": f.description or f.title, "status": RISK_STATUS.get(f.state, "open"),
            "props": [_prop("finding", f.reference), _prop("severity", f.severity)]
            + ([_prop("due-date", f.due_date.isoformat())] if f.due_date else []),
        })  # fmt: skip
        if f.requirement_id:
            risk_by_requirement.setdefault(f.requirement_id, []).append(str(f.oscal_uuid))
    observations, oscal_findings = [], []
    for r in results:
        if r.status == ResultStatus.NOT_ASSESSED:
            continue
        req = r.requirement
        entry: dict[str, Any] = {
            "uuid": str(uuid.uuid5(assessment.oscal_uuid, f"finding-{req.control_id}")),
            "title": f"{req.label or req.control_id} {req.title}",
            "description": r.notes or r.get_status_display(),
            "target": {
                "type": "objective-id",
                "target-id": f"{req.control_id}_obj",
                "props": [_prop("result", r.status)]
                + ([_prop("score", r.score)] if r.score is not None else []),
                "status": {"state": "satisfied" if r.status in SATISFIED else "not-satisfied"}
                | ({"reason": "other"} if r.status == ResultStatus.NOT_APPLICABLE else {}),
            },
        }
        evidence = list(r.evidence.all())
        if evidence:
            obs_uuid = str(uuid.uuid5(assessment.oscal_uuid, f"observation-{req.control_id}"))
            observations.append({
                "uuid": obs_uuid, "title": f"Evidence for {req.label or req.control_id}",
                "description": r.notes or f"Evidence reviewed for {req.label or req.control_id}.",
                "methods": ["EXAMINE"], "collected": _when(r.assessed_at or timezone.now()),
                "relevant-evidence": [
                    {**({"href": e.link} if e.link else {}), "description": e.name} for e in evidence
                ],
            })  # fmt: skip
            entry["related-observations"] = [{"observation-uuid": obs_uuid}]
        if req.pk in risk_by_requirement:
            entry["related-risks"] = [{"risk-uuid": u} for u in risk_by_requirement[req.pk]]
        oscal_findings.append(entry)
    result: dict[str, Any] = {
        "uuid": str(assessment.oscal_uuid),
        "title": assessment.name,
        "description": assessment.description or assessment.name,
        "start": _when(assessment.start_date or assessment.created),
        "reviewed-controls": {
            "control-selections": [
                {"include-controls": [{"control-id": r.requirement.control_id} for r in results]}
                if results else {"include-all": {}}
            ]
        },
    }  # fmt: skip
    if assessment.end_date:
        result["end"] = _when(assessment.end_date)
    for key, value in (("observations", observations), ("risks", risks), ("findings", oscal_findings)):
        if value:
            result[key] = value
    return {
        "assessment-results": {
            "uuid": str(uuid.uuid4()),
            "metadata": meta,
            "import-ap": {"href": f"#{ap_uuid}"},
            "results": [result],
            "back-matter": {"resources": [{
                "uuid": ap_uuid, "title": f"Assessment plan of {assessment.reference}",
                "description": f"Scope: {framework} (assessment {assessment.reference} in Steward).",
            }]},
        }
    }  # fmt: skip


@cache
def _validator() -> Any:
    import jsonschema

    return jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def check_document(doc: Any) -> None:
    """Refuse a document that breaks the OSCAL assessment-results structure, naming the path."""
    error = next(iter(sorted(_validator().iter_errors(doc), key=lambda e: list(e.absolute_path))), None)
    if error is None:
        return
    path = ""
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    raise CatalogError(path or "$", error.message[:300])


def _date(value: str | None) -> dt.date | None:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date() if value else None


@transaction.atomic
def import_assessment(
    *, content: bytes | str | dict[str, Any], actor: Any, framework: Framework | None = None
) -> Assessment:
    """Create an assessment from an OSCAL assessment-results document (its first result).

    The framework comes from our ``framework`` prop or the ``framework`` argument; every
    finding's target must be a requirement of it. All or nothing; errors name the JSON path.
    """
    doc = content if isinstance(content, dict) else load_document(content)
    check_document(doc)
    root = doc["assessment-results"]
    meta_props = _props(root["metadata"].get("props"))
    if framework is None:
        identifier = meta_props.get("framework")
        framework = Framework.objects.filter(identifier=identifier).first() if identifier else None
        if framework is None:
            raise CatalogError(
                "assessment-results.metadata.props",
                "name the framework: no framework prop matches an imported framework.",
            )
    requirements = {r.control_id: r for r in framework.requirements.all()}
    result = root["results"][0]
    base = "assessment-results.results[0]"
    with change_context(actor=actor, source="import"):
        assessment = Assessment(
            name=result["title"][:300], framework=framework, description=result.get("description", ""),
            start_date=_date(result.get("start")), end_date=_date(result.get("end")),
        )  # fmt: skip
        assessment.full_clean()
        assessment.save()
        risks = {}
        for i, risk in enumerate(result.get("risks") or []):
            props = _props(risk.get("props"))
            severity = props.get("severity", Severity.MODERATE)
            if severity not in Severity.values:
                raise CatalogError(f"{base}.risks[{i}].props", f"unknown severity {severity!r}.")
            risks[risk["uuid"]] = Finding(
                title=risk["title"][:300], description=risk["description"], assessment=assessment,
                severity=severity, due_date=_date(props.get("due-date")),
            )  # fmt: skip
        observations = {o["uuid"]: o for o in result.get("observations") or []}
        rows, seen = [], set()
        for i, item in enumerate(result.get("findings") or []):
            where = f"{base}.findings[{i}].target"
            target = item["target"]
            control_id = target["target-id"].removesuffix("_obj")
            req = requirements.get(control_id)
            if req is None or not req.kind or req.kind == "group":
                raise CatalogError(
                    f"{where}.target-id", f"{control_id!r} is not a requirement of {framework}."
                )
            if req.pk in seen:
                raise CatalogError(f"{where}.target-id", f"{control_id!r} has two findings.")
            seen.add(req.pk)
            props = _props(target.get("props"))
            status = props.get("result") or (
                ResultStatus.COMPLIANT
                if target["status"]["state"] == "satisfied"
                else ResultStatus.NON_COMPLIANT
            )
            if status not in ResultStatus.values:
                raise CatalogError(f"{where}.props", f"unknown result {status!r}.")
            score = props.get("score")
            if score is not None and (not score.isdigit() or int(score) > 100):
                raise CatalogError(
                    f"{where}.props", f"the score {score!r} is not a whole number from 0 to 100."
                )
            evidence = []
            for link in item.get("related-observations") or []:
                for ev in (observations.get(link["observation-uuid"]) or {}).get("relevant-evidence") or []:
                    evidence.append(ev)
            row = AssessmentResult(
                assessment=assessment, requirement=req, status=status,
                score=int(score) if score is not None else DEFAULT_SCORES.get(status),
                notes="" if item["description"] == ResultStatus(status).label else item["description"],
                assessed_at=timezone.now(),
            )  # fmt: skip
            row.full_clean(exclude=["assessment"])
            row.save()
            for ev in evidence:
                found = Evidence.objects.filter(link=ev["href"]).first() if ev.get("href") else None
                found = found or Evidence.objects.filter(name=ev["description"][:300]).first()
                if found is None:
                    found = Evidence(name=ev["description"][:300], kind="link", link=ev.get("href", ""))
                    if not found.link:
                        found.kind = "file"
                    found.save()
                row.evidence.add(found)
            rows.append(row)
            for link in item.get("related-risks") or []:
                if link["risk-uuid"] in risks:
                    risks[link["risk-uuid"]].requirement = req
        for finding in risks.values():
            finding.full_clean(exclude=["assessment"])
            finding.save()
        covered = {r.requirement_id for r in rows}
        AssessmentResult.objects.bulk_create(
            AssessmentResult(assessment=assessment, requirement=req)
            for req in requirements.values()
            if req.kind != "group" and not req.withdrawn and req.pk not in covered
        )
    return assessment


CSV_COLUMNS = ("control_id", "label", "title", "result", "score", "inherited_from", "evidence", "notes")


def export_csv(assessment: Assessment) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in assessment.results.select_related("requirement", "inherited_from").prefetch_related("evidence"):
        writer.writerow([
            r.requirement.control_id, r.requirement.label, r.requirement.title, r.status,
            "" if r.score is None else r.score, r.inherited_from.reference if r.inherited_from else "",
            " ".join(e.link or e.name for e in r.evidence.all()), _neutralise(r.notes),
        ])  # fmt: skip
    return out.getvalue()


def _neutralise(text: str) -> str:
    # A spreadsheet would run a cell starting with = + - @ as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
