"""Vendor invoices booked into the ledger: one linked expense, only when approved, only once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from steward.core.workflow import transition
from steward.finance.models import AccountCategory, CostCentre, Expense, FiscalYear, Invoice
from steward.finance.services import book_invoice
from steward.finance.tests import sourcing_builders as b
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return make_user("boss", superuser=True)


@pytest.fixture
def ledger(db):
    FiscalYear.objects.create(name=f"FY{b.today().year}", start_date=dt.date(b.today().year, 1, 1))
    return CostCentre.objects.create(code="IT", name="IT"), AccountCategory.objects.create(
        code="SW", name="SW"
    )


def approved_invoice(admin, amount: str = "500.00", state: str = "approved") -> Invoice:
    order = b.order(lines=(("Licences", "1", "800.00"),))
    invoice = Invoice.objects.create(vendor=order.vendor, number="INV-1", invoice_date=b.today(),
                                     due_date=b.today(), amount=Decimal(amount), currency="EUR",
                                     purchase_order=order)  # fmt: skip
    if state in ("approved", "paid"):
        transition(obj=invoice, name="approve", actor=admin)
    if state == "paid":
        transition(obj=invoice, name="pay", actor=admin, data={"paid_on": b.today()})
    return invoice


def test_an_approved_invoice_becomes_one_linked_expense(admin, ledger):
    centre, category = ledger
    invoice = approved_invoice(admin)
    expense = book_invoice(invoice=invoice, cost_centre=centre, category=category, actor=admin)
    assert (expense.invoice, expense.vendor, expense.purchase_order) == (
        invoice,
        invoice.vendor,
        invoice.purchase_order,
    )
    assert (expense.amount, expense.currency, expense.source) == (Decimal("500.00"), "EUR", "invoice")
    assert expense.base_amount == Decimal("500.00") and expense.date == invoice.invoice_date
    with pytest.raises(ValidationError) as exc:
        book_invoice(invoice=invoice, cost_centre=centre, category=category, actor=admin)
    assert expense.reference in str(exc.value.message_dict["invoice"])
    assert Expense.objects.count() == 1


def test_an_invoice_not_yet_approved_is_not_booked(admin, ledger):
    centre, category = ledger
    invoice = approved_invoice(admin, state="received")
    with pytest.raises(ValidationError) as exc:
        book_invoice(invoice=invoice, cost_centre=centre, category=category, actor=admin)
    assert "invoice" in exc.value.message_dict and not Expense.objects.exists()


def test_expenses_on_an_invoice_cannot_exceed_it_or_change_vendor(admin, ledger):
    centre, category = ledger
    invoice = approved_invoice(admin, amount="300.00")
    values = {
        "date": b.today(),
        "currency": "EUR",
        "cost_centre": centre,
        "category": category,
        "invoice": invoice,
    }
    Expense(amount=Decimal("200.00"), **values).full_clean()
    Expense.objects.create(amount=Decimal("200.00"), **values)  # part of the invoice booked by hand
    with pytest.raises(ValidationError) as exc:
        Expense(amount=Decimal("100.01"), **values).full_clean()
    assert "100.00" in str(exc.value.message_dict["amount"])
    with pytest.raises(ValidationError) as exc:
        Expense(amount=Decimal("1.00"), vendor=b.vendor(), **values).full_clean()
    assert "vendor" in exc.value.message_dict


def test_booking_through_the_api_and_the_page_needs_the_right_to_add_expenses(admin, ledger):
    centre, category = ledger
    invoice = approved_invoice(admin, state="paid")
    clerk = make_user("clerk")
    grant(clerk, Invoice, "view")
    api = APIClient()
    api.force_authenticate(clerk)
    url = reverse("api:finance-invoice-book", kwargs={"pk": invoice.pk})
    body = {"cost_centre": centre.pk, "category": category.pk}
    assert api.post(url, body, format="json").status_code == 403
    grant(clerk, Expense, "add")
    assert api.post(url, {"cost_centre": centre.pk}, format="json").status_code == 400
    response = api.post(url, body, format="json")
    assert response.status_code == 201 and response.json()["invoice"] == invoice.pk
    again = api.post(url, body, format="json")
    assert again.status_code == 400 and "invoice" in again.json()
    # The page: the form, then a refusal shown on the form because it is already booked.
    from django.test import Client

    client = Client()
    client.force_login(clerk)
    page = reverse("finance:invoice_book", kwargs={"pk": invoice.pk})
    assert client.get(page).status_code == 200
    assert client.post(page, {"cost_centre": centre.pk, "category": category.pk}).status_code == 422
    assert Expense.objects.count() == 1
    detail = client.get(invoice.get_absolute_url())
    assert Expense.objects.get().reference in detail.content.decode()
    nobody = make_user("nobody")
    client.force_login(nobody)
    assert client.get(page).status_code == 403
