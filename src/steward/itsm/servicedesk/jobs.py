"""Periodic job of the service desk: poll the mailbox."""

from __future__ import annotations

import datetime as dt

from steward.core.jobs import JobContext, periodic
from steward.itsm.servicedesk import mail


@periodic(every=dt.timedelta(minutes=1), name="itsm.poll_mailbox")
def poll_mailbox(ctx: JobContext) -> None:
    """Take in new mail from the service desk's IMAP mailbox (incidents and replies)."""
    config = mail.mail_config()
    if not config.configured:
        ctx.log("no mailbox configured; nothing to do")
        return
    report = mail.poll_imap(config=config)
    for error in report.errors:
        ctx.log(error)
    ctx.log(report.summary())
