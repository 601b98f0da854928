"""Registered metric functions that compute indicator values from live platform data.

Like the evidence queries, a metric reads other apps by model label and returns ``None``
when the data is absent (app not installed, nothing to measure yet).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, DurationField, ExpressionWrapper, F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.grc.queries import model_or_none


@dataclass(frozen=True)
class Metric:
    name: str
    title: Any
    unit: str
    func: Callable[[], Decimal | None]


METRICS: dict[str, Metric] = {}
WINDOW = dt.timedelta(days=30)


def metric(name: str, title: Any, unit: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        if name in METRICS:
            raise RuntimeError(f"metric {name} is registered twice")
        METRICS[name] = Metric(name, title, unit, func)
        return func

    return decorator


def metric_choices() -> list[tuple[str, str]]:
    return [("", _("— entered by hand —"))] + [
        (m.name, f"{m.title} ({m.unit})") for m in sorted(METRICS.values(), key=lambda m: m.name)
    ]


@metric("itsm.incident_mttr_hours", _("Incident mean time to resolve, last 30 days"), "h")
def incident_mttr_hours() -> Decimal | None:
    incident = model_or_none("itsm.Incident")
    if incident is None:
        return None
    since = timezone.now() - WINDOW
    duration = ExpressionWrapper(F("resolved_at") - F("created"), output_field=DurationField())
    mean = (
        incident.objects.filter(resolved_at__gte=since).annotate(d=duration).aggregate(mean=Avg("d"))["mean"]
    )
    if mean is None:
        return None
    return (Decimal(mean.total_seconds()) / 3600).quantize(Decimal("0.01"))


@metric("itsm.sla_compliance_percent", _("SLA clocks met, last 30 days"), "%")
def sla_compliance_percent() -> Decimal | None:
    clock = model_or_none("itsm.SLAClock")
    if clock is None:
        return None
    finished = clock.objects.filter(status="stopped", stopped_at__gte=timezone.now() - WINDOW)
    total = finished.count()
    if not total:
        return None
    return (Decimal(100) * finished.filter(breached=False).count() / total).quantize(Decimal("0.1"))


@metric("grc.risks_above_appetite", _("Risks above appetite"), "")
def risks_above_appetite() -> Decimal:
    from steward.grc.models import Risk

    risks = Risk.objects.exclude(state="closed").select_related("matrix")
    return Decimal(sum(1 for r in risks if r.exceeds_appetite))
