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

from django.db.models import Avg, DurationField, ExpressionWrapper, F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.grc.queries import model_or_none


@dataclass(frozen=True)
class Metric:
    """A registered metric. ``per_period`` ones take ``period`` (the indicator's frequency as a
    duration); ``by_service`` ones take ``service`` (the indicator's service, or None for all)."""

    name: str
    title: Any
    unit: str
    func: Callable[..., Decimal | None]
    per_period: bool = False
    by_service: bool = False

    def measure(self, *, period: dt.timedelta | None = None, service: Any = None) -> Decimal | None:
        kwargs: dict[str, Any] = {}
        if self.per_period:
            kwargs["period"] = period or WINDOW
        if self.by_service:
            kwargs["service"] = service
        return self.func(**kwargs)


METRICS: dict[str, Metric] = {}
WINDOW = dt.timedelta(days=30)
#: The period a per-period metric looks back over, by the indicator's frequency.
PERIODS = {
    "daily": dt.timedelta(days=1),
    "weekly": dt.timedelta(days=7),
    "monthly": dt.timedelta(days=30),
    "quarterly": dt.timedelta(days=91),
    "yearly": dt.timedelta(days=365),
}


def metric(
    name: str, title: Any, unit: str, *, per_period: bool = False, by_service: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        if name in METRICS:
            raise RuntimeError(f"metric {name} is registered twice")
        METRICS[name] = Metric(name, title, unit, func, per_period=per_period, by_service=by_service)
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


# --- security (read by model label: security.Finding, security.Advisory) ------------------------
def _findings_of(finding: Any, service: Any) -> QuerySet[Any]:
    """Findings, limited to the configuration items a service runs on when one is given."""
    qs = finding.objects.all()
    if service is not None:
        qs = qs.filter(configuration_item__services=service)
    return qs


def patch_latency(
    *, since: dt.datetime, until: dt.datetime, service: Any = None
) -> tuple[Decimal | None, int]:
    """Median days to remediate the findings fixed in [since, until), and how many there were.

    Each finding's clock starts when the organisation could act on it: the advisory's
    publication, or the finding's first detection when the software came later (the later of
    the two; whichever is known). It stops when the finding was closed as fixed.
    """
    finding = model_or_none("security.Finding")
    if finding is None:
        return None, 0
    rows = (
        _findings_of(finding, service)
        .filter(state="fixed", closed_at__gte=since, closed_at__lt=until)
        .values_list("closed_at", "first_detected", "advisory__published")
    )
    days = []
    for closed, first_seen, published in rows:
        starts = [t for t in (first_seen, published) if t is not None]
        if not starts:
            continue
        days.append(max(Decimal(0), Decimal((closed - max(starts)).total_seconds()) / 86400))
    if not days:
        return None, 0
    days.sort()
    mid = len(days) // 2
    median = days[mid] if len(days) % 2 else (days[mid - 1] + days[mid]) / 2
    return median.quantize(Decimal("0.1")), len(days)


@metric(
    "security.patch_latency_days",
    _("Patch latency: median days from advisory (or first detection) to fix, per period"),
    "d", per_period=True, by_service=True,
)  # fmt: skip
def patch_latency_days(*, period: dt.timedelta = WINDOW, service: Any = None) -> Decimal | None:
    now = timezone.now()
    return patch_latency(since=now - period, until=now, service=service)[0]


def open_critical_findings(*, service: Any = None) -> int | None:
    """Open (not fixed, not false positive, not risk-accepted) findings of critical severity."""
    finding = model_or_none("security.Finding")
    if finding is None:
        return None
    return (
        _findings_of(finding, service).filter(severity="critical", state__in=("open", "in_progress")).count()
    )


@metric("security.open_critical_vulnerabilities", _("Open critical vulnerabilities"), "", by_service=True)
def open_critical_vulnerabilities(*, service: Any = None) -> Decimal | None:
    count = open_critical_findings(service=service)
    return None if count is None else Decimal(count)
