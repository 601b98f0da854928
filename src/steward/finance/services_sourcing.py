"""Domain operations of sourcing: contract renewals, licence positions, purchasing and invoice matching.

Every function is keyword-only and atomic; the actor is explicit. Events go out through
``core.events.emit``, which defers them to the commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core import events
from steward.core.workflow import transition
from steward.finance.choices_sourcing import LicenceMetric, LicencePosition, NoticeKind
from steward.finance.models import (
    Contract,
    ContractNotice,
    ContractRenewal,
    Invoice,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequest,
    SoftwareLicence,
)
from steward.finance.models.sourcing import add_months

AUTOMATION_USERNAME = "steward-finance-automation"
#: Lifecycle statuses of an item whose installations no longer need a licence.
UNLICENSED_STATUSES = ("retired", "disposed")


# --- who acts ---------------------------------------------------------------------------------
def automation_actor() -> Any:
    """The account the renewal job acts as: it cannot sign in and may only view and change contracts."""
    from django.contrib.contenttypes.models import ContentType

    from steward.core.models import ObjectPermission

    User = get_user_model()
    user, created = User.objects.get_or_create(username=AUTOMATION_USERNAME, defaults={"is_active": True})
    if created:
        user.set_unusable_password()
        user.save()
        perm, _created = ObjectPermission.objects.get_or_create(
            name="Finance automation", defaults={"actions": ["view", "change"]}
        )
        perm.object_types.set([ContentType.objects.get_for_model(Contract)])
        perm.users.add(user)
        user = User.objects.get(pk=user.pk)
    return user


def _emit(name: str, contract: Contract, **data: Any) -> None:
    events.emit(
        events.Event(
            name=name,
            model="finance.contract",
            object_id=contract.pk,
            object_repr=str(contract)[:200],
            object_url=contract.get_absolute_url(),
            data={
                "reference": contract.reference,
                "vendor": contract.vendor_id,
                "owner": contract.owner_id,
                "end_date": contract.end_date.isoformat(),
                "notice_deadline": contract.notice_deadline.isoformat(),
                "auto_renew": contract.auto_renew,
                **data,
            },
        )
    )


# --- contracts --------------------------------------------------------------------------------
def renew_contract(
    *, contract: Contract, actor: Any, months: int | None = None, value: Decimal | None = None,
    automatic: bool = False, today: dt.date | None = None, note: str = "",
) -> ContractRenewal:  # fmt: skip
    """Move the contract's end by ``months`` (its renewal term by default) and record the renewal.

    An expiring or expired contract becomes active again. Raises ``ValidationError`` naming the
    field when no term is known or the contract was terminated.
    """
    today = today or timezone.localdate()
    months = months or contract.renewal_months
    if not months or months < 1:
        raise ValidationError({"renewal_months": _("Give the renewal term in months.")})
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        if locked.state in ("terminated", "draft"):
            raise ValidationError(
                {
                    "state": _("A %(state)s contract cannot be renewed.")
                    % {"state": locked.workflow_state.label}
                }
            )
        previous = locked.end_date
        new_end = add_months(previous, months)
        while not automatic and new_end <= today:
            new_end = add_months(new_end, months)
        Contract.objects.filter(pk=locked.pk).update(
            end_date=new_end, **({"value": value} if value is not None else {})
        )
        locked.refresh_from_db()
        renewal = ContractRenewal(
            contract=locked, renewed_on=today, previous_end=previous, new_end=new_end, automatic=automatic,
            value=value, note=note,
        )  # fmt: skip
        renewal.full_clean()
        renewal.save()
        if locked.state in ("expiring", "expired") and new_end > timezone.localdate():
            transition(
                obj=locked, name="renew", actor=actor, comment=_("Renewed until %(d)s") % {"d": new_end}
            )
        _emit(
            "finance.contract.renewed", locked, previous_end=previous.isoformat(), automatic=automatic,
            renewal=renewal.pk,
        )  # fmt: skip
    contract.refresh_from_db()
    return renewal


@dataclass
class RenewalRun:
    """What one run of the renewal job did (contract references)."""

    notices: list[str] = field(default_factory=list)
    renewed: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)


def process_contract_dates(*, today: dt.date | None = None, actor: Any = None) -> RenewalRun:
    """The daily renewal job: notice deadlines, automatic renewals and expiries, each at most once.

    Idempotent: a ``ContractNotice`` row per (contract, kind, end date) records what was announced,
    so running it twice a day, or every day, raises nothing new. A renewed contract has a new end
    date and is announced again when its next deadline comes.
    """
    today = today or timezone.localdate()
    actor = actor or automation_actor()
    run = RenewalRun()
    live = Contract.objects.filter(state__in=("active", "expiring")).select_related("vendor")

    announced = ContractNotice.objects.filter(
        contract=OuterRef("pk"), kind=NoticeKind.NOTICE, end_date=OuterRef("end_date")
    )
    due = [c for c in live.filter(end_date__gte=today).annotate(done=Exists(announced)) if not c.done]
    for contract in due:
        if contract.notice_deadline > today:
            continue
        with transaction.atomic():
            _notice, created = ContractNotice.objects.get_or_create(
                contract=contract, kind=NoticeKind.NOTICE, end_date=contract.end_date
            )
            if not created:
                continue
            _emit("finance.contract.notice_deadline", contract, days_left=(contract.end_date - today).days)
            if contract.state == "active" and contract.end_date > today:
                transition(
                    obj=contract, name="flag_expiring", actor=actor, comment=_("Notice deadline reached")
                )
        run.notices.append(contract.reference)

    for contract in live.filter(end_date__lte=today):
        if contract.auto_renew and contract.renewal_months:
            with transaction.atomic():
                while contract.end_date <= today:
                    renew_contract(contract=contract, actor=actor, automatic=True, today=today)
            run.renewed.append(contract.reference)
        else:
            with transaction.atomic():
                _notice, created = ContractNotice.objects.get_or_create(
                    contract=contract, kind=NoticeKind.EXPIRY, end_date=contract.end_date
                )
                if created:
                    _emit("finance.contract.expired", contract, days_left=0)
                    run.expired.append(contract.reference)
                if contract.end_date < today:
                    transition(obj=contract, name="expire", actor=actor, comment=_("End date passed"))
    return run


def contracts_expiring(*, contracts: Any, today: dt.date | None = None, days: int = 90) -> Any:
    """Live contracts ending within ``days`` of today, soonest first."""
    today = today or timezone.localdate()
    return contracts.filter(
        state__in=("active", "expiring"), end_date__gte=today, end_date__lte=today + dt.timedelta(days=days)
    ).order_by("end_date", "reference")


# --- licence positions ------------------------------------------------------------------------
@dataclass
class Position:
    """Entitlements of one product and metric against its measured use."""

    product_id: int
    product: str
    metric: str
    purchased: int
    used: int
    devices: int
    cores: int
    users: int
    devices_without_cores: int
    licences: int

    @property
    def delta(self) -> int:
        """Purchased minus used: positive is spare, negative is a shortfall."""
        return self.purchased - self.used

    @property
    def status(self) -> str:
        if self.used > self.purchased:
            return LicencePosition.UNDER
        if self.used < self.purchased:
            return LicencePosition.OVER
        return LicencePosition.COMPLIANT

    def as_dict(self) -> dict[str, Any]:
        return {
            "product": self.product_id, "product_name": self.product, "metric": self.metric,
            "purchased": self.purchased, "used": self.used, "delta": self.delta, "status": self.status,
            "devices": self.devices, "cores": self.cores, "users": self.users,
            "devices_without_cores": self.devices_without_cores, "licences": self.licences,
        }  # fmt: skip


def _cores() -> Any:
    """Cores of an installation's item from its hardware facts: ``cpu_count``, else ``vcpus``."""
    facts = "configuration_item__attributes"
    return Coalesce(
        Cast(KeyTextTransform("cpu_count", facts), IntegerField()),
        Cast(KeyTextTransform("vcpus", facts), IntegerField()),
    )


def usage_by_product(*, product_ids: Any) -> dict[int, dict[str, int]]:
    """Devices, cores, distinct users (item owners) and items without a core count, per product.

    One grouped query: an item with several versions of a product counts once — only its first
    installation row of that product is kept (NOT EXISTS an earlier one), so sums are not doubled.
    """
    from django.apps import apps

    Installation = apps.get_model("cmdb", "SoftwareInstallation")
    earlier = Installation.objects.filter(
        configuration_item=OuterRef("configuration_item"), product=OuterRef("product"), pk__lt=OuterRef("pk")
    )
    rows = (
        Installation.objects.filter(product__in=product_ids)
        .exclude(configuration_item__status__in=UNLICENSED_STATUSES)
        .filter(~Exists(earlier))
        .annotate(cores=_cores())
        .values("product_id")
        .annotate(
            devices=Count("configuration_item_id"),
            cores_total=Coalesce(Sum("cores"), 0),
            users=Count("configuration_item__owner_id", distinct=True),
            without_cores=Count("pk", filter=Q(cores__isnull=True)),
        )
        .order_by()
    )
    return {
        r["product_id"]: {
            "devices": r["devices"], "cores": r["cores_total"], "users": r["users"], "without": r["without_cores"]
        }
        for r in rows
    }  # fmt: skip


def licence_positions(*, licences: Any = None, today: dt.date | None = None) -> list[Position]:
    """Compliance position per product and metric: purchased (unexpired licences) against real use.

    Two aggregate queries whatever the number of licences and installations: licences grouped by
    product and metric, and installations grouped by product (``usage_by_product``). Per device
    compares with devices, per core with the cores of those devices, per user and subscription
    with the distinct owners of those devices.
    """
    today = today or timezone.localdate()
    licences = SoftwareLicence.objects.all() if licences is None else licences
    pools = list(
        licences.filter(Q(expiry__isnull=True) | Q(expiry__gte=today))
        .values("product_id", "product__name", "metric")
        .annotate(purchased=Sum("quantity"), n=Count("pk"))
        .order_by("product__name", "metric")
    )
    usage = usage_by_product(product_ids={p["product_id"] for p in pools})
    positions = []
    for pool in pools:
        use = usage.get(pool["product_id"], {"devices": 0, "cores": 0, "users": 0, "without": 0})
        used = {
            LicenceMetric.DEVICE: use["devices"],
            LicenceMetric.CORE: use["cores"],
            LicenceMetric.USER: use["users"],
            LicenceMetric.SUBSCRIPTION: use["users"],
        }[pool["metric"]]
        positions.append(
            Position(
                product_id=pool["product_id"], product=pool["product__name"], metric=pool["metric"],
                purchased=int(pool["purchased"] or 0), used=int(used), devices=use["devices"], cores=use["cores"],
                users=use["users"], devices_without_cores=use["without"], licences=pool["n"],
            )
        )  # fmt: skip
    return positions


# --- purchasing -------------------------------------------------------------------------------
def create_purchase_order(
    *, purchase_request: PurchaseRequest, actor: Any, vendor: Any = None, order_date: dt.date | None = None,
    expected_date: dt.date | None = None,
) -> PurchaseOrder:  # fmt: skip
    """Turn an approved request into a purchase order with the same lines; the request becomes ordered."""
    with transaction.atomic():
        request = PurchaseRequest.objects.select_for_update().get(pk=purchase_request.pk)
        if request.state != "approved":
            raise ValidationError(
                {"purchase_request": _("Request %(ref)s is %(state)s; only an approved request can be ordered.")
                 % {"ref": request.reference, "state": request.workflow_state.label.lower()}}
            )  # fmt: skip
        vendor = vendor or request.vendor
        if vendor is None:
            raise ValidationError({"vendor": _("Choose the vendor to order from.")})
        order = PurchaseOrder(
            vendor=vendor, purchase_request=request, currency=request.currency,
            order_date=order_date or timezone.localdate(), expected_date=expected_date or request.needed_by,
        )  # fmt: skip
        order.full_clean()
        order.save()
        lines = [
            PurchaseOrderLine(
                purchase_order=order,
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                ci_class_id=line.ci_class_id,
            )  # fmt: skip
            for line in request.lines.all()
        ]
        PurchaseOrderLine.objects.bulk_create(lines)
        transition(obj=request, name="order", actor=actor, comment=order.reference)
    purchase_request.refresh_from_db()
    return order


def receive_purchase_order(
    *, order: PurchaseOrder, actor: Any, quantities: dict[int, Decimal], create_items: bool = False
) -> list[Any]:
    """Book received quantities per line (line id → quantity) and move the order on.

    With ``create_items``, each whole unit received on a line with a hardware class becomes a
    configuration item (status in stock, purchase date, cost and manufacturer filled), linked to
    the line. Returns the created items. All or nothing: a bad line changes nothing.
    """
    from django.apps import apps

    Item = apps.get_model("cmdb", "ConfigurationItem")
    created: list[Any] = []
    with transaction.atomic():
        locked = (
            PurchaseOrder.objects.select_for_update(of=("self",)).select_related("vendor").get(pk=order.pk)
        )
        if locked.state not in ("ordered", "partially_received"):
            raise ValidationError(
                {"purchase_order": _("%(po)s is %(state)s; nothing more can be received.")
                 % {"po": locked.reference, "state": locked.workflow_state.label.lower()}}
            )  # fmt: skip
        lines = {
            line.pk: line for line in locked.lines.select_for_update(of=("self",)).select_related("ci_class")
        }
        errors: dict[str, str] = {}
        for line_id, qty in quantities.items():
            line = lines.get(int(line_id))
            key = f"lines.{line_id}"
            if line is None:
                errors[key] = _("Line %(id)s is not a line of %(po)s.") % {
                    "id": line_id,
                    "po": locked.reference,
                }
                continue
            try:
                qty = Decimal(str(qty))
            except ArithmeticError:
                errors[key] = _("Give a number.")
                continue
            if qty <= 0:
                errors[key] = _("Give a quantity above zero.")
            elif qty > line.outstanding:
                errors[key] = _("Only %(n)s of “%(line)s” are outstanding.") % {
                    "n": line.outstanding.normalize(),
                    "line": line.description,
                }
        if not quantities:
            errors["lines"] = _("Give the received quantity of at least one line.")
        if errors:
            raise ValidationError(errors)
        for line_id, qty in quantities.items():
            line = lines[int(line_id)]
            qty = Decimal(str(qty))
            before = int(line.quantity_received)
            line.quantity_received += qty
            line.save(update_fields=["quantity_received", "last_updated"])
            if create_items and line.ci_class_id:
                for n in range(before + 1, int(line.quantity_received) + 1):
                    item = Item(
                        name=f"{line.description} ({locked.reference}-{n})"[:200], ci_class=line.ci_class,
                        status="in_stock", purchase_date=timezone.localdate(), purchase_cost=line.unit_price,
                        currency=locked.currency, manufacturer=locked.vendor.manufacturer,
                    )  # fmt: skip
                    try:
                        item.full_clean()
                    except ValidationError as exc:
                        raise ValidationError(
                            {f"lines.{line.pk}": _("“%(line)s” cannot become a %(cls)s item: %(why)s") % {
                                "line": line.description, "cls": line.ci_class, "why": " ".join(exc.messages),
                            }}
                        ) from exc  # fmt: skip
                    item.save()
                    line.configuration_items.add(item)
                    created.append(item)
        every = all(line.quantity_received >= line.quantity for line in lines.values())
        if every:
            transition(obj=locked, name="receive_all", actor=actor)
        elif locked.state == "ordered":
            transition(obj=locked, name="receive_part", actor=actor)
    order.refresh_from_db()
    return created


def record_invoice(*, actor: Any, **values: Any) -> Invoice:
    """Book a vendor's invoice, matched against its purchase order under a lock.

    The order row is locked while the remaining amount is checked, so two invoices booked at the
    same time cannot together exceed the order. Errors name the field (and the order).
    """
    with transaction.atomic():
        order = values.get("purchase_order")
        if order is not None:
            values["purchase_order"] = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
        invoice = Invoice(**values)
        invoice.full_clean()
        invoice.save()
    return invoice
