"""Small builders of sourcing rows shared by the sourcing tests (no test classes here)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from steward.cmdb.models import CIClass, ConfigurationItem, SoftwareInstallation, SoftwareProduct
from steward.finance.models import (
    Contract,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequest,
    PurchaseRequestLine,
    Vendor,
)
from steward.org.models import Person

_n = itertools.count(1)


def today() -> dt.date:
    return timezone.localdate()


def vendor(name: str | None = None, **fields: Any) -> Vendor:
    return Vendor.objects.create(name=name or f"Vendor {next(_n)}", **fields)


def person(user: Any = None) -> Person:
    n = next(_n)
    return Person.objects.create(
        first_name="P", last_name=f"Person {n}", email=f"p{n}@example.org", user=user
    )


def contract(*, days_left: int = 200, term: int = 365, **fields: Any) -> Contract:
    end = today() + dt.timedelta(days=days_left)
    values = {"title": f"Contract {next(_n)}", "start_date": end - dt.timedelta(days=term), "end_date": end}
    if "vendor" not in fields:
        values["vendor"] = vendor()
    obj = Contract(**{**values, **fields})
    obj.full_clean()
    obj.save()
    return obj


def item(name: str | None = None, cls: str = "server", **fields: Any) -> ConfigurationItem:
    return ConfigurationItem.objects.create(
        name=name or f"item-{next(_n)}", ci_class=CIClass.objects.get(slug=cls), **fields
    )


def product(name: str | None = None) -> SoftwareProduct:
    return SoftwareProduct.objects.create(
        ecosystem="generic", vendor="acme", name=name or f"product-{next(_n)}"
    )


def install(on: ConfigurationItem, prod: SoftwareProduct, version: str = "1.0") -> SoftwareInstallation:
    return SoftwareInstallation.objects.create(configuration_item=on, product=prod, version=version)


def purchase_request(*, lines: tuple[tuple[str, str, str], ...] = (("Thing", "2", "100.00"),), **fields: Any):
    values = {"title": f"Request {next(_n)}", "justification": "Needed.", "currency": "EUR"}
    if "requester" not in fields:
        values["requester"] = person()
    pr = PurchaseRequest.objects.create(**{**values, **fields})
    for description, qty, price in lines:
        PurchaseRequestLine.objects.create(
            purchase_request=pr, description=description, quantity=Decimal(qty), unit_price=Decimal(price),
            currency=pr.currency,
        )  # fmt: skip
    return pr


def order(*, lines: tuple[tuple[str, str, str], ...] = (("Thing", "2", "100.00"),), **fields: Any):
    values = {"order_date": today(), "currency": "EUR"}
    if "vendor" not in fields:
        values["vendor"] = vendor()
    po = PurchaseOrder.objects.create(**{**values, **fields})
    for description, qty, price in lines:
        PurchaseOrderLine.objects.create(
            purchase_order=po, description=description, quantity=Decimal(qty), unit_price=Decimal(price)
        )
    return po
