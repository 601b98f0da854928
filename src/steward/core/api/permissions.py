from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission

from steward.core.models.auth import Token
from steward.core.permissions import perm_name

METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class ObjectActionPermission(BasePermission):
    """Model-level check per HTTP method; rows are narrowed by the viewset's restricted queryset."""

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if (
            isinstance(request.auth, Token)
            and request.auth.scope not in ("", "api")
            and request.auth.scope not in getattr(view, "token_scopes", ())
        ):
            return False
        if (
            isinstance(request.auth, Token)
            and not request.auth.write_enabled
            and request.method not in SAFE_METHODS
        ):
            return False
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None:
            return True
        action = getattr(view, "required_action", None) or METHOD_ACTIONS.get(request.method, "view")
        if request.method == "POST" and getattr(view, "action", None) not in (None, "create", "bulk"):
            action = getattr(view, "required_action", None) or "change"
        return user.has_perm(perm_name(model, action))
