"""Administrators turn local sign-in and SCIM on and off (UI), and the environment can force them."""

from __future__ import annotations

import pytest
from django.test import TestCase

from steward.core.models import ObjectChange, Token, TokenScope
from steward.identity.models import IdentitySettings
from steward.org.models import Person
from steward.utilities.testing import grant, make_user


class SwitchTest(TestCase):
    def test_only_permitted_users_see_the_settings(self) -> None:
        self.client.force_login(make_user("plain"))
        assert self.client.get("/identity/settings/").status_code == 403
        admin = make_user("boss")
        grant(admin, IdentitySettings, "change")
        self.client.force_login(admin)
        assert self.client.get("/identity/settings/").status_code == 200

    def test_turning_local_sign_in_off_leaves_superusers_a_way_in(self) -> None:
        make_user("local")
        make_user("root", superuser=True)
        admin = make_user("boss", superuser=True)
        self.client.force_login(admin)
        response = self.client.post("/identity/settings/", {"scim_enabled": "on"})
        assert response.status_code == 302
        assert not IdentitySettings.current().local_login_enabled
        assert ObjectChange.objects.filter(object_repr="Sign-in settings").exists()
        self.client.logout()
        assert self.client.post("/login/", {"username": "local", "password": "pw-local"}).status_code == 401
        assert self.client.post("/login/", {"username": "root", "password": "pw-root"}).status_code == 302

    def test_environment_forces_a_method(self) -> None:
        user = make_user("idp")
        grant(user, Person, "view")
        _t, key = Token.issue(user=user, scope=TokenScope.SCIM)
        auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        assert self.client.get("/scim/v2/Users", **auth).status_code == 200
        IdentitySettings.objects.create(pk=1, scim_enabled=False)
        assert self.client.get("/scim/v2/Users", **auth).status_code == 404
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("STEWARD_SCIM_ENABLED", "true")
            assert self.client.get("/scim/v2/Users", **auth).status_code == 200
            mp.setenv("STEWARD_LOCAL_LOGIN", "false")
            make_user("local")
            assert (
                self.client.post("/login/", {"username": "local", "password": "pw-local"}).status_code == 401
            )


class TokenScopeUITest(TestCase):
    def test_profile_issues_scim_tokens_and_refuses_unknown_scopes(self) -> None:
        user = make_user("me")
        self.client.force_login(user)
        assert "SCIM provisioning" in self.client.get("/account/").content.decode()
        response = self.client.post(
            "/account/tokens/", {"scope": "scim", "write_enabled": "on", "expires_days": "30"}
        )
        assert response.status_code == 200
        assert Token.objects.get(user=user).scope == TokenScope.SCIM
        self.client.post("/account/tokens/", {"scope": "root", "expires_days": "30"})
        assert Token.objects.filter(user=user).count() == 1
