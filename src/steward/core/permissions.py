"""Object permissions: which actions a user may take on which rows of which models.

A user's grants come from ``ObjectPermission`` rows assigned to the user or to one of their
roles. A grant without constraints covers the whole model; one with constraints covers only
the rows matching them. Superusers hold everything. ``restrict_queryset`` is the one place
that turns grants into a query filter; views, API, search and exports all go through it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import FieldError, ValidationError
from django.db.models import Model, Q, QuerySet

from steward.core.registry import registry

PermCache = dict[str, list[Any]]
logger = logging.getLogger(__name__)


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


BAD_CONSTRAINT = (FieldError, ValueError, TypeError, ValidationError)


def restrict_queryset(queryset: QuerySet, user: Any, action: str = "view") -> QuerySet:
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    constraint_sets = load_permissions(user).get(perm_name(queryset.model, action))
    if not constraint_sets:
        return queryset.none()
    try:
        q = constraint_q(constraint_sets, user)
        if q is None:
            return queryset
        return queryset.filter(q).distinct() if _spans_many(queryset.model, q) else queryset.filter(q)
    except BAD_CONSTRAINT:
        # A constraint that no longer fits the model (renamed field…) grants nothing: fail closed.
        logger.warning("Unusable permission constraint on %s for %s", queryset.model._meta.label, user)
        return queryset.none()


def _sample(value: Any) -> Any:
    """A stand-in for ``$token`` values, to check that a constraint can be applied at all."""
    if isinstance(value, str) and value.startswith("$"):
        if value[1:] not in registry.constraint_tokens:
            raise ValueError(f"Unknown constraint token {value}")
        return [0]
    if isinstance(value, list):
        return [_sample(v) for v in value]
    if isinstance(value, dict):
        return {k: _sample(v) for k, v in value.items()}
    return value


def constraint_errors(constraints: Any, models: list[type[Model]]) -> list[str]:
    """Why ``constraints`` cannot filter each of ``models`` (empty if they can)."""
    if not constraints:
        return []
    alternatives = constraints if isinstance(constraints, list) else [constraints]
    errors = []
    for model in models:
        for alternative in alternatives:
            if not isinstance(alternative, dict):
                errors.append("Constraints must be an object or a list of objects.")
                continue
            try:
                lookups = {}
                for key, value in alternative.items():
                    sample = _sample(value)
                    # A token stands for one value or a list, whichever the lookup wants.
                    if isinstance(value, str) and value.startswith("$") and not key.endswith("__in"):
                        sample = 0
                    lookups[key] = sample
                str(model._default_manager.filter(Q(**lookups)).query)
            except BAD_CONSTRAINT as exc:
                errors.append(f"{model._meta.verbose_name}: {exc}")
    return errors


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

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        # With local sign-in turned off only superusers keep their password (a way back in).
        if user is not None and not user.is_superuser and not all(c() for c in registry.local_login_checks):
            return None
        return user

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
        try:
            q = constraint_q(constraint_sets, user_obj)
            if q is None:
                return True
            return type(obj)._default_manager.filter(q, pk=obj.pk).exists()
        except BAD_CONSTRAINT:
            return False
