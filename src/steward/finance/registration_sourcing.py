"""Registers vendors, contracts, licences and purchasing (called from ``FinanceConfig.ready``).

Kept apart from the ledger's registration so each area's wiring reads in one place.
"""

from __future__ import annotations


def register_sourcing() -> None:
    from steward.core.dashboards import register_widget
    from steward.core.registry import MenuItem, registry
    from steward.finance import (  # noqa: F401 - the jobs module registers its periodic job
        dashboard_sourcing,
        demo_sourcing,
        events_sourcing,
        jobs_sourcing,
        search_sourcing,
        workflows_sourcing,
    )
    from steward.finance import views_sourcing as views
    from steward.finance.api import views_sourcing as api
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

    workflows_sourcing.register()
    registry.register_event_types(events_sourcing.EVENT_TYPES)
    registry.demo_loaders.append((45, demo_sourcing.load))
    for widget in dashboard_sourcing.WIDGETS:
        register_widget(widget)
    group = "Sourcing"
    registry.menu_group(group, icon="building-store", weight=7)
    for model, view, viewset, menu, icon, spec in (
        (Vendor, views.VendorViews, api.VendorViewSet, (group, "Vendors"), "building-store", search_sourcing.VENDOR),
        (Contract, views.ContractViews, api.ContractViewSet, (group, "Contracts"), "file-certificate",
         search_sourcing.CONTRACT),
        (SoftwareLicence, views.SoftwareLicenceViews, api.SoftwareLicenceViewSet, (group, "Software licences"),
         "license", None),
        (PurchaseRequest, views.PurchaseRequestViews, api.PurchaseRequestViewSet, (group, "Purchase requests"),
         "shopping-cart-plus", search_sourcing.PURCHASE_REQUEST),
        (PurchaseOrder, views.PurchaseOrderViews, api.PurchaseOrderViewSet, (group, "Purchase orders"),
         "shopping-cart", search_sourcing.PURCHASE_ORDER),
        (Invoice, views.InvoiceViews, api.InvoiceViewSet, (group, "Invoices"), "receipt", search_sourcing.INVOICE),
        (ContractRenewal, views.ContractRenewalViews, api.ContractRenewalViewSet, None, "refresh", None),
        (PurchaseRequestLine, views.PurchaseRequestLineViews, api.PurchaseRequestLineViewSet, None, "list", None),
        (PurchaseOrderLine, views.PurchaseOrderLineViews, api.PurchaseOrderLineViewSet, None, "list", None),
    ):  # fmt: skip
        registry.register(model, views=view, viewset=viewset, menu=menu, icon=icon, search=spec)
    registry.menu_group(group).items.append(
        MenuItem(
            "Licence positions", "finance:softwarelicence_positions", "finance.view_softwarelicence", "scale"
        )
    )
