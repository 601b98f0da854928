"""Sourcing's contributions to the home page: contracts nearing their end and licence positions."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from steward.core.dashboards import Widget
from steward.finance import services_sourcing as services
from steward.finance.choices_sourcing import LicenceMetric, LicencePosition
from steward.finance.models import Contract, SoftwareLicence

WINDOW_DAYS = 90


def contracts_expiring(user: Any) -> dict[str, Any]:
    rows = list(
        services.contracts_expiring(
            contracts=Contract.objects.restrict(user, "view").select_related("vendor"), days=WINDOW_DAYS
        )[:8]
    )
    return {
        "columns": [_("Contract"), _("Vendor"), _("Ends"), _("Renews")],
        "rows": [[str(c), c.vendor.name, c.end_date, _("yes") if c.auto_renew else _("no")] for c in rows],
        "links": [c.get_absolute_url() for c in rows],
        "url": reverse("finance:contract_list") + "?state=active&state=expiring",
    }


def licence_positions(user: Any) -> dict[str, Any]:
    positions = services.licence_positions(licences=SoftwareLicence.objects.restrict(user, "view"))
    # Shortfalls first (they are audit findings), then the largest spare counts.
    positions.sort(key=lambda p: (p.status != LicencePosition.UNDER, -abs(p.delta)))
    positions = positions[:8]
    return {
        "columns": [_("Product"), _("Metric"), _("Purchased"), _("Used"), _("Position")],
        "rows": [
            [p.product, LicenceMetric(p.metric).label, p.purchased, p.used, LicencePosition(p.status).label]
            for p in positions
        ],
        "links": [reverse("finance:softwarelicence_list") + f"?product={p.product_id}" for p in positions],
        "url": reverse("finance:softwarelicence_positions"),
    }


WIDGETS = (
    Widget(
        "finance.contracts_expiring", _("Contracts ending within 90 days"), "table", contracts_expiring,
        "finance.view_contract", weight=20, width=6,
    ),
    Widget(
        "finance.licence_positions", _("Licence positions"), "table", licence_positions,
        "finance.view_softwarelicence", weight=21, width=6,
    ),
)  # fmt: skip
