"""The issue's bad input for money: a budget line in an unknown currency and a negative allocation
are refused naming the field (service, API and import alike) and nothing is written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from steward.core.importexport import import_rows
from steward.finance import services
from steward.finance.forms_ledger import BudgetLineForm
from steward.finance.models import (
    AccountCategory,
    AllocationRule,
    AllocationShare,
    BudgetLine,
    CostCentre,
    ExchangeRate,
)
from steward.utilities.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def books():
    admin = make_user("money-admin", superuser=True)
    year = services.create_fiscal_year(name="FY2027", start_date=dt.date(2027, 1, 1), actor=admin)
    ExchangeRate.objects.create(
        from_currency="USD", to_currency="EUR", rate=D("0.9"), valid_from=dt.date(2027, 1, 1)
    )
    centre = CostCentre.objects.create(code="IT", name="IT")
    category = AccountCategory.objects.create(code="HW", name="Hardware", kind="capex")
    budget = services.create_budget(name="IT 2027", fiscal_year=year, actor=admin)
    return {"admin": admin, "year": year, "centre": centre, "category": category,
            "version": budget.versions.get(), "january": year.periods.get(number=1)}  # fmt: skip


def line(books, **overrides):
    values = {"period": books["january"], "cost_centre": books["centre"], "category": books["category"],
              "amount": D(1000), "currency": "EUR"}  # fmt: skip
    return services.add_budget_line(version=books["version"], actor=books["admin"], **{**values, **overrides})


@pytest.mark.parametrize(
    ("currency", "message"),
    [("EUX", "EUX is not an ISO 4217 currency code"), ("JPY", "JPY"), ("", "")],
)
def test_a_budget_line_in_an_unknown_currency_is_refused_naming_the_currency(books, currency, message):
    with pytest.raises(ValidationError) as exc:
        line(books, currency=currency)
    assert "currency" in exc.value.message_dict
    assert message in " ".join(exc.value.message_dict["currency"])
    assert not BudgetLine.objects.exists()
    assert line(books, currency="USD").base_amount == D(900)  # a known currency with a rate is fine


def test_the_api_refuses_a_budget_line_in_an_unknown_currency(client, books):
    client.force_login(books["admin"])
    body = {"version": books["version"].pk, "period": books["january"].pk, "cost_centre": books["centre"].pk,
            "category": books["category"].pk, "amount": "1000", "currency": "EUX"}  # fmt: skip
    response = client.post("/api/finance/budget-lines/", body, content_type="application/json")
    assert response.status_code == 400 and "currency" in response.json()
    negative = client.post("/api/finance/budget-lines/", {**body, "currency": "EUR", "amount": "-1"},
                           content_type="application/json")  # fmt: skip
    assert negative.status_code == 400 and "amount" in negative.json()
    assert not BudgetLine.objects.exists()


def test_an_import_with_one_bad_currency_row_names_the_row_and_writes_nothing(books):
    common = {"version": str(books["version"].pk), "cost_centre": "IT", "category": "HW", "amount": "10"}
    rows = [{**common, "period": str(books["january"].pk), "currency": "EUR"},
            {**common, "period": str(books["year"].periods.get(number=2).pk), "currency": "EUX"}]  # fmt: skip
    result = import_rows(model=BudgetLine, form_class=BudgetLineForm, rows=rows, dry_run=False)
    assert [(e.row, e.field) for e in result.errors] == [(2, "currency")]
    assert not BudgetLine.objects.exists()


def test_a_negative_allocation_share_is_refused_by_the_api_naming_the_percent(client, books):
    from steward.itsm.models import Service

    service = Service.objects.create(name="E-mail")
    rule = AllocationRule.objects.create(name="Mail", pool_cost_centre=books["centre"])
    client.force_login(books["admin"])
    body = {"rule": rule.pk, "service": service.pk, "percent": "-10"}
    response = client.post("/api/finance/allocation-shares/", body, content_type="application/json")
    assert response.status_code == 400 and "percent" in response.json()
    assert not AllocationShare.objects.exists()
    assert client.post("/api/finance/allocation-shares/", {**body, "percent": "100"},
                       content_type="application/json").status_code == 201  # fmt: skip


def test_a_cost_centre_cannot_be_placed_inside_its_own_subtree(books):
    child = CostCentre.objects.create(code="IT-OPS", name="Ops", parent=books["centre"])
    grandchild = CostCentre.objects.create(code="IT-OPS-NET", name="Network", parent=child)
    books["centre"].parent = grandchild
    with pytest.raises(ValidationError) as exc:
        books["centre"].full_clean()
    assert "parent" in exc.value.message_dict
    assert CostCentre.objects.get(code="IT").parent is None
