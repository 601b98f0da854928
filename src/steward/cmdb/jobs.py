"""Periodic CMDB jobs: metric downsampling and retention, the lifecycle window, the relationship journal."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from steward.cmdb import graph, services
from steward.core.jobs import JobContext, periodic


@periodic(every=dt.timedelta(hours=1), name="cmdb.downsample_metrics")
def downsample_metrics(ctx: JobContext) -> None:
    """Roll raw samples up into hourly, hourly into daily averages; drop what is past retention."""
    result = services.downsample_metrics(
        raw_days=settings.CMDB_METRICS_RAW_DAYS,
        hourly_days=settings.CMDB_METRICS_HOURLY_DAYS,
        daily_days=settings.CMDB_METRICS_DAILY_DAYS,
    )
    ctx.log(
        f"{result.hourly} hourly and {result.daily} daily averages made; removed {result.raw_removed} raw, "
        f"{result.hourly_removed} hourly, {result.daily_removed} daily rows"
    )


@periodic(every=dt.timedelta(hours=6), name="cmdb.lifecycle_window")
def lifecycle_window(ctx: JobContext) -> None:
    """Raise ``cmdb.item.lifecycle_window`` for item milestones that came within the window."""
    days = int((ctx.payload or {}).get("days") or settings.CMDB_LIFECYCLE_WINDOW_DAYS)
    notices = services.raise_lifecycle_events(window_days=days)
    ctx.log(f"{len(notices)} milestones entered the {days}-day lifecycle window")


@periodic(every=dt.timedelta(hours=1), name="cmdb.prune_relationship_journal")
def prune_relationship_journal(ctx: JobContext) -> None:
    """Drop relationship-journal rows no process needs to catch up (ADR 31); laggards reload."""
    removed = graph.prune_journal()
    ctx.log(f"{removed} relationship journal rows removed")
