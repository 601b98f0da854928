"""PATCH operations (RFC 7644 §3.5.2) applied to a resource's JSON.

The operations run on a copy of what the client would read; the result is then validated
and saved like a PUT, so a PATCH can never store what a PUT would refuse, and a failing
operation leaves the resource untouched.
"""

from __future__ import annotations

import copy
from typing import Any

from steward.identity.scim import schemas
from steward.identity.scim.errors import invalid_path, invalid_syntax, invalid_value, mutability, no_target
from steward.identity.scim.filters import AttrPath, PatchPath, ci_get, matches, parse_path
from steward.identity.scim.resources import reject_read_only_patch

OPS = {"add", "replace", "remove"}


def _definition(resource_schema: str, path: AttrPath) -> dict:
    definition = schemas.attribute_definition(resource_schema, path.urn, path.attr, path.sub)
    if path.attr == "externalid" and path.urn is None and path.sub is None:
        return schemas.attribute("externalId", case_exact=True)
    if definition is None:
        reject_read_only_patch(path.key)
        raise invalid_path(f"Unknown attribute {path.key!r}.")
    if definition["mutability"] == "readOnly":
        raise mutability(f"{path.key} is read-only.")
    return definition


def _container(body: dict, path: AttrPath, create: bool) -> dict | None:
    if not path.urn:
        return body
    key = next((k for k in body if k.lower() == path.urn), schemas.ENTERPRISE)
    if key not in body:
        if not create:
            return None
        body[key] = {}
    return body[key]


def _real_key(container: dict, name: str, definition_name: str) -> str:
    return next((k for k in container if k.lower() == name), definition_name)


def apply_patch(resource_schema: str, body: dict, payload: Any) -> dict:
    """Return ``body`` changed by the PatchOp ``payload``; ``body`` itself is not touched."""
    if not isinstance(payload, dict):
        raise invalid_syntax("The PATCH body must be a JSON object.")
    if schemas.PATCH_OP.lower() not in {str(s).lower() for s in payload.get("schemas") or []}:
        raise invalid_syntax(f"A PATCH body must list the schema {schemas.PATCH_OP}.")
    operations = ci_get(payload, "Operations")
    if not isinstance(operations, list) or not operations:
        raise invalid_syntax("A PATCH body needs a non-empty list of Operations.")
    result = copy.deepcopy(body)
    for index, operation in enumerate(operations, start=1):
        if not isinstance(operation, dict):
            raise invalid_syntax(f"Operation {index} must be an object.")
        op = str(ci_get(operation, "op") or "").lower()
        if op not in OPS:
            raise invalid_syntax(f"Operation {index}: op must be add, replace or remove.")
        path_text = ci_get(operation, "path")
        value = ci_get(operation, "value")
        if path_text is None or path_text == "":
            if op == "remove":
                raise no_target(f"Operation {index}: remove needs a path.")
            if not isinstance(value, dict):
                raise invalid_syntax(f"Operation {index}: without a path, the value must be an object.")
            for key, item in value.items():
                if key.lower() == schemas.ENTERPRISE.lower() and isinstance(item, dict):
                    for sub_key, sub_item in item.items():
                        if sub_key.lower() == "schemas":
                            continue
                        _apply(
                            resource_schema,
                            result,
                            op,
                            parse_path(f"{schemas.ENTERPRISE}:{sub_key}"),
                            sub_item,
                        )
                elif key.lower() in ("schemas", "id", "meta"):
                    continue
                else:
                    _apply(resource_schema, result, op, parse_path(key), item)
            continue
        if isinstance(path_text, str) and path_text.strip().lower() == schemas.ENTERPRISE.lower():
            _apply_extension(resource_schema, result, op, value, index)
            continue
        _apply(resource_schema, result, op, parse_path(path_text), value)
    return result


def _apply_extension(resource_schema: str, body: dict, op: str, value: Any, index: int) -> None:
    """A path naming the whole enterprise extension: its value is an object of its attributes."""
    if resource_schema != schemas.USER:
        raise invalid_path(f"Operation {index}: {schemas.ENTERPRISE} does not extend this resource.")
    if op == "remove":
        for key in [k for k in body if k.lower() == schemas.ENTERPRISE.lower()]:
            del body[key]
        return
    if not isinstance(value, dict):
        raise invalid_value(f"Operation {index}: the value for the extension must be an object.")
    if op == "replace":
        for key in [k for k in body if k.lower() == schemas.ENTERPRISE.lower()]:
            del body[key]
    for sub_key, sub_item in value.items():
        if sub_key.lower() != "schemas":
            _apply(resource_schema, body, op, parse_path(f"{schemas.ENTERPRISE}:{sub_key}"), sub_item)


def _apply(resource_schema: str, body: dict, op: str, target: PatchPath, value: Any) -> None:
    path = target.path
    if path.sub and target.value_filter is None:
        # "name.givenName": a sub-attribute of a single complex attribute, or of every element.
        parent = AttrPath(path.urn, path.attr)
        parent_def = _definition(resource_schema, parent)
        _definition(resource_schema, path)
        container = _container(body, path, create=op != "remove")
        if container is None:
            return
        key = _real_key(container, path.attr, parent_def["name"])
        sub_name = next(s["name"] for s in parent_def["subAttributes"] if s["name"].lower() == path.sub)
        if parent_def.get("multiValued"):
            for element in container.get(key) or []:
                _set_or_remove(element, sub_name, op, value)
            return
        current = container.get(key)
        if not isinstance(current, dict):
            if op == "remove":
                return
            current = container[key] = {}
        _set_or_remove(current, sub_name, op, value)
        if not current:
            container.pop(key, None)
        return
    definition = _definition(resource_schema, path)
    container = _container(body, path, create=op != "remove")
    if container is None:
        return
    key = _real_key(container, path.attr, definition["name"])
    if target.value_filter is not None:
        if not definition.get("multiValued"):
            raise invalid_path(f"{path.key} is not multi-valued: a value filter cannot apply.")
        sub_name = None
        if target.sub:
            sub_def = next(
                (s for s in definition.get("subAttributes", []) if s["name"].lower() == target.sub), None
            )
            if sub_def is None:
                raise invalid_path(f"Unknown sub-attribute {target.sub!r} of {path.key}.")
            if sub_def["mutability"] == "readOnly":
                raise mutability(f"{path.key}.{target.sub} is read-only.")
            sub_name = sub_def["name"]
        elements = container.get(key) or []
        hits = [e for e in elements if isinstance(e, dict) and matches(target.value_filter, e)]
        if not hits:
            if op == "remove":
                return
            raise no_target(f"No value of {path.key} matches the filter.")
        if op == "remove" and sub_name is None:
            container[key] = [e for e in elements if e not in hits]
            if not container[key]:
                del container[key]
            return
        for element in hits:
            if sub_name is not None:
                _set_or_remove(element, sub_name, op, value)
            elif isinstance(value, dict):
                element.update(value)
            else:
                raise invalid_value(f"The value for {path.key}[…] must be an object.")
        return
    if op == "remove":
        if definition.get("multiValued") and value is not None:
            # Some clients remove members by value: {"op":"remove","path":"members","value":[{"value":"1"}]}
            doomed = {str(ci_get(v, "value")) for v in (value if isinstance(value, list) else [value])}
            container[key] = [e for e in container.get(key) or [] if str(ci_get(e, "value")) not in doomed]
        else:
            container.pop(key, None)
        if key in container and not container[key]:
            del container[key]
        return
    if definition.get("multiValued"):
        items = value if isinstance(value, list) else [value]
        if op == "replace":
            container[key] = items
            return
        existing = container.get(key) or []
        if any(isinstance(i, dict) and i.get("primary") is True for i in items):
            for element in existing:
                if isinstance(element, dict):
                    element.pop("primary", None)
        container[key] = existing + [i for i in items if i not in existing]
        return
    if definition["type"] == "complex" and isinstance(value, dict) and op == "add":
        current = container.get(key)
        container[key] = {**current, **value} if isinstance(current, dict) else value
        return
    container[key] = value


def _set_or_remove(element: Any, name: str, op: str, value: Any) -> None:
    if not isinstance(element, dict):
        return
    existing = next((k for k in element if k.lower() == name.lower()), name)
    if op == "remove":
        element.pop(existing, None)
    else:
        element[existing] = value
