"""GRC contributions to the home page: compliance per framework, risks above appetite."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from steward.core.dashboards import Widget
from steward.grc import services
from steward.grc.models import Risk


def compliance_by_framework(user: Any) -> dict[str, Any]:
    rows = [(fw, pct) for fw, pct, _a in services.framework_compliance(user=user) if pct is not None]
    rows.sort(key=lambda r: str(r[0]))
    return {
        "type": "bar",
        "labels": [str(fw)[:40] for fw, _pct in rows],
        "datasets": [{"label": str(_("Compliance %")), "data": [pct for _fw, pct in rows]}],
    }


def risks_above_appetite(user: Any) -> dict[str, Any]:
    risks = Risk.objects.restrict(user, "view").exclude(state="closed").select_related("matrix")
    return {
        "value": sum(1 for r in risks if r.exceeds_appetite),
        "subtitle": _("open risks above appetite"),
        "url": reverse("grc:risk_heat_map"),
    }


WIDGETS = (
    Widget("grc.compliance", _("Compliance by framework"), "chart", compliance_by_framework,
           "grc.view_assessment", weight=50, width=6),
    Widget("grc.risks_above_appetite", _("Risks above appetite"), "counter", risks_above_appetite,
           "grc.view_risk", weight=51),
)  # fmt: skip
