"""Builders of ledger rows for the registry-driven tests (permission matrix, hardening, fuzzing)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from steward.utilities.testing.factories import factory, make_instance


def year_for(n: int) -> Any:
    """A fiscal year of its own (years far apart, so they never overlap)."""
    from steward.finance.models import FiscalYear

    return FiscalYear.objects.create(name=f"FY-{n}", start_date=dt.date(2100 + n, 1, 1))


def open_period() -> Any:
    """The first period of some fiscal year, for rows that need one (reused across builders)."""
    from steward.finance.models import FiscalPeriod, FiscalYear

    period = FiscalPeriod.objects.filter(closed=False).order_by("pk").first()
    if period is None:
        period = FiscalYear.objects.create(name="FY-shared", start_date=dt.date(2099, 1, 1)).periods.get(
            number=1
        )
    return period


def draft_version() -> Any:
    from steward.finance.models import Budget, BudgetVersion

    version = BudgetVersion.objects.filter(state="draft").order_by("pk").first()
    if version is None:
        budget = Budget.objects.create(name="Factory budget", fiscal_year=open_period().fiscal_year)
        version = BudgetVersion.objects.create(budget=budget)
    return version


@factory("finance.fiscalyear")
def _fiscal_year(n: int, **overrides: Any) -> Any:
    from steward.finance.models import FiscalYear

    values = {"name": f"FY-{n}", "start_date": dt.date(2100 + n, 1, 1)}
    return FiscalYear.objects.create(**{**values, **overrides})


@factory("finance.fiscalperiod")
def _fiscal_period(n: int, **overrides: Any) -> Any:
    year = overrides.pop("fiscal_year", None) or year_for(n)
    period = year.periods.get(number=overrides.pop("number", 1))
    for name, value in overrides.items():
        setattr(period, name, value)
    period.save()
    return period


@factory("finance.exchangerate")
def _rate(n: int, **overrides: Any) -> Any:
    from steward.finance.models import ExchangeRate

    values = {"from_currency": "USD", "to_currency": "EUR", "rate": Decimal("0.9"),
              "valid_from": dt.date(2000, 1, 1) + dt.timedelta(days=n)}  # fmt: skip
    return ExchangeRate.objects.create(**{**values, **overrides})


@factory("finance.budget")
def _budget(n: int, **overrides: Any) -> Any:
    from steward.finance.models import Budget

    values = {"name": f"Budget {n}", "fiscal_year": open_period().fiscal_year}
    return Budget.objects.create(**{**values, **overrides})


@factory("finance.budgetversion")
def _version(n: int, **overrides: Any) -> Any:
    from steward.finance.models import Budget, BudgetVersion

    values = {"budget": make_instance(Budget), "label": f"v{n}"}
    return BudgetVersion.objects.create(**{**values, **overrides})


@factory("finance.budgetline")
def _line(n: int, **overrides: Any) -> Any:
    from steward.finance.models import AccountCategory, BudgetLine, CostCentre

    version = overrides.pop("version", None) or draft_version()
    values = {"version": version, "period": version.budget.fiscal_year.periods.get(number=1),
              "cost_centre": make_instance(CostCentre), "category": make_instance(AccountCategory),
              "amount": Decimal(100), "currency": "EUR"}  # fmt: skip
    return BudgetLine.objects.create(**{**values, **overrides})


@factory("finance.forecast")
def _forecast(n: int, **overrides: Any) -> Any:
    from steward.finance.models import BudgetLine, Forecast

    values = {"budget_line": make_instance(BudgetLine), "amount": Decimal(90)}
    return Forecast.objects.create(**{**values, **overrides})


@factory("finance.expense")
def _expense(n: int, **overrides: Any) -> Any:
    from steward.finance.models import AccountCategory, CostCentre, Expense

    period = open_period()
    values = {"date": period.start_date, "amount": Decimal(n), "currency": "EUR",
              "cost_centre": make_instance(CostCentre), "category": make_instance(AccountCategory)}  # fmt: skip
    return Expense.objects.create(**{**values, **overrides})


@factory("finance.assetdepreciation")
def _depreciation(n: int, **overrides: Any) -> Any:
    from steward.cmdb.models import ConfigurationItem
    from steward.finance.models import AccountCategory, AssetDepreciation, CostCentre

    item = make_instance(ConfigurationItem)
    ConfigurationItem.objects.filter(pk=item.pk).update(
        purchase_cost=Decimal(3600), currency="EUR", purchase_date=dt.date(2099, 1, 15)
    )
    item.refresh_from_db()
    values = {"configuration_item": item, "cost_centre": make_instance(CostCentre),
              "category": make_instance(AccountCategory)}  # fmt: skip
    return AssetDepreciation.objects.create(**{**values, **overrides})


@factory("finance.allocationshare")
def _share(n: int, **overrides: Any) -> Any:
    from steward.finance.models import AllocationRule, AllocationShare
    from steward.itsm.models import Service

    values = {
        "rule": make_instance(AllocationRule),
        "service": make_instance(Service),
        "percent": Decimal(50),
    }
    return AllocationShare.objects.create(**{**values, **overrides})


@factory("finance.allocationresult")
def _result(n: int, **overrides: Any) -> Any:
    from steward.finance.models import AllocationResult, AllocationRule
    from steward.itsm.models import Service

    values = {"rule": make_instance(AllocationRule), "period": open_period(), "service": make_instance(Service),
              "amount": Decimal(10)}  # fmt: skip
    return AllocationResult.objects.create(**{**values, **overrides})
