"""Directories and identity providers people sign in with and are mirrored from."""

from __future__ import annotations

import json
import os

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel
from steward.identity.choices import SyncOutcome
from steward.utilities.choices import ChoiceField

#: Directory attribute read for each person field unless the attribute map says otherwise.
DEFAULT_LDAP_ATTRIBUTES = {
    "username": "uid",
    "first_name": "givenName",
    "last_name": "sn",
    "email": "mail",
    "title": "title",
    "phone": "telephoneNumber",
    "employee_id": "employeeNumber",
    "department": "departmentNumber",
    "manager": "manager",
    "group_members": "member",
    "group_name": "cn",
    "group_description": "description",
}

#: Claim read for each person field unless the claim map says otherwise.
DEFAULT_OIDC_CLAIMS = {
    "username": "preferred_username",
    "first_name": "given_name",
    "last_name": "family_name",
    "email": "email",
    "roles": "groups",
}

_env_name = RegexValidator(
    r"^[A-Z][A-Z0-9_]*$", _("Give an environment variable name, e.g. STEWARD_LDAP_BIND_PASSWORD.")
)
_uri = RegexValidator(
    r"^ldaps?://[^\s/]+(:\d+)?/?$", _("Give an ldap:// or ldaps:// address, e.g. ldap://dc1:389.")
)


def _run_validators(instance: object, checks: dict[str, RegexValidator]) -> None:
    """Checked in clean(), not as field validators: the API schema would publish them as
    patterns that rows saved before a rule changed could not satisfy."""
    errors = {}
    for field, validator in checks.items():
        value = getattr(instance, field)
        if value:
            try:
                validator(value)
            except ValidationError as exc:
                errors[field] = exc.messages
    if errors:
        raise ValidationError(errors)


def _as_object(value: object) -> object:
    """JSON maps may arrive as text (forms, CSV import); blank means empty."""
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _check_map(value: object, field: str, keys: dict[str, str]) -> None:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ValidationError({field: _('Give an object of names, e.g. {"email": "mail"}.')})
    unknown = sorted(set(value) - set(keys))
    if unknown:
        raise ValidationError(
            {
                field: _("Unknown key(s): %(keys)s. Known: %(known)s.")
                % {"keys": ", ".join(unknown), "known": ", ".join(keys)}
            }
        )


def _check_role_map(value: object, field: str) -> None:
    if not isinstance(value, dict) or not all(
        isinstance(v, list) and all(isinstance(i, str) for i in v) for v in value.values()
    ):
        raise ValidationError({field: _("Give an object mapping a group to a list of role names.")})


class LDAPDirectory(StewardModel):
    """An LDAP or Active Directory server: people sign in against it and are mirrored from it."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    login_enabled = models.BooleanField(_("sign-in enabled"), default=True)
    sync_enabled = models.BooleanField(_("scheduled sync enabled"), default=True)
    server_uri = models.CharField(_("server URI"), max_length=300)
    start_tls = models.BooleanField(_("use StartTLS"), default=False)
    verify_certificate = models.BooleanField(_("verify TLS certificate"), default=True)
    bind_dn = models.CharField(_("bind DN"), max_length=300, blank=True)
    bind_password_env = models.CharField(
        _("bind password variable"),
        max_length=100,
        blank=True,
        default="STEWARD_LDAP_BIND_PASSWORD",
        help_text=_(
            "Name of the environment variable holding the bind password (secrets are never stored here)."
        ),
    )
    user_base_dn = models.CharField(_("user base DN"), max_length=300)
    user_filter = models.CharField(_("user filter"), max_length=500, default="(objectClass=inetOrgPerson)")
    group_base_dn = models.CharField(_("group base DN"), max_length=300, blank=True)
    group_filter = models.CharField(_("group filter"), max_length=500, default="(objectClass=groupOfNames)")
    attribute_map = models.JSONField(_("attribute map"), default=dict, blank=True)
    role_map = models.JSONField(
        _("group to role map"),
        default=dict,
        blank=True,
        help_text=_('Directory group (cn or DN) to Steward roles, e.g. {"admins": ["Administrators"]}.'),
    )
    timeout = models.PositiveSmallIntegerField(_("timeout (s)"), default=10)
    last_sync = models.DateTimeField(_("last sync"), null=True, blank=True, editable=False)
    last_sync_outcome = ChoiceField(
        _("last sync outcome"), choices_class=SyncOutcome, default=SyncOutcome.NEVER, editable=False
    )
    last_sync_report = models.TextField(_("last sync report"), blank=True, editable=False)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("LDAP directory")
        verbose_name_plural = _("LDAP directories")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        _run_validators(self, {"server_uri": _uri, "bind_password_env": _env_name})
        self.attribute_map = _as_object(self.attribute_map)
        self.role_map = _as_object(self.role_map)
        _check_map(self.attribute_map, "attribute_map", DEFAULT_LDAP_ATTRIBUTES)
        _check_role_map(self.role_map, "role_map")
        for field in ("user_filter", "group_filter"):
            value = getattr(self, field)
            if value and not (
                value.startswith("(") and value.endswith(")") and value.count("(") == value.count(")")
            ):
                raise ValidationError(
                    {field: _("Give an LDAP filter in parentheses, e.g. (objectClass=person).")}
                )

    @property
    def bind_password(self) -> str:
        return os.environ.get(self.bind_password_env, "") if self.bind_password_env else ""

    def attribute(self, key: str) -> str:
        return self.attribute_map.get(key) or DEFAULT_LDAP_ATTRIBUTES[key]


class OIDCProvider(StewardModel):
    """An OpenID Connect provider people sign in with (authorisation code flow with PKCE)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    issuer = models.URLField(
        _("issuer"),
        max_length=300,
        help_text=_("Its discovery document is read from <issuer>/.well-known/openid-configuration."),
    )
    client_id = models.CharField(_("client id"), max_length=300)
    client_secret_env = models.CharField(
        _("client secret variable"),
        max_length=100,
        blank=True,
        help_text=_(
            "Name of the environment variable holding the client secret (blank for a public client)."
        ),
    )
    scopes = models.CharField(_("scopes"), max_length=300, default="openid email profile")
    claim_map = models.JSONField(_("claim map"), default=dict, blank=True)
    role_map = models.JSONField(
        _("group to role map"),
        default=dict,
        blank=True,
        help_text=_('Value of the roles claim to Steward roles, e.g. {"it-admins": ["Administrators"]}.'),
    )
    create_users = models.BooleanField(
        _("create accounts on first sign-in"),
        default=False,
        help_text=_("Otherwise only people whose e-mail address is already known may sign in."),
    )
    button_label = models.CharField(_("button label"), max_length=100, blank=True)

    natural_key_fields = ("slug",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("OpenID Connect provider")
        verbose_name_plural = _("OpenID Connect providers")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        _run_validators(self, {"client_secret_env": _env_name})
        self.claim_map = _as_object(self.claim_map)
        self.role_map = _as_object(self.role_map)
        _check_map(self.claim_map, "claim_map", DEFAULT_OIDC_CLAIMS)
        _check_role_map(self.role_map, "role_map")
        if "openid" not in self.scopes.split():
            raise ValidationError({"scopes": _("The scopes must include openid.")})

    @property
    def client_secret(self) -> str:
        return os.environ.get(self.client_secret_env, "") if self.client_secret_env else ""

    def claim(self, key: str) -> str:
        return self.claim_map.get(key) or DEFAULT_OIDC_CLAIMS[key]
