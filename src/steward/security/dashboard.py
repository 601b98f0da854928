"""The security app's contributions to the home page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core.dashboards import Widget
from steward.security import services
from steward.security.choices import ACTIVE_FINDING_STATES, SEVERITY_ORDER, Severity
from steward.security.models import Finding

PERMISSION = "security.view_finding"


def _active(user: Any) -> Any:
    return Finding.objects.restrict(user, "view").filter(state__in=ACTIVE_FINDING_STATES)


def open_by_severity(user: Any) -> dict[str, Any]:
    counts = dict(_active(user).values_list("severity").annotate(n=Count("id")).order_by())
    labels = dict(Severity.choices)
    shown = [s for s in SEVERITY_ORDER if counts.get(s)] or list(SEVERITY_ORDER[:4])
    return {
        "type": "doughnut",
        "labels": [str(labels[s]) for s in shown],
        "datasets": [{"label": str(_("Open findings")), "data": [counts.get(s, 0) for s in shown]}],
    }


def overdue(user: Any) -> dict[str, Any]:
    return {
        "value": _active(user).filter(due_date__lt=timezone.localdate()).count(),
        "subtitle": _("findings past their remediation date"),
        "url": reverse("security:finding_list") + "?overdue=true",
    }


def exposure_per_service(user: Any) -> dict[str, Any]:
    rows = services.exposure_by_service(user=user, limit=8)
    return {
        "columns": [
            _("Business application"),
            _("Exposed items"),
            _("Critical"),
            _("High"),
            _("Medium"),
            _("Low"),
        ],
        "rows": [[r["name"], r["items"], r["critical"], r["high"], r["medium"], r["low"]] for r in rows],
        "links": [reverse("cmdb:configurationitem_detail", args=[r["id"]]) for r in rows],
        "url": reverse("security:finding_list") + "?state=open&state=in_progress",
    }


WIDGETS = (
    Widget("security.open_by_severity", _("Open findings by severity"), "chart", open_by_severity, PERMISSION,
           weight=40, width=3),
    Widget("security.overdue", _("Overdue findings"), "counter", overdue, PERMISSION, weight=41),
    Widget("security.exposure_per_service", _("Exposure per business application"), "table",
           exposure_per_service, PERMISSION, weight=42, width=6),
)  # fmt: skip
