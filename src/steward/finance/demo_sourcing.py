"""Deterministic demo sourcing for `steward demo`: vendors, contracts (some near their notice
deadline), licences for the most installed products, and a request ordered, partly received and
invoiced."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from steward.core.workflow import transition
from steward.finance import services_sourcing as services
from steward.finance.models import (
    Contract,
    PurchaseRequest,
    PurchaseRequestLine,
    SoftwareLicence,
    Vendor,
)

VENDORS = [
    ("Dell Technologies", "manufacturer", "medium", "dell"),
    ("HPE", "manufacturer", "medium", "hpe"),
    ("Northwind Resellers", "reseller", "low", ""),
    ("Contoso Managed Services", "service_provider", "high", ""),
    ("Fabrikam Cloud", "cloud", "critical", ""),
]

CONTRACTS = [
    # title, kind, vendor index, months from now to the end, notice days, auto renew, value
    ("Server hardware support", "support", 0, 2, 60, False, "48000"),
    ("Storage support and maintenance", "support", 1, 5, 90, True, "36000"),
    ("Office desktop licences", "licence", 2, 11, 30, True, "52000"),
    ("Service desk outsourcing", "service", 3, 1, 90, False, "240000"),
    ("Cloud platform commitment", "saas", 4, 14, 60, True, "410000"),
    ("Laptop lease 2025", "lease", 2, -1, 30, False, "120000"),
]


def load(*, rng: random.Random, scale: float) -> str:
    if Vendor.objects.exists():
        return ""
    today = timezone.localdate()
    User = get_user_model()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    Manufacturer = apps.get_model("cmdb", "Manufacturer")
    Person = apps.get_model("org", "Person")
    people = list(Person.objects.order_by("pk")[:20])
    vendors = []
    for name, kind, risk, slug in VENDORS:
        vendor = Vendor(name=name, kind=kind, risk_tier=risk, website="",
                        manufacturer=Manufacturer.objects.filter(slug=slug).first() if slug else None,
                        contacts="Account manager: see the vendor portal.")  # fmt: skip
        vendor.full_clean()
        vendor.save()
        vendors.append(vendor)

    actor = services.automation_actor()
    Item = apps.get_model("cmdb", "ConfigurationItem")
    servers = list(Item.objects.filter(ci_class__slug="server").order_by("pk")[:10])
    contracts = []
    for title, kind, v, months, notice, auto, value in CONTRACTS:
        end = today + dt.timedelta(days=30 * months)
        contract = Contract(
            title=title, kind=kind, vendor=vendors[v], owner=rng.choice(people) if people else None,
            start_date=end - dt.timedelta(days=365 * 2), end_date=end, notice_days=notice, auto_renew=auto,
            renewal_months=12 if auto else None, value=Decimal(value), currency="EUR",
        )  # fmt: skip
        contract.full_clean()
        contract.save()
        if contract.owner_id:
            transition(obj=contract, name="activate", actor=admin or actor)
        if kind == "support" and servers:
            contract.configuration_items.set(servers[:5] if v == 0 else servers[5:])
        contracts.append(contract)
    run = services.process_contract_dates(today=today, actor=actor)

    Installation = apps.get_model("cmdb", "SoftwareInstallation")
    top = list(
        Installation.objects.values("product_id").annotate(n=Count("configuration_item", distinct=True))
        .order_by("-n", "product_id")[:6]
    )  # fmt: skip
    metrics = ["device", "core", "user", "device", "subscription", "device"]
    for n, row in enumerate(top):
        # Some pools short, some spare, one exact: the positions page shows all three.
        quantity = max(1, int(row["n"] * (0.8, 1.3, 1.0, 0.5, 2.0, 1.1)[n]))
        if metrics[n] == "core":
            quantity *= 16
        SoftwareLicence.objects.create(
            name=f"Licence pool {n + 1}", product_id=row["product_id"], metric=metrics[n], quantity=quantity,
            contract=contracts[2], expiry=contracts[2].end_date,
        )  # fmt: skip

    orders = 0
    requester = next((p for p in people if p.user_id != getattr(admin, "pk", None)), None)
    CIClass = apps.get_model("cmdb", "CIClass")
    server_class = CIClass.objects.filter(slug="server").first()
    if admin is not None and requester is not None:
        request = PurchaseRequest.objects.create(
            title="Servers and laptops for the analytics team", requester=requester, vendor=vendors[2],
            justification="Eight analysts start next quarter; their cluster needs four more nodes.",
        )  # fmt: skip
        PurchaseRequestLine.objects.create(purchase_request=request, description="Rack server",
                                           quantity=4, unit_price=Decimal("9200.00"), currency="EUR",
                                           ci_class=server_class)  # fmt: skip
        PurchaseRequestLine.objects.create(purchase_request=request, description="Standard laptop",
                                           quantity=8, unit_price=Decimal("1150.00"), currency="EUR")  # fmt: skip
        transition(obj=request, name="submit", actor=admin)
        transition(obj=request, name="approve", actor=admin, data={"decision_note": "Within budget."})
        order = services.create_purchase_order(purchase_request=request, actor=admin)
        first = order.lines.order_by("pk").first()
        services.receive_purchase_order(order=order, actor=admin, quantities={first.pk: Decimal(2)},
                                        create_items=server_class is not None)  # fmt: skip
        services.record_invoice(
            actor=admin, vendor=vendors[2], number="NW-2027-0042", invoice_date=today, currency="EUR",
            due_date=today + dt.timedelta(days=30), amount=Decimal("18400.00"), purchase_order=order,
        )  # fmt: skip
        orders = 1
        PurchaseRequest.objects.create(
            title="Second monitor for the service desk", requester=requester, vendor=vendors[2],
            justification="Agents work with the console and the knowledge base side by side.",
        )  # fmt: skip
    return (
        f"Sourcing: {len(vendors)} vendors, {len(contracts)} contracts ({len(run.notices)} past their notice "
        f"deadline), {len(top)} licence pools, {orders} purchase order"
    )
