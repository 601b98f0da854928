"""Periodic job of the service desk: poll the mailbox."""

from __future__ import annotations

import datetime as dt

from steward.core.jobs import JobContext, periodic
from steward.itsm.servicedesk import mail


@periodic(every=dt.timedelta(minutes=1), name="itsm.poll_mailbox")
def poll_mailbox(ctx: JobContext) -> None:
    """Take in new mail from every enabled IMAP mailbox of the desk (incidents, requests, replies)."""
    if not any(config.configured for config in mail.mail_configs()):
        ctx.log("no mailbox configured; nothing to do")
        return
    report = mail.poll_all()
    for error in report.errors:
        ctx.log(error)
    ctx.log(report.summary())
