from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmdbConfig(AppConfig):
    name = "steward.cmdb"
    label = "cmdb"
    verbose_name = _("Configuration management")

    def ready(self) -> None:
        from steward.cmdb import dashboard, demo, views
        from steward.cmdb.api import views as api
        from steward.cmdb.models import (
            CIClass,
            ConfigurationItem,
            DeviceModel,
            Manufacturer,
            Relationship,
            RelationshipType,
            SoftwareInstallation,
            SoftwareProduct,
        )
        from steward.core.dashboards import register_widget
        from steward.core.registry import MenuItem, registry

        registry.demo_loaders.append((20, demo.load))
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
        ):
            registry.register(model, views=view, viewset=viewset, menu=(group, label), icon=icon)
        registry.menu_group(group).items.append(
            MenuItem(
                "Import device types",
                "cmdb:devicemodel_import_device_types",
                "cmdb.add_devicemodel",
                "upload",
            )
        )
