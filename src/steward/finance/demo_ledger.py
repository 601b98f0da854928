"""Deterministic demo ledger for `steward demo`: cost centres and categories, the current fiscal
year, exchange rates, an approved budget with forecasts, a few hundred expenses, depreciation of
some hardware and allocation rules with one run."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q

from steward.finance import services
from steward.finance.models import (
    AccountCategory,
    AllocationRule,
    AllocationShare,
    AssetDepreciation,
    BudgetLine,
    CostCentre,
    ExchangeRate,
    Expense,
)
from steward.utilities.money import quantize

CENTRES = [
    ("IT", "IT", None),
    ("IT-INF", "Infrastructure", "IT"),
    ("IT-APP", "Applications", "IT"),
    ("IT-SD", "Service desk", "IT"),
    ("IT-SEC", "Security", "IT"),
]
CATEGORIES = [
    ("HW", "Hardware", "capex"),
    ("DEP", "Depreciation", "opex"),
    ("LIC", "Software licences", "opex"),
    ("CLOUD", "Cloud services", "opex"),
    ("STAFF", "Contractors", "opex"),
    ("TEL", "Telecoms", "opex"),
]
SUPPLIERS = [
    "Northwind Cloud",
    "Contoso Licensing",
    "Fabrikam Hardware",
    "Tailspin Telecom",
    "Adatum Consulting",
]
#: Monthly budget per (centre, category) in EUR.
PLAN = {
    ("IT-INF", "CLOUD"): 18000, ("IT-INF", "HW"): 6000, ("IT-INF", "DEP"): 4000, ("IT-INF", "TEL"): 2500,
    ("IT-APP", "LIC"): 12000, ("IT-APP", "STAFF"): 15000, ("IT-APP", "CLOUD"): 5000,
    ("IT-SD", "LIC"): 3000, ("IT-SD", "STAFF"): 9000, ("IT-SEC", "LIC"): 4000, ("IT-SEC", "STAFF"): 7000,
}  # fmt: skip


def load(*, rng: random.Random, scale: float) -> str:
    from steward.cmdb.models import ConfigurationItem
    from steward.itsm.models import Service
    from steward.org.models import Department, Person
    from steward.projects.models import Project

    people = list(Person.objects.order_by("pk")[:20])
    departments = list(Department.objects.order_by("pk"))
    services_ = list(Service.objects.order_by("pk"))
    projects = list(Project.objects.order_by("pk")[:5])
    today = dt.date.today()

    centres: dict[str, CostCentre] = {}
    for code, name, parent in CENTRES:
        centres[code] = CostCentre.objects.create(
            code=code, name=name, parent=centres.get(parent or ""), owner=rng.choice(people) if people else None,
            department=departments[0] if departments else None,
        )  # fmt: skip
    categories = {
        code: AccountCategory.objects.create(code=code, name=name, kind=kind)
        for code, name, kind in CATEGORIES
    }
    start = today.replace(month=1, day=1)
    year = services.create_fiscal_year(name=f"FY{start.year}", start_date=start, actor=None)
    for currency, rate in (("USD", "0.92"), ("GBP", "1.17"), ("CHF", "1.04")):
        for month in range(1, 13, 3):
            ExchangeRate.objects.create(
                from_currency=currency, to_currency="EUR", valid_from=start.replace(month=month),
                rate=Decimal(rate) * Decimal(rng.uniform(0.98, 1.02)).quantize(Decimal("0.0001")),
            )  # fmt: skip
    periods = list(year.periods.order_by("number"))

    budget = services.create_budget(
        name="IT budget", fiscal_year=year, actor=None, owner=people[0] if people else None
    )
    version = budget.versions.get()
    lines = []
    for (centre, category), monthly in PLAN.items():
        for period in periods:
            amount = Decimal(monthly) * Decimal(rng.uniform(0.9, 1.1))
            lines.append(
                BudgetLine(
                    version=version, cost_centre=centres[centre], category=categories[category], period=period,
                    amount=quantize(amount), currency="EUR", base_amount=quantize(amount),
                    project=rng.choice(projects) if projects and category == "STAFF" else None,
                    service=rng.choice(services_) if services_ and category in ("CLOUD", "LIC") else None,
                )
            )  # fmt: skip
    BudgetLine.objects.bulk_create(lines)
    admin = _admin()
    if admin is not None:
        services.transition_version(version=version, name="submit", actor=admin)
        services.transition_version(version=version, name="approve", actor=admin)
    else:  # no one to approve it yet: the demo's budget is simply approved
        type(version).objects.filter(pk=version.pk).update(state="approved")

    expenses = 0
    past = [p for p in periods if p.start_date <= today]
    for line in rng.sample(lines, k=min(len(lines), 40)):
        services.set_forecast(budget_line=line, amount=quantize(line.amount * Decimal(rng.uniform(0.85, 1.25))),
                              actor=None, note="Latest estimate")  # fmt: skip
    by_period = [line for line in lines if line.period in past]
    for line in rng.sample(by_period, k=min(len(by_period), max(1, int(300 * scale)))):
        parts = rng.randint(1, 2)
        for _n in range(parts):
            currency = rng.choice(["EUR", "EUR", "EUR", "USD", "GBP"])
            day = line.period.start_date + dt.timedelta(days=rng.randint(0, 27))
            if day > today:
                day = today
            services.record_expense(
                actor=None, date=day, currency=currency, cost_centre=line.cost_centre, category=line.category,
                amount=quantize(line.amount / parts * Decimal(rng.uniform(0.7, 1.4))), budget_line=line,
                project=line.project, service=line.service, supplier_name=rng.choice(SUPPLIERS),
                description=f"{line.category.name} {day:%B}",
            )  # fmt: skip
            expenses += 1

    hardware = ConfigurationItem.objects.filter(
        ~Q(currency=""), purchase_cost__isnull=False, purchase_date__isnull=False
    ).order_by("pk")[:25]
    depreciations = 0
    for n, item in enumerate(hardware):
        AssetDepreciation.objects.create(
            configuration_item=item, method="declining_balance" if n % 4 == 0 else "straight_line",
            useful_life_months=rng.choice([36, 48, 60]), cost_centre=centres["IT-INF"], category=categories["DEP"],
        )  # fmt: skip
        depreciations += 1
    current = next((p for p in periods if p.start_date <= today <= p.end_date), None)
    if current is not None and ExchangeRate.objects.exists():
        # An item bought in a currency without a rate is refused; the demo goes on without it.
        with contextlib.suppress(ValidationError):
            services.book_depreciation(period=current, actor=None)

    rules = 0
    if services_:
        AllocationRule.objects.create(name="Service desk by tickets", pool_cost_centre=centres["IT-SD"],
                                      driver="tickets", target="service")  # fmt: skip
        AllocationRule.objects.create(name="Infrastructure by CIs", pool_cost_centre=centres["IT-INF"],
                                      driver="configuration_items", target="service")  # fmt: skip
        rules += 2
    if departments:
        AllocationRule.objects.create(name="Security by headcount", pool_cost_centre=centres["IT-SEC"],
                                      driver="headcount", target="department")  # fmt: skip
        fixed = AllocationRule.objects.create(name="Applications fixed split", pool_cost_centre=centres["IT-APP"],
                                             driver="fixed", target="department")  # fmt: skip
        chosen = departments[:3]
        splits = ([100], [60, 40], [50, 30, 20])[len(chosen) - 1]
        for dept, pct in zip(chosen, splits, strict=True):
            AllocationShare.objects.create(rule=fixed, department=dept, percent=Decimal(pct))
        rules += 2
    if current is not None:
        for rule in AllocationRule.objects.all():
            with contextlib.suppress(ValidationError):  # a driver that measured nothing yet
                services.run_allocation(rule=rule, period=current, actor=None)
    return (
        f"{len(centres)} cost centres, {len(lines)} budget lines, {Expense.objects.count()} expenses, "
        f"{depreciations} depreciating items, {rules} allocation rules"
    )


def _admin():  # noqa: ANN202 - a user who may approve (the demo's superuser)
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
