"""ITSM contributions to the home page: open work by priority and team, SLA compliance."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from steward.core.dashboards import Widget
from steward.itsm import services
from steward.itsm.choices import Priority
from steward.itsm.models import Incident, SLAClock

OPEN_EXCLUDED = ("resolved", "closed")


def _open(user: Any):  # noqa: ANN202
    return Incident.objects.restrict(user, "view").exclude(state__in=OPEN_EXCLUDED)


def open_by_priority(user: Any) -> dict[str, Any]:
    counts = dict(_open(user).values_list("priority").annotate(n=Count("id")).order_by())
    return {
        "type": "bar",
        "labels": [str(label) for _value, label in Priority.choices],
        "datasets": [
            {"label": str(_("Open incidents")), "data": [counts.get(v, 0) for v in Priority.values]}
        ],
    }


def open_by_team(user: Any) -> dict[str, Any]:
    rows = (
        _open(user)
        .values("assignment_team__name")
        .annotate(n=Count("id"))
        .order_by("-n", "assignment_team__name")
    )[:12]
    return {
        "type": "bar",
        "labels": [r["assignment_team__name"] or str(_("Unassigned")) for r in rows],
        "datasets": [{"label": str(_("Open incidents")), "data": [r["n"] for r in rows]}],
    }


def sla_compliance(user: Any) -> dict[str, Any]:
    visible = Incident.objects.restrict(user, "view").values("pk")
    value = services.sla_compliance(SLAClock.objects.filter(incident__in=visible))
    return {
        "value": "—" if value is None else f"{value} %",
        "subtitle": _("of finished SLA clocks met their target"),
        "url": reverse("itsm:incident_list") + "?open=false",
    }


def open_count(user: Any) -> dict[str, Any]:
    return {
        "value": _open(user).count(),
        "subtitle": _("open incidents"),
        "url": reverse("itsm:incident_list") + "?open=true",
    }


WIDGETS = (
    Widget("itsm.open_incidents", _("Open incidents"), "counter", open_count, "itsm.view_incident", weight=30),
    Widget("itsm.sla_compliance", _("SLA compliance"), "counter", sla_compliance, "itsm.view_incident", weight=31),
    Widget(
        "itsm.open_by_priority", _("Open incidents by priority"), "chart", open_by_priority, "itsm.view_incident",
        weight=40, width=6,
    ),
    Widget(
        "itsm.open_by_team", _("Open incidents by team"), "chart", open_by_team, "itsm.view_incident",
        weight=41, width=6,
    ),
)  # fmt: skip
