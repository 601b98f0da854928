"""Periodic security jobs: re-matching advisories against the inventory, overdue findings."""

from __future__ import annotations

import datetime as dt

from steward.core.jobs import JobContext, periodic
from steward.security import services


@periodic(every=dt.timedelta(hours=6), name="security.match_findings")
def match_findings(ctx: JobContext) -> None:
    """Match every advisory against every installation; open, update and close findings."""
    ctx.log(str(services.match_findings()))


@periodic(every=dt.timedelta(minutes=5), name="security.match_discovered_items")
def match_discovered_items(ctx: JobContext) -> None:
    """Match the items discovery reported since this job last succeeded (a minute of overlap)."""
    from steward.core.models import JobRun, JobRunStatus

    last = (
        JobRun.objects.filter(job_name=ctx.name, status=JobRunStatus.SUCCEEDED)
        .order_by("-started")
        .values_list("started", flat=True)
        .first()
    )
    since = last - dt.timedelta(minutes=1) if last else None
    ctx.log(f"since {since or 'the first report'}: {services.match_discovered_items(since=since)}")


@periodic(every=dt.timedelta(hours=1), name="security.check_overdue_findings")
def check_overdue_findings(ctx: JobContext) -> None:
    """Raise an event once for each open finding past its remediation due date."""
    ctx.log(f"{len(services.flag_overdue_findings())} findings became overdue")


@periodic(every=dt.timedelta(minutes=15), name="security.check_breach_notifications")
def check_breach_notifications(ctx: JobContext) -> None:
    """Warn when a personal-data breach nears or passes its 72-hour regulator-notification deadline."""
    result = services.check_breach_notifications()
    ctx.log(f"{len(result.at_risk)} at risk, {len(result.overdue)} overdue")
