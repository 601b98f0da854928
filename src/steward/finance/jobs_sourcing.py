"""Periodic sourcing jobs: the daily contract renewal run."""

from __future__ import annotations

from steward.core.jobs import JobContext, periodic
from steward.finance import services_sourcing


@periodic(cron="15 2 * * *", name="finance.contract_renewals")
def contract_renewals(ctx: JobContext) -> None:
    """Announce notice deadlines and expiries once each; renew auto-renewing contracts on their end date."""
    run = services_sourcing.process_contract_dates()
    ctx.log(f"{len(run.notices)} notice deadlines, {len(run.renewed)} renewals, {len(run.expired)} expiries")
