"""Template helpers of the GRC detail pages: summaries computed by the services."""

from __future__ import annotations

from typing import Any

from django import template

from steward.grc import services
from steward.grc.choices import ResultStatus

register = template.Library()


@register.simple_tag
def assessment_summary(assessment: Any) -> dict[str, Any]:
    counts = services.result_counts(assessment)
    return {
        "percent": services.compliance_percent(assessment.results.all()),
        "counts": [(ResultStatus(v).label, ResultStatus.colour(v), counts[v]) for v in ResultStatus.values],
        "total": sum(counts.values()),
    }


@register.simple_tag
def framework_tree(framework: Any, limit: int = 2000) -> list[Any]:
    """The requirements in document order with their depth, for an indented outline."""
    rows = list(framework.requirements.order_by("sort_order", "id")[:limit])
    depth: dict[int, int] = {}
    for r in rows:
        depth[r.pk] = depth.get(r.parent_id, -1) + 1 if r.parent_id else 0
        r.depth = depth[r.pk]
    return rows


@register.simple_tag
def campaign_progress(campaign: Any) -> dict[str, Any]:
    return services.campaign_progress(campaign)


@register.simple_tag
def raci_grid(matrix: Any) -> dict[str, Any]:
    return services.raci_grid(matrix)


@register.simple_tag
def indicator_trend(indicator: Any) -> dict[str, Any]:
    from steward.grc.views import trend_chart

    return trend_chart(indicator)


@register.simple_tag
def matrix_grid(matrix: Any) -> list[Any]:
    from steward.grc.models import Risk

    return services.heat_map(Risk.objects.none(), matrix)
