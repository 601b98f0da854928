"""OpenID Connect sign-in against a real provider (oidc-provider-mock, built on Authlib) on loopback.

The whole redirect flow runs through an HTTP client: Steward → provider's authorisation
page → consent → Steward's callback (code + PKCE verifier exchanged, ID token verified).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group

from steward.identity.models import OIDCProvider
from steward.org.models import Person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def provider_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    mock = pytest.importorskip("oidc_provider_mock")
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain HTTP on loopback only
    with mock.run_server_in_thread(require_nonce=True) as server:
        yield f"http://localhost:{server.server_port}"


def _sign_in(http: Any, base: str, provider: str, sub: str) -> Any:
    start = http.get(f"{base}/login/oidc/{provider}/?next=/account/")
    assert start.status_code == 302, start.text
    authorize = start.headers["location"]
    assert "code_challenge_method=S256" in authorize and "nonce=" in authorize
    form = http.get(authorize)
    assert form.status_code == 200
    consent = http.post(authorize, data={"sub": sub, "action": "approve"})
    assert consent.status_code == 302, consent.text
    callback = consent.headers["location"]
    assert callback.startswith(f"{base}/login/oidc/callback/?code=")
    return http.get(callback)


def test_authorisation_code_flow_with_pkce_maps_claims_and_roles(live_server: Any, provider_url: str) -> None:
    httpx2 = pytest.importorskip("httpx2")
    os.environ["STEWARD_TEST_OIDC_SECRET"] = "not-so-secret"  # noqa: S105 - test value
    Group.objects.create(name="Administrators")
    OIDCProvider.objects.create(
        name="Test IdP",
        slug="test",
        issuer=provider_url,
        client_id="steward",
        client_secret_env="STEWARD_TEST_OIDC_SECRET",
        create_users=True,
        role_map={"it-admins": ["Administrators"]},
    )
    claims = {
        "email": "Dana@Example.org",
        "given_name": "Dana",
        "family_name": "Scully",
        "groups": ["it-admins"],
    }
    with httpx2.Client(timeout=20) as http:
        assert http.put(f"{provider_url}/users/dana-1", json=claims).status_code == 204
        login_page = http.get(f"{live_server.url}/login/")
        assert "Sign in with Test IdP" in login_page.text
        done = _sign_in(http, live_server.url, "test", "dana-1")
        assert done.status_code == 302 and done.headers["location"] == "/account/"
        assert http.get(f"{live_server.url}/account/").status_code == 200
        person = Person.objects.get(email="dana@example.org")
        assert (person.first_name, person.last_name) == ("Dana", "Scully")
        assert list(person.user.groups.values_list("name", flat=True)) == ["Administrators"]

        csrf = http.cookies.get("csrftoken") or http.get(f"{live_server.url}/account/").cookies.get(
            "csrftoken"
        )
        out = http.post(
            f"{live_server.url}/logout/", headers={"X-CSRFToken": csrf, "Referer": live_server.url}
        )
        assert out.status_code == 302 and out.headers["location"].startswith(
            f"{provider_url}/oauth2/end_session?"
        )
        assert http.get(f"{live_server.url}/account/").status_code == 302

        # Signing in again finds the same person by subject.
        _sign_in(http, live_server.url, "test", "dana-1")
        assert Person.objects.filter(email="dana@example.org").count() == 1


def test_unknown_people_are_refused_without_just_in_time_creation(
    live_server: Any, provider_url: str
) -> None:
    httpx2 = pytest.importorskip("httpx2")
    OIDCProvider.objects.create(name="Strict", slug="strict", issuer=provider_url, client_id="steward")
    with httpx2.Client(timeout=20) as http:
        http.put(f"{provider_url}/users/stranger", json={"email": "stranger@example.org"})
        refused = _sign_in(http, live_server.url, "strict", "stranger")
        assert refused.status_code == 302 and refused.headers["location"] == "/login/"
        assert not Person.objects.filter(email="stranger@example.org").exists()
        assert http.get(f"{live_server.url}/account/").status_code == 302


def test_environment_provider_appears_on_the_login_page(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEWARD_OIDC_ISSUER", "https://idp.example.org")
    monkeypatch.setenv("STEWARD_OIDC_CLIENT_ID", "steward")
    monkeypatch.setenv("STEWARD_OIDC_NAME", "Company SSO")
    page = client.get("/login/")
    assert "Sign in with Company SSO" in page.content.decode()
    assert OIDCProvider.objects.get(slug="sso").client_secret_env == "STEWARD_OIDC_CLIENT_SECRET"
