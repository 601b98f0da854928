"""Which sign-in and provisioning methods are on: environment first, then the admin's choice."""

from __future__ import annotations

import os

from steward.conf import env_bool


def _override(name: str) -> bool | None:
    value = os.environ.get(name)
    return None if value in (None, "") else env_bool(name)


def scim_enabled() -> bool:
    forced = _override("STEWARD_SCIM_ENABLED")
    return True if forced is None else forced


def local_login_enabled() -> bool:
    forced = _override("STEWARD_LOCAL_LOGIN")
    return True if forced is None else forced
