"""Roles, object permissions, API tokens, two-factor devices and user preferences."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core.models.base import StewardModel

STANDARD_ACTIONS = ("view", "add", "change", "delete")


class ObjectPermission(StewardModel):
    """Grants actions on models to users and roles, optionally only on rows matching constraints.

    ``constraints`` is a JSON object of ORM lookups (``{"team__in": "$teams"}``) or a list of
    such objects (any may match). Tokens starting with ``$`` are replaced per user.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    object_types = models.ManyToManyField(
        ContentType, related_name="object_permissions", verbose_name=_("models")
    )
    actions = models.JSONField(_("actions"), default=list)
    constraints = models.JSONField(_("constraints"), null=True, blank=True)
    groups = models.ManyToManyField(
        Group, blank=True, related_name="object_permissions", verbose_name=_("roles")
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="object_permissions", verbose_name=_("users")
    )

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("permission")
        verbose_name_plural = _("permissions")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if (
            not isinstance(self.actions, list)
            or not self.actions
            or not all(isinstance(a, str) for a in self.actions)
        ):
            raise ValidationError({"actions": _('Give a list of actions, e.g. ["view", "change"].')})
        c = self.constraints
        if c is not None and not (
            isinstance(c, dict) or (isinstance(c, list) and all(isinstance(i, dict) for i in c))
        ):
            raise ValidationError({"constraints": _("Constraints must be an object or a list of objects.")})
        unknown = sorted(_unknown_tokens(c))
        if unknown:
            raise ValidationError(
                {"constraints": _("Unknown token(s): %(tokens)s.") % {"tokens": ", ".join(unknown)}}
            )


def _unknown_tokens(value: object) -> set[str]:
    """``$tokens`` in a constraint that no app registered (they would fail on every request)."""
    from steward.core.registry import registry

    if isinstance(value, str) and value.startswith("$"):
        return set() if value[1:] in registry.constraint_tokens else {value}
    if isinstance(value, list):
        return set().union(*(_unknown_tokens(v) for v in value))
    if isinstance(value, dict):
        return set().union(*(_unknown_tokens(v) for v in value.values()))
    return set()


class RoleSettings(models.Model):
    """Settings of a role (a Django group) beyond its permissions."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="settings")
    require_two_factor = models.BooleanField(_("require two-factor authentication"), default=False)

    class Meta:
        ordering = ("group__name",)
        verbose_name = _("role settings")

    def __str__(self) -> str:
        return str(self.group)


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class Token(models.Model):
    """An API token. Only its SHA-256 is stored; the key is shown once on creation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tokens")
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    description = models.CharField(_("description"), max_length=200, blank=True)
    write_enabled = models.BooleanField(_("write enabled"), default=False)
    scope = models.CharField(
        _("scope"),
        max_length=50,
        blank=True,
        default="",
        help_text=_("Blank: the REST API. Otherwise the one integration endpoint this token may call."),
    )
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ("-created", "id")
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(
        cls, *, user, description: str = "", write_enabled: bool = False, expires=None, scope: str = ""
    ) -> tuple[Token, str]:
        """Create a token; return it with its plain key, which is not kept anywhere."""
        key = "stw_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            prefix=key[4:12],
            key_hash=hash_token(key),
            description=description,
            write_enabled=write_enabled,
            expires=expires,
            scope=scope,
        )
        return token, key

    @property
    def is_expired(self) -> bool:
        return self.expires is not None and self.expires <= timezone.now()


class TOTPDevice(models.Model):
    """A time-based one-time-password authenticator registered by a user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    secret = models.CharField(max_length=64)
    confirmed = models.BooleanField(default=False)
    last_used_step = models.BigIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("user",)
        verbose_name = _("two-factor device")

    def __str__(self) -> str:
        return f"TOTP for {self.user}"


class UserPreferences(models.Model):
    """Per-user choices: time zone, theme, table columns."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    theme = models.CharField(_("theme"), max_length=10, default="auto")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("user",)
        verbose_name = _("user preferences")

    def __str__(self) -> str:
        return f"Preferences of {self.user}"
