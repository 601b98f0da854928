"""The SCIM 2.0 endpoint at ``/scim/v2/`` (RFC 7644): discovery, Users, Groups, search.

Requests authenticate with a Steward API token whose scope is ``scim`` (``Authorization:
Bearer <key>``). Everything a token's user does is checked against the same object
permissions as the UI and the REST API, and written to the change log with source ``scim``.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import IntegrityError
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from steward.core import auth
from steward.core.api.authentication import TokenRejected, check_token
from steward.core.context import change_context
from steward.core.models import TokenScope
from steward.core.permissions import restrict_queryset
from steward.identity import conf, services
from steward.identity.scim import schemas
from steward.identity.scim.errors import ScimError, invalid_filter, invalid_syntax, invalid_value, not_found
from steward.identity.scim.filters import (
    AttrPath,
    Node,
    Unmapped,
    ValuePath,
    matches,
    parse_filter,
    split_path,
    to_q,
)
from steward.identity.scim.resources import ADAPTERS, CASE_EXACT, Adapter

CONTENT_TYPE = "application/scim+json"
DEFAULT_COUNT = 100


def _response(body: dict, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    response = JsonResponse(
        body, status=status, content_type=CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def _error(exc: ScimError) -> HttpResponse:
    headers = {"WWW-Authenticate": 'Bearer realm="scim"'} if exc.status == 401 else None
    return _response(exc.as_dict(), exc.status, headers)


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/scim/v2").rstrip("/")


def _authenticate(request: HttpRequest) -> Any:
    header = request.headers.get("Authorization", "").split()
    if len(header) != 2 or header[0].lower() not in ("bearer", "token"):
        raise ScimError(_("Send a SCIM token as 'Authorization: Bearer <key>'."), status=401)
    try:
        token = check_token(header[1], auth.client_address(request), TokenScope.SCIM)
    except TokenRejected as exc:
        raise ScimError(str(exc), status=429 if exc.throttled else 401) from None
    request._api_user = token.user
    return token


def _body(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise invalid_syntax(_("The request body is not valid JSON.")) from None


@csrf_exempt
def endpoint(request: HttpRequest, path: str = "") -> HttpResponse:
    """One entry point: authenticate, route, and turn every failure into an RFC error body."""
    try:
        if not conf.scim_enabled():
            raise ScimError(_("SCIM provisioning is turned off."), status=404)
        token = _authenticate(request)
        with change_context(actor=token.user, request_id=getattr(request, "id", None), source="scim"):
            return _route(request, token, [p for p in path.split("/") if p])
    except ScimError as exc:
        return _error(exc)
    except IntegrityError as exc:
        return _error(
            ScimError(f"The change conflicts with existing data: {exc}", status=409, scim_type="uniqueness")
        )


def _route(request: HttpRequest, token: Any, parts: list[str]) -> HttpResponse:
    base = _base(request)
    method = request.method
    if not parts:
        raise not_found(_("Nothing here: see /scim/v2/ServiceProviderConfig."))
    head = parts[0]
    if head == ".search" and len(parts) == 1:
        _only(method, "POST")
        return _root_search(request, token.user, base)
    if head == "ServiceProviderConfig" and len(parts) == 1:
        _only(method, "GET")
        return _response(
            schemas.service_provider_config(base, request.build_absolute_uri("/static/docs/identity.html"))
        )
    if head == "ResourceTypes":
        _only(method, "GET")
        types = schemas.resource_types(base)
        if len(parts) == 1:
            return _response(_list(types, len(types), 1))
        found = next((t for t in types if t["id"] == parts[1]), None)
        if found is None or len(parts) > 2:
            raise not_found(_("Unknown resource type."))
        return _response(found)
    if head == "Schemas":
        _only(method, "GET")
        if len(parts) == 1:
            docs = [schemas.schema_document(urn, base) for urn in schemas.SCHEMAS]
            return _response(_list(docs, len(docs), 1))
        urn = "/".join(parts[1:])
        if urn not in schemas.SCHEMAS:
            raise not_found(_("Unknown schema."))
        return _response(schemas.schema_document(urn, base))
    adapter = ADAPTERS.get(head)
    if adapter is None:
        raise not_found(_("Unknown endpoint /%(path)s.") % {"path": "/".join(parts)})
    if len(parts) == 1:
        if method == "GET":
            return _search(request, adapter, token.user, request.GET, base)
        if method == "POST":
            _writable(token)
            obj = services.scim_create(adapter=adapter, data=_body(request), actor=token.user, base=base)
            body = adapter.represent(_reload(adapter, obj), base)
            return _response(
                body, 201, {"Location": body["meta"]["location"], "ETag": body["meta"]["version"]}
            )
        raise ScimError(_("Method not allowed."), status=405)
    if len(parts) == 2 and parts[1] == ".search":
        _only(method, "POST")
        return _search(request, adapter, token.user, _search_params(request), base)
    if len(parts) != 2:
        raise not_found(_("Unknown endpoint."))
    obj = _get(adapter, token.user, parts[1])
    current = adapter.represent(obj, base)
    version = current["meta"]["version"]
    if method == "GET":
        if request.headers.get("If-None-Match") == version:
            return HttpResponse(status=304, headers={"ETag": version})
        return _response(_project(current, request.GET), headers={"ETag": version})
    _writable(token)
    if_match = request.headers.get("If-Match")
    if if_match and if_match.strip() != "*" and version not in [v.strip() for v in if_match.split(",")]:
        raise ScimError(_("The resource changed since you read it (ETag mismatch)."), status=412)
    action = "delete" if method == "DELETE" else "change"
    if not restrict_queryset(adapter.model.objects.filter(pk=obj.pk), token.user, action).exists():
        raise ScimError(_("You may not %(action)s this resource.") % {"action": action}, status=403)
    if method == "DELETE":
        services.scim_delete(adapter=adapter, obj=obj, actor=token.user)
        return HttpResponse(status=204)
    if method == "PUT":
        obj = services.scim_replace(
            adapter=adapter, obj=obj, data=_body(request), actor=token.user, base=base
        )
    elif method == "PATCH":
        obj = services.scim_patch(adapter=adapter, obj=obj, data=_body(request), actor=token.user, base=base)
    else:
        raise ScimError(_("Method not allowed."), status=405)
    body = adapter.represent(_reload(adapter, obj), base)
    return _response(_project(body, request.GET), headers={"ETag": body["meta"]["version"]})


def _only(method: str | None, allowed: str) -> None:
    if method != allowed:
        raise ScimError(_("Method not allowed."), status=405)


def _writable(token: Any) -> None:
    if not token.write_enabled:
        raise ScimError(_("This token is read-only."), status=403)


def _reload(adapter: Adapter, obj: Any) -> Any:
    return adapter.queryset().get(pk=obj.pk)


def _get(adapter: Adapter, user: Any, pk: str) -> Any:
    obj = None
    if pk.isdigit() and len(pk) < 19:
        obj = restrict_queryset(adapter.queryset(), user, "view").filter(pk=int(pk)).first()
    if obj is None:
        raise not_found(_("%(type)s %(id)s not found.") % {"type": adapter.name, "id": pk[:40]})
    return obj


def _list(resources: list[dict], total: int, start: int) -> dict:
    return {
        "schemas": [schemas.LIST_RESPONSE],
        "totalResults": total,
        "startIndex": start,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }


def _int_param(params: Any, name: str, default: int) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise invalid_value(_("%(name)s must be a whole number.") % {"name": name}) from None


def _check_paths(adapter: Adapter, node: Node) -> None:
    """Refuse a filter that names an attribute the resource does not have."""
    if hasattr(node, "left"):
        _check_paths(adapter, node.left)
        _check_paths(adapter, node.right)
        return
    if hasattr(node, "inner") and not isinstance(node, ValuePath):
        _check_paths(adapter, node.inner)
        return
    path: AttrPath = node.path
    if isinstance(node, ValuePath):
        _known(adapter, path)
        _check_inner(adapter, path, node.inner)
        return
    _known(adapter, path)  # a Compare or a Present


def _check_inner(adapter: Adapter, outer: AttrPath, node: Node) -> None:
    if hasattr(node, "left"):
        _check_inner(adapter, outer, node.left)
        _check_inner(adapter, outer, node.right)
    elif hasattr(node, "inner"):
        _check_inner(adapter, outer, node.inner)
    else:
        _known(adapter, AttrPath(outer.urn, outer.attr, node.path.attr))


def _known(adapter: Adapter, path: AttrPath) -> None:
    if path.urn is None and path.attr in ("id", "externalid") and path.sub is None:
        return
    if (
        path.urn is None
        and path.attr == "meta"
        and path.sub in (None, "created", "lastmodified", "resourcetype", "location", "version")
    ):
        return
    if schemas.attribute_definition(adapter.schema, path.urn, path.attr, path.sub) is None:
        raise invalid_filter(_("Unknown attribute %(path)s in the filter.") % {"path": path.key})


def _search(request: HttpRequest, adapter: Adapter, user: Any, params: Any, base: str) -> HttpResponse:
    start = max(_int_param(params, "startIndex", 1), 1)
    count = min(max(_int_param(params, "count", DEFAULT_COUNT), 0), schemas.MAX_RESULTS)
    qs = restrict_queryset(adapter.queryset(), user, "view")
    node = None
    in_python = False
    text = params.get("filter")
    if text not in (None, ""):
        node = parse_filter(str(text))
        _check_paths(adapter, node)
        try:
            qs = qs.filter(to_q(node, adapter.columns)).distinct()
        except Unmapped:
            in_python = True
    sort_key = None
    descending = str(params.get("sortOrder") or "ascending").lower() == "descending"
    if params.get("sortBy"):
        sort_path = split_path(str(params["sortBy"]), invalid_value)
        _known(adapter, sort_path)
        sort_key = sort_path.key
        if sort_key in adapter.sort:
            field = adapter.sort[sort_key]
            expression = F(field) if isinstance(field, str) else field
            qs = qs.order_by(expression.desc() if descending else expression.asc(), "pk")
        else:
            in_python = True
    else:
        qs = qs.order_by("pk")
    if in_python:
        everything = [adapter.represent(o, base) for o in qs]
        if node is not None:
            everything = [r for r in everything if matches(node, r, CASE_EXACT)]
        if sort_key is not None and sort_key not in adapter.sort:
            sort_path = split_path(str(params["sortBy"]), invalid_value)
            from steward.identity.scim.filters import values_at

            def key(r: dict) -> tuple:
                values = values_at(r, sort_path)
                first = values[0] if values else None
                return (first is None, str(first).lower() if first is not None else "")

            everything.sort(key=key, reverse=descending)
        total = len(everything)
        page = everything[start - 1 : start - 1 + count]
    else:
        total = qs.count()
        page = [adapter.represent(o, base) for o in qs[start - 1 : start - 1 + count]] if count else []
    return _response(_list([_project(r, params) for r in page], total, start))


def _search_params(request: HttpRequest) -> dict:
    data = _body(request)
    if not isinstance(data, dict):
        raise invalid_syntax(_("The search body must be a JSON object."))
    return {k: (",".join(v) if isinstance(v, list) else v) for k, v in data.items() if k != "schemas"}


def _root_search(request: HttpRequest, user: Any, base: str) -> HttpResponse:
    """POST /.search: every resource type at once, filtered on each one's JSON."""
    params = _search_params(request)
    start = max(_int_param(params, "startIndex", 1), 1)
    count = min(max(_int_param(params, "count", DEFAULT_COUNT), 0), schemas.MAX_RESULTS)
    node = parse_filter(str(params["filter"])) if params.get("filter") not in (None, "") else None
    found = []
    for adapter in ADAPTERS.values():
        for obj in restrict_queryset(adapter.queryset(), user, "view").order_by("pk"):
            body = adapter.represent(obj, base)
            if node is None or matches(node, body, CASE_EXACT):
                found.append(body)
    page = found[start - 1 : start - 1 + count]
    return _response(_list([_project(r, params) for r in page], len(found), start))


def _project(body: dict, params: Any) -> dict:
    """Apply ``attributes`` / ``excludedAttributes`` (id, schemas and meta are always returned)."""
    wanted = [a.strip() for a in str(params.get("attributes") or "").split(",") if a.strip()]
    unwanted = [a.strip() for a in str(params.get("excludedAttributes") or "").split(",") if a.strip()]
    if not wanted and not unwanted:
        return body
    if wanted:
        out = {k: body[k] for k in ("schemas", "id", "meta") if k in body}
        for text in wanted:
            path = split_path(text, invalid_value)
            _copy_path(body, out, path)
        return out
    out = json.loads(json.dumps(body))
    for text in unwanted:
        path = split_path(text, invalid_value)
        if path.attr in ("id", "schemas") and not path.urn:
            continue
        container = _find(out, path.urn)
        if container is None:
            continue
        key = next((k for k in container if k.lower() == path.attr), None)
        if key is None:
            continue
        if path.sub is None:
            del container[key]
        elif isinstance(container[key], dict):
            container[key] = {k: v for k, v in container[key].items() if k.lower() != path.sub}
        elif isinstance(container[key], list):
            container[key] = [{k: v for k, v in e.items() if k.lower() != path.sub} for e in container[key]]
    return out


def _find(body: dict, urn: str | None) -> dict | None:
    if urn is None:
        return body
    key = next((k for k in body if k.lower() == urn), None)
    return body.get(key) if key else None


def _copy_path(source: dict, target: dict, path: AttrPath) -> None:
    container = _find(source, path.urn)
    if container is None:
        return
    key = next((k for k in container if k.lower() == path.attr), None)
    if key is None:
        return
    if path.urn:
        urn_key = next(k for k in source if k.lower() == path.urn)
        destination = target.setdefault(urn_key, {})
    else:
        destination = target
    value = container[key]
    if path.sub is None:
        destination[key] = value
    elif isinstance(value, dict):
        destination.setdefault(key, {}).update({k: v for k, v in value.items() if k.lower() == path.sub})
    elif isinstance(value, list):
        destination[key] = [{k: v for k, v in e.items() if k.lower() == path.sub} for e in value]
