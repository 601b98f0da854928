"""Signing in with an OpenID Connect provider in a real browser.

The provider is ``oidc-provider-mock`` (Authlib's server components) on a loopback port; the
browser follows the whole redirect flow: Steward's login page → the provider's authorisation
page → back to Steward's callback → home, signed in as the person the claims describe.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def provider_url() -> Iterator[str]:
    mock = pytest.importorskip("oidc_provider_mock")
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # plain HTTP, loopback only
    dana = mock.User(
        sub="dana", claims={"email": "dana@example.org", "given_name": "Dana", "family_name": "Scully"}
    )
    with mock.run_server_in_thread(user_claims=[dana]) as server:
        yield f"http://localhost:{server.server_port}"


def test_sign_in_with_the_provider_button(page: Any, live_server: Any, provider_url: str) -> None:
    from steward.identity.models import OIDCProvider
    from steward.org.models import Person

    OIDCProvider.objects.create(
        name="Company SSO", slug="company", issuer=provider_url, client_id="steward", create_users=True
    )
    page.goto(live_server.url + "/login/")
    page.get_by_role("link", name="Sign in with Company SSO").click()
    page.wait_for_url(re.compile(re.escape(provider_url) + r"/oauth2/authorize"))
    page.get_by_role("button", name="Authorize as dana").click()
    page.wait_for_url(live_server.url + "/")
    expect(page.get_by_role("heading", name="Home", level=1)).to_be_visible()
    person = Person.objects.get(email="dana@example.org")
    assert (person.first_name, person.last_name, person.user.username) == (
        "Dana",
        "Scully",
        "dana@example.org",
    )
