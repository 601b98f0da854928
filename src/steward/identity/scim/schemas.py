"""What this SCIM service provider publishes about itself (RFC 7643 §5–§7).

The schemas list exactly the attributes Steward stores, so a client (or ``scim2-tester``)
that reads them knows what it can write and read back. ``emails`` is required: every
person in Steward has an e-mail address.
"""

from __future__ import annotations

from typing import Any

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"
RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SPC_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"

CORE_URNS = {USER.lower(), GROUP.lower()}
EXTENSION_URNS = {ENTERPRISE.lower()}
MAX_RESULTS = 1000


def attribute(
    name: str,
    type_: str = "string",
    *,
    multi: bool = False,
    required: bool = False,
    case_exact: bool = False,
    mutability: str = "readWrite",
    returned: str = "default",
    uniqueness: str = "none",
    sub: list[dict[str, Any]] | None = None,
    canonical: list[str] | None = None,
    refs: list[str] | None = None,
    description: str = "",
) -> dict[str, Any]:
    attr: dict[str, Any] = {
        "name": name,
        "type": type_,
        "multiValued": multi,
        "description": description or name,
        "required": required,
        "mutability": mutability,
        "returned": returned,
    }
    if type_ in ("string", "reference", "binary"):
        attr["caseExact"] = case_exact
    if type_ == "string":
        attr["uniqueness"] = uniqueness
    if canonical:
        attr["canonicalValues"] = canonical
    if refs:
        attr["referenceTypes"] = refs
    if sub is not None:
        attr["subAttributes"] = sub
    return attr


def _multi(name: str, *, required: bool = False, types: list[str]) -> dict[str, Any]:
    return attribute(
        name,
        "complex",
        multi=True,
        required=required,
        sub=[
            attribute("value", required=required),
            attribute("display"),
            attribute("type", canonical=types),
            attribute("primary", "boolean"),
        ],
    )


USER_ATTRIBUTES = [
    attribute("userName", required=True, uniqueness="server", description="Sign-in name of the account."),
    attribute(
        "name",
        "complex",
        sub=[
            attribute("formatted"),
            attribute("familyName"),
            attribute("givenName"),
            attribute("middleName"),
            attribute("honorificPrefix"),
            attribute("honorificSuffix"),
        ],
    ),
    attribute("displayName"),
    attribute("nickName"),
    attribute("title"),
    attribute("preferredLanguage"),
    attribute("locale"),
    attribute("timezone"),
    attribute("active", "boolean"),
    _multi("emails", required=True, types=["work", "home", "other"]),
    _multi("phoneNumbers", types=["work", "home", "mobile", "fax", "pager", "other"]),
    attribute(
        "groups",
        "complex",
        multi=True,
        mutability="readOnly",
        sub=[
            attribute("value", mutability="readOnly"),
            attribute("$ref", "reference", mutability="readOnly", refs=["Group"]),
            attribute("display", mutability="readOnly"),
            attribute("type", mutability="readOnly", canonical=["direct"]),
        ],
    ),
]

ENTERPRISE_ATTRIBUTES = [
    attribute("employeeNumber"),
    attribute("department"),
    attribute(
        "manager",
        "complex",
        sub=[
            attribute("value"),
            attribute("$ref", "reference", refs=["User"]),
        ],
    ),
]

GROUP_ATTRIBUTES = [
    attribute("displayName", required=True, uniqueness="server"),
    attribute(
        "members",
        "complex",
        multi=True,
        sub=[
            attribute("value", mutability="immutable"),
            attribute("$ref", "reference", mutability="immutable", refs=["User"]),
            attribute("type", mutability="immutable", canonical=["User"]),
        ],
    ),
]

SCHEMAS = {
    USER: ("User", "User Account", USER_ATTRIBUTES),
    GROUP: ("Group", "Group", GROUP_ATTRIBUTES),
    ENTERPRISE: ("EnterpriseUser", "Enterprise User", ENTERPRISE_ATTRIBUTES),
}


def schema_document(urn: str, base: str) -> dict[str, Any]:
    name, description, attributes = SCHEMAS[urn]
    return {
        "schemas": [SCHEMA_SCHEMA],
        "id": urn,
        "name": name,
        "description": description,
        "attributes": attributes,
        "meta": {"resourceType": "Schema", "location": f"{base}/Schemas/{urn}"},
    }


def resource_types(base: str) -> list[dict[str, Any]]:
    return [
        {
            "schemas": [RESOURCE_TYPE_SCHEMA],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": "People with their accounts",
            "schema": USER,
            "schemaExtensions": [{"schema": ENTERPRISE, "required": False}],
            "meta": {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/User"},
        },
        {
            "schemas": [RESOURCE_TYPE_SCHEMA],
            "id": "Group",
            "name": "Group",
            "endpoint": "/Groups",
            "description": "Teams",
            "schema": GROUP,
            "meta": {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/Group"},
        },
    ]


def service_provider_config(base: str, docs_url: str) -> dict[str, Any]:
    return {
        "schemas": [SPC_SCHEMA],
        "documentationUri": docs_url,
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": False},
        "sort": {"supported": True},
        "etag": {"supported": True},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "A Steward API token whose scope is SCIM, sent as Authorization: Bearer <key>.",
                "primary": True,
            }
        ],
        "meta": {"resourceType": "ServiceProviderConfig", "location": f"{base}/ServiceProviderConfig"},
    }


def attribute_definition(
    resource_schema: str, path_urn: str | None, attr: str, sub: str | None
) -> dict | None:
    """The published definition of an attribute (lower-cased names), or None if unknown."""
    urn = path_urn or resource_schema
    if urn.lower() == ENTERPRISE.lower():
        attributes = ENTERPRISE_ATTRIBUTES
    else:
        attributes = SCHEMAS.get(resource_schema, ("", "", []))[2]
    for definition in attributes:
        if definition["name"].lower() == attr:
            if sub is None:
                return definition
            for sub_definition in definition.get("subAttributes", []):
                if sub_definition["name"].lower() == sub:
                    return sub_definition
            return None
    return None
