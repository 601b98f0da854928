"""Periodic ITSM jobs: SLA warnings and breaches, auto-closing resolved incidents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from steward.core.jobs import JobContext, job, periodic
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


def _incident_from(ctx: JobContext) -> Any:
    from steward.itsm.models import Incident

    payload = ctx.payload or {}
    if payload.get("model") != "itsm.incident":
        raise ValueError("This job reacts to incident events (itsm.sla.warning / itsm.sla.breached).")
    return Incident.objects.select_related("assignee__user", "assignment_team__lead__user").get(
        pk=payload["object"]["id"]
    )


@job(name="itsm.notify_sla")
def notify_sla(ctx: JobContext) -> None:
    """Notify the assignee (or the team) and the team lead of an SLA warning or breach event."""
    incident = _incident_from(ctx)
    data = (ctx.payload or {}).get("data") or {}
    sent = services.notify_sla_event(
        incident=incident, event=ctx.payload.get("event", ""), clock=data.get("clock", ""),
        percent=float(data.get("percent") or 0),
    )  # fmt: skip
    ctx.log(f"notified {sent} people about {incident.reference}")


@job(name="itsm.escalate_sla")
def escalate_sla(ctx: JobContext) -> None:
    """Escalate the incident of an SLA event: raise its urgency one step (priority follows)."""
    incident = services.escalate_incident(incident=_incident_from(ctx), actor=services.automation_user())
    ctx.log(f"{incident.reference} is now priority {incident.priority}")
