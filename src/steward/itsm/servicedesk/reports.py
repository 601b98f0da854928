"""ITSM reporting figures, each one SQL aggregate over the incidents (and changes) a user may see.

Every function takes the user (rows are restricted to what they may view) and a period start;
none loads incidents into Python, so the report stays fast on tens of thousands of tickets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Case, CharField, Count, F, FloatField, Func, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.itsm.choices import ClockStatus, Priority
from steward.itsm.models import Change, Incident, SLAClock

CLOSED = ("resolved", "closed")
#: Backlog age buckets: (label, upper bound in days; None = no bound).
AGE_BUCKETS = (("< 1 day", 1), ("1–3 days", 3), ("3–7 days", 7), ("7–30 days", 30), ("> 30 days", None))


def incidents(user: Any) -> Any:
    return Incident.objects.restrict(user, "view")


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(float(seconds) / 3600, 1)


def open_by_priority(user: Any) -> dict[str, int]:
    rows = (
        incidents(user).exclude(state__in=CLOSED).values_list("priority").annotate(n=Count("id")).order_by()
    )
    counts = dict(rows)
    return {v: counts.get(v, 0) for v in Priority.values}


def open_by_team(user: Any, limit: int = 15) -> list[tuple[str, int]]:
    rows = (
        incidents(user).exclude(state__in=CLOSED).values("assignment_team__name").annotate(n=Count("id"))
        .order_by("-n", "assignment_team__name")[:limit]
    )  # fmt: skip
    return [(r["assignment_team__name"] or _("No team"), r["n"]) for r in rows]


def backlog_age(user: Any, now: dt.datetime | None = None) -> list[tuple[str, int]]:
    """Open incidents by how long ago they were opened, in one CASE … GROUP BY."""
    now = now or timezone.now()
    whens = [
        When(created__gt=now - dt.timedelta(days=days), then=Value(i))
        for i, (_label, days) in enumerate(AGE_BUCKETS)
        if days is not None
    ]
    bucket = Case(*whens, default=Value(len(AGE_BUCKETS) - 1), output_field=IntegerField())
    rows = dict(
        incidents(user).exclude(state__in=CLOSED).annotate(bucket=bucket).values_list("bucket")
        .annotate(n=Count("id")).order_by()
    )  # fmt: skip
    return [(label, rows.get(i, 0)) for i, (label, _days) in enumerate(AGE_BUCKETS)]


class SecondsSinceCreated(Func):
    """Seconds from the row's ``created`` to ``end``, in native SQL on every engine.

    Django's datetime subtraction calls a Python function per row on SQLite; this stays in C.
    """

    output_field = FloatField()
    arg_joiner = " - "
    template = "EXTRACT(EPOCH FROM (%(expressions)s))"

    def __init__(self, end: str) -> None:
        super().__init__(F(end), F("created"))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="((julianday(%(expressions)s)) * 86400.0)", arg_joiner=") - julianday(",
            **extra,
        )  # fmt: skip


class CreatedMonth(Func):
    """``YYYY-MM`` of ``created`` in UTC, natively (TruncMonth is a Python function per row on SQLite)."""

    output_field = CharField()
    template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM')"

    def __init__(self) -> None:
        super().__init__(F("created"))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="substr(%(expressions)s, 1, 7)", **extra)


def _duration(end: str) -> SecondsSinceCreated:
    return SecondsSinceCreated(end)


@dataclass
class TimeFigure:
    label: str
    mtta_hours: float | None
    mttr_hours: float | None
    count: int


def mtta_mttr_by_month(user: Any, since: dt.datetime) -> list[TimeFigure]:
    """Mean time to acknowledge (first response) and to resolve, by month the incident was opened."""
    rows = (
        incidents(user).filter(created__gte=since).annotate(month=CreatedMonth()).values("month")
        .annotate(mtta=Avg(_duration("responded_at")), mttr=Avg(_duration("resolved_at")), n=Count("id"))
        .order_by("month")
    )  # fmt: skip
    return [TimeFigure(r["month"], _hours(r["mtta"]), _hours(r["mttr"]), r["n"]) for r in rows]


def mtta_mttr_by_priority(user: Any, since: dt.datetime) -> list[TimeFigure]:
    rows = {
        r["priority"]: r
        for r in incidents(user).filter(created__gte=since).values("priority")
        .annotate(mtta=Avg(_duration("responded_at")), mttr=Avg(_duration("resolved_at")), n=Count("id"))
        .order_by()
    }  # fmt: skip
    return [
        TimeFigure(str(label), _hours(rows[v]["mtta"]), _hours(rows[v]["mttr"]), rows[v]["n"])
        for v, label in Priority.choices
        if v in rows
    ]


def sla_compliance(user: Any, since: dt.datetime) -> dict[str, Any]:
    """Finished SLA clocks that met their target, overall and per clock kind (percent)."""
    clocks = SLAClock.objects.filter(
        incident__in=incidents(user).filter(created__gte=since).values("pk"), status=ClockStatus.STOPPED
    )
    rows = (
        clocks.values("kind")
        .annotate(n=Count("id"), met=Count("id", filter=Q(breached=False)))
        .order_by("kind")
    )
    by_kind = {r["kind"]: (round(100 * r["met"] / r["n"], 1), r["n"]) for r in rows}
    total = sum(n for _p, n in by_kind.values())
    met = sum(r["met"] for r in rows)
    return {"percent": round(100 * met / total, 1) if total else None, "finished": total, "by_kind": by_kind}


def reopen_rate(user: Any, since: dt.datetime) -> dict[str, Any]:
    """Of the incidents resolved in the period (or reopened in it), the share reopened at least once."""
    from steward.core.models import WorkflowHistory

    ct = ContentType.objects.get_for_model(Incident)
    reopened = WorkflowHistory.objects.filter(content_type=ct, transition="reopen", time__gte=since).values(
        "object_id"
    )
    figures = (
        incidents(user)
        .filter(Q(resolved_at__gte=since) | Q(pk__in=reopened))
        .aggregate(resolved=Count("id"), reopened=Count("id", filter=Q(pk__in=reopened)))
    )
    total = figures["resolved"]
    return {
        "percent": round(100 * figures["reopened"] / total, 1) if total else None,
        "reopened": figures["reopened"],
        "resolved": total,
    }


def change_success_rate(user: Any, since: dt.datetime) -> dict[str, Any]:
    """Changes closed in the period that caused no incident, as a share of all changes closed."""
    closed = Change.objects.restrict(user, "view").filter(state="closed", last_updated__gte=since)
    figures = closed.aggregate(
        total=Count("id", distinct=True),
        failed=Count("id", filter=Q(caused_incidents__isnull=False), distinct=True),
    )
    total = figures["total"]
    return {
        "percent": round(100 * (total - figures["failed"]) / total, 1) if total else None,
        "total": total,
        "failed": figures["failed"],
    }


def top_categories(user: Any, since: dt.datetime, limit: int = 10) -> list[tuple[str, int]]:
    rows = (
        incidents(user).filter(created__gte=since).exclude(category="").values("category")
        .annotate(n=Count("id")).order_by("-n", "category")[:limit]
    )  # fmt: skip
    return [(r["category"], r["n"]) for r in rows]


def chart(kind: str, labels: list[str], *datasets: tuple[str, list[Any]]) -> dict[str, Any]:
    """A Chart.js spec as the dashboard script reads it (``data-chart`` + a JSON block)."""
    return {"type": kind, "labels": labels, "datasets": [{"label": str(n), "data": d} for n, d in datasets]}


def report(*, user: Any, days: int = 180, now: dt.datetime | None = None) -> dict[str, Any]:
    """Every figure of the ITSM report page for the last ``days`` days."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=days)
    by_month = mtta_mttr_by_month(user, since)
    by_priority = mtta_mttr_by_priority(user, since)
    priority = open_by_priority(user)
    teams = open_by_team(user)
    age = backlog_age(user, now)
    categories = top_categories(user, since)
    return {
        "days": days,
        "since": since,
        "open_by_priority": chart("bar", [str(label) for _v, label in Priority.choices],
                                  (_("Open incidents"), list(priority.values()))),
        "open_by_team": chart("bar", [t for t, _n in teams], (_("Open incidents"), [n for _t, n in teams])),
        "backlog_age": chart("bar", [a for a, _n in age], (_("Open incidents"), [n for _a, n in age])),
        "mtt_by_month": chart("line", [f.label for f in by_month], (_("MTTA (hours)"), [f.mtta_hours for f in by_month]),
                              (_("MTTR (hours)"), [f.mttr_hours for f in by_month])),
        "by_month": by_month,
        "by_priority": by_priority,
        "categories": chart("bar", [c for c, _n in categories], (_("Incidents"), [n for _c, n in categories])),
        "category_rows": categories,
        "sla": sla_compliance(user, since),
        "reopen": reopen_rate(user, since),
        "changes": change_success_rate(user, since),
        "open_total": sum(priority.values()),
    }  # fmt: skip
