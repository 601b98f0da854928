"""Ledger pages and endpoints beyond the generic ones: roll-up (UI, CSV, API), new versions,
depreciation report and booking, allocation runs — with and without permission."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from steward.finance import services
from steward.finance.models import (
    AccountCategory,
    AllocationResult,
    AllocationRule,
    AllocationShare,
    AssetDepreciation,
    Budget,
    BudgetVersion,
    CostCentre,
    Expense,
)
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def books():
    year = services.create_fiscal_year(name="FY2027", start_date=dt.date(2027, 1, 1), actor=None)
    centre = CostCentre.objects.create(code="IT", name="IT")
    category = AccountCategory.objects.create(code="LIC", name="Licences")
    budget = services.create_budget(name="Run", fiscal_year=year, actor=None)
    version = budget.versions.get()
    january = year.periods.get(number=1)
    services.add_budget_line(version=version, actor=None, period=january, cost_centre=centre, category=category,
                             amount=D(1000), currency="EUR")  # fmt: skip
    BudgetVersion.objects.filter(pk=version.pk).update(state="approved")
    services.record_expense(actor=None, date=dt.date(2027, 1, 5), amount=D(1250), currency="EUR", cost_centre=centre,
                            category=category, supplier_name="=cmd")  # fmt: skip
    return {"year": year, "centre": centre, "category": category, "budget": budget, "version": version,
            "january": january}  # fmt: skip


_users = iter(range(1000))


def client_for(client, *grants):
    user = make_user(f"someone-{next(_users)}")
    for model, actions in grants:
        grant(user, model, *actions)
    client.force_login(user)
    return user


def test_rollup_page_needs_view_budget(client, books):
    url = reverse("finance:budget_report") + f"?fiscal_year={books['year'].pk}"
    assert client.get(url).status_code == 302  # to login
    client_for(client)
    assert client.get(url).status_code == 403


def test_rollup_page_table_chart_and_csv(client, books):
    client_for(client, (Budget, ["view"]), (Expense, ["view"]), (books["version"].lines.model, ["view"]))
    url = reverse("finance:budget_report") + f"?fiscal_year={books['year'].pk}&dimension=category"
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="rollup-chart"' in body and "1250.00" in body and "25.0" in body
    assert "<script>" not in body.replace("<script src=", "")  # CSP: no inline scripts
    csv = client.get(url + "&export=csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("period,category,currency,budget,forecast,actual,variance,variance_pct")
    assert lines[1] == "2027-01,LIC Licences,EUR,1000.00,1000.00,1250.00,250.00,25.0,0.00"


def test_rollup_page_shows_only_what_the_user_may_see(client, books):
    client_for(client, (Budget, ["view"]))  # no expense or line permission
    page = client.get(reverse("finance:budget_report") + f"?fiscal_year={books['year'].pk}")
    assert page.status_code == 200 and "1250.00" not in page.content.decode()


def test_rollup_api(client, books):
    url = reverse("api:finance-budget-rollup")
    client_for(client)
    assert client.get(url, {"fiscal_year": books["year"].pk}).status_code == 403
    client.logout()
    client_for(client, (Budget, ["view"]), (Expense, ["view"]), (books["version"].lines.model, ["view"]))
    bad = client.get(url, {"fiscal_year": books["year"].pk, "dimension": "colour"})
    assert bad.status_code == 400 and "dimension" in bad.json()
    missing = client.get(url)
    assert missing.status_code == 400 and "fiscal_year" in missing.json()
    data = client.get(url, {"fiscal_year": books["year"].pk}).json()
    assert data["currency"] == "EUR"
    row = data["rows"][0]
    assert (row["period"], row["budget"], row["actual"], row["variance"], row["variance_pct"]) == (
        "2027-01",
        "1000.00",
        "1250.00",
        "250.00",
        "25.0",
    )


def test_new_version_needs_add_permission(client, books):
    url = reverse("finance:budgetversion_new_version", kwargs={"pk": books["version"].pk})
    client_for(client, (BudgetVersion, ["view"]))
    assert client.post(url).status_code == 403
    assert BudgetVersion.objects.count() == 1
    client.logout()
    client_for(client, (BudgetVersion, ["view", "add"]))
    response = client.post(url, {"label": "Q2"})
    assert response.status_code == 302
    copy = BudgetVersion.objects.get(number=2)
    assert (copy.label, copy.state, copy.lines.count()) == ("Q2", "draft", 1)


def test_new_version_api(client, books):
    url = reverse("api:finance-budgetversion-new-version", kwargs={"pk": books["version"].pk})
    client_for(client, (BudgetVersion, ["view"]))
    assert client.post(url, {}, content_type="application/json").status_code == 403
    client.logout()
    client_for(client, (BudgetVersion, ["view", "add"]))
    response = client.post(url, {"label": "API"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["number"] == 2


@pytest.fixture
def laptop(books):
    from steward.cmdb.models import ConfigurationItem
    from steward.utilities.testing.factories import make_instance

    item = make_instance(ConfigurationItem)
    ConfigurationItem.objects.filter(pk=item.pk).update(purchase_cost=D(1200), currency="EUR",
                                                          purchase_date=dt.date(2027, 1, 1))  # fmt: skip
    item.refresh_from_db()
    return AssetDepreciation.objects.create(configuration_item=item, useful_life_months=12,
                                            cost_centre=books["centre"], category=books["category"])  # fmt: skip


def test_depreciation_report_and_booking(client, books, laptop):
    url = reverse("finance:assetdepreciation_report")
    client_for(client, (AssetDepreciation, ["view"]))
    page = client.get(url, {"month": "2027-02"})
    assert page.status_code == 200 and "100.00" in page.content.decode()
    assert client.post(url, {"month": "2027-02"}).status_code == 403  # booking needs add expense
    assert not Expense.objects.filter(depreciation=laptop).exists()
    client.logout()
    client_for(client, (AssetDepreciation, ["view"]), (Expense, ["add"]))
    assert client.post(url, {"month": "2027-02"}).status_code == 302
    assert client.post(url, {"month": "2027-02"}).status_code == 302  # again: nothing more
    assert Expense.objects.filter(depreciation=laptop).count() == 1


def test_depreciation_booking_api(client, books, laptop):
    url = reverse("api:finance-assetdepreciation-book")
    period = books["year"].periods.get(number=3)
    client_for(client, (AssetDepreciation, ["view"]))
    assert client.post(url, {"period": period.pk}, content_type="application/json").status_code == 403
    client.logout()
    client_for(client, (AssetDepreciation, ["view"]), (Expense, ["add"]))
    response = client.post(url, {"period": period.pk}, content_type="application/json")
    assert response.status_code == 200 and response.json()[0]["amount"] == "100.00"


def test_allocation_run_page_and_api(client, books):
    from steward.itsm.models import Service

    service = Service.objects.create(name="Mail")
    rule = AllocationRule.objects.create(name="All to mail", pool_cost_centre=books["centre"])
    AllocationShare.objects.create(rule=rule, service=service, percent=D(100))
    url = reverse("finance:allocationrule_run")
    client_for(client, (AllocationRule, ["view"]))
    assert client.get(url, {"period": books["january"].pk}).status_code == 200
    assert client.post(url, {"period": books["january"].pk}).status_code == 403
    assert not AllocationResult.objects.exists()
    client.logout()
    client_for(client, (AllocationRule, ["view", "change"]), (AllocationResult, ["view"]))
    assert client.post(url, {"period": books["january"].pk}).status_code == 302
    assert AllocationResult.objects.get().amount == D("1250.00")
    page = client.get(url, {"period": books["january"].pk})
    assert "1250.00" in page.content.decode()
    api = reverse("api:finance-allocationrule-run", kwargs={"pk": rule.pk})
    response = client.post(api, {"period": books["january"].pk}, content_type="application/json")
    assert response.status_code == 200 and response.json()[0]["amount"] == "1250.00"
    AllocationShare.objects.filter(rule=rule).update(percent=D(50))
    refused = client.post(api, {"period": books["january"].pk}, content_type="application/json")
    assert refused.status_code == 400 and "All to mail" in str(refused.json())
    assert AllocationResult.objects.get().amount == D("1250.00")  # nothing half-written


def test_dashboard_widgets(books):
    from steward.finance import dashboard_ledger

    admin = make_user("boss", superuser=True)
    chart = dashboard_ledger.budget_consumption(admin)
    table = dashboard_ledger.top_variances(admin)
    # The demo year is 2027, the widgets show the current year: both answer without failing.
    assert chart["type"] == "line" and "rows" in table
