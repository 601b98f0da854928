"""Periodic security jobs: re-matching advisories against the inventory, overdue findings."""

from __future__ import annotations

import datetime as dt

from steward.core.jobs import JobContext, job, periodic
from steward.security import services


@periodic(every=dt.timedelta(hours=6), name="security.match_findings")
def match_findings(ctx: JobContext) -> None:
    """Match every advisory against every installation; open, update and close findings."""
    ctx.log(str(services.match_findings()))


@job(name="security.match_discovered_item")
def match_discovered_item(ctx: JobContext) -> None:
    """Match the findings of the item a discovery report changed (run by the shipped event rule)."""
    ctx.log(str(services.match_discovered_item(payload=ctx.payload)))


@periodic(every=dt.timedelta(hours=1), name="security.check_overdue_findings")
def check_overdue_findings(ctx: JobContext) -> None:
    """Raise an event once for each open finding past its remediation due date."""
    ctx.log(f"{len(services.flag_overdue_findings())} findings became overdue")


@periodic(every=dt.timedelta(minutes=15), name="security.check_breach_notifications")
def check_breach_notifications(ctx: JobContext) -> None:
    """Warn when a personal-data breach nears or passes its 72-hour regulator-notification deadline."""
    result = services.check_breach_notifications()
    ctx.log(f"{len(result.at_risk)} at risk, {len(result.overdue)} overdue")
