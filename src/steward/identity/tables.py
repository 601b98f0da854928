from __future__ import annotations

import django_tables2 as tables

from steward.core.tables import ChoiceBadgeColumn, StewardTable
from steward.identity.models import LDAPDirectory, OIDCProvider


class LDAPDirectoryTable(StewardTable):
    name = tables.Column(linkify=True)
    last_sync_outcome = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = LDAPDirectory
        fields = (
            "pk",
            "name",
            "server_uri",
            "enabled",
            "login_enabled",
            "sync_enabled",
            "last_sync",
            "last_sync_outcome",
        )
        default_columns = ("name", "server_uri", "enabled", "last_sync", "last_sync_outcome")


class OIDCProviderTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = OIDCProvider
        fields = ("pk", "name", "slug", "issuer", "enabled", "create_users")
        default_columns = ("name", "issuer", "enabled", "create_users")
