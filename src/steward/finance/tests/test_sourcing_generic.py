"""The generic UI and API test cases applied to every sourcing model: each class gives data only."""

from __future__ import annotations

from decimal import Decimal as D

from steward.cmdb.models import CIClass
from steward.finance.models import (
    Contract,
    ContractRenewal,
    Invoice,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequest,
    PurchaseRequestLine,
    SoftwareLicence,
    Vendor,
)
from steward.finance.tests import sourcing_builders as b
from steward.utilities.testing.api import APITestCases
from steward.utilities.testing.views import ViewTestCases


class VendorData:
    model = Vendor
    csv_data = (
        "name,kind,risk_tier",
        "Imported One,reseller,low",
        "Imported Two,cloud,high",
        "Imported Three,manufacturer,medium",
    )
    bulk_edit_data = {"status": "on_hold"}
    invalid_data = {"website": "not a url"}
    field_constraint = {"risk_tier": "low"}
    move_out_data = {"risk_tier": "critical"}
    create_data = {"name": "New vendor", "kind": "reseller", "status": "active", "risk_tier": "low"}
    api_create_data = [
        {"name": "A"},
        {"name": "B", "kind": "cloud", "risk_tier": "critical"},
        {"name": "C", "status": "prospect", "website": "https://c.example.org"},
    ]

    @classmethod
    def setUpTestData(cls) -> None:
        for name in ("One", "Two", "Three"):
            Vendor.objects.create(name=name)


class VendorViewTest(VendorData, ViewTestCases.ObjectViewTestCase):
    pass


class VendorAPITest(VendorData, APITestCases.APIViewTestCase):
    pass


class ContractData:
    model = Contract
    bulk_edit_data = {"notice_days": 10}
    invalid_data = {"end_date": "2020-01-01"}
    field_constraint = {"kind": "support"}
    move_out_data = {"kind": "lease"}

    @classmethod
    def setUpTestData(cls) -> None:
        vendor = b.vendor()
        for _n in range(3):
            b.contract(vendor=vendor, kind="support")
        cls.csv_data = (
            "title,vendor,start_date,end_date,notice_days,value,currency",
            f"Imported A,{vendor.name},2027-01-01,2027-12-31,30,1000,EUR",
            f"Imported B,{vendor.name},2027-01-01,2028-12-31,90,2000,USD",
            f"Imported C,{vendor.name},2027-02-01,2027-03-01,0,0,EUR",
        )
        cls.create_data = {"title": "New", "kind": "support", "vendor": vendor.pk, "start_date": "2027-01-01",
                           "end_date": "2027-12-31", "notice_days": 30, "value": "100", "currency": "EUR"}  # fmt: skip
        cls.api_create_data = [
            {"title": "A", "vendor": vendor.pk, "start_date": "2027-01-01", "end_date": "2027-12-31"},
            {"title": "B", "vendor": vendor.pk, "kind": "saas", "start_date": "2027-01-01",
             "end_date": "2027-12-31", "auto_renew": True, "renewal_months": 12},
            {"title": "C", "vendor": vendor.pk, "start_date": "2027-01-01", "end_date": "2027-02-01",
             "notice_days": 10, "value": "99.50", "currency": "GBP"},
        ]  # fmt: skip


class ContractViewTest(ContractData, ViewTestCases.ObjectViewTestCase):
    pass


class ContractAPITest(ContractData, APITestCases.APIViewTestCase):
    pass


class ContractRenewalData:
    model = ContractRenewal
    bulk_edit_data = {"note": "Negotiated"}
    invalid_data = {"new_end": "2020-01-01"}
    field_constraint = {"automatic": False}
    move_out_data = {"automatic": True}

    @classmethod
    def setUpTestData(cls) -> None:
        c = b.contract()
        for n in range(3):
            ContractRenewal.objects.create(contract=c, renewed_on=b.today(), previous_end=c.end_date,
                                           new_end=c.end_date.replace(year=c.end_date.year + n + 1))  # fmt: skip
        cls.csv_data = (
            "contract,renewed_on,previous_end,new_end",
            *(f"{c.reference},2027-01-0{n},2027-01-0{n},2028-01-0{n}" for n in (1, 2, 3)),
        )
        cls.create_data = {"contract": c.pk, "renewed_on": "2027-01-01", "previous_end": "2027-01-01",
                           "new_end": "2028-01-01"}  # fmt: skip
        cls.api_create_data = [
            {"contract": c.pk, "renewed_on": "2027-01-01", "previous_end": "2027-01-01", "new_end": f"202{n}-01-01"}
            for n in (8, 9)
        ] + [{"contract": c.pk, "renewed_on": "2027-01-01", "previous_end": "2027-01-01", "new_end": "2030-01-01",
              "automatic": True, "value": "10"}]  # fmt: skip


class ContractRenewalViewTest(ContractRenewalData, ViewTestCases.ObjectViewTestCase):
    pass


class ContractRenewalAPITest(ContractRenewalData, APITestCases.APIViewTestCase):
    pass


class SoftwareLicenceData:
    model = SoftwareLicence
    bulk_edit_data = {"quantity": 99}
    invalid_data = {"quantity": "-3"}
    field_constraint = {"metric": "device"}
    move_out_data = {"metric": "core"}

    @classmethod
    def setUpTestData(cls) -> None:
        prod = b.product()
        for n in range(3):
            SoftwareLicence.objects.create(name=f"Pool {n}", product=prod, metric="device", quantity=10)
        cls.csv_data = (
            "name,product,metric,quantity",
            f"Imported A,{prod.pk},device,5",
            f"Imported B,{prod.pk},core,64",
            f"Imported C,{prod.pk},user,12",
        )
        cls.create_data = {"name": "New", "product": prod.pk, "metric": "device", "quantity": 3}
        cls.api_create_data = [
            {"name": "A", "product": prod.pk, "metric": "user", "quantity": 1},
            {"name": "B", "product": prod.pk, "metric": "core", "quantity": 16, "expiry": "2028-01-01"},
            {"name": "C", "product": prod.pk, "quantity": 2},
        ]


class SoftwareLicenceViewTest(SoftwareLicenceData, ViewTestCases.ObjectViewTestCase):
    pass


class SoftwareLicenceAPITest(SoftwareLicenceData, APITestCases.APIViewTestCase):
    pass


class PurchaseRequestData:
    model = PurchaseRequest
    bulk_edit_data = {"justification": "Still needed"}
    invalid_data = {"currency": "EURO"}
    field_constraint = {"currency": "EUR"}
    move_out_data = {"currency": "USD"}

    @classmethod
    def setUpTestData(cls) -> None:
        requester = b.person()
        for _n in range(3):
            b.purchase_request(requester=requester, lines=())
        cls.csv_data = (
            "title,requester,justification,currency",
            *(f"Imported {n},{requester.email},Because,EUR" for n in (1, 2, 3)),
        )
        cls.create_data = {
            "title": "New",
            "requester": requester.pk,
            "justification": "Why",
            "currency": "EUR",
        }
        cls.api_create_data = [
            {"title": "A", "requester": requester.pk, "justification": "Why"},
            {"title": "B", "requester": requester.pk, "justification": "Why", "currency": "USD"},
            {"title": "C", "requester": requester.pk, "justification": "Why", "needed_by": "2027-05-01"},
        ]


class PurchaseRequestViewTest(PurchaseRequestData, ViewTestCases.ObjectViewTestCase):
    pass


class PurchaseRequestAPITest(PurchaseRequestData, APITestCases.APIViewTestCase):
    pass


class PurchaseRequestLineData:
    model = PurchaseRequestLine
    bulk_edit_data = {"unit_price": "11.00"}
    invalid_data = {"quantity": "0"}
    field_constraint = {"description": "Disk"}
    move_out_data = {"description": "Cable"}

    @classmethod
    def setUpTestData(cls) -> None:
        pr = b.purchase_request(lines=(("Disk", "1", "10"), ("Disk", "2", "20"), ("Disk", "3", "30")))
        cls.csv_data = (
            "purchase_request,description,quantity,unit_price",
            *(f"{pr.reference},Disk,{n},5" for n in (1, 2, 3)),
        )
        cls.create_data = {"purchase_request": pr.pk, "description": "Disk", "quantity": "1", "unit_price": "9",
                           "currency": "EUR"}  # fmt: skip
        cls.api_create_data = [
            {"purchase_request": pr.pk, "description": "Disk", "quantity": str(n), "unit_price": "1.50"}
            for n in (1, 2, 3)
        ]


class PurchaseRequestLineViewTest(PurchaseRequestLineData, ViewTestCases.ObjectViewTestCase):
    pass


class PurchaseRequestLineAPITest(PurchaseRequestLineData, APITestCases.APIViewTestCase):
    pass


class PurchaseOrderData:
    model = PurchaseOrder
    bulk_edit_data = {"notes": "Chased"}
    invalid_data = {"expected_date": "2000-01-01"}
    field_constraint = {"currency": "EUR"}
    move_out_data = {"currency": "USD"}

    @classmethod
    def setUpTestData(cls) -> None:
        vendor = b.vendor()
        for _n in range(3):
            b.order(vendor=vendor, lines=())
        cls.csv_data = (
            "vendor,currency,order_date",
            *(f"{vendor.name},EUR,2027-01-0{n}" for n in (1, 2, 3)),
        )
        cls.create_data = {"vendor": vendor.pk, "currency": "EUR", "order_date": "2027-01-01"}
        cls.api_create_data = [
            {"vendor": vendor.pk, "order_date": "2027-01-01"},
            {"vendor": vendor.pk, "order_date": "2027-01-02", "currency": "USD"},
            {"vendor": vendor.pk, "order_date": "2027-01-03", "expected_date": "2027-02-01"},
        ]


class PurchaseOrderViewTest(PurchaseOrderData, ViewTestCases.ObjectViewTestCase):
    pass


class PurchaseOrderAPITest(PurchaseOrderData, APITestCases.APIViewTestCase):
    pass


class PurchaseOrderLineData:
    model = PurchaseOrderLine
    bulk_edit_data = {"unit_price": "12.00"}
    invalid_data = {"quantity": "0"}
    field_constraint = {"description": "Disk"}
    move_out_data = {"description": "Cable"}

    @classmethod
    def setUpTestData(cls) -> None:
        po = b.order(lines=(("Disk", "1", "10"), ("Disk", "2", "20"), ("Disk", "3", "30")))
        server = CIClass.objects.get(slug="server")
        cls.csv_data = (
            "purchase_order,description,quantity,unit_price",
            *(f"{po.reference},Disk,{n},5" for n in (1, 2, 3)),
        )
        cls.create_data = {"purchase_order": po.pk, "description": "Disk", "quantity": "1", "unit_price": "9"}
        cls.api_create_data = [
            {"purchase_order": po.pk, "description": "Disk", "quantity": "1", "unit_price": "1.50"},
            {"purchase_order": po.pk, "description": "Disk", "quantity": "2", "unit_price": "3",
             "ci_class": server.pk},
            {"purchase_order": po.pk, "description": "Disk", "quantity": "5", "unit_price": "0"},
        ]  # fmt: skip


class PurchaseOrderLineViewTest(PurchaseOrderLineData, ViewTestCases.ObjectViewTestCase):
    pass


class PurchaseOrderLineAPITest(PurchaseOrderLineData, APITestCases.APIViewTestCase):
    pass


class InvoiceData:
    model = Invoice
    bulk_edit_data = {"notes": "Checked"}
    invalid_data = {"due_date": "2000-01-01"}
    field_constraint = {"currency": "EUR"}
    move_out_data = {"currency": "USD"}

    @classmethod
    def setUpTestData(cls) -> None:
        vendor = b.vendor()
        for n in range(3):
            Invoice.objects.create(vendor=vendor, number=f"INV-{n}", invoice_date=b.today(), due_date=b.today(),
                                   amount=D("10.00"), currency="EUR")  # fmt: skip
        cls.csv_data = (
            "vendor,number,invoice_date,due_date,amount,currency",
            *(f"{vendor.name},IMP-{n},2027-01-01,2027-01-31,{n}00,EUR" for n in (1, 2, 3)),
        )
        cls.create_data = {"vendor": vendor.pk, "number": "NEW-1", "invoice_date": "2027-01-01",
                           "due_date": "2027-01-31", "amount": "50", "currency": "EUR"}  # fmt: skip
        cls.api_create_data = [
            {"vendor": vendor.pk, "number": f"API-{n}", "invoice_date": "2027-01-01", "due_date": "2027-02-01",
             "amount": f"{n}.00"}
            for n in (1, 2, 3)
        ]  # fmt: skip


class InvoiceViewTest(InvoiceData, ViewTestCases.ObjectViewTestCase):
    pass


class InvoiceAPITest(InvoiceData, APITestCases.APIViewTestCase):
    pass
