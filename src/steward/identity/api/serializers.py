from __future__ import annotations

from steward.core.api.serializers import StewardModelSerializer
from steward.identity.models import LDAPDirectory, OIDCProvider

COMMON = ("id", "url", "display", "tags", "custom_fields", "created", "last_updated")


class LDAPDirectorySerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = LDAPDirectory
        fields = (
            *COMMON,
            "name",
            "enabled",
            "login_enabled",
            "sync_enabled",
            "server_uri",
            "start_tls",
            "verify_certificate",
            "bind_dn",
            "bind_password_env",
            "user_base_dn",
            "user_filter",
            "group_base_dn",
            "group_filter",
            "attribute_map",
            "role_map",
            "timeout",
            "last_sync",
            "last_sync_outcome",
            "last_sync_report",
        )
        read_only_fields = ("last_sync", "last_sync_outcome", "last_sync_report")
        brief_fields = ("id", "url", "display", "name")


class OIDCProviderSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = OIDCProvider
        fields = (
            *COMMON,
            "name",
            "slug",
            "enabled",
            "issuer",
            "client_id",
            "client_secret_env",
            "scopes",
            "claim_map",
            "role_map",
            "create_users",
            "button_label",
        )
        brief_fields = ("id", "url", "display", "slug")
