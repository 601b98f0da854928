"""Generic UI and API tests for the directory and provider settings, plus their rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from steward.identity.models import LDAPDirectory, OIDCProvider
from steward.utilities.testing.api import APITestCases
from steward.utilities.testing.views import ViewTestCases


class LDAPDirectoryData:
    model = LDAPDirectory
    csv_data = (
        "name,server_uri,user_base_dn",
        "Dir D,ldap://d.example.org,ou=people",
        "Dir E,ldap://e.example.org:389,ou=people",
        "Dir F,ldaps://f.example.org,ou=people",
    )
    bulk_edit_data = {"timeout": 5}
    invalid_data = {"server_uri": "http://not-ldap"}
    field_constraint = {"enabled": True}
    move_out_data = {"enabled": False}

    @classmethod
    def setUpTestData(cls) -> None:
        for letter in "ABC":
            LDAPDirectory.objects.create(
                name=f"Dir {letter}",
                server_uri=f"ldap://{letter.lower()}.example.org",
                user_base_dn="ou=people",
                attribute_map={"email": "mail"},
                role_map={"admins": ["Administrators"]},
            )
        base = {
            "server_uri": "ldap://new.example.org",
            "user_base_dn": "ou=people,dc=new",
            "user_filter": "(objectClass=inetOrgPerson)",
            "group_filter": "(objectClass=groupOfNames)",
            "bind_password_env": "STEWARD_LDAP_BIND_PASSWORD",
            "timeout": 10,
            "enabled": True,
        }
        cls.create_data = {**base, "name": "Dir New"}
        cls.api_create_data = [
            {**base, "name": f"Dir API {n}", "attribute_map": {}, "role_map": {}} for n in range(3)
        ]


class LDAPDirectoryViewTest(LDAPDirectoryData, ViewTestCases.ObjectViewTestCase):
    pass


class LDAPDirectoryAPITest(LDAPDirectoryData, APITestCases.APIViewTestCase):
    pass


class OIDCProviderData:
    model = OIDCProvider
    csv_data = (
        "name,slug,issuer,client_id",
        "IdP D,idp-d,https://d.example.org,steward",
        "IdP E,idp-e,https://e.example.org,steward",
        "IdP F,idp-f,https://f.example.org,steward",
    )
    bulk_edit_data = {"scopes": "openid email"}
    invalid_data = {"scopes": "email profile"}
    field_constraint = {"enabled": True}
    move_out_data = {"enabled": False}

    @classmethod
    def setUpTestData(cls) -> None:
        for letter in "abc":
            OIDCProvider.objects.create(
                name=f"IdP {letter}",
                slug=f"idp-{letter}",
                issuer=f"https://{letter}.example.org",
                client_id="x",
                claim_map={"email": "mail"},
                role_map={"admins": ["Administrators"]},
            )
        base = {
            "issuer": "https://idp.example.org",
            "client_id": "steward",
            "scopes": "openid email profile",
            "enabled": True,
        }
        cls.create_data = {**base, "name": "IdP New", "slug": "idp-new"}
        cls.api_create_data = [
            {**base, "name": f"IdP API {n}", "slug": f"idp-api-{n}", "claim_map": {}, "role_map": {}}
            for n in range(3)
        ]


class OIDCProviderViewTest(OIDCProviderData, ViewTestCases.ObjectViewTestCase):
    pass


class OIDCProviderAPITest(OIDCProviderData, APITestCases.APIViewTestCase):
    pass


@pytest.mark.django_db
def test_maps_and_filters_are_checked() -> None:
    directory = LDAPDirectory(
        name="x", server_uri="ldap://x", user_base_dn="ou=p", attribute_map={"shoe": "size"}
    )
    with pytest.raises(ValidationError) as err:
        directory.full_clean()
    assert "attribute_map" in err.value.message_dict
    directory = LDAPDirectory(name="x", server_uri="ldap://x", user_base_dn="ou=p", user_filter="uid=x")
    with pytest.raises(ValidationError) as err:
        directory.full_clean()
    assert "user_filter" in err.value.message_dict
    provider = OIDCProvider(
        name="p", slug="p", issuer="https://p", client_id="c", role_map={"a": "not-a-list"}
    )
    with pytest.raises(ValidationError) as err:
        provider.full_clean()
    assert "role_map" in err.value.message_dict
