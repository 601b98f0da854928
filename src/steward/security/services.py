"""Security domain operations: advisory import, exposure matching, findings and their closure.

Functions are keyword-only, typed and atomic; the actor is passed explicitly. Views, the API,
the ``security-import`` command, jobs and the demo call them.

Matching is set-based: every matchable affected package of the advisories in scope is read
in one query and indexed by (ecosystem, package name); every installation of a product with
such a name is read in one query; each distinct version is parsed once (cached keys). The
desired set of findings is then compared with the stored one: new findings are bulk-created,
findings no longer matched are closed through the workflow (upgraded past the fix, or the
installation removed), closed findings matched again are reopened. Running it twice changes
nothing the second time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from steward.cmdb import services as cmdb_services
from steward.cmdb.choices import Ecosystem
from steward.cmdb.models import ConfigurationItem, SoftwareInstallation, SoftwareProduct
from steward.core import bulk, changelog
from steward.core import workflow as wf
from steward.core.context import change_context, current_actor
from steward.core.serialization import snapshot
from steward.security import importers, ranges
from steward.security.choices import (
    ACTIVE_FINDING_STATES,
    BREACH_AT_RISK_HOURS,
    SEVERITY_ORDER,
    AccessDecisionChoice,
    EvidenceAction,
    FindingState,
    ReviewerRule,
    Severity,
)
from steward.security.importers import AdvisoryFileError, AdvisoryRecord
from steward.security.models import (
    AccessDecision,
    AccessReview,
    Advisory,
    AffectedPackage,
    Entitlement,
    EvidenceEntry,
    Finding,
    SecurityIncident,
    SeverityPolicy,
)
from steward.security.versions import normalise_name, safe_key

AUTOMATION_USERNAME = "security-automation"
SECURITY_MANAGERS = "Security managers"
#: Used when no policy row exists for a severity.
DEFAULT_REMEDIATION_DAYS = {"critical": 7, "high": 30, "medium": 90, "low": 180, "none": 365, "unknown": 90}
BUSINESS_CLASSES = ("business-application",)


@contextlib.contextmanager
def _acting(actor: Any, source: str) -> Iterator[None]:
    if current_actor() is not None:
        yield
        return
    with change_context(actor=actor, source=source):
        yield


def automation_user() -> Any:
    """The account matching acts as, so workflow history and the change log name who closed what."""
    from django.contrib.contenttypes.models import ContentType

    from steward.core.models import ObjectPermission

    User = get_user_model()
    user, created = User.objects.get_or_create(username=AUTOMATION_USERNAME, defaults={"is_active": True})
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get_or_create(name=SECURITY_MANAGERS)[0])
        perm, _ = ObjectPermission.objects.get_or_create(
            name="Security automation", defaults={"actions": ["view", "change"]}
        )
        perm.object_types.set([ContentType.objects.get_for_model(Finding)])
        perm.users.add(user)
    return user


# --- advisory import ----------------------------------------------------------------------------
@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    matching: MatchResult | None = None

    def __str__(self) -> str:
        text = f"advisories: {len(self.created)} created, {len(self.updated)} updated, {self.unchanged} unchanged"
        return f"{text}; {self.matching}" if self.matching else text


ADVISORY_FIELDS = (
    "aliases", "source", "summary", "details", "cvss3_vector", "cvss4_vector", "known_exploited",
    "published", "modified", "withdrawn", "references",
)  # fmt: skip


def _build(record: AdvisoryRecord) -> tuple[Advisory, list[AffectedPackage]]:
    """Model instances for a record, validated; AdvisoryFileError names the file and element."""
    advisory = Advisory(identifier=record.identifier, **{f: getattr(record, f) for f in ADVISORY_FIELDS})
    if record.severity in Severity.values:
        advisory.severity = record.severity
    try:
        advisory.full_clean(validate_unique=False)
    except ValidationError as exc:
        fname, messages = next(iter(exc.message_dict.items()))
        where = {"cvss3_vector": "severity (CVSS_V3)", "cvss4_vector": "severity (CVSS_V4)"}.get(fname, fname)
        raise AdvisoryFileError(f"{record.source_file}: {where}: {' '.join(messages)}") from None
    advisory.derive_scores()
    packages = []
    for i, item in enumerate(record.affected):
        package = AffectedPackage(
            ecosystem=item.ecosystem,
            osv_ecosystem=item.osv_ecosystem,
            name=item.name,
            purl=item.purl,
            ranges=item.ranges,
            versions=item.versions,
        )
        try:
            package.full_clean(exclude=["advisory"])
        except ValidationError as exc:
            fname, messages = next(iter(exc.message_dict.items()))
            # RangeError messages already carry their path inside the field (ranges[0].events[1]…).
            text = " ".join(messages)
            path = text if text.startswith(("ranges", "versions")) else f"{fname}: {text}"
            raise AdvisoryFileError(f"{record.source_file}: affected[{i}].{path}") from None
        packages.append(package)
    return advisory, packages


def read_advisories(
    *, paths: Iterable[Path] = (), documents: Iterable[tuple[str, bytes]] = ()
) -> list[tuple[Advisory, list[AffectedPackage]]]:
    """Parse and validate every document first (nothing written); AdvisoryFileError on the first fault."""
    docs = [*importers.collect(list(paths)), *documents]
    if not docs:
        raise AdvisoryFileError("No advisory files given (.json, .yaml, .yml or .zip).")
    built: list[tuple[Advisory, list[AffectedPackage]]] = []
    seen: dict[str, str] = {}
    for name, content in docs:
        for record in importers.parse_document(name, content):
            if record.identifier in seen:
                raise AdvisoryFileError(
                    f"{name}: id: {record.identifier} appears twice (also in {seen[record.identifier]})."
                )
            seen[record.identifier] = name
            built.append(_build(record))
    return built


def import_advisories(
    *,
    paths: Iterable[Path] = (),
    documents: Iterable[tuple[str, bytes]] = (),
    actor: Any,
    rematch: bool = True,
) -> ImportResult:
    """Upsert advisories by identifier from OSV / CVE 5 files, folders or zips; all or nothing.

    Every document is read and checked before anything is written, so one malformed element
    refuses the whole import (``AdvisoryFileError`` naming the file and element path). An
    advisory already stored under the same identifier is updated and its affected packages
    replaced. With ``rematch`` the findings of the imported advisories are brought up to date.
    """
    built = read_advisories(paths=paths, documents=documents)
    result = ImportResult()
    with _acting(actor, "import"), transaction.atomic():
        existing = Advisory.objects.in_bulk([a.identifier for a, _p in built], field_name="identifier")
        for advisory, packages in built:
            stored = existing.get(advisory.identifier)
            if stored is not None:
                wanted = [
                    (p.ecosystem, p.osv_ecosystem, p.name, p.purl, p.ranges, p.versions) for p in packages
                ]
                have = [
                    (p.ecosystem, p.osv_ecosystem, p.name, p.purl, p.ranges, p.versions)
                    for p in stored.affected_packages.order_by("id")
                ]
                changed = [
                    f for f in (*ADVISORY_FIELDS, "severity") if getattr(stored, f) != getattr(advisory, f)
                ]
                if not changed and wanted == have:
                    result.unchanged += 1
                    continue
                for f in (*ADVISORY_FIELDS, "severity"):
                    setattr(stored, f, getattr(advisory, f))
                stored.save()
                if wanted != have:
                    for old in stored.affected_packages.all():
                        old.delete()
                    _save_packages(stored, packages)
                result.updated.append(stored.identifier)
            else:
                advisory.save()
                _save_packages(advisory, packages)
                result.created.append(advisory.identifier)
        if rematch and (result.created or result.updated):
            ids = Advisory.objects.filter(identifier__in=result.created + result.updated).values_list(
                "pk", flat=True
            )
            result.matching = match_findings(advisory_ids=list(ids), actor=actor)
    return result


def _save_packages(advisory: Advisory, packages: list[AffectedPackage]) -> None:
    for package in packages:
        package.advisory = advisory
        package.save()


# --- matching -----------------------------------------------------------------------------------
@dataclass
class MatchResult:
    matched: int = 0
    created: int = 0
    updated: int = 0
    reopened: int = 0
    closed: int = 0
    unreadable_versions: int = 0

    def __str__(self) -> str:
        return (
            f"findings: {self.matched} matched, {self.created} new, {self.updated} updated, "
            f"{self.reopened} reopened, {self.closed} closed"
        )


@dataclass(frozen=True)
class Match:
    configuration_item_id: int
    advisory_id: int
    product_id: int
    installation_id: int
    version: str
    fixed_version: str


def _product_key(ecosystem: str, name: str) -> tuple[str, str]:
    return ecosystem, (name.lower() if ecosystem == Ecosystem.GENERIC else normalise_name(ecosystem, name))


def candidate_index(
    advisory_ids: list[int] | None = None,
) -> dict[tuple[str, str], list[tuple[int, Any, Any]]]:
    """(ecosystem, name) → [(advisory id, intervals, explicit versions)] of matchable entries."""
    qs = AffectedPackage.objects.filter(advisory__withdrawn__isnull=True).exclude(
        ~Q(osv_ecosystem=""), ecosystem=Ecosystem.GENERIC
    )
    if advisory_ids is not None:
        qs = qs.filter(advisory_id__in=advisory_ids)
    index: dict[tuple[str, str], list[tuple[int, Any, Any]]] = defaultdict(list)
    for advisory_id, ecosystem, name, intervals, versions in qs.values_list(
        "advisory_id", "ecosystem", "name", "intervals", "versions"
    ).iterator(chunk_size=5000):
        index[_product_key(ecosystem, name)].append((advisory_id, intervals or [], frozenset(versions or ())))
    return index


def installation_rows(
    products: dict[int, tuple[str, str]], item_ids: list[int] | None = None
) -> Iterator[tuple[int, int, int, str]]:
    """(installation id, item id, product id, version) of the given products, in chunks."""
    ids = sorted(products)
    for start in range(0, len(ids), 5000):
        qs = SoftwareInstallation.objects.filter(product_id__in=ids[start : start + 5000])
        if item_ids is not None:
            qs = qs.filter(configuration_item_id__in=item_ids)
        yield from (
            qs.order_by()
            .values_list("id", "configuration_item_id", "product_id", "version")
            .iterator(chunk_size=5000)
        )


def affected_by(
    ecosystem: str, version: str, candidates: list[tuple[int, Any, Any]]
) -> Iterator[tuple[int, str]]:
    """(advisory id, first fixed version) of each candidate whose ranges or versions hold ``version``."""
    keys: dict[str, Any] = {}

    def key_of(kind: str) -> Any:
        if kind not in keys:
            keys[kind] = safe_key("npm" if kind == ranges.SEMVER else kind, version)
        return keys[kind]

    for advisory_id, intervals, versions in candidates:
        hit = next((i for i in intervals if (k := key_of(i[0])) is not None and ranges.affected(k, i)), None)
        if hit is not None:
            yield advisory_id, hit[2] or ""
        elif version in versions:
            yield advisory_id, _next_fix(intervals, key_of)


def _next_fix(intervals: list[Any], key_of: Any) -> str:
    """The lowest fixed version above an explicitly listed affected version ("" if none)."""
    above = [
        (ranges.key_for(i[0], i[2]), i[2])
        for i in intervals
        if i[2] and (k := key_of(i[0])) is not None and ranges.key_for(i[0], i[2]) > k
    ]
    return min(above)[1] if above else ""


def compute_matches(
    *, advisory_ids: list[int] | None = None, item_ids: list[int] | None = None
) -> tuple[dict[tuple[int, int, int], Match], int]:
    """The findings that should exist for the scope, keyed (item, advisory, product); and how many
    installed versions could not be read under their ecosystem's rules."""
    index = candidate_index(advisory_ids)
    products = {
        pk: key
        for pk, eco, name in SoftwareProduct.objects.values_list("pk", "ecosystem", "name").iterator(
            chunk_size=5000
        )
        if (key := _product_key(eco, name)) in index
    }
    desired: dict[tuple[int, int, int], Match] = {}
    unreadable = 0
    for inst_id, item_id, product_id, version in installation_rows(products, item_ids):
        ecosystem = products[product_id][0]
        if not version or safe_key(ecosystem, version) is None:
            unreadable += 1
            continue
        for advisory_id, fixed in affected_by(ecosystem, version, index[products[product_id]]):
            key = (item_id, advisory_id, product_id)
            current = desired.get(key)
            # Two installations of one product on one item (two architectures): one finding.
            if current is None or inst_id < current.installation_id:
                desired[key] = Match(item_id, advisory_id, product_id, inst_id, version, fixed)
    return desired, unreadable


def remediation_days() -> dict[str, int]:
    days = dict(DEFAULT_REMEDIATION_DAYS)
    days.update(dict(SeverityPolicy.objects.values_list("severity", "remediation_days")))
    return days


def due_date_for(severity: str, detected: dt.datetime, days: dict[str, int] | None = None) -> dt.date:
    days = days if days is not None else remediation_days()
    return timezone.localdate(detected) + dt.timedelta(
        days=days.get(severity, DEFAULT_REMEDIATION_DAYS["unknown"])
    )


def match_findings(
    *,
    actor: Any = None,
    advisory_ids: list[int] | None = None,
    item_ids: list[int] | None = None,
    now: dt.datetime | None = None,
) -> MatchResult:
    """Bring findings in line with advisories × installations for the scope (all by default).

    Idempotent: a second run with nothing changed writes nothing but ``last_detected``.
    """
    now = now or timezone.now()
    desired, unreadable = compute_matches(advisory_ids=advisory_ids, item_ids=item_ids)
    result = MatchResult(matched=len(desired), unreadable_versions=unreadable)
    robot = automation_user()
    with _acting(actor or robot, "matching"), transaction.atomic():
        existing_qs = Finding.objects.all()
        if advisory_ids is not None:
            existing_qs = existing_qs.filter(advisory_id__in=advisory_ids)
        if item_ids is not None:
            existing_qs = existing_qs.filter(configuration_item_id__in=item_ids)
        existing = {
            (f.configuration_item_id, f.advisory_id, f.product_id): f
            for f in existing_qs.only(
                "id", "configuration_item_id", "advisory_id", "product_id", "state", "installation_id",
                "installed_version", "fixed_version", "severity", "reference", "first_detected", "due_date",
            )
        }  # fmt: skip
        advisories = Advisory.objects.only("identifier", "severity").in_bulk(
            {k[1] for k in desired} | {k[1] for k in existing}
        )
        severities = {pk: a.severity for pk, a in advisories.items()}
        days = remediation_days()
        new = [
            Finding(
                configuration_item_id=m.configuration_item_id,
                advisory=advisories[m.advisory_id],  # its identifier names the finding in the change log
                product_id=m.product_id,
                installation_id=m.installation_id,
                installed_version=m.version,
                fixed_version=m.fixed_version,
                severity=severities.get(m.advisory_id, Severity.UNKNOWN),
                first_detected=now,
                last_detected=now,
                due_date=due_date_for(severities.get(m.advisory_id, Severity.UNKNOWN), now, days),
                state=FindingState.OPEN,
            )
            for key, m in desired.items()
            if key not in existing
        ]
        if new:
            for finding, reference in zip(new, Finding.allocate_references(len(new)), strict=True):
                finding.reference = reference
            Finding.objects.bulk_create(new, batch_size=1000)
            changelog.record_many(changelog.Change(f, "create", None, snapshot(f)) for f in new)
            result.created = len(new)
        seen_ids: list[int] = []
        to_close: dict[int, tuple[int, int, str]] = {}  # pk -> (item, product, installed version)
        to_reopen: list[Finding] = []
        wanted: dict[int, dict[str, Any]] = {}  # pk -> new values
        for key, finding in existing.items():
            m = desired.get(key)
            if m is None:
                if finding.state in ("open", "in_progress", "risk_accepted"):
                    to_close[finding.pk] = (key[0], key[2], finding.installed_version)
                continue
            seen_ids.append(finding.pk)
            if finding.state == FindingState.FIXED:
                to_reopen.append(finding)
            severity = severities.get(m.advisory_id, finding.severity)
            values = {
                "installation_id": m.installation_id,
                "installed_version": m.version,
                "fixed_version": m.fixed_version,
                "severity": severity,
            }
            active = finding.state in ACTIVE_FINDING_STATES or finding.state == FindingState.FIXED
            if severity != finding.severity and active and finding.first_detected:
                values["due_date"] = due_date_for(severity, finding.first_detected, days)
            if any(getattr(finding, k) != v for k, v in values.items()):
                wanted[finding.pk] = values
        if to_close:
            result.closed = _close_findings(to_close, robot)
        if to_reopen:
            wf.transition_many(objs=to_reopen, name="reopen", actor=robot, comment="Detected again by matching.",
                               derived=Finding.derive_state_fields, select_related=("advisory",))  # fmt: skip
            result.reopened = len(to_reopen)
        if wanted:
            result.updated = _update_findings(wanted)
        for start in range(0, len(seen_ids), 5000):
            Finding.objects.filter(pk__in=seen_ids[start : start + 5000]).update(last_detected=now)
    return result


def _close_findings(to_close: dict[int, tuple[int, int, str]], robot: Any) -> int:
    """Mark fixed, in one set-based transition, the findings matching no longer finds.

    The closure reason says what is installed now (read in one query), or that it is gone.
    """
    installed: dict[tuple[int, int], list[str]] = defaultdict(list)
    pairs = set((item, product) for item, product, _version in to_close.values())
    items = sorted({p[0] for p in pairs})
    for start in range(0, len(items), 5000):
        rows = SoftwareInstallation.objects.filter(
            configuration_item_id__in=items[start : start + 5000], product_id__in={p[1] for p in pairs}
        ).values_list("configuration_item_id", "product_id", "version")
        for item, product, version in rows:
            if (item, product) in pairs:
                installed[(item, product)].append(version)
    reasons = {}
    for pk, (item, product, version) in to_close.items():
        versions = sorted(installed.get((item, product), []))
        reason = f"Upgraded to {', '.join(versions)}" if versions else f"{version} no longer installed"
        reasons[pk] = {"closure_reason": reason[:200]}
    findings = list(Finding.objects.filter(pk__in=list(to_close)).only("pk"))
    wf.transition_many(objs=findings, name="resolve", actor=robot, data=reasons,
                       derived=Finding.derive_state_fields, select_related=("advisory",))  # fmt: skip
    return len(findings)


def _update_findings(wanted: dict[int, dict[str, Any]]) -> int:
    """Write new versions, severities and due dates: one bulk update and one change-log append."""
    from steward.core import events

    findings = list(Finding.objects.filter(pk__in=list(wanted)).select_related("advisory"))
    now = timezone.now()
    changes = []
    for finding in findings:
        pre = snapshot(finding)
        for k, v in wanted[finding.pk].items():
            setattr(finding, k, v)
        finding.last_updated = now
        changes.append(changelog.Change(finding, "update", pre, snapshot(finding)))
    fields = sorted({k for values in wanted.values() for k in values} | {"last_updated"})
    bulk.update_rows(Finding, findings, fields)
    changelog.record_many(changes)
    for change in changes:
        events.queue_model_event(change.instance, "update", change.pre, change.post)
    return len(findings)


def match_discovered_items(*, since: dt.datetime | None, now: dt.datetime | None = None) -> MatchResult:
    """Match the findings of every item discovery reported since ``since`` (all reported items if None).

    Discovery (cmdb) knows nothing of security; this closes the gap between a report that added
    or retired software and the next full ``match_findings`` run. Items are picked by
    ``last_discovered``, so a report that changed nothing costs a re-match of that item only.
    """
    items = ConfigurationItem.objects.filter(last_discovered__isnull=False)
    if since is not None:
        items = items.filter(last_discovered__gte=since)
    item_ids = list(items.values_list("pk", flat=True))
    if not item_ids:
        return MatchResult()
    return match_findings(item_ids=item_ids, now=now)


# --- exposure -----------------------------------------------------------------------------------
def exposed_services(*, item: ConfigurationItem, depth: int = 6) -> list[ConfigurationItem]:
    """Business applications that depend on ``item`` (upstream impact analysis), nearest first."""
    hits = cmdb_services.impact(item=item, direction="upstream", depth=depth)
    return [h.item for h in hits if h.item.ci_class.slug in BUSINESS_CLASSES]


def exposure_by_service(*, user: Any = None, limit: int = 20, depth: int = 6) -> list[dict[str, Any]]:
    """Per business application: how many exposed items under it carry active findings, by severity.

    One multi-source upstream walk from every item with an active finding (set-based SQL in the
    CMDB), then one aggregate of those items' findings.
    """
    findings = Finding.objects.filter(state__in=ACTIVE_FINDING_STATES)
    if user is not None:
        findings = findings.restrict(user, "view")
    per_item: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item_id, severity, n in findings.values_list("configuration_item_id", "severity").annotate(
        n=Count("id")
    ):
        per_item[item_id][severity] += n
    if not per_item:
        return []
    apps = dict(
        ConfigurationItem.objects.filter(ci_class__slug__in=BUSINESS_CLASSES).values_list("pk", "name")
    )
    reach = cmdb_services.upstream_reach(item_ids=list(per_item), depth=depth)
    rows: dict[int, dict[str, Any]] = {}
    for start, reached in reach.items():
        for app_id in ({start} | reached) & apps.keys():
            row = rows.setdefault(
                app_id, {"id": app_id, "name": apps[app_id], "items": set(), **{s: 0 for s in SEVERITY_ORDER}}
            )
            row["items"].add(start)
            for severity, n in per_item[start].items():
                row[severity] += n
    ordered = sorted(rows.values(), key=lambda r: tuple(-r[s] for s in SEVERITY_ORDER) + (r["name"],))[:limit]
    for row in ordered:
        row["items"] = len(row["items"])
    return ordered


def finding_exposure(*, finding: Finding) -> list[ConfigurationItem]:
    return exposed_services(item=finding.configuration_item)


def flag_overdue_findings(*, now: dt.datetime | None = None) -> list[int]:
    """Emit ``security.finding.overdue`` once for each active finding past its due date."""
    from steward.core import events

    now = now or timezone.now()
    flagged = []
    with transaction.atomic():
        late = Finding.objects.filter(
            state__in=ACTIVE_FINDING_STATES,
            due_date__lt=timezone.localdate(now),
            overdue_flagged_at__isnull=True,
        ).select_related("advisory", "configuration_item")
        for finding in late.select_for_update(of=("self",)):
            Finding.objects.filter(pk=finding.pk).update(overdue_flagged_at=now)
            events.emit(
                events.Event(
                    name="security.finding.overdue",
                    model="security.finding",
                    object_id=finding.pk,
                    object_repr=str(finding)[:200],
                    object_url=finding.get_absolute_url(),
                    data={
                        "reference": finding.reference,
                        "advisory": finding.advisory.identifier,
                        "item": finding.configuration_item.reference,
                        "severity": finding.severity,
                        "due": finding.due_date.isoformat() if finding.due_date else None,
                    },
                    actor=None,
                )
            )
            flagged.append(finding.pk)
    return flagged


# --- security incidents ---------------------------------------------------------------------------
def open_incident(*, actor: Any, affected_items: Iterable[Any] = (), **fields: Any) -> SecurityIncident:
    """Record a newly detected security incident (validated like the form)."""
    with _acting(actor, "service"), transaction.atomic():
        incident = SecurityIncident(**fields)
        incident.full_clean()
        incident.save()
        if affected_items:
            incident.affected_items.set(list(affected_items))
    return incident


def add_evidence(
    *,
    incident: SecurityIncident,
    actor: Any,
    description: str,
    action: str = EvidenceAction.COLLECTED,
    custodian: str = "",
    location: str = "",
    upload: Any = None,
) -> EvidenceEntry:
    """Append a chain-of-custody entry; an uploaded file is attached and its SHA-256 recorded.

    Refuses (ValidationError keyed by field) an empty description, an unknown action or a
    file type the platform does not accept, and then writes nothing.
    """
    import hashlib

    from steward.core.models import Attachment
    from steward.core.uploads import UploadRejected, check_upload

    errors: dict[str, str] = {}
    if not (description or "").strip():
        errors["description"] = "Say what was done with the evidence."
    if action not in EvidenceAction.values:
        errors["action"] = f"Choose one of: {', '.join(EvidenceAction.values)}."
    name = mime = ""
    if upload is not None:
        try:
            name, mime = check_upload(upload)
        except UploadRejected as exc:
            errors["file"] = str(exc)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Lock the incident: entries of one incident are numbered and chained one at a time.
        SecurityIncident.objects.select_for_update().filter(pk=incident.pk).exists()
        last = incident.evidence.order_by("-sequence").first()
        entry = EvidenceEntry(
            incident=incident,
            sequence=(last.sequence + 1) if last else 1,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            recorded_by_name=actor.get_username()
            if getattr(actor, "is_authenticated", False)
            else str(actor or "system"),
            action=action,
            description=description.strip(),
            custodian=custodian.strip(),
            location=location.strip(),
            previous_hash=last.entry_hash if last else "0" * 64,
        )
        if upload is not None:
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            entry.file_name, entry.file_sha256 = name, digest.hexdigest()
            entry.attachment = Attachment.objects.create(
                content_object=incident, file=upload, name=name, size=upload.size, mime_type=mime,
                uploaded_by=entry.recorded_by,
            )  # fmt: skip
        entry.entry_hash = entry.compute_hash()
        entry.save()
    return entry


def verify_evidence(*, incident: SecurityIncident) -> list[str]:
    """Problems in the incident's chain of custody: broken links, edited entries, changed files."""
    import hashlib

    problems = []
    previous = "0" * 64
    for number, entry in enumerate(
        incident.evidence.order_by("sequence").select_related("attachment"), start=1
    ):
        if entry.sequence != number:
            problems.append(f"#{number}: missing (next is #{entry.sequence})")
        if entry.previous_hash != previous:
            problems.append(f"#{entry.sequence}: does not follow the entry before it")
        if entry.compute_hash() != entry.entry_hash:
            problems.append(f"#{entry.sequence}: changed after it was recorded")
        if entry.file_sha256:
            if entry.attachment is None:
                problems.append(f"#{entry.sequence}: the file {entry.file_name} is no longer attached")
            else:
                digest = hashlib.sha256()
                with entry.attachment.file.open("rb") as handle:
                    for chunk in iter(lambda h=handle: h.read(65536), b""):
                        digest.update(chunk)
                if digest.hexdigest() != entry.file_sha256:
                    problems.append(f"#{entry.sequence}: the file {entry.file_name} has changed")
        previous = entry.entry_hash
    return problems


@dataclass
class BreachCheck:
    at_risk: list[int]
    overdue: list[int]


def check_breach_notifications(*, now: dt.datetime | None = None) -> BreachCheck:
    """Raise an event once when a breach's regulator notification is at risk and once when overdue."""
    from steward.core import events

    now = now or timezone.now()
    result = BreachCheck([], [])
    pending = SecurityIncident.objects.filter(
        personal_data_breach=True, regulator_notified_at__isnull=True, notification_due__isnull=False
    )
    with transaction.atomic():
        for name, qs, flag, bucket in (
            ("security.breach.notification_overdue",
             pending.filter(notification_due__lte=now, notification_overdue_flagged_at__isnull=True),
             "notification_overdue_flagged_at", result.overdue),
            ("security.breach.notification_at_risk",
             pending.filter(notification_due__lte=now + dt.timedelta(hours=BREACH_AT_RISK_HOURS),
                            notification_due__gt=now, notification_at_risk_flagged_at__isnull=True),
             "notification_at_risk_flagged_at", result.at_risk),
        ):  # fmt: skip
            for incident in qs.select_for_update():
                SecurityIncident.objects.filter(pk=incident.pk).update(**{flag: now})
                events.emit(
                    events.Event(
                        name=name, model="security.securityincident", object_id=incident.pk,
                        object_repr=str(incident)[:200], object_url=incident.get_absolute_url(),
                        data={"reference": incident.reference, "due": incident.notification_due.isoformat(),
                              "aware_at": incident.aware_at.isoformat() if incident.aware_at else None},
                        actor=None,
                    )
                )  # fmt: skip
                bucket.append(incident.pk)
    return result


def record_regulator_notification(
    *, incident: SecurityIncident, actor: Any, notified_at: dt.datetime | None = None
) -> SecurityIncident:
    """Note that the supervisory authority was notified (stops the 72-hour clock)."""
    with _acting(actor, "service"), transaction.atomic():
        incident.regulator_notified_at = notified_at or timezone.now()
        incident.full_clean()
        incident.save()
    return incident


# --- access reviews -------------------------------------------------------------------------------
@wf.register_guard("security.all_decided")
def _all_decided(*, obj: Any, actor: Any) -> bool | str:
    pending = obj.decisions.filter(decision=AccessDecisionChoice.PENDING).count()
    return True if not pending else f"{pending} entitlements are still undecided."


def start_review(*, review: AccessReview, actor: Any) -> AccessReview:
    """Start a campaign: one pending decision per active entitlement on the systems in scope.

    The reviewer is the person's manager or the system's owner (``reviewer_rule``), else the
    fallback reviewer.
    """
    with _acting(actor, "service"), transaction.atomic():
        wf.transition(obj=review, name="start", actor=actor)
        entitlements = Entitlement.objects.filter(
            system__in=review.systems.all(), active=True
        ).select_related("person", "system")
        decisions = []
        for ent in entitlements:
            if review.reviewer_rule == ReviewerRule.MANAGER:
                reviewer_id = ent.person.manager_id
            else:
                reviewer_id = ent.system.owner_id
            decisions.append(
                AccessDecision(
                    review=review, entitlement=ent, person_id=ent.person_id, system_id=ent.system_id, role=ent.role,
                    reviewer_id=reviewer_id or review.fallback_reviewer_id,
                )
            )  # fmt: skip
        AccessDecision.objects.bulk_create(decisions, batch_size=1000)
        changelog.record_many(changelog.Change(d, "create", None, snapshot(d)) for d in decisions)
    review.refresh_from_db()
    return review


def decide(
    *, decision: AccessDecision, actor: Any, choice: str, comment: str = "", new_role: str = ""
) -> AccessDecision:
    """Record a reviewer's decision. Only the assigned reviewer (or someone who may change
    decisions) may decide; revoke and modify need a comment and open a fulfilment ticket."""
    from django.core.exceptions import PermissionDenied

    from steward.core.permissions import perm_name

    reviewer_user = decision.reviewer.user_id if decision.reviewer_id else None
    if getattr(actor, "pk", None) != reviewer_user and not actor.has_perm(
        perm_name(AccessDecision, "change"), decision
    ):
        raise PermissionDenied("Only the assigned reviewer may decide on this entitlement.")
    if choice not in AccessDecisionChoice.values or choice == AccessDecisionChoice.PENDING:
        raise ValidationError({"decision": "Choose keep, revoke or modify."})
    with _acting(actor, "service"), transaction.atomic():
        decision.decision, decision.comment, decision.new_role = choice, comment.strip(), new_role.strip()
        decision.decided_by = actor if getattr(actor, "is_authenticated", False) else None
        decision.full_clean()
        decision.save()
    return decision


def open_fulfilment(*, decision: AccessDecision) -> Any:
    """The ITSM ticket (a security-type incident, through itsm's public services) that carries out
    a revocation or role change; opened once per decision."""
    from steward.itsm import services as itsm_services

    if decision.fulfilment_incident_id:
        return decision.fulfilment_incident
    verb = "Revoke" if decision.decision == AccessDecisionChoice.REVOKE else "Change"
    change = f" to {decision.new_role}" if decision.decision == AccessDecisionChoice.MODIFY else ""
    ticket = itsm_services.create_incident(
        actor=decision.decided_by,
        short_description=f"{verb} access: {decision.role} on {decision.system} for {decision.person}{change}"[
            :200
        ],
        description=(
            f"Access review {decision.review.reference} ({decision.review.name}) decided to "
            f"{decision.decision} this entitlement.\n\nReviewer's comment: {decision.comment}"
        ),
        type="security",
        category="Access management",
        configuration_item_id=decision.system_id,
    )
    AccessDecision.objects.filter(pk=decision.pk).update(fulfilment_incident=ticket)
    decision.fulfilment_incident = ticket
    return ticket


def complete_review(*, review: AccessReview, actor: Any) -> AccessReview:
    """Close the campaign (refused while any decision is pending)."""
    with _acting(actor, "service"), transaction.atomic():
        wf.transition(obj=review, name="complete", actor=actor)
        AccessReview.objects.filter(pk=review.pk).update(completed_at=timezone.now())
    review.refresh_from_db()
    return review


def review_report(*, review: AccessReview) -> dict[str, Any]:
    """The completion report: decisions by outcome overall and per system, and the open tickets."""
    rows = review.decisions.values("system_id", "system__name", "decision").annotate(n=Count("id"))
    totals = {c: 0 for c in AccessDecisionChoice.values}
    systems: dict[int, dict[str, Any]] = {}
    for row in rows:
        totals[row["decision"]] += row["n"]
        entry = systems.setdefault(
            row["system_id"], {"system": row["system__name"], **{c: 0 for c in AccessDecisionChoice.values}}
        )
        entry[row["decision"]] += row["n"]
    total = sum(totals.values())
    tickets = list(
        review.decisions.filter(fulfilment_incident__isnull=False)
        .select_related("person", "system", "fulfilment_incident")
        .order_by("system__name", "person__last_name")
    )
    return {
        "review": review.reference,
        "state": review.state,
        "total": total,
        "decided": total - totals[AccessDecisionChoice.PENDING],
        "completion_percent": round(100 * (total - totals[AccessDecisionChoice.PENDING]) / total, 1)
        if total
        else 100.0,
        "by_decision": totals,
        "by_system": sorted(systems.values(), key=lambda s: s["system"]),
        "tickets": [
            {
                "person": str(d.person),
                "system": str(d.system),
                "role": d.role,
                "decision": d.decision,
                "ticket": d.fulfilment_incident.reference,
                "ticket_state": d.fulfilment_incident.state,
            }
            for d in tickets
        ],  # fmt: skip
    }
