from __future__ import annotations

from steward.core.forms import StewardModelForm
from steward.identity.models import LDAPDirectory, OIDCProvider


class LDAPDirectoryForm(StewardModelForm):
    class Meta:
        model = LDAPDirectory
        fields = (
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
            "tags",
        )


class OIDCProviderForm(StewardModelForm):
    class Meta:
        model = OIDCProvider
        fields = (
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
            "tags",
        )
