"""Readers of framework files into one neutral shape, refusing bad input by JSON path.

Two formats: OSCAL catalogs and profiles (JSON) and Steward's own YAML library format
(``docs/grc-library-format.md``). Readers only parse and check; ``services.import_framework``
writes, atomically. Every problem is a ``CatalogError`` naming the offending element's path,
e.g. ``catalog.groups[2].controls[5].id``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from steward.grc.choices import FrameworkSource, RequirementKind

TOKEN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
INSERT = re.compile(r"\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}")
#: Files larger than this are refused before parsing (the full NIST 800-53 catalog is ~10 MB).
MAX_BYTES = 64 * 1024 * 1024


class CatalogError(ValueError):
    """A framework file is malformed; ``path`` names the element, nothing was imported."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path, self.message = path, message


@dataclass
class RequirementData:
    control_id: str
    kind: str
    title: str
    parent_id: str | None = None
    label: str = ""
    statement: str = ""
    guidance: str = ""
    parameters: list[dict[str, Any]] = field(default_factory=list)
    withdrawn: bool = False


@dataclass
class FrameworkData:
    identifier: str
    name: str
    version: str
    source: str
    source_uuid: str = ""
    publisher: str = ""
    description: str = ""
    requirements: list[RequirementData] = field(default_factory=list)
    #: For a profile: the catalog it selects from (a FrameworkData still to import, or a saved Framework).
    based_on: Any = None


# --- small checkers ---------------------------------------------------------------------------
def _obj(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CatalogError(path, "expected an object.")
    return value


def _list(value: Any, path: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise CatalogError(path, "expected a list.")
    return value


def _text(parent: dict[str, Any], key: str, path: str, *, required: bool = True) -> str:
    value = parent.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise CatalogError(f"{path}.{key}", "a non-empty text is required." if required else "expected text.")
    return value


def _token(parent: dict[str, Any], key: str, path: str) -> str:
    value = _text(parent, key, path)
    if not TOKEN.match(value):
        raise CatalogError(f"{path}.{key}", f"{value!r} is not a valid identifier (letters, digits, . _ -).")
    return value


def load_document(text: str | bytes, path: str = "$") -> Any:
    """Parse JSON (or YAML, a superset) text; a syntax error is reported with its line."""
    if len(text) > MAX_BYTES:
        raise CatalogError(path, f"the file is larger than {MAX_BYTES // 1024 // 1024} MB.")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CatalogError(
                path, f"the file is not UTF-8 text ({exc.reason} at byte {exc.start})."
            ) from None
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise CatalogError(
                path, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}."
            ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise CatalogError(path, f"invalid YAML{where}.") from None


# --- OSCAL ------------------------------------------------------------------------------------
def _label(props: list[Any], path: str) -> str:
    labels = []
    for i, prop in enumerate(props):
        prop = _obj(prop, f"{path}.props[{i}]")
        if prop.get("name") == "label":
            labels.append((prop.get("class") is not None, str(prop.get("value") or "")))
    return sorted(labels)[0][1] if labels else ""


def _params(raw: list[Any], path: str) -> list[dict[str, Any]]:
    params = []
    for i, param in enumerate(raw):
        where = f"{path}.params[{i}]"
        param = _obj(param, where)
        entry: dict[str, Any] = {"id": _token(param, "id", where)}
        if param.get("label") is not None:
            entry["label"] = _text(param, "label", where, required=False)
        select = param.get("select")
        if select is not None:
            select = _obj(select, f"{where}.select")
            choices = _list(select.get("choice"), f"{where}.select.choice")
            if not all(isinstance(c, str) for c in choices):
                raise CatalogError(f"{where}.select.choice", "every choice is text.")
            entry["select"] = {"how-many": select.get("how-many", "one"), "choice": choices}
        values = _list(param.get("values"), f"{where}.values")
        if values:
            entry["values"] = [str(v) for v in values]
        params.append(entry)
    return params


def _insert_params(text: str, params: dict[str, dict[str, Any]]) -> str:
    def replace(match: re.Match[str]) -> str:
        param = params.get(match.group(1))
        if param is None:
            return f"[{match.group(1)}]"
        if param.get("values"):
            return ", ".join(param["values"])
        if "select" in param:
            choices = [_insert_params(c, params) for c in param["select"]["choice"]]
            many = param["select"].get("how-many") == "one-or-more"
            return f"[Selection ({'one or more' if many else 'one'}): {'; '.join(choices)}]"
        return f"[Assignment: {param.get('label') or match.group(1)}]"

    return INSERT.sub(replace, text)


def _prose(part: dict[str, Any], path: str, params: dict[str, dict[str, Any]], depth: int = 0) -> list[str]:
    lines = []
    label = _label(_list(part.get("props"), f"{path}.props"), path)
    prose = part.get("prose")
    if prose is not None and not isinstance(prose, str):
        raise CatalogError(f"{path}.prose", "expected text.")
    if prose or label:
        lines.append("  " * depth + " ".join(x for x in (label, _insert_params(prose or "", params)) if x))
    for i, sub in enumerate(_list(part.get("parts"), f"{path}.parts")):
        where = f"{path}.parts[{i}]"
        sub = _obj(sub, where)
        _text(sub, "name", where)
        lines += _prose(sub, where, params, depth + (1 if (prose or label) else 0))
    return lines


def _oscal_control(
    control: Any,
    path: str,
    parent_id: str | None,
    kind: str,
    out: list[RequirementData],
    seen: dict[str, str],
) -> None:
    control = _obj(control, path)
    control_id = _token(control, "id", path)
    if control_id in seen:
        raise CatalogError(
            f"{path}.id", f"the id {control_id!r} is used twice (first at {seen[control_id]})."
        )
    seen[control_id] = f"{path}.id"
    title = _text(control, "title", path)
    props = _list(control.get("props"), f"{path}.props")
    params = _params(_list(control.get("params"), f"{path}.params"), path)
    by_id = {p["id"]: p for p in params}
    statement, guidance = [], []
    for i, part in enumerate(_list(control.get("parts"), f"{path}.parts")):
        where = f"{path}.parts[{i}]"
        part = _obj(part, where)
        name = _text(part, "name", where)
        if name == "statement":
            statement += _prose(part, where, by_id)
        elif name == "guidance":
            guidance += _prose(part, where, by_id)
    withdrawn = any(
        isinstance(p, dict) and p.get("name") == "status" and p.get("value") == "withdrawn" for p in props
    )
    out.append(
        RequirementData(
            control_id=control_id, kind=kind, title=title, parent_id=parent_id, label=_label(props, path),
            statement="\n".join(statement), guidance="\n".join(guidance), parameters=params, withdrawn=withdrawn,
        )
    )  # fmt: skip
    for i, sub in enumerate(_list(control.get("controls"), f"{path}.controls")):
        _oscal_control(sub, f"{path}.controls[{i}]", control_id, RequirementKind.ENHANCEMENT, out, seen)


def _oscal_group(
    group: Any,
    path: str,
    parent_id: str | None,
    out: list[RequirementData],
    seen: dict[str, str],
    n: list[int],
) -> None:
    group = _obj(group, path)
    n[0] += 1
    group_id = _token(group, "id", path) if "id" in group else f"group-{n[0]}"
    if group_id in seen:
        raise CatalogError(f"{path}.id", f"the id {group_id!r} is used twice (first at {seen[group_id]}).")
    seen[group_id] = f"{path}.id"
    props = _list(group.get("props"), f"{path}.props")
    out.append(
        RequirementData(
            control_id=group_id, kind=RequirementKind.GROUP, title=_text(group, "title", path),
            parent_id=parent_id, label=_label(props, path),
        )
    )  # fmt: skip
    for i, sub in enumerate(_list(group.get("groups"), f"{path}.groups")):
        _oscal_group(sub, f"{path}.groups[{i}]", group_id, out, seen, n)
    for i, control in enumerate(_list(group.get("controls"), f"{path}.controls")):
        _oscal_control(control, f"{path}.controls[{i}]", group_id, RequirementKind.CONTROL, out, seen)


def _metadata(doc: dict[str, Any], root: str) -> dict[str, Any]:
    meta = _obj(doc.get("metadata"), f"{root}.metadata")
    _text(meta, "title", f"{root}.metadata")
    _text(meta, "version", f"{root}.metadata")
    return meta


def _publisher(meta: dict[str, Any]) -> str:
    parties = [p for p in meta.get("parties") or [] if isinstance(p, dict)]
    return str(next((p.get("name") for p in parties if p.get("type") == "organization"), "") or "")[:200]


def parse_oscal_catalog(doc: Any) -> FrameworkData:
    root = _obj(_obj(doc, "$").get("catalog"), "catalog")
    uuid = _text(root, "uuid", "catalog")
    meta = _metadata(root, "catalog")
    out: list[RequirementData] = []
    seen: dict[str, str] = {}
    counter = [0]
    for i, group in enumerate(_list(root.get("groups"), "catalog.groups")):
        _oscal_group(group, f"catalog.groups[{i}]", None, out, seen, counter)
    for i, control in enumerate(_list(root.get("controls"), "catalog.controls")):
        _oscal_control(control, f"catalog.controls[{i}]", None, RequirementKind.CONTROL, out, seen)
    if not out:
        raise CatalogError("catalog", "the catalog has no groups or controls.")
    return FrameworkData(
        identifier=f"oscal-catalog:{meta['title'].strip()}"[:300], name=meta["title"].strip()[:300],
        version=meta["version"][:100], source=FrameworkSource.OSCAL_CATALOG, source_uuid=uuid, publisher=_publisher(meta),
        description=str(meta.get("remarks") or ""), requirements=out,
    )  # fmt: skip


#: Finds an already-imported catalog: (uuid, title) -> a Framework or None. Given by the service.
CatalogLookup = Callable[[str, str], Any]


def _resolve_import(
    profile: dict[str, Any], index: int, href: str, base_dir: Path | None, lookup: CatalogLookup
) -> Any:
    """The catalog an import points at: a file beside the profile, or an imported framework."""
    path = f"profile.imports[{index}].href"
    resource: dict[str, Any] = {}
    hrefs = [href]
    if href.startswith("#"):
        resources = (profile.get("back-matter") or {}).get("resources") or []
        resource = next((r for r in resources if isinstance(r, dict) and r.get("uuid") == href[1:]), {})
        if not resource:
            raise CatalogError(path, f"no back-matter resource has the uuid {href[1:]}.")
        links = [
            r for r in resource.get("rlinks") or [] if isinstance(r, dict) and isinstance(r.get("href"), str)
        ]
        hrefs = [r["href"] for r in sorted(links, key=lambda r: "json" not in str(r.get("media-type", "")))]
    if base_dir is not None:
        for candidate in hrefs:
            if "://" in candidate or not candidate.endswith((".json", ".yaml", ".yml")):
                continue
            file = (base_dir / candidate).resolve()
            if file.is_file():
                try:
                    return parse_oscal_catalog(load_document(file.read_bytes(), path))
                except CatalogError as exc:
                    raise CatalogError(f"{path} → {candidate}: {exc.path}", exc.message) from None
    title = str(resource.get("title") or resource.get("description") or "")
    found = lookup(href.lstrip("#"), title)
    if found is None:
        raise CatalogError(
            path,
            f"cannot find the catalog {href!r}: put it beside the profile or import it first "
            "(or name it with --catalog).",
        )
    return found


def parse_oscal_profile(
    doc: Any,
    *,
    base_dir: Path | None,
    lookup: CatalogLookup,
    catalog_rows: Callable[[Any], list[RequirementData]],
) -> FrameworkData:
    """A profile becomes a framework holding the selected controls of its catalog (with groups).

    ``catalog_rows(catalog)`` gives the requirement rows of a resolved catalog (parsed or saved).
    """
    root = _obj(_obj(doc, "$").get("profile"), "profile")
    uuid = _text(root, "uuid", "profile")
    meta = _metadata(root, "profile")
    imports = _list(root.get("imports"), "profile.imports")
    if not imports:
        raise CatalogError("profile.imports", "a profile imports at least one catalog.")
    if len(imports) > 1:
        raise CatalogError("profile.imports[1]", "profiles importing several catalogs are not supported yet.")
    imp = _obj(imports[0], "profile.imports[0]")
    catalog = _resolve_import(root, 0, _text(imp, "href", "profile.imports[0]"), base_dir, lookup)
    rows = catalog_rows(catalog)
    by_id = {r.control_id: r for r in rows}
    selected: set[str] = set()
    if "include-all" in imp:
        selected = {r.control_id for r in rows if r.kind != RequirementKind.GROUP}
    for i, include in enumerate(_list(imp.get("include-controls"), "profile.imports[0].include-controls")):
        where = f"profile.imports[0].include-controls[{i}]"
        include = _obj(include, where)
        for j, cid in enumerate(_list(include.get("with-ids"), f"{where}.with-ids")):
            if not isinstance(cid, str) or cid not in by_id or by_id[cid].kind == RequirementKind.GROUP:
                raise CatalogError(
                    f"{where}.with-ids[{j}]", f"{cid!r} is not a control of the imported catalog."
                )
            selected.add(cid)
    for i, exclude in enumerate(_list(imp.get("exclude-controls"), "profile.imports[0].exclude-controls")):
        exclude = _obj(exclude, f"profile.imports[0].exclude-controls[{i}]")
        selected -= set(_list(exclude.get("with-ids"), f"profile.imports[0].exclude-controls[{i}].with-ids"))
    if not selected:
        raise CatalogError("profile.imports[0]", "the profile selects no controls.")
    keep = set(selected)
    for cid in selected:  # the groups (and parent controls) above a selected control give it its place
        parent = by_id[cid].parent_id
        while parent and parent in by_id:
            if by_id[parent].kind == RequirementKind.GROUP:
                keep.add(parent)
            parent = by_id[parent].parent_id
    out = []
    for row in rows:
        if row.control_id in keep:
            parent = row.parent_id
            while parent and parent not in keep:
                parent = by_id[parent].parent_id if parent in by_id else None
            out.append(RequirementData(**{**row.__dict__, "parent_id": parent}))
    return FrameworkData(
        identifier=f"oscal-profile:{meta['title'].strip()}"[:300], name=meta["title"].strip()[:300],
        version=meta["version"][:100], source=FrameworkSource.OSCAL_PROFILE, source_uuid=uuid, publisher=_publisher(meta),
        description=str(meta.get("remarks") or ""), requirements=out, based_on=catalog,
    )  # fmt: skip


# --- Steward YAML library ---------------------------------------------------------------------
LIBRARY_KEYS = {"urn", "name", "version", "publisher", "description", "requirements"}
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
NODE_KEYS = {"id", "title", "kind", "label", "statement", "guidance", "parameters", "requirements"}


def _library_node(
    node: Any, path: str, parent: RequirementData | None, out: list[RequirementData], seen: dict[str, str]
) -> None:
    node = _obj(node, path)
    unknown = set(node) - NODE_KEYS
    if unknown:
        raise CatalogError(
            f"{path}.{sorted(unknown)[0]}", f"unknown key (allowed: {', '.join(sorted(NODE_KEYS))})."
        )
    rid = _token(node, "id", path)
    if rid in seen:
        raise CatalogError(f"{path}.id", f"the id {rid!r} is used twice (first at {seen[rid]}).")
    seen[rid] = f"{path}.id"
    children = _list(node.get("requirements"), f"{path}.requirements")
    statement = _text(node, "statement", path, required=False)
    if "kind" in node:
        kind = node["kind"]
        if kind not in RequirementKind.values:
            raise CatalogError(f"{path}.kind", f"choose one of {', '.join(RequirementKind.values)}.")
    elif parent is not None and parent.kind != RequirementKind.GROUP:
        kind = RequirementKind.ENHANCEMENT
    else:
        kind = RequirementKind.GROUP if children and not statement else RequirementKind.CONTROL
    params = []
    for i, param in enumerate(_list(node.get("parameters"), f"{path}.parameters")):
        where = f"{path}.parameters[{i}]"
        param = _obj(param, where)
        params.append({"id": _token(param, "id", where), "label": _text(param, "label", where)})
    declared = {p["id"] for p in params}
    for name in PLACEHOLDER.findall(statement):
        if name not in declared:
            raise CatalogError(f"{path}.statement", f"{{{name}}} names no parameter of this requirement.")
    row = RequirementData(
        control_id=rid, kind=kind, title=_text(node, "title", path), parent_id=parent.control_id if parent else None,
        label=_text(node, "label", path, required=False) or rid, statement=statement,
        guidance=_text(node, "guidance", path, required=False), parameters=params,
    )  # fmt: skip
    out.append(row)
    for i, child in enumerate(children):
        _library_node(child, f"{path}.requirements[{i}]", row, out, seen)


def parse_library(doc: Any) -> FrameworkData:
    root = _obj(_obj(doc, "$").get("library"), "library")
    unknown = set(root) - LIBRARY_KEYS
    if unknown:
        raise CatalogError(
            f"library.{sorted(unknown)[0]}", f"unknown key (allowed: {', '.join(sorted(LIBRARY_KEYS))})."
        )
    urn = _text(root, "urn", "library")
    if not urn.startswith("urn:"):
        raise CatalogError("library.urn", "a URN starts with 'urn:'.")
    version = root.get("version")
    if isinstance(version, int | float) and not isinstance(version, bool):
        version = str(version)
    if not isinstance(version, str) or not version.strip():
        raise CatalogError("library.version", "a non-empty text is required.")
    out: list[RequirementData] = []
    seen: dict[str, str] = {}
    for i, node in enumerate(_list(root.get("requirements"), "library.requirements")):
        _library_node(node, f"library.requirements[{i}]", None, out, seen)
    if not out:
        raise CatalogError("library.requirements", "the library has no requirements.")
    return FrameworkData(
        identifier=urn[:300], name=_text(root, "name", "library")[:300], version=version[:100],
        source=FrameworkSource.LIBRARY, publisher=_text(root, "publisher", "library", required=False)[:200],
        description=_text(root, "description", "library", required=False), requirements=out,
    )  # fmt: skip


def document_kind(doc: Any) -> str:
    """``catalog``, ``profile`` or ``library`` — the top-level key of a framework file."""
    if isinstance(doc, dict):
        for key in ("catalog", "profile", "library"):
            if key in doc:
                return key
    raise CatalogError("$", "expected an OSCAL catalog or profile (JSON) or a Steward library (YAML).")
