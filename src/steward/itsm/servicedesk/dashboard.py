"""Home-page widgets of the service desk: backlog age, MTTR by priority, reopen and change success."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core.dashboards import Widget
from steward.itsm.servicedesk import reports

PERIOD = dt.timedelta(days=90)


def backlog_age(user: Any) -> dict[str, Any]:
    rows = reports.backlog_age(user)
    return reports.chart("bar", [a for a, _n in rows], (_("Open incidents"), [n for _a, n in rows]))


def mttr_by_priority(user: Any) -> dict[str, Any]:
    rows = reports.mtta_mttr_by_priority(user, timezone.now() - PERIOD)
    return {
        "columns": [str(_("Priority")), "MTTA (h)", "MTTR (h)", str(_("Incidents"))],
        "rows": [[f.label, f.mtta_hours, f.mttr_hours, f.count] for f in rows],
        "url": reverse("itsm:incident_report") + "?days=90",
    }


def reopen_rate(user: Any) -> dict[str, Any]:
    figure = reports.reopen_rate(user, timezone.now() - PERIOD)
    return {
        "value": "—" if figure["percent"] is None else f"{figure['percent']} %",
        "subtitle": _("of incidents resolved in 90 days were reopened"),
        "url": reverse("itsm:incident_report") + "?days=90",
    }


def change_success(user: Any) -> dict[str, Any]:
    figure = reports.change_success_rate(user, timezone.now() - PERIOD)
    return {
        "value": "—" if figure["percent"] is None else f"{figure['percent']} %",
        "subtitle": _("of changes closed in 90 days caused no incident"),
        "url": reverse("itsm:change_list") + "?state=closed",
    }


WIDGETS = (
    Widget("itsm.backlog_age", _("Incident backlog age"), "chart", backlog_age, "itsm.view_incident", weight=42,
           width=6),
    Widget("itsm.mttr_by_priority", _("MTTA and MTTR by priority, 90 days"), "table", mttr_by_priority,
           "itsm.view_incident", weight=43, width=6),
    Widget("itsm.reopen_rate", _("Reopen rate"), "counter", reopen_rate, "itsm.view_incident", weight=32),
    Widget("itsm.change_success", _("Change success rate"), "counter", change_success, "itsm.view_change",
           weight=33),
)  # fmt: skip
