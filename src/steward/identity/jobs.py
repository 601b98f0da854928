"""Scheduled directory sync."""

from __future__ import annotations

import datetime as dt

from steward.core.jobs import JobContext, periodic
from steward.identity import ldap, services


@periodic(every=dt.timedelta(hours=1), name="identity.ldap_sync")
def ldap_sync(ctx: JobContext) -> None:
    """Mirror every enabled LDAP/AD directory into people, teams and departments."""
    for directory in ldap.directories(purpose="sync"):
        report = services.ldap_sync(directory=directory, dry_run=False)
        ctx.log(report.text())
