"""Django authentication backend for LDAP / Active Directory sign-in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend


class LDAPBackend(BaseBackend):
    """Checks the password against the directory; permissions come from ObjectPermissionBackend."""

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        from steward.identity import services

        return services.ldap_login(username=username or "", password=password or "")

    def get_user(self, user_id: int) -> Any:
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(pk=user_id, is_active=True).first()
