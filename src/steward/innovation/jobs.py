"""Scheduled innovation jobs: change-plan communications go out on their dates."""

from __future__ import annotations

import datetime as dt

from steward.core.jobs import JobContext, periodic
from steward.innovation import services


@periodic(every=dt.timedelta(minutes=15), name="innovation.send_communications")
def send_communications(ctx: JobContext) -> None:
    """Send every change-plan communication whose date has come, each exactly once."""
    sent = services.send_due_communications()
    ctx.log(f"sent {len(sent)} communications: {', '.join(m.subject for m in sent) or '—'}")
