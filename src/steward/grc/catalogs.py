"""Readers of framework files into one neutral shape, refusing bad input by JSON path.

Two formats: OSCAL catalogs and profiles (JSON) and Steward's own YAML library format
(``docs/grc-library-format.md``). Readers only parse and check; ``services.import_framework``
writes, atomically. Every problem is a ``CatalogError`` naming the offending element's path,
e.g. ``catalog.groups[2].controls[5].id``.
"""

from __future__ import annotations

import copy
import fnmatch
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
    #: The control's OSCAL parts as written (statement, guidance…), so a profile can alter them.
    parts: list[dict[str, Any]] = field(default_factory=list)


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
    #: For a profile: every catalog (or profile) its imports resolved to, ``based_on`` first.
    sources: list[Any] = field(default_factory=list)


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


def render_parts(parts: list[Any], params: list[dict[str, Any]], path: str) -> tuple[str, str]:
    """The statement and guidance text of a control's parts, its parameters inserted."""
    by_id = {p["id"]: p for p in params}
    statement: list[str] = []
    guidance: list[str] = []
    for i, part in enumerate(parts):
        where = f"{path}.parts[{i}]"
        part = _obj(part, where)
        name = _text(part, "name", where)
        if name == "statement":
            statement += _prose(part, where, by_id)
        elif name == "guidance":
            guidance += _prose(part, where, by_id)
    return "\n".join(statement), "\n".join(guidance)


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
    parts = _list(control.get("parts"), f"{path}.parts")
    statement, guidance = render_parts(parts, params, path)
    withdrawn = any(
        isinstance(p, dict) and p.get("name") == "status" and p.get("value") == "withdrawn" for p in props
    )
    out.append(
        RequirementData(
            control_id=control_id, kind=kind, title=title, parent_id=parent_id, label=_label(props, path),
            statement=statement, guidance=guidance, parameters=params, withdrawn=withdrawn, parts=parts,
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


#: A profile may import a profile, which imports another…; deeper chains are refused (and cycles).
MAX_PROFILE_DEPTH = 5
COMBINE_METHODS = ("use-first", "merge", "keep")
POSITIONS = ("starting", "ending", "before", "after")


def _resolve_import(
    profile: dict[str, Any],
    index: int,
    href: str,
    base_dir: Path | None,
    lookup: CatalogLookup,
    catalog_rows: Callable[[Any], list[RequirementData]],
    depth: int,
) -> Any:
    """What an import points at: a catalog or profile file beside the profile, or an imported framework."""
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
                    doc = load_document(file.read_bytes(), path)
                    if isinstance(doc, dict) and "profile" in doc:
                        if depth >= MAX_PROFILE_DEPTH:
                            raise CatalogError(
                                "profile", f"profiles import each other more than {MAX_PROFILE_DEPTH} deep."
                            )
                        return parse_oscal_profile(
                            doc,
                            base_dir=file.parent,
                            lookup=lookup,
                            catalog_rows=catalog_rows,
                            _depth=depth + 1,
                        )
                    return parse_oscal_catalog(doc)
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


def _descendants(cid: str, children: dict[str, list[str]]) -> list[str]:
    out, todo = [], list(children.get(cid, []))
    while todo:
        node = todo.pop(0)
        out.append(node)
        todo.extend(children.get(node, []))
    return out


def _select_ids(
    spec: dict[str, Any], where: str, by_id: dict[str, RequirementData], children: dict[str, list[str]]
) -> set[str]:
    """The control ids one ``include-controls`` or ``exclude-controls`` entry names."""
    ids: set[str] = set()
    for j, cid in enumerate(_list(spec.get("with-ids"), f"{where}.with-ids")):
        if not isinstance(cid, str) or cid not in by_id or by_id[cid].kind == RequirementKind.GROUP:
            raise CatalogError(f"{where}.with-ids[{j}]", f"{cid!r} is not a control of the imported catalog.")
        ids.add(cid)
    for j, match in enumerate(_list(spec.get("matching"), f"{where}.matching")):
        pattern = _text(_obj(match, f"{where}.matching[{j}]"), "pattern", f"{where}.matching[{j}]")
        ids |= {
            c for c, r in by_id.items() if r.kind != RequirementKind.GROUP and fnmatch.fnmatchcase(c, pattern)
        }
    if spec.get("with-child-controls") == "yes":
        for cid in list(ids):
            ids |= {c for c in _descendants(cid, children) if by_id[c].kind != RequirementKind.GROUP}
    return ids


def _resolve_selection(imp: dict[str, Any], where: str, rows: list[RequirementData]) -> list[RequirementData]:
    """The rows one import keeps — its controls and the groups above them — re-parented, in catalog order."""
    by_id = {r.control_id: r for r in rows}
    children: dict[str, list[str]] = {}
    for r in rows:
        if r.parent_id:
            children.setdefault(r.parent_id, []).append(r.control_id)
    includes = _list(imp.get("include-controls"), f"{where}.include-controls")
    if "include-all" not in imp and not includes:
        raise CatalogError(where, "an import needs include-all or include-controls.")
    selected: set[str] = set()
    if "include-all" in imp:
        selected = {r.control_id for r in rows if r.kind != RequirementKind.GROUP}
    for i, include in enumerate(includes):
        selected |= _select_ids(_obj(include, f"{where}.include-controls[{i}]"), f"{where}.include-controls[{i}]",
                                by_id, children)  # fmt: skip
    for i, exclude in enumerate(_list(imp.get("exclude-controls"), f"{where}.exclude-controls")):
        selected -= _select_ids(_obj(exclude, f"{where}.exclude-controls[{i}]"), f"{where}.exclude-controls[{i}]",
                                by_id, children)  # fmt: skip
    if not selected:
        raise CatalogError(where, "the import selects no controls.")
    keep = set(selected)
    for cid in selected:  # the groups above a selected control give it its place
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
            out.append(RequirementData(**{**copy.deepcopy(row.__dict__), "parent_id": parent}))
    return out


def _render_param(param: dict[str, Any]) -> str:
    """How a parameter reads inside a statement (the same text ``_insert_params`` writes)."""
    return _insert_params("{{ insert: param, " + param["id"] + " }}", {param["id"]: param})


def _set_parameters(
    modify: dict[str, Any], rows: dict[str, RequirementData], touched: dict[str, dict[str, str]]
) -> None:
    owner = {p["id"]: r for r in rows.values() for p in r.parameters}
    for k, setting in enumerate(_list(modify.get("set-parameters"), "profile.modify.set-parameters")):
        where = f"profile.modify.set-parameters[{k}]"
        setting = _obj(setting, where)
        pid = _text(setting, "param-id", where)
        row = owner.get(pid)
        if row is None:
            raise CatalogError(f"{where}.param-id", f"{pid!r} is not a parameter of a selected control.")
        param = next(p for p in row.parameters if p["id"] == pid)
        before = _render_param(param)
        new = _params([{**setting, "id": pid}], where)[0]
        for key in ("label", "select", "values"):
            if key in new:
                param[key] = new[key]
        touched.setdefault(row.control_id, {})[before] = _render_param(param)


def _matches(item: dict[str, Any], remove: dict[str, Any]) -> bool:
    checks = {"by-id": item.get("id"), "by-name": item.get("name"), "by-item-name": item.get("name"),
              "by-class": item.get("class"), "by-ns": item.get("ns")}  # fmt: skip
    wanted = {k: v for k, v in remove.items() if k in checks}
    return bool(wanted) and all(checks[k] == v for k, v in wanted.items())


def _remove_parts(parts: list[Any], remove: dict[str, Any]) -> tuple[list[Any], int]:
    kept, removed = [], 0
    for part in parts:
        if isinstance(part, dict) and _matches(part, remove):
            removed += 1
            continue
        if isinstance(part, dict) and part.get("parts"):
            part["parts"], n = _remove_parts(part["parts"], remove)
            removed += n
        kept.append(part)
    return kept, removed


def _find_part(parts: list[Any], part_id: str) -> tuple[list[Any], int] | None:
    """The list holding the part with ``part_id`` and its index there, searching nested parts."""
    for i, part in enumerate(parts):
        if not isinstance(part, dict):
            continue
        if part.get("id") == part_id:
            return parts, i
        found = _find_part(part.get("parts") or [], part_id)
        if found:
            return found
    return None


def _alter(modify: dict[str, Any], rows: dict[str, RequirementData], altered: set[str]) -> None:
    for k, alter in enumerate(_list(modify.get("alters"), "profile.modify.alters")):
        where = f"profile.modify.alters[{k}]"
        alter = _obj(alter, where)
        cid = _text(alter, "control-id", where)
        row = rows.get(cid)
        if row is None or row.kind == RequirementKind.GROUP:
            raise CatalogError(f"{where}.control-id", f"{cid!r} is not a control the profile selects.")
        if not row.parts and (alter.get("removes") or any(
            isinstance(a, dict) and (a.get("parts") or a.get("by-id")) for a in alter.get("adds") or []
        )):  # fmt: skip
            raise CatalogError(
                f"{where}.control-id",
                f"{cid!r} was imported without its OSCAL parts: import its catalog again (or put the file "
                "beside the profile) so its parts can be altered.",
            )
        for m, remove in enumerate(_list(alter.get("removes"), f"{where}.removes")):
            rwhere = f"{where}.removes[{m}]"
            remove = _obj(remove, rwhere)
            if not any(key in remove for key in ("by-id", "by-name", "by-item-name", "by-class", "by-ns")):
                raise CatalogError(
                    rwhere, "say what to remove: by-id, by-name, by-class, by-ns or by-item-name."
                )
            row.parts, removed = _remove_parts(row.parts, remove)
            if "by-id" in remove and len(remove) == 1:
                params = [p for p in row.parameters if p["id"] != remove["by-id"]]
                removed += len(row.parameters) - len(params)
                row.parameters = params
            if not removed:
                raise CatalogError(rwhere, f"nothing in {cid!r} matches {remove}.")
        for m, add in enumerate(_list(alter.get("adds"), f"{where}.adds")):
            awhere = f"{where}.adds[{m}]"
            add = _obj(add, awhere)
            position = add.get("position", "ending")
            if position not in POSITIONS:
                raise CatalogError(f"{awhere}.position", f"choose one of {', '.join(POSITIONS)}.")
            new_parts = _list(add.get("parts"), f"{awhere}.parts")
            for n, part in enumerate(new_parts):
                _text(_obj(part, f"{awhere}.parts[{n}]"), "name", f"{awhere}.parts[{n}]")
            new_params = _params(_list(add.get("params"), f"{awhere}.params"), awhere)
            known = {p["id"] for p in row.parameters}
            for n, param in enumerate(new_params):
                if param["id"] in known:
                    raise CatalogError(
                        f"{awhere}.params[{n}].id", f"{cid!r} already has a parameter {param['id']!r}."
                    )
            row.parameters = row.parameters + new_params
            if isinstance(add.get("title"), str) and add["title"].strip():
                row.title = add["title"].strip()
            if not new_parts:
                continue
            target = add.get("by-id")
            if target is None:
                if position in ("before", "after"):
                    raise CatalogError(
                        f"{awhere}.position", f"'{position}' needs by-id (the part to add next to)."
                    )
                row.parts = new_parts + row.parts if position == "starting" else row.parts + new_parts
                continue
            found = _find_part(row.parts, str(target))
            if found is None:
                raise CatalogError(f"{awhere}.by-id", f"{cid!r} has no part {target!r}.")
            siblings, i = found
            if position in ("before", "after"):
                siblings[i + (position == "after") : i + (position == "after")] = new_parts
            else:
                inner = siblings[i].setdefault("parts", [])
                siblings[i]["parts"] = new_parts + inner if position == "starting" else inner + new_parts
        altered.add(cid)


def parse_oscal_profile(
    doc: Any,
    *,
    base_dir: Path | None,
    lookup: CatalogLookup,
    catalog_rows: Callable[[Any], list[RequirementData]],
    _depth: int = 0,
) -> FrameworkData:
    """Resolve a profile into a framework: its imports' selected controls, merged, then modified.

    Following OSCAL profile resolution as far as real baselines need: every import is resolved
    (a file beside the profile, a back-matter resource, or a framework already imported) and
    filtered (``include-all``/``include-controls`` with ``with-ids``, ``matching`` patterns and
    ``with-child-controls``, then ``exclude-controls``); the selections are merged in import
    order (``merge.combine``: ``use-first``/``merge`` keep the first copy of a control, ``keep``
    refuses a control imported twice; ``merge.flat`` drops the groups, otherwise they stay
    as in the catalog); then ``modify.set-parameters`` gives parameters their values, labels or
    choices and ``modify.alters`` removes and adds parts (and parameters) of controls. Statements
    and guidance are re-rendered from the altered parts. ``catalog_rows(catalog)`` gives the
    requirement rows of a resolved catalog (parsed or saved).
    """
    root = _obj(_obj(doc, "$").get("profile"), "profile")
    uuid = _text(root, "uuid", "profile")
    meta = _metadata(root, "profile")
    imports = _list(root.get("imports"), "profile.imports")
    if not imports:
        raise CatalogError("profile.imports", "a profile imports at least one catalog.")
    merge = _obj(root.get("merge") or {}, "profile.merge")
    combine = (_obj(merge.get("combine") or {}, "profile.merge.combine")).get("method", "use-first")
    if combine not in COMBINE_METHODS:
        raise CatalogError("profile.merge.combine.method", f"choose one of {', '.join(COMBINE_METHODS)}.")
    if "custom" in merge:
        raise CatalogError("profile.merge.custom", "custom structures are not supported: use as-is or flat.")
    rows: dict[str, RequirementData] = {}
    origin: dict[str, int] = {}
    sources = []
    for i, imp in enumerate(imports):
        where = f"profile.imports[{i}]"
        imp = _obj(imp, where)
        source = _resolve_import(root, i, _text(imp, "href", where), base_dir, lookup, catalog_rows, _depth)
        sources.append(source)
        for row in _resolve_selection(imp, where, catalog_rows(source)):
            if row.control_id not in rows:
                rows[row.control_id] = row
                origin[row.control_id] = i
            elif combine == "keep" and row.kind != RequirementKind.GROUP and origin[row.control_id] != i:
                raise CatalogError(
                    where, f"{row.control_id!r} is also imported by profile.imports[{origin[row.control_id]}] "
                    "(merge.combine is 'keep')."
                )  # fmt: skip
    modify = _obj(root.get("modify") or {}, "profile.modify")
    touched: dict[str, dict[str, str]] = {}
    altered: set[str] = set()
    _set_parameters(modify, rows, touched)
    _alter(modify, rows, altered)
    for cid in set(touched) | altered:
        row = rows[cid]
        if row.parts:
            row.statement, row.guidance = render_parts(row.parts, row.parameters, f"control {cid}")
        else:  # saved without parts: the parameter's text is replaced where it was rendered
            for before, after in touched.get(cid, {}).items():
                row.statement = row.statement.replace(before, after)
                row.guidance = row.guidance.replace(before, after)
    out = list(rows.values())
    if "flat" in merge:
        out = [r for r in out if r.kind != RequirementKind.GROUP]
        for r in out:
            if r.parent_id not in rows or rows[r.parent_id].kind == RequirementKind.GROUP:
                r.parent_id = None
    return FrameworkData(
        identifier=f"oscal-profile:{meta['title'].strip()}"[:300], name=meta["title"].strip()[:300],
        version=meta["version"][:100], source=FrameworkSource.OSCAL_PROFILE, source_uuid=uuid, publisher=_publisher(meta),
        description=str(meta.get("remarks") or ""), requirements=out, based_on=sources[0], sources=sources,
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
