from django.utils.translation import gettext_lazy as _

from steward.utilities.choices import ColourChoices


class IdentitySource(ColourChoices):
    """Where a person, team or department record is mirrored from."""

    SCIM = "scim", _("SCIM")
    LDAP = "ldap", _("LDAP")
    OIDC = "oidc", _("OpenID Connect")
    __colours__ = {"scim": "purple", "ldap": "blue", "oidc": "cyan"}


class SyncOutcome(ColourChoices):
    NEVER = "never", _("Never run")
    OK = "ok", _("Succeeded")
    FAILED = "failed", _("Failed")
    __colours__ = {"never": "secondary", "ok": "green", "failed": "red"}
