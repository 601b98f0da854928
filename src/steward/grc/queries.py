"""Registered platform queries whose results are captured as automated evidence.

A query reads another app's data by model label (``apps.get_model``), never by import, and
answers ``None`` when that app is not installed, so the evidence records "not available"
instead of failing. Register more with ``@evidence_query(name, title)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils.translation import gettext_lazy as _

#: At most this many rows of a query are stored with the evidence (the count is always exact).
MAX_ROWS = 500


@dataclass(frozen=True)
class EvidenceQuery:
    name: str
    title: Any
    func: Callable[[], list[dict[str, Any]] | None]


QUERIES: dict[str, EvidenceQuery] = {}


def evidence_query(name: str, title: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        if name in QUERIES:
            raise RuntimeError(f"evidence query {name} is registered twice")
        QUERIES[name] = EvidenceQuery(name, title, func)
        return func

    return decorator


def model_or_none(label: str) -> Any:
    """The model ``app_label.ModelName``, or None when its app is not installed."""
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def query_choices() -> list[tuple[str, str]]:
    return [("", "---------")] + [
        (q.name, str(q.title)) for q in sorted(QUERIES.values(), key=lambda q: q.name)
    ]


@evidence_query("cmdb.production_servers_without_owner", _("Production servers without an owner"))
def production_servers_without_owner() -> list[dict[str, Any]] | None:
    ci = model_or_none("cmdb.ConfigurationItem")
    if ci is None:
        return None
    rows = (
        ci.objects.filter(
            environment="production", owner__isnull=True, ci_class__slug__in=("server", "virtual-machine")
        )
        .exclude(status__in=("retired", "disposed"))
        .order_by("name", "id")
        .values("id", "name", "ci_class__slug", "status")
    )
    return list(rows)


@evidence_query("itsm.major_incidents_open", _("Open major incidents"))
def major_incidents_open() -> list[dict[str, Any]] | None:
    incident = model_or_none("itsm.Incident")
    if incident is None:
        return None
    rows = (
        incident.objects.filter(major_incident=True)
        .exclude(state__in=("resolved", "closed"))
        .order_by("reference")
        .values("id", "reference", "short_description", "state")
    )
    return list(rows)


@evidence_query("core.superusers", _("Accounts with full administrator rights"))
def superusers() -> list[dict[str, Any]]:
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .order_by("username")
        .values("id", "username", "last_login")
    )
