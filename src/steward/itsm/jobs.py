"""Periodic ITSM jobs: SLA warnings and breaches, auto-closing resolved incidents."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from steward.core.jobs import JobContext, periodic
from steward.itsm import services


@periodic(every=dt.timedelta(minutes=1), name="itsm.check_sla_clocks")
def check_sla_clocks(ctx: JobContext) -> None:
    """Raise SLA warning and breach events for clocks that crossed their thresholds."""
    result = services.check_sla_clocks()
    ctx.log(f"{len(result.warned)} warnings, {len(result.breached)} breaches")


@periodic(every=dt.timedelta(hours=1), name="itsm.auto_close_resolved")
def auto_close_resolved(ctx: JobContext) -> None:
    """Close incidents that stayed resolved for the configured number of days."""
    # A run triggered with {"days": n} (event rule, CLI) overrides STEWARD_ITSM_AUTO_CLOSE_DAYS.
    days = int((ctx.payload or {}).get("days") or settings.ITSM_AUTO_CLOSE_DAYS)
    closed = services.auto_close_resolved(days=days)
    ctx.log(f"closed {len(closed)} incidents resolved more than {days} days ago")


@periodic(every=dt.timedelta(hours=1), name="itsm.refresh_change_conflicts")
def refresh_change_conflicts(ctx: JobContext) -> None:
    """Re-flag active changes against each other and the freeze windows in force."""
    ctx.log(f"checked {services.refresh_all_conflicts()} changes")
