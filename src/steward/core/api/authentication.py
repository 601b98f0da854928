from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connections, router
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, throttling

from steward.core import auth
from steward.core.models.auth import Token, TokenScope, hash_token


class TokenRejected(Exception):
    """A presented token is unknown, expired, of another scope or its user is inactive."""

    def __init__(self, message: str, *, throttled: bool = False) -> None:
        super().__init__(message)
        self.throttled = throttled


@cache
def _token_lookup(alias: str) -> tuple[str, list[tuple[Any, list[Any]]], int]:
    """The token-and-user lookup by key hash as plain SQL, built once per process.

    Every API request runs it; building it through the ORM (``select_related``) each time cost
    more than the query. Returns the statement, each column's field with the converters the ORM
    would apply to it (dates on SQLite, for instance), and the number of token columns.
    """
    connection = connections[alias]
    qn = connection.ops.quote_name
    user_model = get_user_model()
    token_fields, user_fields = Token._meta.concrete_fields, user_model._meta.concrete_fields
    columns, converters = [], []
    for table, fields in (("t", token_fields), ("u", user_fields)):
        for field in fields:
            columns.append(f"{table}.{qn(field.column)}")
            col = field.get_col(table)
            converters.append(
                (col, connection.ops.get_db_converters(col) + col.get_db_converters(connection))
            )
    user_fk = Token._meta.get_field("user")
    sql = (
        f"SELECT {', '.join(columns)} FROM {qn(Token._meta.db_table)} t "  # noqa: S608  # nosec B608
        f"JOIN {qn(user_model._meta.db_table)} u ON u.{qn(user_model._meta.pk.column)} = t.{qn(user_fk.column)} "
        f"WHERE t.{qn(Token._meta.get_field('key_hash').column)} = %s"
    )
    return sql, converters, len(token_fields)


def find_token(key_hash: str) -> Token | None:
    """The token with this key hash and its user (one query), or None."""
    alias = router.db_for_read(Token)
    sql, converters, split = _token_lookup(alias)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, [key_hash])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for n, (col, funcs) in enumerate(converters):
        for convert in funcs:
            values[n] = convert(values[n], col, connection)
    user_model = get_user_model()
    token = Token.from_db(alias, [f.attname for f in Token._meta.concrete_fields], values[:split])
    user = user_model.from_db(alias, [f.attname for f in user_model._meta.concrete_fields], values[split:])
    Token._meta.get_field("user").set_cached_value(token, user)
    return token


def check_token(key: str, address: str, scope: str) -> Token:
    """The token with this key, if it may be used for ``scope``; else raise ``TokenRejected``.

    Shared by the REST API and the SCIM endpoint: one lookup by hash, one guessing throttle.
    """
    if auth.token_guessing_blocked(address):
        raise TokenRejected(_("Too many invalid tokens from your address. Try again later."), throttled=True)
    token = find_token(hash_token(key))
    if token is None:
        auth.register_token_failure(address)
        raise TokenRejected(_("Invalid token."))
    if token.is_expired:
        raise TokenRejected(_("Token expired."))
    # A SCIM token opens only the SCIM endpoint, and only a SCIM token opens it; app scopes
    # (discovery…) are API tokens narrowed further by ObjectActionPermission.
    if (token.scope == TokenScope.SCIM) != (scope == TokenScope.SCIM):
        raise TokenRejected(
            _("This token is not valid here (its scope is %(scope)s).") % {"scope": token.scope}
        )
    if not token.user.is_active:
        raise TokenRejected(_("User inactive."))
    now = timezone.now()
    if token.last_used is None or (now - token.last_used).total_seconds() > 60:
        Token.objects.filter(pk=token.pk).update(last_used=now)
    return token


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
        try:
            token = check_token(header[1], auth.client_address(request), TokenScope.API)
        except TokenRejected as exc:
            if exc.throttled:
                raise exceptions.Throttled(detail=str(exc)) from None
            raise exceptions.AuthenticationFailed(str(exc)) from None
        if not self.accepts(token.scope, request):
            # A leaked integration key (alert intake, discovery) must not open the whole API,
            # nor an API key every integration endpoint.
            raise exceptions.AuthenticationFailed(_("This token is not valid for this endpoint."))
        request._request._api_user = token.user
        return token.user, token

    def accepts(self, token_scope: str, request: Any) -> bool:
        """An endpoint bound to a scope (``for_scope``) takes only that scope; the REST API takes
        API tokens, and app-scoped tokens only on the views that list the scope in ``token_scopes``."""
        if self.scope:
            return token_scope == self.scope
        if token_scope in ("", TokenScope.API):
            return True
        view = (getattr(request, "parser_context", None) or {}).get("view")
        return token_scope in getattr(view, "token_scopes", ())

    def authenticate_header(self, request: Any) -> str:
        return "Token"


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """Requests per token (rate ``token`` in REST_FRAMEWORK); sessions are not throttled here.

    A sliding-window counter instead of DRF's list of request times: two integers per token
    (this window's count and the last one's), so a request costs one ``add``/``incr`` on the
    ``throttle`` cache whatever the rate, instead of rewriting a list of up to ``rate``
    timestamps. The estimate weights the previous window by the part of it still inside the
    sliding period, the usual approximation of a true sliding log.

    When that cache is local to the process (no Redis), each of the ``WEB_WORKERS`` processes
    allows its share of the rate, so the total over the workers is the configured rate.
    """

    scope = "token"

    def __init__(self) -> None:
        super().__init__()
        self.cache = caches["throttle"]
        if self.num_requests and isinstance(self.cache, LocMemCache):
            self.num_requests = max(1, self.num_requests // settings.WEB_WORKERS)

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if isinstance(request.auth, Token):
            return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
        return None

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window, into = divmod(self.now, self.duration)
        current_key, previous_key = f"{self.key}:{int(window)}", f"{self.key}:{int(window) - 1}"
        counts = self.cache.get_many([current_key, previous_key])
        current, previous = counts.get(current_key, 0), counts.get(previous_key, 0)
        weight = 1 - into / self.duration
        self.estimate = previous * weight + current
        if self.estimate >= self.num_requests:
            self.previous, self.current, self.weight = previous, current, weight
            return self.throttle_failure()
        if not self.cache.add(current_key, 1, timeout=2 * self.duration):
            try:
                self.cache.incr(current_key)
            except ValueError:  # expired between add and incr
                self.cache.set(current_key, 1, timeout=2 * self.duration)
        return True

    def wait(self) -> float | None:
        """Seconds until the estimate falls below the rate (the previous window fades out)."""
        remaining = self.duration - (self.now % self.duration)
        if self.current >= self.num_requests or not self.previous:
            return remaining  # this window alone is full: wait for the next one
        # previous * (weight - t / duration) + current < num_requests
        needed = (self.estimate - self.num_requests) / self.previous * self.duration
        return max(0.0, min(remaining, needed + 1e-3))


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
