"""The generic UI and API test cases applied to every ledger model: each class gives data only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from steward.finance.models import (
    AccountCategory,
    AllocationResult,
    AllocationRule,
    AllocationShare,
    AssetDepreciation,
    Budget,
    BudgetLine,
    BudgetVersion,
    CostCentre,
    ExchangeRate,
    Expense,
    FiscalPeriod,
    FiscalYear,
    Forecast,
)
from steward.utilities.testing.api import APITestCases
from steward.utilities.testing.factories import make_instance
from steward.utilities.testing.views import ViewTestCases


def ledger_basics() -> tuple[FiscalYear, CostCentre, AccountCategory]:
    """A fiscal year 2027, a cost centre, a category and a USD rate, shared by several classes."""
    year = FiscalYear.objects.create(name="FY2027", start_date=dt.date(2027, 1, 1))
    ExchangeRate.objects.create(
        from_currency="USD", to_currency="EUR", rate=D("0.9"), valid_from=dt.date(2020, 1, 1)
    )
    return (
        year,
        CostCentre.objects.create(code="IT", name="IT"),
        AccountCategory.objects.create(code="HW", name="HW"),
    )


def services(n: int) -> list:
    from steward.itsm.models import Service

    return [Service.objects.create(name=f"Service {i}") for i in range(n)]


class CostCentreData:
    model = CostCentre
    csv_data = ("code,name,active", "A1,Alpha,true", "B1,Beta,true", "C1,Gamma,false")
    bulk_edit_data = {"description": "Checked"}
    invalid_data = {"code": ""}
    field_constraint = {"active": True}
    move_out_data = {"active": False}
    create_data = {"code": "NEW", "name": "New", "active": True}
    api_create_data = [{"code": "X1", "name": "X"}, {"code": "X2", "name": "Y"}, {"code": "X3", "name": "Z"}]

    @classmethod
    def setUpTestData(cls) -> None:
        for code in ("IT", "OPS", "DEV"):
            CostCentre.objects.create(code=code, name=code)


class CostCentreViewTest(CostCentreData, ViewTestCases.ObjectViewTestCase):
    pass


class CostCentreAPITest(CostCentreData, APITestCases.APIViewTestCase):
    pass


class AccountCategoryData:
    model = AccountCategory
    csv_data = ("code,name,kind", "HW,Hardware,capex", "LIC,Licences,opex", "CL,Cloud,opex")
    bulk_edit_data = {"description": "Checked"}
    invalid_data = {"kind": "other"}
    field_constraint = {"kind": "opex"}
    move_out_data = {"kind": "capex"}
    create_data = {"code": "NEW", "name": "New", "kind": "opex"}
    api_create_data = [{"code": "X1", "name": "X"}, {"code": "X2", "name": "Y", "kind": "capex"},
                       {"code": "X3", "name": "Z"}]  # fmt: skip

    @classmethod
    def setUpTestData(cls) -> None:
        for code in ("A", "B", "C"):
            AccountCategory.objects.create(code=code, name=code)


class AccountCategoryViewTest(AccountCategoryData, ViewTestCases.ObjectViewTestCase):
    pass


class AccountCategoryAPITest(AccountCategoryData, APITestCases.APIViewTestCase):
    pass


class FiscalYearData:
    model = FiscalYear
    csv_data = ("name,start_date", "FY31,2031-01-01", "FY32,2032-01-01", "FY33,2033-04-01")
    bulk_edit_data = {"description": "Checked"}
    invalid_data = {"start_date": "2040-01-15"}
    field_constraint = {"description": ""}
    move_out_data = {"description": "moved"}
    create_data = {"name": "FY35", "start_date": "2035-07-01"}
    api_create_data = [{"name": f"FY{y}", "start_date": f"{y}-01-01"} for y in (2036, 2037, 2038)]

    @classmethod
    def setUpTestData(cls) -> None:
        for year in (2027, 2028, 2029):
            FiscalYear.objects.create(name=f"FY{year}", start_date=dt.date(year, 1, 1))


class FiscalYearViewTest(FiscalYearData, ViewTestCases.ObjectViewTestCase):
    pass


class FiscalYearAPITest(FiscalYearData, APITestCases.APIViewTestCase):
    pass


class FiscalPeriodData:
    model = FiscalPeriod
    bulk_edit_data = {"closed": True}
    invalid_data = {"number": "13"}
    field_constraint = {"closed": False}
    move_out_data = {"closed": True}

    @classmethod
    def setUpTestData(cls) -> None:
        year = FiscalYear.objects.create(name="FY2027", start_date=dt.date(2027, 4, 1))
        year.periods.filter(number__gt=3).delete()  # room to add periods 4 to 6 again
        cls.csv_data = ("fiscal_year,number", *(f"{year.name},{n}" for n in (4, 5, 6)))
        cls.create_data = {"fiscal_year": year.pk, "number": 4}
        cls.api_create_data = [{"fiscal_year": year.pk, "number": n} for n in (4, 5, 6)]


class FiscalPeriodViewTest(FiscalPeriodData, ViewTestCases.ObjectViewTestCase):
    pass


class FiscalPeriodAPITest(FiscalPeriodData, APITestCases.APIViewTestCase):
    pass


class ExchangeRateData:
    model = ExchangeRate
    csv_data = ("from_currency,to_currency,rate,valid_from", "USD,EUR,0.9,2027-02-01", "GBP,EUR,1.17,2027-02-01",
                "EUR,CHF,0.95,2027-02-01")  # fmt: skip
    bulk_edit_data = {"rate": "1.25000000"}
    invalid_data = {"from_currency": "EURO"}
    field_constraint = {"to_currency": "EUR"}
    move_out_data = {"to_currency": "JPY"}
    create_data = {"from_currency": "SEK", "to_currency": "EUR", "rate": "0.087", "valid_from": "2027-01-01"}
    api_create_data = [{"from_currency": c, "to_currency": "EUR", "rate": "1.5", "valid_from": "2027-03-01"}
                       for c in ("NOK", "DKK", "PLN")]  # fmt: skip

    @classmethod
    def setUpTestData(cls) -> None:
        for currency in ("USD", "GBP", "CHF"):
            ExchangeRate.objects.create(from_currency=currency, to_currency="EUR", rate=D("1.1"),
                                        valid_from=dt.date(2027, 1, 1))  # fmt: skip


class ExchangeRateViewTest(ExchangeRateData, ViewTestCases.ObjectViewTestCase):
    pass


class ExchangeRateAPITest(ExchangeRateData, APITestCases.APIViewTestCase):
    pass


class ExpenseData:
    model = Expense
    bulk_edit_data = {"description": "Checked"}
    invalid_data = {"amount": "-3"}
    field_constraint = {"currency": "EUR"}
    move_out_data = {"currency": "USD"}

    @classmethod
    def setUpTestData(cls) -> None:
        _year, centre, category = ledger_basics()
        for day in (1, 2, 3):
            Expense.objects.create(date=dt.date(2027, 3, day), amount=D(100), currency="EUR", cost_centre=centre,
                                   category=category)  # fmt: skip
        cls.csv_data = (
            "date,amount,currency,cost_centre,category,supplier_name",
            "2027-04-01,10,EUR,IT,HW,Acme",
            "2027-04-02,20,USD,IT,HW,Acme",
            "2027-04-03,30,EUR,IT,HW,",
        )
        cls.create_data = {"date": "2027-05-01", "amount": "12.50", "currency": "EUR", "cost_centre": centre.pk,
                           "category": category.pk}  # fmt: skip
        cls.api_create_data = [
            {"date": "2027-06-01", "amount": "1", "currency": "EUR", "cost_centre": centre.pk, "category": category.pk},
            {"date": "2027-06-02", "amount": "2", "currency": "USD", "cost_centre": centre.pk, "category": category.pk},
            {"date": "2027-06-03", "amount": "3", "currency": "EUR", "cost_centre": centre.pk, "category": category.pk,
             "supplier_name": "Acme"},
        ]  # fmt: skip


class ExpenseViewTest(ExpenseData, ViewTestCases.ObjectViewTestCase):
    pass


class ExpenseAPITest(ExpenseData, APITestCases.APIViewTestCase):
    pass


class BudgetData:
    model = Budget
    bulk_edit_data = {"description": "Checked"}
    invalid_data = {"name": ""}

    @classmethod
    def setUpTestData(cls) -> None:
        year = FiscalYear.objects.create(name="FY2027", start_date=dt.date(2027, 1, 1))
        other = FiscalYear.objects.create(name="FY2028", start_date=dt.date(2028, 1, 1))
        for name in ("Run", "Change", "Security"):
            Budget.objects.create(name=name, fiscal_year=year)
        cls.field_constraint = {"fiscal_year": year.pk}
        cls.move_out_data = {"fiscal_year": other.pk}
        cls.csv_data = ("name,fiscal_year", "A,FY2027", "B,FY2027", "C,FY2028")
        cls.create_data = {"name": "New", "fiscal_year": year.pk}
        cls.api_create_data = [{"name": n, "fiscal_year": other.pk} for n in ("X", "Y", "Z")]


class BudgetViewTest(BudgetData, ViewTestCases.ObjectViewTestCase):
    pass


class BudgetAPITest(BudgetData, APITestCases.APIViewTestCase):
    pass


class BudgetVersionData:
    model = BudgetVersion
    bulk_edit_data = {"notes": "Checked"}
    invalid_data = {"budget": "none"}
    field_constraint = {"state": "draft"}
    move_out_data = {}

    @classmethod
    def setUpTestData(cls) -> None:
        year = FiscalYear.objects.create(name="FY2027", start_date=dt.date(2027, 1, 1))
        budget = Budget.objects.create(name="Run", fiscal_year=year)
        for label in ("Original", "Q2", "Q3"):
            BudgetVersion.objects.create(budget=budget, label=label)
        cls.csv_data = ("budget,label", *(f"{budget.pk},{x}" for x in ("A", "B", "C")))
        cls.create_data = {"budget": budget.pk, "label": "New"}
        cls.api_create_data = [{"budget": budget.pk, "label": x} for x in ("X", "Y", "Z")]
        cls.field_constraint = None


class BudgetVersionViewTest(BudgetVersionData, ViewTestCases.ObjectViewTestCase):
    pass


class BudgetVersionAPITest(BudgetVersionData, APITestCases.APIViewTestCase):
    pass


class BudgetLineData:
    model = BudgetLine
    bulk_edit_data = {"description": "Checked"}
    invalid_data = {"amount": "-5"}
    field_constraint = {"currency": "EUR"}
    move_out_data = {"currency": "USD"}

    @classmethod
    def setUpTestData(cls) -> None:
        year, centre, category = ledger_basics()
        version = BudgetVersion.objects.create(budget=Budget.objects.create(name="Run", fiscal_year=year))
        periods = list(year.periods.order_by("number"))
        for period in periods[:3]:
            BudgetLine.objects.create(version=version, period=period, cost_centre=centre, category=category,
                                      amount=D(1000), currency="EUR")  # fmt: skip
        cls.csv_data = (
            "version,period,cost_centre,category,amount,currency",
            *(f"{version.pk},{p.pk},IT,HW,500,EUR" for p in periods[3:6]),
        )
        line = {"version": version.pk, "cost_centre": centre.pk, "category": category.pk, "currency": "EUR"}
        cls.create_data = {**line, "period": periods[6].pk, "amount": "250"}
        cls.api_create_data = [{**line, "period": p.pk, "amount": "10"} for p in periods[7:10]]


class BudgetLineViewTest(BudgetLineData, ViewTestCases.ObjectViewTestCase):
    pass


class BudgetLineAPITest(BudgetLineData, APITestCases.APIViewTestCase):
    pass


class ForecastData:
    model = Forecast
    bulk_edit_data = {"note": "Checked"}
    invalid_data = {"amount": "-1"}
    field_constraint = {"note": ""}
    move_out_data = {"note": "moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        year, centre, category = ledger_basics()
        version = BudgetVersion.objects.create(budget=Budget.objects.create(name="Run", fiscal_year=year))
        lines = [
            BudgetLine.objects.create(version=version, period=p, cost_centre=centre, category=category,
                                      amount=D(1000), currency="EUR")
            for p in year.periods.order_by("number")[:10]
        ]  # fmt: skip
        for line in lines[:3]:
            Forecast.objects.create(budget_line=line, amount=D(900))
        cls.csv_data = ("budget_line,amount", *(f"{line.pk},800" for line in lines[3:6]))
        cls.create_data = {"budget_line": lines[6].pk, "amount": "700", "estimated_on": "2027-02-01"}
        cls.api_create_data = [{"budget_line": line.pk, "amount": "600"} for line in lines[7:10]]


class ForecastViewTest(ForecastData, ViewTestCases.ObjectViewTestCase):
    pass


class ForecastAPITest(ForecastData, APITestCases.APIViewTestCase):
    pass


def hardware(n: int) -> list:
    from steward.cmdb.models import ConfigurationItem

    items = [make_instance(ConfigurationItem) for _ in range(n)]
    ConfigurationItem.objects.filter(pk__in=[i.pk for i in items]).update(
        purchase_cost=D(3600), currency="EUR", purchase_date=dt.date(2027, 1, 10)
    )
    return items


class AssetDepreciationData:
    model = AssetDepreciation
    bulk_edit_data = {"useful_life_months": 48}
    invalid_data = {"useful_life_months": "0"}
    field_constraint = {"method": "straight_line"}
    move_out_data = {"method": "declining_balance"}

    @classmethod
    def setUpTestData(cls) -> None:
        centre = CostCentre.objects.create(code="IT", name="IT")
        category = AccountCategory.objects.create(code="DEP", name="Depreciation")
        items = hardware(10)
        for item in items[:3]:
            AssetDepreciation.objects.create(configuration_item=item, cost_centre=centre, category=category)
        cls.csv_data = (
            "configuration_item,useful_life_months,cost_centre,category",
            *(f"{item.reference},36,IT,DEP" for item in items[3:6]),
        )
        base = {"cost_centre": centre.pk, "category": category.pk, "method": "straight_line",
                "useful_life_months": 36, "salvage_value": "0"}  # fmt: skip
        cls.create_data = {**base, "configuration_item": items[6].pk, "active": True}
        cls.api_create_data = [{**base, "configuration_item": item.pk} for item in items[7:10]]


class AssetDepreciationViewTest(AssetDepreciationData, ViewTestCases.ObjectViewTestCase):
    pass


class AssetDepreciationAPITest(AssetDepreciationData, APITestCases.APIViewTestCase):
    pass


class AllocationRuleData:
    model = AllocationRule
    bulk_edit_data = {"description": "Checked"}
    invalid_data = {"driver": "bogus"}
    field_constraint = {"driver": "fixed"}
    move_out_data = {"driver": "incidents"}

    @classmethod
    def setUpTestData(cls) -> None:
        centre = CostCentre.objects.create(code="IT", name="IT")
        for name in ("One", "Two", "Three"):
            AllocationRule.objects.create(name=name, pool_cost_centre=centre)
        cls.csv_data = (
            "name,pool_cost_centre,driver,target",
            "A,IT,fixed,service",
            "B,IT,headcount,department",
            "C,IT,tickets,service",
        )
        cls.create_data = {"name": "New", "pool_cost_centre": centre.pk, "driver": "fixed", "target": "service",
                           "include_children": True, "active": True}  # fmt: skip
        cls.api_create_data = [
            {"name": "X", "pool_cost_centre": centre.pk},
            {"name": "Y", "pool_cost_centre": centre.pk, "driver": "headcount", "target": "department"},
            {"name": "Z", "pool_cost_centre": centre.pk, "driver": "configuration_items"},
        ]


class AllocationRuleViewTest(AllocationRuleData, ViewTestCases.ObjectViewTestCase):
    pass


class AllocationRuleAPITest(AllocationRuleData, APITestCases.APIViewTestCase):
    pass


class AllocationShareData:
    model = AllocationShare
    bulk_edit_data = {"percent": "10.000"}
    invalid_data = {"percent": "150"}

    @classmethod
    def setUpTestData(cls) -> None:
        rule = AllocationRule.objects.create(
            name="Fixed", pool_cost_centre=CostCentre.objects.create(code="IT", name="IT")
        )
        svc = services(7)
        for service in svc[:3]:
            AllocationShare.objects.create(rule=rule, service=service, percent=D(20))
        cls.field_constraint = {"rule": rule.pk}
        other = AllocationRule.objects.create(name="Other", pool_cost_centre=rule.pool_cost_centre)
        cls.move_out_data = {"rule": other.pk}
        cls.csv_data = ("rule,service,percent", *(f"Fixed,{s.name},10" for s in svc[3:6]))
        cls.create_data = {"rule": rule.pk, "service": svc[6].pk, "percent": "5"}
        cls.api_create_data = [{"rule": rule.pk, "service": s.pk, "percent": "1"} for s in svc[3:6]]


class AllocationShareViewTest(AllocationShareData, ViewTestCases.ObjectViewTestCase):
    pass


class AllocationShareAPITest(AllocationShareData, APITestCases.APIViewTestCase):
    pass


class AllocationResultData:
    model = AllocationResult
    bulk_edit_data = {"tickets": 5}
    invalid_data = {"amount": "-1"}

    @classmethod
    def setUpTestData(cls) -> None:
        year = FiscalYear.objects.create(name="FY2027", start_date=dt.date(2027, 1, 1))
        period = year.periods.get(number=1)
        rule = AllocationRule.objects.create(
            name="Fixed", pool_cost_centre=CostCentre.objects.create(code="IT", name="IT")
        )
        svc = services(3)
        for service in svc:
            AllocationResult.objects.create(rule=rule, period=period, service=service, amount=D(100))
        cls.field_constraint = {"rule": rule.pk}
        other = AllocationRule.objects.create(name="Other", pool_cost_centre=rule.pool_cost_centre)
        cls.move_out_data = {"rule": other.pk}
        cls.csv_data = ("rule,period,service,amount", *(f"Fixed,{period.pk},{s.name},5" for s in svc))
        base = {
            "rule": rule.pk,
            "period": period.pk,
            "amount": "7",
            "driver_value": "1",
            "share": "10",
            "tickets": 0,
        }
        cls.create_data = {**base, "service": svc[0].pk}
        cls.api_create_data = [{**base, "service": s.pk} for s in svc]


class AllocationResultViewTest(AllocationResultData, ViewTestCases.ObjectViewTestCase):
    pass


class AllocationResultAPITest(AllocationResultData, APITestCases.APIViewTestCase):
    pass
