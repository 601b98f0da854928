"""Periodic GRC jobs: evidence re-collection, risk acceptance expiry, reviews, KPIs, chasers."""

from __future__ import annotations

import datetime as dt

from steward.core.jobs import JobContext, periodic
from steward.grc import services


@periodic(every=dt.timedelta(hours=24), name="grc.collect_evidence")
def collect_evidence(ctx: JobContext) -> None:
    """Re-collect every automated evidence from its registered platform query."""
    ctx.log(f"collected {len(services.collect_all_evidence())} automated evidence records")


@periodic(every=dt.timedelta(hours=1), name="grc.risk_acceptance_expiry")
def risk_acceptance_expiry(ctx: JobContext) -> None:
    """Raise grc.risk.acceptance_expired once for each risk acceptance that ran out."""
    expired = services.raise_expired_acceptances()
    ctx.log(f"{len(expired)} risk acceptances expired: {', '.join(r.reference for r in expired) or '—'}")


@periodic(cron="0 6 * * *", name="grc.reviews_due")
def reviews_due(ctx: JobContext) -> None:
    """Remind owners of policies due for review and announce risks due for their review."""
    policies = services.remind_policy_reviews()
    risks = services.announce_risk_reviews()
    ctx.log(f"{len(policies)} policy reviews and {len(risks)} risk reviews due")


@periodic(cron="30 6 * * 1", name="grc.chase_acknowledgements")
def chase_acknowledgements(ctx: JobContext) -> None:
    """Remind people who have not yet acknowledged a policy in an open campaign (weekly)."""
    ctx.log(f"chased {services.chase_overdue_campaigns()} people")


@periodic(cron="0 5 * * *", name="grc.compute_indicators")
def compute_indicators(ctx: JobContext) -> None:
    """Measure every KPI/KRI that has a registered metric from live data."""
    ctx.log(f"recorded {len(services.compute_indicators())} measurements")
