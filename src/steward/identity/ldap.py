"""Talking to an LDAP or Active Directory server with ldap3 (pure Python).

``directories()`` lists the configured directories: the rows admins edit in the UI plus,
when ``STEWARD_LDAP_URI`` is set, one kept in step with the ``STEWARD_LDAP_*`` environment.
"""

from __future__ import annotations

import json
import logging
import os
import ssl
from dataclasses import dataclass, field
from typing import Any

from steward.identity.models import LDAPDirectory

logger = logging.getLogger(__name__)
ENV_DIRECTORY = "Environment (STEWARD_LDAP_URI)"


class DirectoryError(Exception):
    """The directory could not be reached or searched; the message says why."""


@dataclass
class Entry:
    dn: str
    attributes: dict[str, list[str]] = field(default_factory=dict)

    def first(self, name: str) -> str:
        values = self.attributes.get(name.lower()) or []
        return str(values[0]).strip() if values else ""

    def all(self, name: str) -> list[str]:
        return [str(v) for v in self.attributes.get(name.lower()) or []]


def _env_json(name: str) -> dict:
    raw = os.environ.get(name, "")
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        raise ValueError(f"{name}: expected a JSON object, got {raw!r}") from None
    if not isinstance(value, dict):
        raise ValueError(f"{name}: expected a JSON object")
    return value


def env_directory() -> LDAPDirectory | None:
    """The directory configured by environment variables, saved so links and reports can point at it."""
    from steward.conf import env_bool

    uri = os.environ.get("STEWARD_LDAP_URI", "")
    if not uri:
        return None
    values = {
        "server_uri": uri,
        "bind_dn": os.environ.get("STEWARD_LDAP_BIND_DN", ""),
        "bind_password_env": "STEWARD_LDAP_BIND_PASSWORD",  # a variable name  # nosec B105
        "user_base_dn": os.environ.get("STEWARD_LDAP_USER_BASE_DN", ""),
        "user_filter": os.environ.get("STEWARD_LDAP_USER_FILTER", "") or "(objectClass=inetOrgPerson)",
        "group_base_dn": os.environ.get("STEWARD_LDAP_GROUP_BASE_DN", ""),
        "group_filter": os.environ.get("STEWARD_LDAP_GROUP_FILTER", "") or "(objectClass=groupOfNames)",
        "attribute_map": _env_json("STEWARD_LDAP_ATTRIBUTE_MAP"),
        "role_map": _env_json("STEWARD_LDAP_ROLE_MAP"),
        "start_tls": env_bool("STEWARD_LDAP_START_TLS", False),
        "verify_certificate": env_bool("STEWARD_LDAP_TLS_VERIFY", True),
        "enabled": env_bool("STEWARD_LDAP_ENABLED", True),
    }
    directory = LDAPDirectory.objects.filter(name=ENV_DIRECTORY).first() or LDAPDirectory(name=ENV_DIRECTORY)
    changed = directory.pk is None or any(getattr(directory, k) != v for k, v in values.items())
    if changed:
        for key, value in values.items():
            setattr(directory, key, value)
        directory.full_clean()
        directory.save()
    return directory


def directories(*, purpose: str) -> list[LDAPDirectory]:
    """Enabled directories for ``purpose`` ("login" or "sync")."""
    env = env_directory()
    found = list(LDAPDirectory.objects.filter(enabled=True).exclude(name=ENV_DIRECTORY))
    if env is not None and env.enabled:
        found.insert(0, env)
    flag = "login_enabled" if purpose == "login" else "sync_enabled"
    return [d for d in found if getattr(d, flag)]


def _server(directory: LDAPDirectory) -> Any:
    import ldap3

    tls = ldap3.Tls(validate=ssl.CERT_REQUIRED if directory.verify_certificate else ssl.CERT_NONE)
    return ldap3.Server(
        directory.server_uri,
        use_ssl=directory.server_uri.lower().startswith("ldaps://"),
        tls=tls,
        connect_timeout=directory.timeout,
        get_info=ldap3.NONE,
    )


def connect(directory: LDAPDirectory, user: str | None = None, password: str | None = None) -> Any:
    """A bound connection (as the service account unless ``user`` is given)."""
    import ldap3
    from ldap3.core.exceptions import LDAPException

    bind_user = directory.bind_dn if user is None else user
    bind_password = directory.bind_password if user is None else password
    try:
        conn = ldap3.Connection(
            _server(directory),
            user=bind_user or None,
            password=bind_password or None,
            receive_timeout=directory.timeout,
            raise_exceptions=True,
            read_only=True,
        )
        conn.open()
        if directory.start_tls:
            conn.start_tls()
        conn.bind()
    except LDAPException as exc:
        raise DirectoryError(f"{directory.server_uri}: {type(exc).__name__}: {exc}") from exc
    return conn


def escape(value: str) -> str:
    from ldap3.utils.conv import escape_filter_chars

    return escape_filter_chars(value)


def search(conn: Any, base: str, ldap_filter: str, attributes: list[str]) -> list[Entry]:
    from ldap3 import SUBTREE
    from ldap3.core.exceptions import LDAPException

    try:
        results = conn.extend.standard.paged_search(
            base, ldap_filter, search_scope=SUBTREE, attributes=attributes, paged_size=500, generator=False
        )
    except LDAPException as exc:
        raise DirectoryError(f"search of {base} failed: {type(exc).__name__}: {exc}") from exc
    entries = []
    for item in results:
        if item.get("type") != "searchResEntry":
            continue
        attrs = {}
        for key, value in (item.get("attributes") or {}).items():
            attrs[key.lower()] = value if isinstance(value, list) else [value]
        entries.append(Entry(item["dn"], attrs))
    return entries


def person_attributes(directory: LDAPDirectory) -> list[str]:
    keys = (
        "username",
        "first_name",
        "last_name",
        "email",
        "title",
        "phone",
        "employee_id",
        "department",
        "manager",
    )
    return [directory.attribute(k) for k in keys]


def group_attributes(directory: LDAPDirectory) -> list[str]:
    return [directory.attribute(k) for k in ("group_name", "group_description", "group_members")]


def find_user(directory: LDAPDirectory, conn: Any, username: str) -> Entry | None:
    user_filter = f"(&{directory.user_filter}({directory.attribute('username')}={escape(username)}))"
    found = search(conn, directory.user_base_dn, user_filter, person_attributes(directory))
    return found[0] if len(found) == 1 else None


def groups_of(directory: LDAPDirectory, conn: Any, dn: str) -> list[Entry]:
    if not directory.group_base_dn:
        return []
    group_filter = f"(&{directory.group_filter}({directory.attribute('group_members')}={escape(dn)}))"
    return search(conn, directory.group_base_dn, group_filter, group_attributes(directory))
