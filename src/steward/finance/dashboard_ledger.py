"""Finance's home-page widgets: budget consumption this year and the largest variances."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core.dashboards import Widget
from steward.finance import services
from steward.finance.models import FiscalYear


def _current_year() -> FiscalYear | None:
    today = timezone.localdate()
    return FiscalYear.objects.filter(start_date__lte=today, end_date__gte=today).first()


def budget_consumption(user: Any) -> dict[str, Any]:
    """Share of this fiscal year's approved budget already spent, cumulative per period."""
    year = _current_year()
    if year is None:
        return {"type": "line", "labels": [], "datasets": []}
    report = services.rollup(fiscal_year=year, user=user)
    labels, budget, actual = [], [], []
    running_budget = running_actual = 0.0
    for period, figures in report.by_period():
        running_budget += float(figures.budget)
        running_actual += float(figures.actual)
        labels.append(period.label)
        budget.append(round(running_budget, 2))
        actual.append(round(running_actual, 2))
    return {
        "type": "line",
        "labels": labels,
        "datasets": [
            {"label": str(_("Budget (cumulative)")), "data": budget},
            {"label": str(_("Actual (cumulative)")), "data": actual},
        ],
    }


def top_variances(user: Any) -> dict[str, Any]:
    """The cost centres furthest over (or under) their budget this fiscal year."""
    year = _current_year()
    url = reverse("finance:budget_report")
    if year is None:
        return {"columns": [], "rows": [], "url": url}
    report = services.rollup(fiscal_year=year, user=user)
    rows = sorted(report.by_key(), key=lambda r: -abs(r[2].variance))[:8]
    return {
        "columns": [_("Cost centre"), _("Budget"), _("Actual"), _("Variance"), _("Variance %")],
        "rows": [
            [label, f.budget, f.actual, f.variance, "—" if f.variance_pct is None else f.variance_pct]
            for _key, label, f in rows
        ],
        "url": f"{url}?fiscal_year={year.pk}",
    }


WIDGETS = (
    Widget("finance.budget_consumption", _("Budget consumption"), "chart", budget_consumption,
           "finance.view_budget", weight=20, width=6),
    Widget("finance.top_variances", _("Top budget variances"), "table", top_variances,
           "finance.view_budget", weight=21, width=6),
)  # fmt: skip
