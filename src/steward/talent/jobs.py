"""Periodic talent jobs."""

from __future__ import annotations

from steward.core.jobs import JobContext, periodic
from steward.talent import services


@periodic(cron="15 6 * * *", name="talent.certification_reminders")
def certification_reminders(ctx: JobContext) -> None:
    """Announce certifications reaching a reminder threshold before expiry (once per threshold)."""
    sent = services.send_certification_reminders()
    ctx.log(f"{len(sent)} certification reminders raised")
