"""Demo data: the company's directory and single sign-on, set up but switched off.

They point at servers the demo does not have, so they are disabled: an administrator sees
what a working configuration looks like and can point it at a real directory.
"""

from __future__ import annotations

import random

from steward.identity.choices import IdentitySource
from steward.identity.models import ExternalIdentity, LDAPDirectory, OIDCProvider
from steward.org.models import Person, Team


def load(*, rng: random.Random, scale: float) -> str:
    directory = LDAPDirectory.objects.create(
        name="Northwind directory",
        enabled=False,
        server_uri="ldaps://dc1.northwind.example",
        bind_dn="CN=steward-sync,OU=Service Accounts,DC=northwind,DC=example",
        user_base_dn="OU=Staff,DC=northwind,DC=example",
        user_filter="(&(objectClass=user)(objectCategory=person))",
        group_base_dn="OU=Groups,DC=northwind,DC=example",
        group_filter="(objectClass=group)",
        attribute_map={"username": "sAMAccountName", "department": "department"},
        role_map={"CN=IT Operations,OU=Groups,DC=northwind,DC=example": ["Operators"]},
    )
    OIDCProvider.objects.create(
        name="Northwind SSO",
        slug="northwind",
        enabled=False,
        issuer="https://login.northwind.example/realms/staff",
        client_id="steward",
        client_secret_env="STEWARD_OIDC_CLIENT_SECRET",  # noqa: S106 - a variable name, not a secret  # nosec B106
        role_map={"it-admins": ["Administrators"]},
    )
    links = [
        ExternalIdentity(
            source=IdentitySource.LDAP,
            directory=directory,
            subject=f"cn={p.first_name} {p.last_name},ou=staff,dc=northwind,dc=example".lower(),
            person=p,
        )
        for p in Person.objects.order_by("id")[: max(5, int(40 * scale))]
    ]
    links += [
        ExternalIdentity(
            source=IdentitySource.LDAP,
            directory=directory,
            subject=f"cn={t.name},ou=groups,dc=northwind,dc=example".lower(),
            team=t,
        )
        for t in Team.objects.order_by("id")
    ]
    ExternalIdentity.objects.bulk_create(links)
    return f"1 directory, 1 single sign-on provider, {len(links)} directory links"
