"""OpenID Connect sign-in: authorisation code flow with PKCE (RFC 7636), as a relying party.

The provider is described by its discovery document; the ID token's signature is checked
against the provider's published keys (joserfc), along with issuer, audience, expiry and
the nonce sent. Claims map to a person (by subject, else e-mail), optionally created on
first sign-in, and a groups claim maps to roles.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
import urllib.parse
import urllib.request

from django.core.cache import cache

from steward.identity.models import OIDCProvider


class OIDCError(Exception):
    """Sign-in with the provider failed; the message is safe to show."""


def _fetch_json(url: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> dict:
    if not url.lower().startswith(("https://", "http://")):
        raise OIDCError(f"Refusing a non-HTTP URL: {url}")
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url, data=body, headers={"Accept": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - scheme checked  # nosec B310
            return json.loads(response.read(1_000_000))
    except urllib.error.HTTPError as exc:
        detail = exc.read(2000).decode("utf-8", "replace")
        raise OIDCError(f"{url} answered {exc.code}: {detail}") from exc
    except (OSError, ValueError) as exc:
        raise OIDCError(f"{url}: {exc}") from exc


def discovery(provider: OIDCProvider) -> dict:
    """The provider's discovery document (cached for ten minutes)."""
    key = f"oidc-discovery:{provider.issuer}"
    document = cache.get(key)
    if document is None:
        document = _fetch_json(provider.issuer.rstrip("/") + "/.well-known/openid-configuration")
        for needed in ("authorization_endpoint", "token_endpoint", "jwks_uri", "issuer"):
            if needed not in document:
                raise OIDCError(f"The discovery document has no {needed}.")
        cache.set(key, document, 600)
    return document


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def start(provider: OIDCProvider, redirect_uri: str) -> tuple[str, dict[str, str]]:
    """The authorisation URL to send the browser to, and the secrets to keep in the session."""
    document = discovery(provider)
    state, nonce, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48)
    challenge = _b64(hashlib.sha256(verifier.encode()).digest())
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": provider.client_id,
            "redirect_uri": redirect_uri,
            "scope": provider.scopes,
            "state": state,
            "nonce": nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    pending = {
        "provider": provider.slug,
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "at": str(int(time.time())),
    }
    return f"{document['authorization_endpoint']}?{query}", pending


def finish(provider: OIDCProvider, pending: dict[str, str], code: str, redirect_uri: str) -> tuple[dict, str]:
    """Exchange the code (with the PKCE verifier); return the verified claims and the ID token."""
    from joserfc import jwt
    from joserfc.errors import JoseError
    from joserfc.jwk import KeySet

    document = discovery(provider)
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": pending["verifier"],
        "client_id": provider.client_id,
    }
    headers = {}
    if provider.client_secret:
        basic = f"{urllib.parse.quote(provider.client_id)}:{urllib.parse.quote(provider.client_secret)}"
        headers["Authorization"] = "Basic " + base64.b64encode(basic.encode()).decode()
    tokens = _fetch_json(document["token_endpoint"], data, headers)
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise OIDCError("The provider sent no ID token.")
    try:
        keys = KeySet.import_key_set(_fetch_json(document["jwks_uri"]))
        token = jwt.decode(
            id_token, keys, algorithms=document.get("id_token_signing_alg_values_supported") or ["RS256"]
        )
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": document["issuer"]},
            aud={"essential": True, "value": provider.client_id},
            exp={"essential": True},
            nonce={"essential": True, "value": pending["nonce"]},
            sub={"essential": True},
        ).validate(token.claims)
    except (JoseError, ValueError) as exc:
        raise OIDCError(f"The ID token is not valid: {exc}") from exc
    claims = dict(token.claims)
    if tokens.get("access_token") and document.get("userinfo_endpoint"):
        try:
            info = _fetch_json(
                document["userinfo_endpoint"], headers={"Authorization": f"Bearer {tokens['access_token']}"}
            )
        except OIDCError:
            info = {}
        if info.get("sub") == claims["sub"]:
            claims = {**info, **claims}
    return claims, id_token


def logout_url(provider: OIDCProvider, id_token: str, after: str) -> str | None:
    """RP-initiated logout at the provider, if its discovery document offers it."""
    try:
        endpoint = discovery(provider).get("end_session_endpoint")
    except OIDCError:
        return None
    if not endpoint:
        return None
    query = urllib.parse.urlencode(
        {"id_token_hint": id_token, "post_logout_redirect_uri": after, "client_id": provider.client_id}
    )
    return f"{endpoint}?{query}"


ENV_SLUG = "sso"


def env_provider() -> OIDCProvider | None:
    """The provider configured by ``STEWARD_OIDC_*``, kept in step with the environment."""
    import os

    from steward.conf import env_bool
    from steward.identity.ldap import _env_json

    issuer = os.environ.get("STEWARD_OIDC_ISSUER", "")
    if not issuer:
        return None
    values = {
        "name": os.environ.get("STEWARD_OIDC_NAME", "") or "Single sign-on",
        "issuer": issuer,
        "client_id": os.environ.get("STEWARD_OIDC_CLIENT_ID", ""),
        "client_secret_env": "STEWARD_OIDC_CLIENT_SECRET",  # a variable name  # nosec B105
        "create_users": env_bool("STEWARD_OIDC_CREATE_USERS", False),
        "role_map": _env_json("STEWARD_OIDC_ROLE_MAP"),
        "enabled": True,
    }
    provider = OIDCProvider.objects.filter(slug=ENV_SLUG).first() or OIDCProvider(slug=ENV_SLUG)
    if provider.pk is None or any(getattr(provider, k) != v for k, v in values.items()):
        for key, value in values.items():
            setattr(provider, key, value)
        provider.full_clean()
        provider.save()
    return provider
