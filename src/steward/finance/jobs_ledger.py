"""Periodic ledger job: book the month's depreciation (idempotent, so a daily run is safe)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from steward.core.jobs import JobContext, periodic
from steward.finance import services
from steward.finance.models import FiscalPeriod


@periodic(every=dt.timedelta(days=1), name="finance.book_depreciation")
def book_depreciation(ctx: JobContext) -> None:
    """Book this month's depreciation of every active item as expenses (each item once per period).

    A payload ``{"month": "2027-03"}`` books another month instead.
    """
    raw = (ctx.payload or {}).get("month")
    month = dt.date.fromisoformat(f"{raw}-01") if raw else timezone.localdate().replace(day=1)
    period = FiscalPeriod.objects.filter(start_date__lte=month, end_date__gte=month).first()
    if period is None:
        ctx.log(f"No fiscal period covers {month:%Y-%m}; nothing booked")
        return
    if period.closed:
        ctx.log(f"{period} is closed; nothing booked")
        return
    booked = services.book_depreciation(period=period, actor=None)
    ctx.log(f"{len(booked)} depreciation expenses booked in {period}")
