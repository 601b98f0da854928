from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, throttling

from steward.core import auth
from steward.core.models.auth import Token, hash_token


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <key>`` or ``Bearer <key>``; keys are looked up by their hash."""

    keywords = ("token", "bearer")
    #: The token scope this authenticator accepts; blank is the REST API.
    scope = ""

    @classmethod
    def for_scope(cls, scope: str) -> type[TokenAuthentication]:
        """An authenticator accepting only tokens issued for ``scope`` (e.g. ``itsm.alerts``)."""
        return type(f"{scope.title().replace('.', '')}TokenAuthentication", (cls,), {"scope": scope})

    def authenticate(self, request: Any) -> tuple[Any, Token] | None:
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        address = auth.client_address(request)
        if auth.token_guessing_blocked(address):
            raise exceptions.Throttled(
                detail=_("Too many invalid tokens from your address. Try again later.")
            )
        token = Token.objects.select_related("user").filter(key_hash=hash_token(header[1])).first()
        if token is None:
            auth.register_token_failure(address)
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(_("Token expired."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive."))
        if token.scope != self.scope:
            # A leaked alert-intake key must not open the whole API, nor an API key every hook.
            raise exceptions.AuthenticationFailed(_("This token is not valid for this endpoint."))
        now = timezone.now()
        if token.last_used is None or (now - token.last_used).total_seconds() > 60:
            Token.objects.filter(pk=token.pk).update(last_used=now)
        request._request._api_user = token.user
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return "Token"


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """Requests per token (rate ``token`` in REST_FRAMEWORK); sessions are not throttled here."""

    scope = "token"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if isinstance(request.auth, Token):
            return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
        return None


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """Documents token authentication in the OpenAPI schema."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>` (or `Bearer <key>`); create keys on your profile page.",
        }
