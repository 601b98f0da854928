"""Ledger rules: periods, conversion, expenses, budget versions, the roll-up, depreciation, showback."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db.models.deletion import ProtectedError

from steward.core import workflow as wf
from steward.finance import services
from steward.finance.models import (
    AccountCategory,
    AllocationResult,
    AllocationRule,
    AllocationShare,
    AssetDepreciation,
    BudgetLine,
    BudgetVersion,
    CostCentre,
    ExchangeRate,
    Expense,
    FiscalYear,
)
from steward.utilities.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return make_user("finance-admin", superuser=True)


@pytest.fixture
def ledger():
    year = services.create_fiscal_year(name="FY2027", start_date=dt.date(2027, 4, 1), actor=None)
    ExchangeRate.objects.create(
        from_currency="USD", to_currency="EUR", rate=D("0.90"), valid_from=dt.date(2027, 1, 1)
    )
    centre = CostCentre.objects.create(code="IT", name="IT")
    child = CostCentre.objects.create(code="IT-OPS", name="Ops", parent=centre)
    return {
        "year": year, "centre": centre, "child": child,
        "hw": AccountCategory.objects.create(code="HW", name="Hardware", kind="capex"),
        "lic": AccountCategory.objects.create(code="LIC", name="Licences"),
    }  # fmt: skip


def expense(ledger, day, amount, currency="EUR", **extra):
    values = {"cost_centre": ledger["centre"], "category": ledger["lic"], **extra}
    return services.record_expense(actor=None, date=day, amount=D(amount), currency=currency, **values)


# --- fiscal years and periods --------------------------------------------------------------------
def test_a_year_starting_in_april_gets_twelve_monthly_periods(ledger):
    periods = list(ledger["year"].periods.order_by("number"))
    assert len(periods) == 12
    assert (periods[0].start_date, periods[0].end_date) == (dt.date(2027, 4, 1), dt.date(2027, 4, 30))
    assert (periods[10].start_date, periods[10].end_date) == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))
    assert periods[-1].end_date == ledger["year"].end_date == dt.date(2028, 3, 31)


def test_a_year_must_start_on_the_first_and_not_overlap(ledger):
    with pytest.raises(ValidationError) as exc:
        services.create_fiscal_year(name="Bad", start_date=dt.date(2029, 1, 15), actor=None)
    assert "start_date" in exc.value.message_dict
    with pytest.raises(ValidationError, match="overlap"):
        services.create_fiscal_year(name="Overlap", start_date=dt.date(2027, 10, 1), actor=None)
    assert FiscalYear.objects.count() == 1


def test_an_expense_in_a_closed_period_is_refused(ledger):
    april = ledger["year"].periods.get(number=1)
    booked = expense(ledger, dt.date(2027, 4, 3), "10")
    services.set_period_closed(period=april, closed=True, actor=None)
    with pytest.raises(ValidationError) as exc:
        expense(ledger, dt.date(2027, 4, 5), "20")
    assert "closed" in exc.value.message_dict["date"][0]
    booked.refresh_from_db()
    booked.amount = D(99)
    with pytest.raises(ValidationError, match="closed"):
        booked.full_clean()
    assert Expense.objects.count() == 1


def test_an_expense_outside_every_fiscal_year_is_refused(ledger):
    with pytest.raises(ValidationError, match="2030-01-01"):
        expense(ledger, dt.date(2030, 1, 1), "10")


def test_negative_expense_refused(ledger):
    with pytest.raises(ValidationError) as exc:
        expense(ledger, dt.date(2027, 4, 3), "-1")
    assert "amount" in exc.value.message_dict


# --- conversion ----------------------------------------------------------------------------------
def test_convert_uses_the_latest_rate_on_or_before_the_date(ledger):
    ExchangeRate.objects.create(
        from_currency="USD", to_currency="EUR", rate=D("0.80"), valid_from=dt.date(2027, 6, 1)
    )
    assert services.convert(D(100), "USD", "EUR", dt.date(2027, 5, 31)) == D("90.00")
    assert services.convert(D(100), "USD", "EUR", dt.date(2027, 6, 1)) == D("80.00")
    assert services.convert(D("12.34"), "EUR", "EUR", dt.date(2027, 6, 1)) == D("12.34")


def test_convert_inverts_the_reverse_rate(ledger):
    assert services.convert(D(90), "EUR", "USD", dt.date(2027, 5, 1)) == D("100.00")


def test_convert_refuses_unknown_currency_and_missing_rate(ledger):
    with pytest.raises(services.ConversionError, match="XYZ"):
        services.convert(D(1), "XYZ", "EUR", dt.date(2027, 5, 1))
    with pytest.raises(services.ConversionError, match=r"GBP.*EUR.*2027-05-01"):
        services.convert(D(1), "GBP", "EUR", dt.date(2027, 5, 1))
    with pytest.raises(services.ConversionError, match="2026-12-31"):
        services.convert(D(1), "USD", "EUR", dt.date(2026, 12, 31))


def test_an_expense_stores_its_base_amount_at_booking(ledger):
    booked = expense(ledger, dt.date(2027, 5, 2), "100", "USD")
    assert (booked.base_amount, booked.period.number) == (D("90.00"), 2)
    ExchangeRate.objects.create(
        from_currency="USD", to_currency="EUR", rate=D("0.5"), valid_from=dt.date(2027, 5, 1)
    )
    booked.refresh_from_db()
    booked.description = "edited"
    booked.full_clean()
    booked.save()
    booked.refresh_from_db()
    assert booked.base_amount == D("90.00")  # a later rate never rewrites history


def test_an_expense_in_a_currency_without_rate_is_refused_naming_it(ledger):
    with pytest.raises(ValidationError) as exc:
        expense(ledger, dt.date(2027, 5, 2), "100", "GBP")
    assert "GBP" in exc.value.message_dict["currency"][0]
    assert not Expense.objects.exists()


# --- budget versions -----------------------------------------------------------------------------
@pytest.fixture
def budget(ledger):
    budget = services.create_budget(name="Run", fiscal_year=ledger["year"], actor=None)
    version = budget.versions.get()
    for period in ledger["year"].periods.order_by("number")[:3]:
        services.add_budget_line(version=version, actor=None, period=period, cost_centre=ledger["centre"],
                                 category=ledger["lic"], amount=D(1000), currency="EUR")  # fmt: skip
    return budget


def approve(version, admin):
    services.transition_version(version=version, name="submit", actor=admin)
    services.transition_version(version=version, name="approve", actor=admin)
    version.refresh_from_db()


def test_negative_budget_amount_refused(ledger, budget):
    with pytest.raises(ValidationError) as exc:
        services.add_budget_line(version=budget.versions.get(), actor=None, period=ledger["year"].periods.first(),
                                 cost_centre=ledger["centre"], category=ledger["lic"], amount=D(-1))  # fmt: skip
    assert "amount" in exc.value.message_dict


def test_an_approved_version_is_read_only(ledger, budget, admin):
    version = budget.versions.get()
    approve(version, admin)
    assert version.state == "approved"
    line = version.lines.first()
    line.amount = D(5)
    with pytest.raises(ValidationError, match="read-only"):
        line.full_clean()
    with pytest.raises(ValidationError, match="read-only"):
        services.add_budget_line(version=version, actor=None, period=line.period, cost_centre=ledger["centre"],
                                 category=ledger["lic"], amount=D(1))  # fmt: skip
    with pytest.raises(ProtectedError):
        line.delete()
    version.label = "changed"
    with pytest.raises(ValidationError, match="read-only"):
        version.full_clean()
    with pytest.raises(ProtectedError):
        version.delete()


def test_a_new_version_copies_the_lines_and_approving_it_supersedes_the_old(ledger, budget, admin):
    first = budget.versions.get()
    approve(first, admin)
    second = services.new_version(version=first, actor=admin, label="Re-forecast")
    assert (second.number, second.state, second.lines.count()) == (2, "draft", 3)
    line = second.lines.first()
    line.amount = D(1500)
    line.full_clean()
    line.save()
    approve(second, admin)
    first.refresh_from_db()
    assert (first.state, second.state) == ("superseded", "approved")
    assert budget.approved_version == second
    assert set(first.lines.values_list("amount", flat=True)) == {D(1000)}


def test_only_budget_approvers_may_approve(ledger, budget, admin):
    from steward.utilities.testing import grant

    version = budget.versions.get()
    services.transition_version(version=version, name="submit", actor=admin)
    clerk = make_user("clerk")
    grant(clerk, BudgetVersion, "view", "change")
    with pytest.raises(wf.TransitionForbidden):
        services.transition_version(version=version, name="approve", actor=clerk)
    version.refresh_from_db()
    assert version.state == "submitted"


# --- roll-up -------------------------------------------------------------------------------------
def test_rollup_budget_vs_actual_vs_forecast_with_variance(ledger, budget, admin):
    version = budget.versions.get()
    approve(version, admin)
    april_line = version.lines.get(period__number=1)
    services.set_forecast(budget_line=april_line, amount=D(1200), actor=admin)
    expense(ledger, dt.date(2027, 4, 3), "800")
    expense(ledger, dt.date(2027, 4, 20), "500", "USD")  # 450 EUR
    expense(ledger, dt.date(2027, 5, 3), "300", category=ledger["hw"])
    report = services.rollup(fiscal_year=ledger["year"], dimension="cost_centre")
    april = report.periods[0]
    cell = report.cell(april.pk, ledger["centre"].pk)
    assert (cell.budget, cell.forecast, cell.actual) == (D(1000), D(1200), D("1250.00"))
    assert (cell.variance, cell.variance_pct, cell.forecast_variance) == (D(250), D("25.0"), D(200))
    total = report.total()
    assert (total.budget, total.forecast, total.actual) == (D(3000), D(3200), D("1550.00"))
    by_category = services.rollup(fiscal_year=ledger["year"], dimension="category")
    assert {label: f.actual for _k, label, f in by_category.by_key()} == {
        str(ledger["lic"]): D("1250.00"),
        str(ledger["hw"]): D("300.00"),
    }
    reference = services.reference_rollup(fiscal_year=ledger["year"], dimension="category")
    assert reference == by_category.cells


def test_rollup_counts_only_approved_versions_and_visible_rows(ledger, budget, admin):
    from steward.utilities.testing import grant

    expense(ledger, dt.date(2027, 4, 3), "100")
    expense(ledger, dt.date(2027, 4, 3), "50", cost_centre=ledger["child"])
    report = services.rollup(fiscal_year=ledger["year"])
    assert report.total().budget == 0  # the draft does not count
    viewer = make_user("viewer")
    grant(viewer, Expense, "view", constraints={"cost_centre__code": "IT-OPS"})
    grant(viewer, BudgetLine, "view")
    assert services.rollup(fiscal_year=ledger["year"], user=viewer).total().actual == D(50)


def test_rollup_refuses_an_unknown_dimension(ledger):
    with pytest.raises(ValidationError) as exc:
        services.rollup(fiscal_year=ledger["year"], dimension="colour")
    assert "dimension" in exc.value.message_dict


def test_project_actual_cost_feeds_earned_value(ledger):
    from steward.projects.models import Project
    from steward.projects.services import earned_value
    from steward.utilities.testing.factories import make_instance

    project = make_instance(Project)
    expense(ledger, dt.date(2027, 4, 3), "100", project=project)
    expense(ledger, dt.date(2027, 6, 3), "100", "USD", project=project)
    assert services.project_actual_cost(project) == D("190.00")
    assert services.project_actual_cost(project, until=dt.date(2027, 5, 1)) == D("100.00")
    assert earned_value(project=project, status_date=dt.date(2027, 5, 1)).ac == D("100.00")


# --- depreciation --------------------------------------------------------------------------------
@pytest.fixture
def laptop(ledger):
    from steward.cmdb.models import ConfigurationItem
    from steward.utilities.testing.factories import make_instance

    item = make_instance(ConfigurationItem)
    ConfigurationItem.objects.filter(pk=item.pk).update(purchase_cost=D(3600), currency="EUR",
                                                          purchase_date=dt.date(2027, 4, 10))  # fmt: skip
    item.refresh_from_db()
    return item


def test_straight_line_schedule(ledger, laptop):
    dep = AssetDepreciation.objects.create(configuration_item=laptop, useful_life_months=36, salvage_value=D(360),
                                           cost_centre=ledger["centre"], category=ledger["hw"])  # fmt: skip
    rows = services.schedule(dep)
    assert len(rows) == 36 and rows[0].month == dt.date(2027, 4, 1)
    assert {r.charge for r in rows} == {D(90)}
    assert rows[-1].closing == D(360)


def test_declining_balance_schedule_ends_at_salvage(ledger, laptop):
    dep = AssetDepreciation.objects.create(configuration_item=laptop, method="declining_balance",
                                           useful_life_months=36, salvage_value=D(100),
                                           cost_centre=ledger["centre"], category=ledger["hw"])  # fmt: skip
    rows = services.schedule(dep)
    # double-declining: 200 % / 3 years = 66.67 % a year, 5.556 % a month of the remaining value
    assert rows[0].charge == D("200.00")
    assert rows[1].charge == D("188.89")
    assert all(a.charge >= b.charge for a, b in zip(rows[:-1], rows[1:-1], strict=False))
    assert rows[-1].closing == D(100)
    assert sum(r.charge for r in rows) == D(3500)


def test_depreciation_needs_a_purchase_cost(ledger, laptop):
    from steward.cmdb.models import ConfigurationItem

    ConfigurationItem.objects.filter(pk=laptop.pk).update(purchase_cost=None)
    laptop.refresh_from_db()
    dep = AssetDepreciation(configuration_item=laptop, cost_centre=ledger["centre"], category=ledger["hw"])
    with pytest.raises(ValidationError) as exc:
        dep.full_clean()
    assert "configuration_item" in exc.value.message_dict


def test_booking_depreciation_is_idempotent_per_item_and_period(ledger, laptop):
    dep = AssetDepreciation.objects.create(configuration_item=laptop, useful_life_months=36,
                                           cost_centre=ledger["centre"], category=ledger["hw"])  # fmt: skip
    may = ledger["year"].periods.get(number=2)
    first = services.book_depreciation(period=may, actor=None)
    again = services.book_depreciation(period=may, actor=None)
    assert len(first) == 1 and again == []
    booked = Expense.objects.get(depreciation=dep)
    assert (booked.amount, booked.source, booked.period_id) == (D(100), "depreciation", may.pk)
    report = services.depreciation_report(month=dt.date(2027, 5, 1))
    assert [(line.charge, line.booked) for line in report] == [(D(100), True)]
    services.set_period_closed(period=may, closed=True, actor=None)
    with pytest.raises(ValidationError, match="closed"):
        services.book_depreciation(period=may, actor=None)


# --- allocation ----------------------------------------------------------------------------------
@pytest.fixture
def itsm_services():
    from steward.itsm.models import Service

    return [Service.objects.create(name=f"Service {n}") for n in range(3)]


def test_fixed_allocation_splits_the_pool_exactly(ledger, itsm_services):
    expense(ledger, dt.date(2027, 4, 3), "100.00")
    expense(ledger, dt.date(2027, 4, 4), "0.01", cost_centre=ledger["child"])  # children count
    rule = AllocationRule.objects.create(name="Split", pool_cost_centre=ledger["centre"])
    for service, pct in zip(itsm_services, ("33.333", "33.333", "33.334"), strict=True):
        AllocationShare.objects.create(rule=rule, service=service, percent=D(pct))
    april = ledger["year"].periods.get(number=1)
    results = services.run_allocation(rule=rule, period=april, actor=None)
    assert sum(r.amount for r in results) == D("100.01")
    assert sorted(r.amount for r in results) == [
        D("33.33"),
        D("33.34"),
        D("33.34"),
    ]  # remainder off the biggest
    # repeatable: running again replaces the period's results
    services.run_allocation(rule=rule, period=april, actor=None)
    assert AllocationResult.objects.filter(rule=rule, period=april).count() == 3


def test_fixed_shares_must_total_100_naming_the_rule(ledger, itsm_services):
    expense(ledger, dt.date(2027, 4, 3), "100")
    rule = AllocationRule.objects.create(name="Lopsided", pool_cost_centre=ledger["centre"])
    AllocationShare.objects.create(rule=rule, service=itsm_services[0], percent=D(60))
    AllocationShare.objects.create(rule=rule, service=itsm_services[1], percent=D(30))
    april = ledger["year"].periods.get(number=1)
    with pytest.raises(ValidationError, match="Lopsided.*90"):
        services.run_allocation(rule=rule, period=april, actor=None)
    assert not AllocationResult.objects.exists()


def test_negative_share_refused(ledger, itsm_services):
    rule = AllocationRule.objects.create(name="Neg", pool_cost_centre=ledger["centre"])
    share = AllocationShare(rule=rule, service=itsm_services[0], percent=D(-5))
    with pytest.raises(ValidationError) as exc:
        share.full_clean()
    assert "percent" in exc.value.message_dict


def test_driver_and_target_must_match(ledger):
    rule = AllocationRule(name="Bad", pool_cost_centre=ledger["centre"], driver="headcount", target="service")
    with pytest.raises(ValidationError) as exc:
        rule.full_clean()
    assert "target" in exc.value.message_dict


def test_headcount_allocation_to_departments(ledger):
    from steward.org.models import Department, Person
    from steward.utilities.testing.factories import make_instance

    first, second = make_instance(Department), make_instance(Department)
    Person.objects.all().update(department=None)
    for n in range(3):
        Person.objects.create(first_name="P", last_name=str(n), email=f"p{n}@example.org", department=first)
    Person.objects.create(first_name="Q", last_name="Q", email="q@example.org", department=second)
    expense(ledger, dt.date(2027, 4, 3), "400")
    rule = AllocationRule.objects.create(name="Heads", pool_cost_centre=ledger["centre"], driver="headcount",
                                         target="department")  # fmt: skip
    results = services.run_allocation(rule=rule, period=ledger["year"].periods.get(number=1), actor=None)
    assert {r.department_id: r.amount for r in results} == {first.pk: D(300), second.pk: D(100)}


def test_incident_driver_gives_cost_per_ticket(ledger, itsm_services):
    from django.utils import timezone

    from steward.itsm.models import Incident

    april = ledger["year"].periods.get(number=1)
    for n, service in enumerate(itsm_services[:2]):
        for _i in range(n + 1):
            incident = Incident.objects.create(short_description="x", service=service)
            Incident.objects.filter(pk=incident.pk).update(
                created=timezone.make_aware(dt.datetime(2027, 4, 10, 12))
            )
    expense(ledger, dt.date(2027, 4, 3), "300")
    rule = AllocationRule.objects.create(
        name="Incidents", pool_cost_centre=ledger["centre"], driver="incidents"
    )
    results = services.run_allocation(rule=rule, period=april, actor=None)
    by_service = {r.service_id: (r.amount, r.tickets, r.cost_per_ticket) for r in results}
    assert by_service == {itsm_services[0].pk: (D(100), 1, D(100)), itsm_services[1].pk: (D(200), 2, D(100))}
    costs = services.cost_per_service(period=april)
    assert [(c.amount, c.tickets) for c in costs] == [(D(200), 2), (D(100), 1)]


def test_a_driver_that_measured_nothing_is_refused(ledger):
    expense(ledger, dt.date(2027, 4, 3), "300")
    rule = AllocationRule.objects.create(
        name="Nothing", pool_cost_centre=ledger["centre"], driver="incidents"
    )
    with pytest.raises(ValidationError, match="Nothing"):
        services.run_allocation(rule=rule, period=ledger["year"].periods.get(number=1), actor=None)
