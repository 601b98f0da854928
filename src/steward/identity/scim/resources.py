"""SCIM Users and Groups as Steward people (with their accounts) and teams.

A User is an ``org.Person`` (id = the person's id) with its Django account (``userName``);
a Group is an ``org.Team`` whose ``members`` are people. Mapped attributes live in their
columns; whatever else a client sent (all e-mail addresses with types, ``nickName``…) is
kept on the person's SCIM ``ExternalIdentity``. When a mapped column changes in Steward
after the client wrote it, the column wins on read, so a SCIM client always sees the truth.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from steward.identity.choices import IdentitySource
from steward.identity.models import ExternalIdentity
from steward.identity.scim import schemas
from steward.identity.scim.errors import invalid_syntax, invalid_value, mutability
from steward.identity.scim.filters import (
    QBuilder,
    datetime_column,
    integer_column,
    string_column,
)
from steward.org.choices import PersonStatus
from steward.org.models import Person, Team

ENTERPRISE = schemas.ENTERPRISE
MISSING = object()


def _scim_links() -> QuerySet:
    return ExternalIdentity.objects.filter(source=IdentitySource.SCIM)


def _external_id_q(target: str) -> QBuilder:
    inner = string_column("external_id", case_exact=True)

    def build(op: str, value: Any) -> Q:
        if op == "ne":
            return ~build("eq", value)
        if value is None and op == "eq":
            return ~Q(pk__in=_scim_links().exclude(external_id="").values(f"{target}_id"))
        return Q(pk__in=_scim_links().filter(inner(op, value)).values(f"{target}_id"))

    return build


def _active_q(op: str, value: Any) -> Q:
    if op == "pr":
        return Q()
    if not isinstance(value, bool) or op not in ("eq", "ne"):
        from steward.identity.scim.filters import invalid_filter

        raise invalid_filter("active compares only with eq/ne true or false.")
    active = ~Q(status=PersonStatus.LEFT) & (Q(user__isnull=True) | Q(user__is_active=True))
    return active if (value is (op == "eq")) else ~active


def _member_q(op: str, value: Any) -> Q:
    through = Team.members.through
    inner = integer_column("person_id")
    if op == "ne":
        return ~_member_q("eq", value)
    return Q(pk__in=through.objects.filter(inner(op, value)).values("team_id"))


USER_COLUMNS: dict[str, QBuilder] = {
    "id": integer_column("pk"),
    "username": string_column("user__username"),
    "externalid": _external_id_q("person"),
    "name.givenname": string_column("first_name"),
    "name.familyname": string_column("last_name"),
    "title": string_column("title"),
    "active": _active_q,
    "meta.created": datetime_column("created"),
    "meta.lastmodified": datetime_column("last_updated"),
    f"{ENTERPRISE.lower()}:employeenumber": string_column("employee_id"),
    f"{ENTERPRISE.lower()}:department": string_column("department__name"),
    f"{ENTERPRISE.lower()}:manager.value": integer_column("manager_id"),
}
GROUP_COLUMNS: dict[str, QBuilder] = {
    "id": integer_column("pk"),
    "displayname": string_column("name"),
    "externalid": _external_id_q("team"),
    "members.value": integer_column("members__id"),
    "members": _member_q,
    "meta.created": datetime_column("created"),
    "meta.lastmodified": datetime_column("last_updated"),
}
USER_SORT = {
    "id": "pk",
    "username": Coalesce("user__username", "email"),
    "name.givenname": "first_name",
    "name.familyname": "last_name",
    "title": "title",
    "meta.created": "created",
    "meta.lastmodified": "last_updated",
}
GROUP_SORT = {
    "id": "pk",
    "displayname": "name",
    "meta.created": "created",
    "meta.lastmodified": "last_updated",
}
CASE_EXACT = {"id", "externalid"}


def version_of(body: dict) -> str:
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()[:20]
    return f'W/"{digest}"'


def _iso(value: Any) -> str:
    return value.isoformat().replace("+00:00", "Z")


# --- input validation ------------------------------------------------------------------------------
def _check_value(definition: dict, value: Any, where: str) -> Any:
    kind = definition["type"]
    if definition.get("multiValued"):
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        single = dict(definition, multiValued=False)
        return [_check_value(single, item, where) for item in items]
    if value is None:
        return None
    if kind == "complex":
        if not isinstance(value, dict):
            raise invalid_value(f"{where} must be an object.")
        out = {}
        subs = {s["name"].lower(): s for s in definition.get("subAttributes", [])}
        for key, item in value.items():
            sub = subs.get(key.lower())
            if sub is None:
                raise invalid_value(f"Unknown attribute {where}.{key}.")
            if sub["mutability"] == "readOnly":
                continue
            checked = _check_value(sub, item, f"{where}.{sub['name']}")
            if checked is not None:
                out[sub["name"]] = checked
        return out
    if kind == "boolean":
        if not isinstance(value, bool):
            raise invalid_value(f"{where} must be true or false, not {value!r}.")
        return value
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise invalid_value(f"{where} must be a whole number.")
        return value
    if not isinstance(value, str):
        raise invalid_value(f"{where} must be a string, not {value!r}.")
    if len(value) > 500:
        raise invalid_value(f"{where} is longer than 500 characters.")
    return value


def normalise(resource_schema: str, data: Any, *, extension_allowed: bool) -> tuple[dict, str | None]:
    """Validate a POST/PUT body (or a patched resource); return (attributes, externalId).

    Names are put in their published spelling; read-only attributes (``id``, ``meta``,
    ``groups``) are ignored as RFC 7644 §3.3 says; anything unknown is refused.
    """
    if not isinstance(data, dict):
        raise invalid_syntax("The request body must be a JSON object.")
    declared = data.get("schemas")
    if not isinstance(declared, list) or resource_schema.lower() not in {str(s).lower() for s in declared}:
        raise invalid_syntax(f"The body must list the schema {resource_schema} in 'schemas'.")
    attributes = schemas.SCHEMAS[resource_schema][2]
    by_name = {a["name"].lower(): a for a in attributes}
    out: dict[str, Any] = {}
    external_id = None
    for key, value in data.items():
        lowered = key.lower()
        if lowered in ("schemas", "id", "meta"):
            continue
        if lowered == "externalid":
            if value is not None and not isinstance(value, str):
                raise invalid_value("externalId must be a string.")
            external_id = value or None
            continue
        if extension_allowed and lowered == ENTERPRISE.lower():
            if isinstance(value, dict):
                value = {k: v for k, v in value.items() if k.lower() != "schemas"}
            ext = _check_value(
                {"type": "complex", "subAttributes": schemas.ENTERPRISE_ATTRIBUTES}, value, "enterprise"
            )
            if ext:
                out[ENTERPRISE] = ext
            continue
        if lowered.startswith(f"{resource_schema.lower()}:"):
            lowered = lowered.rsplit(":", 1)[1]
        definition = by_name.get(lowered)
        if definition is None:
            raise invalid_value(f"Unknown attribute {key!r}.")
        if definition["mutability"] == "readOnly":
            continue
        checked = _check_value(definition, value, definition["name"])
        if checked not in (None, [], {}):
            out[definition["name"]] = checked
    for definition in attributes:
        if definition["required"] and out.get(definition["name"]) in (None, "", []):
            raise invalid_value(f"{definition['name']} is required.")
    for multi in ("emails", "phoneNumbers", "members"):
        for item in out.get(multi, []):
            if multi != "members" and not item.get("value"):
                raise invalid_value(f"Every entry of {multi} needs a value.")
    return out, external_id


def primary_value(items: list[dict] | None) -> str:
    if not items:
        return ""
    chosen = next((i for i in items if i.get("primary") is True), items[0])
    return str(chosen.get("value") or "")


def check_immutable(old: dict, new: dict) -> None:
    """``members.value`` etc. are immutable only per element; nothing else here is immutable."""
    return None


# --- representation --------------------------------------------------------------------------------
@dataclass
class Adapter:
    """How one resource type maps onto its model."""

    name: str
    endpoint: str
    schema: str
    model: type
    columns: dict[str, QBuilder]
    sort: dict[str, Any]
    link_field: str
    represent_columns: Callable[[Any, str], dict[str, Any]]
    extension: bool = False
    prefetch: list[Any] = field(default_factory=list)

    def queryset(self) -> QuerySet:
        hidden = (
            _scim_links()
            .filter(disabled=True, **{f"{self.link_field}__isnull": False})
            .values(f"{self.link_field}_id")
        )
        qs = self.model.objects.exclude(pk__in=hidden)
        return qs.prefetch_related(
            *self.prefetch, Prefetch("external_identities", queryset=_scim_links(), to_attr="scim_links")
        )

    def link(self, obj: Any) -> ExternalIdentity | None:
        links = getattr(obj, "scim_links", None)
        if links is None:
            return _scim_links().filter(**{self.link_field: obj}).first()
        return links[0] if links else None

    def location(self, obj: Any, base: str) -> str:
        return f"{base}{self.endpoint}/{obj.pk}"

    def represent(self, obj: Any, base: str) -> dict[str, Any]:
        link = self.link(obj)
        stored = (link.attributes if link else {}) or {}
        body: dict[str, Any] = copy.deepcopy(stored.get("scim", {}))
        written = stored.get("columns", {})
        for path, value in self.represent_columns(obj, base).items():
            if path in ("groups", "members") or written.get(path, MISSING) != value:
                _set(body, path, value)
        out: dict[str, Any] = {"schemas": [self.schema], "id": str(obj.pk)}
        if link and link.external_id:
            out["externalId"] = link.external_id
        out.update(body)
        for key in [k for k, v in out.items() if v in (None, "", [], {}) and k not in ("id", "schemas")]:
            del out[key]
        if ENTERPRISE in out:
            out["schemas"].append(ENTERPRISE)
        out["meta"] = {
            "resourceType": self.name,
            "created": _iso(obj.created),
            "lastModified": _iso(obj.last_updated),
            "location": self.location(obj, base),
        }
        out["meta"]["version"] = version_of(out)
        return out


def _set(body: dict, path: str, value: Any) -> None:
    """Set a column's value at a path such as ``name.givenName`` or ``<urn>:manager.value``."""
    container = body
    if path.startswith(ENTERPRISE + ":"):
        container = body.setdefault(ENTERPRISE, {})
        path = path[len(ENTERPRISE) + 1 :]
    if path in ("emails", "phoneNumbers"):
        items = container.get(path) or []
        if not value:
            container.pop(path, None)
            return
        chosen = next((i for i in items if i.get("primary") is True), items[0] if items else None)
        if chosen is None:
            container[path] = [{"value": value, "type": "work", "primary": True}]
        else:
            chosen["value"] = value
        return
    parts = path.split(".")
    for part in parts[:-1]:
        nxt = container.get(part)
        if not isinstance(nxt, dict):
            if value in (None, ""):
                return
            nxt = container[part] = {}
        container = nxt
    if value in (None, "", []):
        container.pop(parts[-1], None)
    else:
        container[parts[-1]] = value
    if ENTERPRISE in body and not body[ENTERPRISE]:
        del body[ENTERPRISE]
    if isinstance(body.get("name"), dict) and not body["name"]:
        del body["name"]


def user_columns(person: Person, base: str) -> dict[str, Any]:
    """The values Steward's columns hold, at their SCIM paths."""
    user = person.user
    manager = None
    if person.manager_id:
        manager = {"value": str(person.manager_id), "$ref": f"{base}/Users/{person.manager_id}"}
    return {
        "userName": user.username if user else person.email,
        "name.givenName": person.first_name,
        "name.familyName": person.last_name,
        "title": person.title,
        "emails": person.email,
        "phoneNumbers": person.phone,
        "active": (person.status != PersonStatus.LEFT) and (user.is_active if user else True),
        f"{ENTERPRISE}:employeeNumber": person.employee_id,
        f"{ENTERPRISE}:department": person.department.name if person.department else "",
        f"{ENTERPRISE}:manager": manager,
        "groups": [
            {"value": str(t.pk), "$ref": f"{base}/Groups/{t.pk}", "display": t.name, "type": "direct"}
            for t in person.teams.all()
        ],
    }


def group_columns(team: Team, base: str) -> dict[str, Any]:
    return {
        "displayName": team.name,
        "members": [
            {"value": str(p.pk), "$ref": f"{base}/Users/{p.pk}", "type": "User"} for p in team.members.all()
        ],
    }


USERS = Adapter(
    name="User",
    endpoint="/Users",
    schema=schemas.USER,
    model=Person,
    columns=USER_COLUMNS,
    sort=USER_SORT,
    link_field="person",
    represent_columns=user_columns,
    extension=True,
    prefetch=["user", "manager", "department", "teams"],
)
GROUPS = Adapter(
    name="Group",
    endpoint="/Groups",
    schema=schemas.GROUP,
    model=Team,
    columns=GROUP_COLUMNS,
    sort=GROUP_SORT,
    link_field="team",
    represent_columns=group_columns,
    prefetch=["members"],
)
ADAPTERS = {"Users": USERS, "Groups": GROUPS}


def written_columns(adapter: Adapter, obj: Any, base: str) -> dict[str, Any]:
    """The column values just written, kept so a later change in Steward can be told apart."""
    return {k: v for k, v in adapter.represent_columns(obj, base).items() if k not in ("groups", "members")}


def reject_read_only_patch(path_key: str) -> None:
    if path_key in ("id", "meta", "groups") or path_key.startswith(("meta.", "groups.")):
        raise mutability(f"{path_key} is read-only.")
