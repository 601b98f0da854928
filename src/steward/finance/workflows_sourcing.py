"""Workflows of contracts, purchase requests, purchase orders and invoices, declared as data.

Purchase requests are approved through an approver policy on the engine (ADR 0019): at or
below ``FINANCE_PURCHASE_APPROVAL_THRESHOLD`` a purchase approver or a finance approver may
decide; above it only a finance approver. Nobody approves their own request.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from steward.core import workflow as wf
from steward.core.permissions import perm_name

PURCHASE_APPROVERS = "Purchase approvers"
FINANCE_APPROVERS = "Finance approvers"

CONTRACT = {
    "states": [
        {"name": "draft", "label": "Draft", "colour": "secondary"},
        {"name": "active", "label": "Active", "colour": "green"},
        {"name": "expiring", "label": "Expiring", "colour": "orange"},
        {"name": "expired", "label": "Expired", "colour": "red"},
        {"name": "terminated", "label": "Terminated", "colour": "dark"},
    ],
    "initial": "draft",
    "terminal": ["terminated"],
    "transitions": [
        {"name": "activate", "label": "Activate", "from": ["draft"], "to": "active", "colour": "green",
         "required_fields": ["owner"]},
        {"name": "flag_expiring", "label": "Notice deadline reached", "from": ["active"], "to": "expiring",
         "colour": "orange"},
        {"name": "expire", "label": "Expire", "from": ["active", "expiring"], "to": "expired", "colour": "red",
         "guards": ["finance.contract_ended"]},
        {"name": "renew", "label": "Renewed", "from": ["expiring", "expired"], "to": "active", "colour": "green",
         "guards": ["finance.contract_runs_on"]},
        {"name": "terminate", "label": "Terminate", "from": ["draft", "active", "expiring"], "to": "terminated",
         "colour": "dark"},
    ],
}  # fmt: skip

PURCHASE_REQUEST = {
    "states": [
        {"name": "draft", "label": "Draft", "colour": "secondary"},
        {"name": "submitted", "label": "Submitted", "colour": "blue"},
        {"name": "approved", "label": "Approved", "colour": "green"},
        {"name": "rejected", "label": "Rejected", "colour": "red"},
        {"name": "ordered", "label": "Ordered", "colour": "teal"},
        {"name": "cancelled", "label": "Cancelled", "colour": "dark"},
    ],
    "initial": "draft",
    "terminal": ["ordered", "cancelled"],
    "transitions": [
        {"name": "submit", "label": "Submit", "from": ["draft"], "to": "submitted",
         "guards": ["finance.request_has_lines"]},
        {"name": "approve", "label": "Approve", "from": ["submitted"], "to": "approved", "colour": "green",
         "approvers": "finance.purchase_amount", "fields": ["decision_note"]},
        {"name": "reject", "label": "Reject", "from": ["submitted"], "to": "rejected", "colour": "red",
         "approvers": "finance.purchase_amount", "required_fields": ["decision_note"]},
        {"name": "revise", "label": "Back to draft", "from": ["rejected", "submitted"], "to": "draft"},
        {"name": "order", "label": "Ordered", "from": ["approved"], "to": "ordered", "colour": "teal",
         "guards": ["finance.request_has_order"]},
        {"name": "cancel", "label": "Cancel", "from": ["draft", "submitted", "approved", "rejected"],
         "to": "cancelled"},
    ],
}  # fmt: skip

PURCHASE_ORDER = {
    "states": [
        {"name": "ordered", "label": "Ordered", "colour": "blue"},
        {"name": "partially_received", "label": "Partially received", "colour": "orange"},
        {"name": "received", "label": "Received", "colour": "green"},
        {"name": "closed", "label": "Closed", "colour": "dark"},
        {"name": "cancelled", "label": "Cancelled", "colour": "secondary"},
    ],
    "initial": "ordered",
    "terminal": ["closed", "cancelled"],
    "transitions": [
        {"name": "receive_part", "label": "Partially received", "from": ["ordered"], "to": "partially_received",
         "guards": ["finance.order_partly_received"]},
        {"name": "receive_all", "label": "Received", "from": ["ordered", "partially_received"], "to": "received",
         "guards": ["finance.order_fully_received"], "colour": "green"},
        {"name": "close", "label": "Close", "from": ["received"], "to": "closed"},
        {"name": "cancel", "label": "Cancel", "from": ["ordered"], "to": "cancelled",
         "guards": ["finance.order_nothing_received"]},
    ],
}  # fmt: skip

INVOICE = {
    "states": [
        {"name": "received", "label": "Received", "colour": "blue"},
        {"name": "approved", "label": "Approved", "colour": "cyan"},
        {"name": "paid", "label": "Paid", "colour": "green"},
        {"name": "rejected", "label": "Rejected", "colour": "red"},
    ],
    "initial": "received",
    "terminal": ["paid", "rejected"],
    "transitions": [
        {"name": "approve", "label": "Approve for payment", "from": ["received"], "to": "approved",
         "colour": "green"},
        {"name": "pay", "label": "Mark paid", "from": ["approved"], "to": "paid", "required_fields": ["paid_on"]},
        {"name": "reject", "label": "Reject", "from": ["received", "approved"], "to": "rejected", "colour": "red",
         "required_fields": ["notes"]},
    ],
}  # fmt: skip


# --- guards -----------------------------------------------------------------------------------
def contract_ended(*, obj: Any, actor: Any) -> bool | str:
    return obj.end_date < timezone.localdate() or "The contract has not reached its end date yet."


def contract_runs_on(*, obj: Any, actor: Any) -> bool | str:
    return obj.end_date > timezone.localdate() or "Move the end date forward (renew the contract) first."


def request_has_lines(*, obj: Any, actor: Any) -> bool | str:
    return obj.lines.exists() or "Add at least one line before submitting."


def request_has_order(*, obj: Any, actor: Any) -> bool | str:
    return obj.purchase_orders.exists() or "Create the purchase order from the request."


def _received(order: Any) -> tuple[bool, bool]:
    """(anything received, everything received) of an order's lines."""
    lines = list(order.lines.values_list("quantity", "quantity_received"))
    return any(r > 0 for _q, r in lines), bool(lines) and all(r >= q for q, r in lines)


def order_partly_received(*, obj: Any, actor: Any) -> bool | str:
    some, every = _received(obj)
    return (
        some and not every
    ) or "Only an order with some, but not all, lines received is partially received."


def order_fully_received(*, obj: Any, actor: Any) -> bool | str:
    return _received(obj)[1] or "Not every line has been received."


def order_nothing_received(*, obj: Any, actor: Any) -> bool | str:
    return not _received(obj)[0] or "Goods have been received; close the order instead."


class PurchaseAmountPolicy(wf.ApproverPolicy):
    """Approval by one approver whose role depends on the request's total (single-step, by threshold)."""

    def roles_for(self, obj: Any) -> tuple[str, ...]:
        threshold = Decimal(settings.FINANCE_PURCHASE_APPROVAL_THRESHOLD)
        return (PURCHASE_APPROVERS, FINANCE_APPROVERS) if obj.total <= threshold else (FINANCE_APPROVERS,)

    def may_act(self, *, obj: models.Model, actor: Any, transition: wf.Transition) -> bool:
        if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
            return False
        requester = getattr(obj, "requester", None)
        if requester is not None and requester.user_id == actor.pk:
            return False
        if not actor.has_perm(perm_name(type(obj), "change"), obj):
            return False
        if actor.is_superuser:
            return True
        return actor.groups.filter(name__in=self.roles_for(obj)).exists()


def register() -> None:
    """Register guards, the approver policy and the four workflows (called from ``register_sourcing``)."""
    from steward.finance.models import Contract, Invoice, PurchaseOrder, PurchaseRequest

    for name, fn in (
        ("finance.contract_ended", contract_ended),
        ("finance.contract_runs_on", contract_runs_on),
        ("finance.request_has_lines", request_has_lines),
        ("finance.request_has_order", request_has_order),
        ("finance.order_partly_received", order_partly_received),
        ("finance.order_fully_received", order_fully_received),
        ("finance.order_nothing_received", order_nothing_received),
    ):
        wf.register_guard(name)(fn)
    wf.register_approvers("finance.purchase_amount", PurchaseAmountPolicy())
    wf.register_workflow("finance.contract", CONTRACT, model=Contract)
    wf.register_workflow("finance.purchase_request", PURCHASE_REQUEST, model=PurchaseRequest)
    wf.register_workflow("finance.purchase_order", PURCHASE_ORDER, model=PurchaseOrder)
    wf.register_workflow("finance.invoice", INVOICE, model=Invoice)
