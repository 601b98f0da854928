"""SCIM error responses (RFC 7644 §3.12): an HTTP status, a ``scimType`` and a detail."""

from __future__ import annotations

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


class ScimError(Exception):
    """Raised anywhere in a SCIM request; the view turns it into the RFC's error body."""

    def __init__(self, detail: str, *, status: int = 400, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status
        self.scim_type = scim_type

    def as_dict(self) -> dict:
        body = {"schemas": [ERROR_SCHEMA], "status": str(self.status), "detail": self.detail}
        if self.scim_type:
            body["scimType"] = self.scim_type
        return body


def invalid_filter(detail: str) -> ScimError:
    return ScimError(detail, scim_type="invalidFilter")


def invalid_path(detail: str) -> ScimError:
    return ScimError(detail, scim_type="invalidPath")


def invalid_value(detail: str) -> ScimError:
    return ScimError(detail, scim_type="invalidValue")


def invalid_syntax(detail: str) -> ScimError:
    return ScimError(detail, scim_type="invalidSyntax")


def mutability(detail: str) -> ScimError:
    return ScimError(detail, scim_type="mutability")


def no_target(detail: str) -> ScimError:
    return ScimError(detail, scim_type="noTarget")


def uniqueness(detail: str) -> ScimError:
    return ScimError(detail, status=409, scim_type="uniqueness")


def not_found(detail: str) -> ScimError:
    return ScimError(detail, status=404)
