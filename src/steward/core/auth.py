"""Login throttling and two-factor (TOTP) rules, shared by the login views and the API."""

from __future__ import annotations

import time
from typing import Any

import pyotp
from django.conf import settings
from django.core.cache import cache

from steward.core.models import TOTPDevice


def _key(username: str, address: str) -> str:
    return f"login-fail:{username.strip().lower()[:150]}:{address}"


def _user_key(username: str) -> str:
    return f"login-fail-user:{username.strip().lower()[:150]}"


def is_locked_out(username: str, address: str) -> bool:
    limit = settings.LOGIN_MAX_FAILURES
    return (cache.get(_key(username, address), 0) >= limit) or (
        cache.get(_user_key(username), 0) >= limit * 4
    )


def register_failure(username: str, address: str) -> None:
    for key in (_key(username, address), _user_key(username)):
        if not cache.add(key, 1, settings.LOGIN_LOCKOUT_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def clear_failures(username: str, address: str) -> None:
    cache.delete_many([_key(username, address), _user_key(username)])


def _token_key(address: str) -> str:
    return f"api-token-fail:{address}"


def token_guessing_blocked(address: str) -> bool:
    """Too many invalid API tokens from this address lately (4x the login limit)."""
    return cache.get(_token_key(address), 0) >= settings.LOGIN_MAX_FAILURES * 4


def register_token_failure(address: str) -> None:
    key = _token_key(address)
    if not cache.add(key, 1, settings.LOGIN_LOCKOUT_SECONDS):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def client_address(request: Any) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def verify_totp(device: TOTPDevice, code: str) -> bool:
    """Accept a code from the current or adjacent 30 s step, never the same step twice."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return False
    totp = pyotp.TOTP(device.secret)
    now = int(time.time())
    for offset in (-1, 0, 1):
        at = now + offset * 30
        step = at // 30
        if step > device.last_used_step and totp.verify(code, for_time=at, valid_window=0):
            updated = TOTPDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(
                last_used_step=step
            )
            return updated == 1
    return False


def needs_two_factor_enrolment(user: Any) -> bool:
    if getattr(user, "_steward_2fa_checked", None) is not None:
        return user._steward_2fa_checked
    required = user.groups.filter(settings__require_two_factor=True).exists()
    result = required and confirmed_device(user) is None
    user._steward_2fa_checked = result
    return result
