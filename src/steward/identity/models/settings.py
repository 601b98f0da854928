"""Which sign-in and provisioning methods an administrator has turned on."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel


class IdentitySettings(StewardModel):
    """One row: local password sign-in and SCIM provisioning on or off (environment overrides)."""

    local_login_enabled = models.BooleanField(
        _("local password sign-in"),
        default=True,
        help_text=_("Off: only directory and single sign-on accounts (and superusers) can sign in."),
    )
    scim_enabled = models.BooleanField(_("SCIM provisioning"), default=True)

    class Meta:
        ordering = ("id",)
        verbose_name = _("sign-in settings")
        verbose_name_plural = _("sign-in settings")

    def __str__(self) -> str:
        return str(_("Sign-in settings"))

    @classmethod
    def current(cls) -> IdentitySettings:
        found = cls.objects.filter(pk=1).first()
        return found if found is not None else cls(pk=1)
