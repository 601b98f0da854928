"""Strategy's contributions to the home page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from steward.core.dashboards import Widget
from steward.core.workflow import get_workflow
from steward.strategy.models import Initiative, KeyResult


def initiatives_by_state(user: Any) -> dict[str, Any]:
    counts = dict(Initiative.objects.restrict(user, "view").values_list("state").annotate(n=Count("id")))
    states = list(get_workflow(Initiative).states.values())
    return {
        "type": "bar",
        "labels": [s.label for s in states],
        "datasets": [{"label": str(_("Initiatives")), "data": [counts.get(s.name, 0) for s in states]}],
    }


def key_results_at_risk(user: Any) -> dict[str, Any]:
    rows = list(
        KeyResult.objects.restrict(user, "view")
        .filter(confidence="low", objective__status="active")
        .select_related("objective")
        .order_by("objective__period_end", "title")[:8]
    )
    return {
        "columns": [_("Key result"), _("Objective"), _("Progress %")],
        "rows": [
            [kr.title, kr.objective.title, kr.progress if kr.progress is not None else "—"] for kr in rows
        ],
        "links": [kr.get_absolute_url() for kr in rows],
        "url": reverse("strategy:keyresult_list") + "?confidence=low",
    }


WIDGETS = (
    Widget(
        "strategy.initiatives_by_state", _("Initiative pipeline"), "chart", initiatives_by_state,
        "strategy.view_initiative", weight=5, width=6,
    ),
    Widget(
        "strategy.key_results_at_risk", _("Key results at risk"), "table", key_results_at_risk,
        "strategy.view_keyresult", weight=6, width=6,
    ),
)  # fmt: skip
