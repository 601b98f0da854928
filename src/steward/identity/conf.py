"""Which sign-in and provisioning methods are on: the environment decides when it says,
otherwise the administrator's choice on the sign-in settings page."""

from __future__ import annotations

import os

from steward.conf import env_bool


def forced(name: str) -> bool | None:
    """The environment's verdict (``STEWARD_LOCAL_LOGIN`` / ``STEWARD_SCIM_ENABLED``), if any."""
    value = os.environ.get(name)
    return None if value in (None, "") else env_bool(name)


def scim_enabled() -> bool:
    from steward.identity.models import IdentitySettings

    value = forced("STEWARD_SCIM_ENABLED")
    return IdentitySettings.current().scim_enabled if value is None else value


def local_login_enabled() -> bool:
    from steward.identity.models import IdentitySettings

    value = forced("STEWARD_LOCAL_LOGIN")
    return IdentitySettings.current().local_login_enabled if value is None else value
