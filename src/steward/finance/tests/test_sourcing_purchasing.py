"""Purchasing: request approval by amount, ordering, receiving (with CMDB items) and invoice matching."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from steward.cmdb.models import CIClass, ConfigurationItem
from steward.core.workflow import TransitionForbidden, TransitionNotAllowed, transition
from steward.finance import services_sourcing
from steward.finance.models import (
    Invoice,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequest,
    PurchaseRequestLine,
)
from steward.finance.tests import sourcing_builders as b
from steward.finance.workflows_sourcing import FINANCE_APPROVERS, PURCHASE_APPROVERS
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return make_user("boss", superuser=True)


def approver(name: str, role: str):
    user = make_user(name)
    grant(user, PurchaseRequest, "view", "change")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def submitted(admin, lines=(("Laptop", "2", "1000.00"),), **fields) -> PurchaseRequest:
    pr = b.purchase_request(lines=lines, **fields)
    transition(obj=pr, name="submit", actor=admin)
    return pr


def approved_order(admin, lines) -> PurchaseOrder:
    pr = submitted(admin, lines=lines, vendor=b.vendor())
    transition(obj=pr, name="approve", actor=admin)
    return services_sourcing.create_purchase_order(purchase_request=pr, actor=admin)


# --- requests ---------------------------------------------------------------------------------
def test_line_in_another_currency_is_refused(db):
    pr = b.purchase_request(lines=())
    line = PurchaseRequestLine(purchase_request=pr, description="X", quantity=1, unit_price=1, currency="USD")
    with pytest.raises(ValidationError) as exc:
        line.full_clean()
    assert "currency" in exc.value.message_dict
    line.currency = ""
    line.full_clean()
    assert line.currency == "EUR"


def test_a_request_without_lines_cannot_be_submitted(admin):
    pr = b.purchase_request(lines=())
    with pytest.raises(TransitionNotAllowed, match="at least one line"):
        transition(obj=pr, name="submit", actor=admin)


@override_settings(FINANCE_PURCHASE_APPROVAL_THRESHOLD=5000)
def test_small_requests_are_approved_by_a_purchase_approver(admin):
    pr = submitted(admin)  # 2000 EUR
    transition(obj=pr, name="approve", actor=approver("buyer", PURCHASE_APPROVERS))
    pr.refresh_from_db()
    assert pr.state == "approved"


@override_settings(FINANCE_PURCHASE_APPROVAL_THRESHOLD=5000)
def test_large_requests_need_a_finance_approver(admin):
    pr = submitted(admin, lines=(("Server", "1", "9000.00"),))
    with pytest.raises(TransitionForbidden):
        transition(obj=pr, name="approve", actor=approver("buyer", PURCHASE_APPROVERS))
    pr.refresh_from_db()
    assert pr.state == "submitted"
    transition(
        obj=pr, name="reject", actor=approver("cfo", FINANCE_APPROVERS), data={"decision_note": "Later"}
    )
    pr.refresh_from_db()
    assert pr.state == "rejected" and pr.decision_note == "Later"


def test_nobody_approves_their_own_request(admin):
    me = approver("self", FINANCE_APPROVERS)
    pr = submitted(admin, requester=b.person(user=me))
    with pytest.raises(TransitionForbidden):
        transition(obj=pr, name="approve", actor=me)


def test_rejection_needs_a_note(admin):
    pr = submitted(admin)
    with pytest.raises(ValidationError) as exc:
        transition(obj=pr, name="reject", actor=admin)
    assert "decision_note" in exc.value.message_dict


def test_an_approver_role_without_the_object_permission_is_refused(admin):
    pr = submitted(admin)
    user = make_user("role-only")
    user.groups.add(Group.objects.get_or_create(name=FINANCE_APPROVERS)[0])
    with pytest.raises(TransitionForbidden):
        transition(obj=pr, name="approve", actor=user)


# --- ordering ---------------------------------------------------------------------------------
def test_an_approved_request_becomes_a_purchase_order(admin):
    server = CIClass.objects.get(slug="server")
    pr = submitted(admin, lines=(("Server", "2", "5000.00"), ("Cable", "10", "3.50")), vendor=b.vendor())
    pr.lines.filter(description="Server").update(ci_class=server)
    transition(obj=pr, name="approve", actor=admin)
    order = services_sourcing.create_purchase_order(purchase_request=pr, actor=admin)
    assert order.reference.startswith("PO") and len(order.reference) == 7
    assert order.total == Decimal("10035.00") and order.vendor == pr.vendor and order.state == "ordered"
    assert [line.ci_class for line in order.lines.order_by("pk")] == [server, None]
    assert pr.state == "ordered"


def test_only_an_approved_request_can_be_ordered(admin):
    pr = submitted(admin, vendor=b.vendor())
    with pytest.raises(ValidationError) as exc:
        services_sourcing.create_purchase_order(purchase_request=pr, actor=admin)
    assert pr.reference in exc.value.message_dict["purchase_request"][0]
    assert not PurchaseOrder.objects.exists()


def test_ordering_without_a_vendor_is_refused(admin):
    pr = submitted(admin)
    transition(obj=pr, name="approve", actor=admin)
    with pytest.raises(ValidationError) as exc:
        services_sourcing.create_purchase_order(purchase_request=pr, actor=admin)
    assert "vendor" in exc.value.message_dict
    pr.refresh_from_db()
    assert pr.state == "approved" and not PurchaseOrder.objects.exists()


def test_order_endpoint_needs_the_right_to_add_orders(admin):
    pr = submitted(admin, vendor=b.vendor())
    transition(obj=pr, name="approve", actor=admin)
    url = reverse("api:finance-purchaserequest-create-order", kwargs={"pk": pr.pk})
    user = make_user("clerk")
    grant(user, PurchaseRequest, "view", "change")
    client = APIClient()
    client.force_authenticate(user)
    assert client.post(url, {}, format="json").status_code == 403
    grant(user, PurchaseOrder, "add", name="orders")
    user = type(user).objects.get(pk=user.pk)
    client.force_authenticate(user)
    response = client.post(url, {}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["total"] == "2000.00"


# --- receiving --------------------------------------------------------------------------------
def test_receiving_in_parts_then_fully(admin):
    order = approved_order(admin, (("Disk", "4", "100.00"), ("Cable", "2", "5.00")))
    disk, cable = order.lines.order_by("pk")
    services_sourcing.receive_purchase_order(order=order, actor=admin, quantities={disk.pk: Decimal(1)})
    assert order.state == "partially_received"
    services_sourcing.receive_purchase_order(order=order, actor=admin, quantities={disk.pk: 3, cable.pk: 2})
    assert order.state == "received"
    transition(obj=order, name="close", actor=admin)
    assert order.state == "closed"


def test_receiving_more_than_ordered_changes_nothing(admin):
    order = approved_order(admin, (("Disk", "4", "100.00"), ("Cable", "2", "5.00")))
    disk, cable = order.lines.order_by("pk")
    with pytest.raises(ValidationError) as exc:
        services_sourcing.receive_purchase_order(
            order=order, actor=admin, quantities={disk.pk: 1, cable.pk: 3}
        )
    assert list(exc.value.message_dict) == [f"lines.{cable.pk}"]
    assert "Only 2" in exc.value.message_dict[f"lines.{cable.pk}"][0]
    disk.refresh_from_db()
    assert disk.quantity_received == 0 and order.state == "ordered"
    with pytest.raises(ValidationError) as exc:
        services_sourcing.receive_purchase_order(order=order, actor=admin, quantities={999999: 1})
    assert "lines.999999" in exc.value.message_dict


def test_receiving_hardware_can_create_configuration_items(admin):
    vendor_make = b.vendor()
    from steward.cmdb.models import Manufacturer

    vendor_make.manufacturer = Manufacturer.objects.create(name="Acme", slug="acme")
    vendor_make.save()
    pr = submitted(
        admin, lines=(("Rack server", "3", "4000.00"), ("Rails", "3", "50.00")), vendor=vendor_make
    )
    pr.lines.filter(description="Rack server").update(ci_class=CIClass.objects.get(slug="server"))
    transition(obj=pr, name="approve", actor=admin)
    order = services_sourcing.create_purchase_order(purchase_request=pr, actor=admin)
    server, rails = order.lines.order_by("pk")
    created = services_sourcing.receive_purchase_order(
        order=order, actor=admin, quantities={server.pk: 2, rails.pk: 3}, create_items=True
    )
    assert len(created) == 2
    item = created[0]
    assert item.status == "in_stock" and item.purchase_cost == Decimal("4000.00") and item.currency == "EUR"
    assert item.manufacturer.slug == "acme" and order.reference in item.name
    assert set(server.configuration_items.all()) == set(created)
    # The third server arrives later: one more item, numbered on.
    more = services_sourcing.receive_purchase_order(
        order=order, actor=admin, quantities={server.pk: 1}, create_items=True
    )
    assert [i.name for i in more] == [f"Rack server ({order.reference}-3)"]
    assert order.state == "received"


def test_an_item_class_needing_attributes_refuses_the_whole_receipt(admin):
    order = approved_order(admin, (("Laptop", "2", "900.00"), ("Bag", "2", "20.00")))
    laptop, bag = order.lines.order_by("pk")
    PurchaseOrderLine.objects.filter(pk=laptop.pk).update(
        ci_class=CIClass.objects.get(slug="end-user-device")
    )
    with pytest.raises(ValidationError) as exc:
        services_sourcing.receive_purchase_order(
            order=order, actor=admin, quantities={laptop.pk: 2, bag.pk: 2}, create_items=True
        )
    assert f"lines.{laptop.pk}" in exc.value.message_dict
    bag.refresh_from_db()
    assert bag.quantity_received == 0 and not ConfigurationItem.objects.exists()


def test_receive_endpoint_permissions(admin):
    order = approved_order(admin, (("Rack server", "1", "4000.00"),))
    line = order.lines.get()
    PurchaseOrderLine.objects.filter(pk=line.pk).update(ci_class=CIClass.objects.get(slug="server"))
    url = reverse("api:finance-purchaseorder-receive", kwargs={"pk": order.pk})
    viewer = make_user("viewer")
    grant(viewer, PurchaseOrder, "view")
    client = APIClient()
    client.force_authenticate(viewer)
    body = {"lines": {str(line.pk): "1"}, "create_items": True}
    assert client.post(url, body, format="json").status_code == 403
    clerk = make_user("clerk")
    grant(clerk, PurchaseOrder, "view", "change")
    client.force_authenticate(clerk)
    assert client.post(url, body, format="json").status_code == 403  # no right to add CMDB items
    response = client.post(url, {"lines": {str(line.pk): "5"}}, format="json")
    assert response.status_code == 400 and f"lines.{line.pk}" in response.json()
    response = client.post(url, {"lines": {str(line.pk): "1"}}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "received"


def test_receive_page(admin, client):
    order = approved_order(admin, (("Disk", "2", "100.00"),))
    line = order.lines.get()
    url = reverse("finance:purchaseorder_receive", kwargs={"pk": order.pk})
    viewer = make_user("viewer")
    grant(viewer, PurchaseOrder, "view")
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    client.force_login(admin)
    assert client.get(url).status_code == 200
    response = client.post(url, {f"line-{line.pk}": "3"})
    assert response.status_code == 400 and "Only 2" in response.content.decode()
    response = client.post(url, {f"line-{line.pk}": "1"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state == "partially_received"


def test_order_button_page(admin, client):
    pr = submitted(admin, vendor=b.vendor())
    transition(obj=pr, name="approve", actor=admin)
    client.force_login(admin)
    detail = client.get(pr.get_absolute_url()).content.decode()
    assert reverse("finance:purchaserequest_order", kwargs={"pk": pr.pk}) in detail
    response = client.post(reverse("finance:purchaserequest_order", kwargs={"pk": pr.pk}))
    order = PurchaseOrder.objects.get()
    assert response.status_code == 302 and response.url == order.get_absolute_url()
    assert client.get(order.get_absolute_url()).status_code == 200


# --- invoices ---------------------------------------------------------------------------------
def invoice(order, number: str, amount: str, **fields) -> Invoice:
    values = {"vendor": order.vendor, "number": number, "invoice_date": b.today(), "due_date": b.today(),
              "amount": Decimal(amount), "currency": order.currency, "purchase_order": order}  # fmt: skip
    return services_sourcing.record_invoice(actor=None, **{**values, **fields})


def test_an_invoice_over_the_remaining_amount_is_refused_naming_the_order(admin):
    order = approved_order(admin, (("Disk", "10", "100.00"),))
    invoice(order, "A-1", "600.00")
    with pytest.raises(ValidationError) as exc:
        invoice(order, "A-2", "400.01")
    message = exc.value.message_dict["amount"][0]
    assert order.reference in message and "400.00" in message
    invoice(order, "A-2", "400.00")
    assert order.remaining() == Decimal("0.00")


def test_a_rejected_invoice_frees_its_amount(admin):
    order = approved_order(admin, (("Disk", "1", "100.00"),))
    first = invoice(order, "B-1", "100.00")
    transition(obj=first, name="reject", actor=admin, data={"notes": "Wrong price"})
    invoice(order, "B-2", "100.00")
    assert order.remaining() == Decimal("0.00")


def test_invoice_must_match_the_orders_vendor_and_currency(admin):
    order = approved_order(admin, (("Disk", "1", "100.00"),))
    with pytest.raises(ValidationError) as exc:
        invoice(order, "C-1", "10.00", vendor=b.vendor())
    assert order.reference in exc.value.message_dict["purchase_order"][0]
    with pytest.raises(ValidationError) as exc:
        invoice(order, "C-1", "10.00", currency="USD")
    assert "currency" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        invoice(order, "C-1", "10.00", contract=b.contract())
    assert "contract" in exc.value.message_dict
    assert not Invoice.objects.exists()


def test_invoice_numbers_are_unique_per_vendor_and_dates_ordered(admin):
    order = approved_order(admin, (("Disk", "10", "100.00"),))
    invoice(order, "D-1", "10.00")
    with pytest.raises(ValidationError) as exc:
        invoice(order, "D-1", "10.00")
    assert "__all__" in exc.value.message_dict or "number" in exc.value.message_dict
    other = b.vendor()
    services_sourcing.record_invoice(actor=None, vendor=other, number="D-1", invoice_date=b.today(),
                                     due_date=b.today(), amount=Decimal("5"), currency="EUR")  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        invoice(order, "D-2", "10.00", due_date=b.today().replace(year=b.today().year - 1))
    assert "due_date" in exc.value.message_dict


def test_invoice_workflow_received_approved_paid(admin):
    order = approved_order(admin, (("Disk", "1", "100.00"),))
    inv = invoice(order, "E-1", "100.00")
    assert inv.state == "received"
    transition(obj=inv, name="approve", actor=admin)
    with pytest.raises(ValidationError) as exc:
        transition(obj=inv, name="pay", actor=admin)
    assert "paid_on" in exc.value.message_dict
    transition(obj=inv, name="pay", actor=admin, data={"paid_on": b.today().isoformat()})
    assert inv.state == "paid"


def test_api_invoice_over_the_order_is_a_400_naming_the_order(admin):
    order = approved_order(admin, (("Disk", "1", "100.00"),))
    client = APIClient()
    client.force_authenticate(admin)
    body = {"vendor": order.vendor_id, "number": "F-1", "invoice_date": str(b.today()),
            "due_date": str(b.today()), "amount": "150.00", "currency": "EUR", "purchase_order": order.pk}  # fmt: skip
    response = client.post(reverse("api:finance-invoice-list"), body, format="json")
    assert response.status_code == 400 and order.reference in str(response.json()["amount"])
    body["amount"] = "60.00"
    assert client.post(reverse("api:finance-invoice-list"), body, format="json").status_code == 201
    listed = client.get(reverse("api:finance-purchaseorder-list")).json()["results"]
    assert [(r["total"], r["remaining"]) for r in listed] == [("100.00", "40.00")]
