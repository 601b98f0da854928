from __future__ import annotations

from steward.core.filtersets import StewardFilterSet
from steward.identity.models import LDAPDirectory, OIDCProvider


class LDAPDirectoryFilterSet(StewardFilterSet):
    search_fields = ("name", "server_uri", "user_base_dn")

    class Meta:
        model = LDAPDirectory
        fields = ("name", "enabled", "login_enabled", "sync_enabled", "last_sync_outcome")


class OIDCProviderFilterSet(StewardFilterSet):
    search_fields = ("name", "slug", "issuer")

    class Meta:
        model = OIDCProvider
        fields = ("name", "slug", "enabled", "create_users")
