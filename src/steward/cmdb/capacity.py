"""Capacity arithmetic: sample batches checked, series thinned out, linear trends fitted in SQL.

``services.py`` holds the operations (ingest, downsample, forecast); this module holds the
pieces they share: the batch parser, the SQL expression of a time in days, and the weighted
least-squares fit computed from five sums that the database aggregates per item and metric.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, FloatField, Func, Max, Min, Sum
from django.db.models.functions import Coalesce, Trunc
from django.utils.translation import gettext as _

from steward.cmdb.choices import Metric
from steward.cmdb.models import MetricSample
from steward.utilities.timestamps import parse_aware

MAX_BATCH = 50_000
MAX_UNIT = 20


class SampleError(ValueError):
    """A bad sample in a batch; ``field`` is its path (``samples[3].value``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class EpochDays(Func):
    """A datetime column as days since 1970-01-01 (a float), on SQLite and PostgreSQL."""

    output_field = FloatField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="(julianday(%(expressions)s) - 2440587.5)", **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="(EXTRACT(EPOCH FROM %(expressions)s) / 86400.0)", **extra
        )

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # other engines: MySQL/MariaDB
        extra.setdefault("template", "(UNIX_TIMESTAMP(%(expressions)s) / 86400.0)")
        return super().as_sql(compiler, connection, **extra)


def epoch_days(when: dt.datetime) -> float:
    return when.timestamp() / 86400.0


def _time(value: Any, path: str) -> dt.datetime:
    try:
        return parse_aware(value)
    except ValueError as exc:
        raise SampleError(path, str(exc)) from None


def parse_batch(payload: Any, resolve_item: Any, *, now: dt.datetime) -> list[MetricSample]:
    """Unsaved samples of a batch body ``{"samples": [...]}``; raises ``SampleError`` at the first fault.

    ``resolve_item(key)`` maps an ``item`` value (id or reference) to an item id or None.
    """
    if not isinstance(payload, dict):
        raise SampleError("body", _("expected a JSON object with a samples list"))
    rows = payload.get("samples")
    if not isinstance(rows, list) or not rows:
        raise SampleError("samples", _("expected a non-empty list"))
    if len(rows) > MAX_BATCH:
        raise SampleError("samples", _("at most %(n)d samples per request") % {"n": MAX_BATCH})
    latest = now + dt.timedelta(minutes=5)
    metrics = set(Metric.values)
    out = []
    for i, raw in enumerate(rows):
        path = f"samples[{i}]"
        if not isinstance(raw, dict):
            raise SampleError(path, _("expected an object"))
        unknown = set(raw) - {"item", "metric", "value", "unit", "timestamp"}
        if unknown:
            raise SampleError(f"{path}.{sorted(unknown)[0]}", _("unknown field"))
        item_id = resolve_item(raw.get("item"))
        if item_id is None:
            raise SampleError(
                f"{path}.item", _("no configuration item with this id or reference that you may see")
            )
        metric = raw.get("metric")
        if metric not in metrics:
            raise SampleError(f"{path}.metric", _("one of %(m)s") % {"m": ", ".join(Metric.values)})
        value = raw.get("value")
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise SampleError(f"{path}.value", _("expected a finite number"))
        unit = raw.get("unit", "")
        if not isinstance(unit, str) or len(unit) > MAX_UNIT:
            raise SampleError(
                f"{path}.unit", _("expected text of at most %(n)d characters") % {"n": MAX_UNIT}
            )
        when = _time(raw.get("timestamp"), f"{path}.timestamp")
        if when > latest:
            raise SampleError(f"{path}.timestamp", _("the sample is in the future"))
        out.append(
            MetricSample(
                configuration_item_id=item_id, metric=metric, value=float(value), unit=unit, timestamp=when
            )
        )
    return out


def bucket_sums(queryset: Any, kind: str) -> Any:
    """Weighted sums of ``queryset`` per item, metric, unit and ``kind`` bucket (hour or day, UTC)."""
    return (
        queryset.annotate(bucket=Trunc("timestamp", kind, tzinfo=dt.UTC))
        .values("configuration_item_id", "metric", "unit", "bucket")
        .annotate(
            n=Sum("samples"),
            total=Sum(F("value") * F("samples"), output_field=FloatField()),
            peak=Max(Coalesce("max_value", "value")),
        )
        .order_by()
    )


# --- linear trend -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Trend:
    """``value ≈ intercept + slope × days`` fitted by weighted least squares (weights: samples)."""

    slope: float  # per day
    intercept: float  # at t = 0 (the origin passed to ``regression_sums``)
    points: int
    first: float
    last: float

    def at(self, days: float) -> float:
        return self.intercept + self.slope * days


def regression_sums(queryset: Any, *, origin: dt.datetime) -> Any:
    """Per item and metric, the five weighted sums a least-squares line needs, in one query.

    Time is in days from ``origin`` so the squares stay small enough for double precision.
    """
    t = EpochDays("timestamp") - epoch_days(origin)
    w = F("samples")
    return (
        queryset.values("configuration_item_id", "metric")
        .annotate(
            rows=Count("id"),
            sw=Sum(w, output_field=FloatField()),
            swt=Sum(w * t, output_field=FloatField()),
            swv=Sum(w * F("value"), output_field=FloatField()),
            swtt=Sum(w * t * t, output_field=FloatField()),
            swtv=Sum(w * t * F("value"), output_field=FloatField()),
            tmin=Min(t, output_field=FloatField()),
            tmax=Max(t, output_field=FloatField()),
        )
        .order_by()
    )


def fit(sums: dict[str, Any]) -> Trend | None:
    """The line through the sums of ``regression_sums``; None with fewer than 3 rows or no time span."""
    if (sums.get("rows") or 0) < 3 or not sums.get("sw"):
        return None
    sw, swt, swv, swtt, swtv = (float(sums[k]) for k in ("sw", "swt", "swv", "swtt", "swtv"))
    denominator = sw * swtt - swt * swt
    if denominator <= 1e-12 * max(1.0, sw * swtt) or (sums["tmax"] - sums["tmin"]) < 1 / 24:
        return None
    slope = (sw * swtv - swt * swv) / denominator
    intercept = (swv - slope * swt) / sw
    return Trend(
        slope=slope, intercept=intercept, points=int(sums["rows"]), first=sums["tmin"], last=sums["tmax"]
    )


def days_to_cross(trend: Trend, threshold: float, *, now_days: float) -> float | None:
    """Days from now until the trend reaches ``threshold``: 0 if already there, None if never."""
    current = trend.at(now_days)
    if current >= threshold:
        return 0.0
    if trend.slope <= 0:
        return None
    return (threshold - current) / trend.slope
