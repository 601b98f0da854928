"""Shared helpers for Steward's tests."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from steward.core.models import ObjectPermission


def make_user(username: str = "user", *, superuser: bool = False, **extra: Any) -> Any:
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(username, f"{username}@example.org", "pw-" + username, **extra)
    return User.objects.create_user(username, f"{username}@example.org", "pw-" + username, **extra)


def grant(user: Any, model: type[Model], *actions: str, constraints: Any = None, name: str | None = None) -> ObjectPermission:
    """Give ``user`` the ``actions`` on ``model`` (optionally only on rows matching ``constraints``)."""
    perm = ObjectPermission.objects.create(
        name=name or f"{user.username}-{model._meta.label_lower}-{'-'.join(actions)}-{ObjectPermission.objects.count()}",
        actions=list(actions),
        constraints=constraints,
    )
    perm.object_types.set([ContentType.objects.get_for_model(model)])
    perm.users.add(user)
    if hasattr(user, "_steward_perm_cache"):
        del user._steward_perm_cache
    return perm
