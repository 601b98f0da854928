"""Object permissions: which actions a user may take on which rows of which models.

A user's grants come from ``ObjectPermission`` rows assigned to the user or to one of their
roles. A grant without constraints covers the whole model; one with constraints covers only
the rows matching them. Superusers hold everything. ``restrict_queryset`` is the one place
that turns grants into a query filter; views, API, search and exports all go through it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Model, Q, QuerySet

from steward.core.registry import registry

PermCache = dict[str, list[Any]]


def perm_name(model: type[Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def resolve_tokens(value: Any, user: Any) -> Any:
    """Replace ``$token`` strings in a constraint with the user's own values."""
    if isinstance(value, str) and value.startswith("$"):
        resolver: Callable[[Any], Any] | None = registry.constraint_tokens.get(value[1:])
        if resolver is None:
            raise ValueError(f"Unknown constraint token {value}")
        return resolver(user)
    if isinstance(value, list):
        return [resolve_tokens(v, user) for v in value]
    if isinstance(value, dict):
        return {k: resolve_tokens(v, user) for k, v in value.items()}
    return value


def load_permissions(user: Any) -> PermCache:
    """Map ``app.action_model`` to the list of constraint sets (None = unconstrained)."""
    cached = getattr(user, "_steward_perm_cache", None)
    if cached is not None:
        return cached
    from steward.core.models.auth import ObjectPermission

    perms: PermCache = defaultdict(list)
    grants = (
        ObjectPermission.objects.filter(enabled=True)
        .filter(Q(users=user) | Q(groups__user=user))
        .distinct()
        .prefetch_related("object_types")
    )
    for grant in grants:
        for ct in grant.object_types.all():
            for action in grant.actions:
                perms[f"{ct.app_label}.{action}_{ct.model}"].append(grant.constraints)
    user._steward_perm_cache = dict(perms)
    return user._steward_perm_cache


def constraint_q(constraint_sets: list[Any], user: Any) -> Q | None:
    """OR of all grants; None means no constraint at all (every row)."""
    q = Q()
    for constraints in constraint_sets:
        if not constraints:
            return None
        alternatives = constraints if isinstance(constraints, list) else [constraints]
        for alternative in alternatives:
            q |= Q(**resolve_tokens(alternative, user))
    return q


def restrict_queryset(queryset: QuerySet, user: Any, action: str = "view") -> QuerySet:
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    constraint_sets = load_permissions(user).get(perm_name(queryset.model, action))
    if not constraint_sets:
        return queryset.none()
    q = constraint_q(constraint_sets, user)
    if q is None:
        return queryset
    return queryset.filter(q).distinct() if _spans_many(queryset.model, q) else queryset.filter(q)


def _spans_many(model: type[Model], q: Q) -> bool:
    """Whether a lookup in ``q`` crosses a to-many relation (then rows may repeat)."""
    for child in q.children:
        if isinstance(child, Q):
            if _spans_many(model, child):
                return True
            continue
        current = model
        for part in child[0].split("__"):
            try:
                field = current._meta.get_field(part)
            except Exception:  # a lookup such as "in" or "icontains" ends the path
                break
            if field.many_to_many or field.one_to_many:
                return True
            if not field.is_relation or field.related_model is None:
                break
            current = field.related_model
    return False


def user_can(user: Any, model: type[Model], action: str, obj: Model | None = None) -> bool:
    return bool(user and user.has_perm(perm_name(model, action), obj))


class ObjectPermissionBackend(ModelBackend):
    """Authenticates local accounts and answers permission questions from ObjectPermission."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        return set(load_permissions(user_obj))

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return self.get_all_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if not user_obj.is_active or user_obj.is_anonymous:
            return False
        if user_obj.is_superuser:
            return True
        constraint_sets = load_permissions(user_obj).get(perm)
        if not constraint_sets:
            return False
        if obj is None:
            return True
        q = constraint_q(constraint_sets, user_obj)
        if q is None:
            return True
        return type(obj)._default_manager.filter(q, pk=obj.pk).exists()
