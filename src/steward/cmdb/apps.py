from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmdbConfig(AppConfig):
    name = "steward.cmdb"
    label = "cmdb"
    verbose_name = _("Configuration management")

    def ready(self) -> None:
        from steward.cmdb import (  # noqa: F401 - jobs register themselves
            dashboard,
            demo,
            demo_discovery,
            events,
            jobs,
            search,
            services,
            views,
            workflows,
        )
        from steward.cmdb.api import views as api
        from steward.cmdb.models import (
            CapacityThreshold,
            CIClass,
            ConfigurationItem,
            DeviceModel,
            Drift,
            Manufacturer,
            NetworkInterface,
            Relationship,
            RelationshipType,
            SoftwareInstallation,
            SoftwareProduct,
        )
        from steward.core.dashboards import register_widget
        from steward.core.registry import MenuItem, registry
        from steward.core.workflow import register_side_effect, register_workflow

        registry.register_event_types(events.EVENT_TYPES)
        registry.demo_loaders.append((20, demo.load))
        registry.demo_loaders.append((21, demo_discovery.load))

        registry.demo_loaders.append((21, demo.load_capacity))
        for widget in dashboard.WIDGETS:
            register_widget(widget)
        group = "Configuration"
        registry.menu_group(group, icon="server-2", weight=30)
        for model, view, viewset, label, icon in (
            (
                ConfigurationItem,
                views.ConfigurationItemViews,
                api.ConfigurationItemViewSet,
                "Items",
                "server",
            ),
            (
                Relationship,
                views.RelationshipViews,
                api.RelationshipViewSet,
                "Relationships",
                "arrows-right-left",
            ),
            (CIClass, views.CIClassViews, api.CIClassViewSet, "Classes", "hierarchy"),
            (
                RelationshipType,
                views.RelationshipTypeViews,
                api.RelationshipTypeViewSet,
                "Relationship types",
                "arrow-guide",
            ),
            (
                Manufacturer,
                views.ManufacturerViews,
                api.ManufacturerViewSet,
                "Manufacturers",
                "building-factory",
            ),
            (DeviceModel, views.DeviceModelViews, api.DeviceModelViewSet, "Device models", "cpu-2"),
            (
                SoftwareProduct,
                views.SoftwareProductViews,
                api.SoftwareProductViewSet,
                "Software products",
                "package",
            ),
            (
                SoftwareInstallation,
                views.SoftwareInstallationViews,
                api.SoftwareInstallationViewSet,
                "Software installations",
                "apps",
            ),
            (
                NetworkInterface,
                views.NetworkInterfaceViews,
                api.NetworkInterfaceViewSet,
                "Network interfaces",
                "network",
            ),
            (Drift, views.DriftViews, api.DriftViewSet, "Discovery drift", "git-compare"),
            (
                CapacityThreshold,
                views.CapacityThresholdViews,
                api.CapacityThresholdViewSet,
                "Capacity thresholds",
                "gauge",
            ),
        ):
            registry.register(
                model,
                views=view,
                viewset=viewset,
                menu=(group, label),
                icon=icon,
                search=search.CONFIGURATION_ITEM if model is ConfigurationItem else None,
            )
        register_side_effect("cmdb.apply_drift")(
            lambda *, obj, actor, **_: services.apply_drift(drift=obj, actor=actor)
        )
        register_workflow("cmdb.drift", workflows.DRIFT, model=Drift)
        registry.token_scopes["discovery"] = "post discovery agent payloads and scan files"
        registry.menu_group(group).items.append(
            MenuItem(
                "Import discovery scan",
                "cmdb:configurationitem_import_discovery",
                "cmdb.add_configurationitem",
                "radar",
            )
        )
        registry.menu_group(group).items.append(
            MenuItem(
                "Import device types",
                "cmdb:devicemodel_import_device_types",
                "cmdb.add_devicemodel",
                "upload",
            )
        )
        registry.menu_group(group).items.append(
            MenuItem(
                "Capacity report",
                "cmdb:configurationitem_capacity_report",
                "cmdb.view_configurationitem",
                "chart-line",
            )
        )
        registry.menu_group(group).items.append(
            MenuItem(
                "Bulk import (CSV)",
                "cmdb:configurationitem_bulk_import",
                "cmdb.change_configurationitem",
                "file-import",
            )
        )
        registry.menu_group(group).items.append(
            MenuItem(
                "Lifecycle report",
                "cmdb:configurationitem_lifecycle_report",
                "cmdb.view_configurationitem",
                "calendar-due",
            )
        )
