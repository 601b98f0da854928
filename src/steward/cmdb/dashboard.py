"""The CMDB's contributions to the home page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.cmdb.choices import Environment, LifecycleStatus
from steward.cmdb.models import ConfigurationItem
from steward.core.dashboards import Widget

PERMISSION = "cmdb.view_configurationitem"


def items_in_use(user: Any) -> dict[str, Any]:
    qs = ConfigurationItem.objects.restrict(user, "view")
    return {
        "value": qs.filter(status=LifecycleStatus.IN_USE).count(),
        "subtitle": _("configuration items in use"),
        "url": reverse("cmdb:configurationitem_list") + f"?status={LifecycleStatus.IN_USE}",
    }


def items_by_class(user: Any) -> dict[str, Any]:
    rows = (
        ConfigurationItem.objects.restrict(user, "view")
        .values("ci_class__name")
        .annotate(n=Count("id"))
        .order_by("-n", "ci_class__name")[:12]
    )
    return {
        "type": "bar",
        "labels": [r["ci_class__name"] for r in rows],
        "datasets": [{"label": str(_("Items")), "data": [r["n"] for r in rows]}],
    }


def items_by_environment(user: Any) -> dict[str, Any]:
    counts = dict(
        ConfigurationItem.objects.restrict(user, "view").values_list("environment").annotate(n=Count("id"))
    )
    return {
        "type": "doughnut",
        "labels": [str(label) for _value, label in Environment.choices],
        "datasets": [{"label": str(_("Items")), "data": [counts.get(v, 0) for v in Environment.values]}],
    }


def warranty_ending(user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    soon = today + dt.timedelta(days=90)
    items = list(
        ConfigurationItem.objects.restrict(user, "view")
        .filter(status=LifecycleStatus.IN_USE, warranty_end__gte=today, warranty_end__lte=soon)
        .select_related("ci_class")
        .order_by("warranty_end", "name")[:8]
    )
    return {
        "columns": [_("Item"), _("Class"), _("Warranty end")],
        "rows": [
            [f"{ci.reference} {ci.name}", ci.ci_class.name, ci.warranty_end.isoformat()] for ci in items
        ],
        "links": [ci.get_absolute_url() for ci in items],
        "url": reverse("cmdb:configurationitem_list")
        + f"?status={LifecycleStatus.IN_USE}&warranty_end_before={soon.isoformat()}",
    }


def items_by_status(user: Any) -> dict[str, Any]:
    counts = dict(
        ConfigurationItem.objects.restrict(user, "view")
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "type": "bar",
        "labels": [str(label) for _value, label in LifecycleStatus.choices],
        "datasets": [{"label": str(_("Items")), "data": [counts.get(v, 0) for v in LifecycleStatus.values]}],
    }


def capacity_risks(user: Any) -> dict[str, Any]:
    from django.conf import settings

    from steward.cmdb.services import capacity_forecast

    items = ConfigurationItem.objects.restrict(user, "view").values("pk")
    risks = capacity_forecast(
        items=items,
        window_days=settings.CMDB_FORECAST_WINDOW_DAYS,
        horizon_days=settings.CMDB_CAPACITY_HORIZON_DAYS,
    )[:8]
    return {
        "columns": [_("Item"), _("Metric"), _("Crosses")],
        "rows": [
            [
                f"{r.item.reference} {r.item.name}",
                r.metric,
                str(_("already")) if r.days == 0 else r.crossing.isoformat(),
            ]
            for r in risks
        ],  # fmt: skip
        "links": [reverse("cmdb:configurationitem_capacity", args=[r.item_id]) for r in risks],
        "url": reverse("cmdb:configurationitem_capacity_report"),
    }


def lifecycle_timeline(user: Any) -> dict[str, Any]:
    from steward.cmdb.choices import Milestone
    from steward.cmdb.services import lifecycle_by_month

    months = [
        m
        for m in lifecycle_by_month(
            items=ConfigurationItem.objects.restrict(user, "view"), today=timezone.localdate(), months=12
        )
        if not m["past"]
    ]
    return {
        "type": "bar",
        "labels": [m["month"] for m in months],
        "datasets": [
            {"label": str(label), "data": [m[value] for m in months]} for value, label in Milestone.choices
        ],
    }


WIDGETS = (
    Widget("cmdb.items_in_use", _("Configuration items"), "counter", items_in_use, PERMISSION, weight=30),
    Widget(
        "cmdb.items_by_class", _("Items by class"), "chart", items_by_class, PERMISSION, weight=31, width=6
    ),
    Widget(
        "cmdb.items_by_environment",
        _("Items by environment"),
        "chart",
        items_by_environment,
        PERMISSION,
        weight=32,
        width=3,
    ),
    Widget(
        "cmdb.items_by_status", _("Items by status"), "chart", items_by_status, PERMISSION, weight=34, width=6
    ),
    Widget(
        "cmdb.capacity_risks",
        _("Capacity risks (90 days)"),
        "table",
        capacity_risks,
        PERMISSION,
        weight=35,
        width=6,
    ),
    Widget(
        "cmdb.lifecycle_timeline",
        _("Lifecycle milestones by month"),
        "chart",
        lifecycle_timeline,
        PERMISSION,
        weight=36,
        width=6,
    ),
    Widget(
        "cmdb.warranty_ending",
        _("Warranty ending in 90 days"),
        "table",
        warranty_ending,
        PERMISSION,
        weight=33,
        width=6,
    ),
)


def stale_discovery(user: Any) -> dict[str, Any]:
    """Discovered items that stopped reporting (not seen for STEWARD_DISCOVERY_STALE_DAYS)."""
    from steward.cmdb.discovery import stale_cutoff

    qs = ConfigurationItem.objects.restrict(user, "view").filter(last_discovered__lt=stale_cutoff())
    items = list(qs.select_related("ci_class").order_by("last_discovered", "name")[:8])
    return {
        "columns": [_("Item"), _("Class"), _("Last discovered")],
        "rows": [
            [
                f"{ci.reference} {ci.name}",
                ci.ci_class.name,
                timezone.localtime(ci.last_discovered).date().isoformat(),
            ]
            for ci in items
        ],
        "links": [ci.get_absolute_url() for ci in items],
        "url": reverse("cmdb:configurationitem_list") + "?discovery_stale=true",
    }


def open_drift(user: Any) -> dict[str, Any]:
    from steward.cmdb.models import Drift

    return {
        "value": Drift.objects.restrict(user, "view").filter(state="open").count(),
        "subtitle": _("open discovery drifts"),
        "url": reverse("cmdb:drift_list") + "?state=open",
    }


WIDGETS += (
    Widget(
        "cmdb.stale_discovery",
        _("Stale discovery"),
        "table",
        stale_discovery,
        PERMISSION,
        weight=34,
        width=6,
    ),
    Widget("cmdb.open_drift", _("Discovery drift"), "counter", open_drift, "cmdb.view_drift", weight=35),
)
