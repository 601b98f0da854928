"""Readers of advisory files: OSV records (JSON or YAML) and CVE JSON 5 records.

``collect`` gathers documents from files, folders and zip archives; ``parse_document`` turns
one document into plain advisory records (``AdvisoryRecord``). Every problem raises
``AdvisoryFileError`` naming the file and the path of the offending element
(``urllib3/PYSEC-2023-192.yaml: affected[0].ranges[1].events[2].fixed: …``); writing is the
service's job, after every document has been read.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.utils.dateparse import parse_datetime

from steward.cmdb.choices import Ecosystem
from steward.security.choices import AdvisorySource
from steward.security.versions import map_osv_ecosystem, normalise_name

SUFFIXES = (".json", ".yaml", ".yml")
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ARCHIVE_BYTES = 500 * 1024 * 1024  # uncompressed, all members together
MAX_DOCUMENTS = 200_000

#: CVE 5 ``collectionURL`` prefixes of package registries, mapped to our ecosystems.
COLLECTIONS = {
    "https://pypi.org": Ecosystem.PYPI,
    "https://pypi.python.org": Ecosystem.PYPI,
    "https://www.npmjs.com": Ecosystem.NPM,
    "https://registry.npmjs.org": Ecosystem.NPM,
    "https://repo.maven.apache.org": Ecosystem.MAVEN,
    "https://crates.io": Ecosystem.CARGO,
    "https://rubygems.org": Ecosystem.GEM,
    "https://www.nuget.org": Ecosystem.NUGET,
    "https://pkg.go.dev": Ecosystem.GOLANG,
    "https://proxy.golang.org": Ecosystem.GOLANG,
    "https://packages.debian.org": Ecosystem.DEBIAN,
    "https://tracker.debian.org": Ecosystem.DEBIAN,
}


class AdvisoryFileError(ValueError):
    """A file that cannot be imported; the message names the file and the element."""


@dataclass
class AffectedRecord:
    ecosystem: str
    osv_ecosystem: str
    name: str
    purl: str = ""
    ranges: list[dict[str, Any]] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)


@dataclass
class AdvisoryRecord:
    source_file: str
    identifier: str
    source: str
    aliases: list[str] = field(default_factory=list)
    summary: str = ""
    details: str = ""
    severity: str = ""
    cvss3_vector: str = ""
    cvss4_vector: str = ""
    known_exploited: bool = False
    published: dt.datetime | None = None
    modified: dt.datetime | None = None
    withdrawn: dt.datetime | None = None
    references: list[dict[str, str]] = field(default_factory=list)
    affected: list[AffectedRecord] = field(default_factory=list)


# --- gathering ---------------------------------------------------------------------------------
def collect(paths: Iterable[Path]) -> list[tuple[str, bytes]]:
    """``(name, content)`` of every advisory file under ``paths`` (files, folders, zip archives)."""
    documents: list[tuple[str, bytes]] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() in SUFFIXES:
                    documents.append((str(child.relative_to(path.parent)), _read(child)))
                elif child.suffix.lower() == ".zip":
                    documents.extend(from_zip(str(child), _read(child, limit=MAX_ARCHIVE_BYTES)))
        elif path.is_file():
            if path.suffix.lower() == ".zip":
                documents.extend(from_zip(str(path), _read(path, limit=MAX_ARCHIVE_BYTES)))
            else:
                documents.append((path.name, _read(path)))
        else:
            raise AdvisoryFileError(f"{path}: no such file or folder.")
        if len(documents) > MAX_DOCUMENTS:
            raise AdvisoryFileError(f"More than {MAX_DOCUMENTS} documents in one import; split it.")
    return documents


def _read(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    if path.stat().st_size > limit:
        raise AdvisoryFileError(f"{path}: larger than {limit // (1024 * 1024)} MB.")
    return path.read_bytes()


def from_zip(name: str, content: bytes) -> list[tuple[str, bytes]]:
    """Advisory documents inside a zip archive, guarded against archive bombs."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise AdvisoryFileError(f"{name}: not a zip archive.") from None
    members = [m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith(SUFFIXES)]
    if len(members) > MAX_DOCUMENTS:
        raise AdvisoryFileError(f"{name}: more than {MAX_DOCUMENTS} documents.")
    if sum(m.file_size for m in members) > MAX_ARCHIVE_BYTES:
        raise AdvisoryFileError(f"{name}: unpacks to more than {MAX_ARCHIVE_BYTES // (1024 * 1024)} MB.")
    out = []
    for member in members:
        if member.file_size > MAX_FILE_BYTES:
            raise AdvisoryFileError(f"{name}/{member.filename}: larger than {MAX_FILE_BYTES // 1048576} MB.")
        with archive.open(member) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise AdvisoryFileError(f"{name}/{member.filename}: larger than its header says.")
        out.append((f"{name}/{member.filename}", data))
    return out


# --- parsing -----------------------------------------------------------------------------------
def load(name: str, content: bytes) -> Any:
    """The JSON or YAML document in ``content`` (by suffix; YAML read safely)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AdvisoryFileError(f"{name}: not UTF-8 text.") from None
    try:
        if name.lower().endswith(".json"):
            return json.loads(text)
        return yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise AdvisoryFileError(f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}).") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise AdvisoryFileError(f"{name}: not valid YAML{where}.") from None


def parse_document(name: str, content: bytes) -> list[AdvisoryRecord]:
    """The advisories in one document: an OSV record, a list of them, or a CVE JSON 5 record."""
    data = load(name, content)
    if isinstance(data, list):
        return [_parse_one(name, item, f"[{i}]") for i, item in enumerate(data)]
    return [_parse_one(name, data, "")]


def _parse_one(name: str, data: Any, where: str) -> AdvisoryRecord:
    if not isinstance(data, dict):
        raise AdvisoryFileError(
            f"{name}: {where or 'document'}: expected an OSV or CVE 5 record (an object)."
        )
    if "cveMetadata" in data:
        return parse_cve5(name, data, where)
    if "id" in data:
        return parse_osv(name, data, where)
    raise AdvisoryFileError(f"{name}: {where or 'document'}: neither an OSV record (id) nor a CVE 5 record.")


class _Path:
    """Builds ``a.b[0].c`` element paths for error messages."""

    def __init__(self, name: str, base: str) -> None:
        self.name, self.base = name, base

    def fail(self, path: str, message: str) -> AdvisoryFileError:
        full = f"{self.base}.{path}" if self.base and path else (self.base or path)
        return AdvisoryFileError(f"{self.name}: {full}: {message}")

    def text(self, data: dict[str, Any], key: str, path: str, *, required: bool = False) -> str:
        value = data.get(key)
        if value is None:
            if required:
                raise self.fail(path, "is required.")
            return ""
        if not isinstance(value, str):
            raise self.fail(path, "expected text.")
        return value.strip()

    def when(self, data: dict[str, Any], key: str, path: str) -> dt.datetime | None:
        value = data.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, dt.datetime):
            parsed: dt.datetime | None = value
        elif isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None
        else:
            parsed = None
        if parsed is None:
            raise self.fail(path, f"{value!r} is not an RFC 3339 time.")
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)

    def items(self, data: dict[str, Any], key: str, path: str) -> list[Any]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(path, "expected a list.")
        return value


def parse_osv(name: str, data: dict[str, Any], where: str = "") -> AdvisoryRecord:
    """One OSV record (schema 1.x) as an AdvisoryRecord."""
    p = _Path(name, where)
    record = AdvisoryRecord(
        source_file=name,
        identifier=p.text(data, "id", "id", required=True),
        source=AdvisorySource.OSV,
        summary=p.text(data, "summary", "summary")[:500],
        details=p.text(data, "details", "details"),
        published=p.when(data, "published", "published"),
        modified=p.when(data, "modified", "modified"),
        withdrawn=p.when(data, "withdrawn", "withdrawn"),
    )
    if not record.identifier:
        raise p.fail("id", "is required.")
    for i, alias in enumerate(p.items(data, "aliases", "aliases")):
        if not isinstance(alias, str) or not alias.strip():
            raise p.fail(f"aliases[{i}]", "expected an identifier.")
        record.aliases.append(alias.strip())
    for i, sev in enumerate(p.items(data, "severity", "severity")):
        if not isinstance(sev, dict):
            raise p.fail(f"severity[{i}]", "expected an object with type and score.")
        kind = sev.get("type")
        vector = sev.get("score")
        if kind in ("CVSS_V3", "CVSS_V4") and not isinstance(vector, str):
            raise p.fail(f"severity[{i}].score", "expected a CVSS vector.")
        if kind == "CVSS_V3":
            record.cvss3_vector = vector.strip()
        elif kind == "CVSS_V4":
            record.cvss4_vector = vector.strip()
    specific = data.get("database_specific") if isinstance(data.get("database_specific"), dict) else {}
    label = str(specific.get("severity") or "").lower()
    record.severity = {"moderate": "medium"}.get(label, label)
    record.known_exploited = bool(specific.get("known_exploited") or specific.get("cisa_kev"))
    for i, ref in enumerate(p.items(data, "references", "references")):
        if not isinstance(ref, dict) or not isinstance(ref.get("url"), str):
            raise p.fail(f"references[{i}].url", "is required.")
        record.references.append({"type": str(ref.get("type") or "WEB"), "url": ref["url"].strip()})
    for i, entry in enumerate(p.items(data, "affected", "affected")):
        at = f"affected[{i}]"
        if not isinstance(entry, dict):
            raise p.fail(at, "expected an object.")
        package = entry.get("package")
        if not isinstance(package, dict):
            raise p.fail(f"{at}.package", "is required (ecosystem and name).")
        osv_eco = p.text(package, "ecosystem", f"{at}.package.ecosystem", required=True)
        pkg_name = p.text(package, "name", f"{at}.package.name", required=True)
        if not pkg_name:
            raise p.fail(f"{at}.package.name", "is required.")
        ecosystem = map_osv_ecosystem(osv_eco) or Ecosystem.GENERIC
        ranges = p.items(entry, "ranges", f"{at}.ranges")
        versions = p.items(entry, "versions", f"{at}.versions")
        for j, v in enumerate(versions):
            if not isinstance(v, str):
                raise p.fail(f"{at}.versions[{j}]", "expected a version as text.")
        record.affected.append(
            AffectedRecord(
                ecosystem=ecosystem,
                osv_ecosystem=osv_eco,
                name=normalise_name(ecosystem, pkg_name),
                purl=p.text(package, "purl", f"{at}.package.purl"),
                ranges=[
                    {k: v for k, v in r.items() if k in ("type", "events")} if isinstance(r, dict) else r
                    for r in ranges
                ],
                versions=versions,
            )
        )
    return record


def parse_cve5(name: str, data: dict[str, Any], where: str = "") -> AdvisoryRecord:
    """One CVE JSON 5 record: the CNA container, with CVSS and KEV facts from ADP containers."""
    p = _Path(name, where)
    meta = data.get("cveMetadata")
    if not isinstance(meta, dict):
        raise p.fail("cveMetadata", "expected an object.")
    containers = data.get("containers")
    if not isinstance(containers, dict) or not isinstance(containers.get("cna"), dict):
        raise p.fail("containers.cna", "is required.")
    cna = containers["cna"]
    record = AdvisoryRecord(
        source_file=name,
        identifier=p.text(meta, "cveId", "cveMetadata.cveId", required=True),
        source=AdvisorySource.CVE,
        published=p.when(meta, "datePublished", "cveMetadata.datePublished"),
        modified=p.when(meta, "dateUpdated", "cveMetadata.dateUpdated"),
    )
    if meta.get("state") == "REJECTED":
        record.withdrawn = record.modified or record.published or dt.datetime.now(dt.UTC)
    descriptions = p.items(cna, "descriptions", "containers.cna.descriptions")
    for i, desc in enumerate(descriptions):
        if not isinstance(desc, dict) or not isinstance(desc.get("value"), str):
            raise p.fail(f"containers.cna.descriptions[{i}].value", "is required.")
    english = [d["value"] for d in descriptions if str(d.get("lang", "")).lower().startswith("en")]
    record.details = (english or [d["value"] for d in descriptions] or [""])[0].strip()
    record.summary = (p.text(cna, "title", "containers.cna.title") or record.details.split("\n")[0])[:500]
    adp = containers.get("adp") if isinstance(containers.get("adp"), list) else []
    for c_index, container in enumerate([cna, *adp]):
        base = "containers.cna" if c_index == 0 else f"containers.adp[{c_index - 1}]"
        if not isinstance(container, dict):
            raise p.fail(base, "expected an object.")
        for m, metric in enumerate(p.items(container, "metrics", f"{base}.metrics")):
            if not isinstance(metric, dict):
                raise p.fail(f"{base}.metrics[{m}]", "expected an object.")
            for key, attr in (
                ("cvssV3_1", "cvss3_vector"),
                ("cvssV3_0", "cvss3_vector"),
                ("cvssV4_0", "cvss4_vector"),
            ):
                if key in metric:
                    body = metric[key]
                    if not isinstance(body, dict) or not isinstance(body.get("vectorString"), str):
                        raise p.fail(f"{base}.metrics[{m}].{key}.vectorString", "is required.")
                    if not getattr(record, attr) or c_index == 0:
                        setattr(record, attr, body["vectorString"].strip())
            other = metric.get("other")
            if isinstance(other, dict) and str(other.get("type", "")).lower() == "kev":
                record.known_exploited = True
    for i, ref in enumerate(p.items(cna, "references", "containers.cna.references")):
        if not isinstance(ref, dict) or not isinstance(ref.get("url"), str):
            raise p.fail(f"containers.cna.references[{i}].url", "is required.")
        tags = ref.get("tags") if isinstance(ref.get("tags"), list) else []
        record.references.append({"type": str(tags[0]).upper() if tags else "WEB", "url": ref["url"].strip()})
    for i, entry in enumerate(p.items(cna, "affected", "containers.cna.affected")):
        record.affected.extend(_cve_affected(p, entry, f"containers.cna.affected[{i}]"))
    return record


def _cve_affected(p: _Path, entry: Any, at: str) -> list[AffectedRecord]:
    if not isinstance(entry, dict):
        raise p.fail(at, "expected an object.")
    collection = p.text(entry, "collectionURL", f"{at}.collectionURL").rstrip("/")
    ecosystem = next(
        (eco for url, eco in COLLECTIONS.items() if collection.startswith(url)), Ecosystem.GENERIC
    )
    name = p.text(entry, "packageName", f"{at}.packageName") or p.text(entry, "product", f"{at}.product")
    if not name or name.lower() == "n/a":
        return []  # CNAs write "n/a" when they name no product; nothing to match
    ranges: list[dict[str, Any]] = []
    versions: list[str] = []
    for j, v in enumerate(p.items(entry, "versions", f"{at}.versions")):
        vat = f"{at}.versions[{j}]"
        if not isinstance(v, dict) or not isinstance(v.get("version"), str):
            raise p.fail(f"{vat}.version", "is required.")
        if v.get("status") != "affected" or v.get("versionType") == "git":
            continue
        start = v["version"].strip()
        start = "0" if start in ("", "*", "0", "n/a", "unspecified") else start
        if isinstance(v.get("lessThan"), str) and v["lessThan"].strip() not in ("", "*"):
            ranges.append(
                {"type": "ECOSYSTEM", "events": [{"introduced": start}, {"fixed": v["lessThan"].strip()}]}
            )
        elif isinstance(v.get("lessThanOrEqual"), str) and v["lessThanOrEqual"].strip() not in ("", "*"):
            events = [{"introduced": start}, {"last_affected": v["lessThanOrEqual"].strip()}]
            ranges.append({"type": "ECOSYSTEM", "events": events})
        elif start != "0":
            versions.append(start)
    generic = ecosystem == Ecosystem.GENERIC
    return [
        AffectedRecord(
            ecosystem=ecosystem,
            # A vendor/product pair from a CVE matches generic products of that name.
            osv_ecosystem="" if generic else collection,
            name=name.strip().lower() if generic else normalise_name(ecosystem, name),
            ranges=ranges,
            versions=versions,
        )
    ]
