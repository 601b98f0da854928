from __future__ import annotations

from steward.cmdb import filtersets, forms, tables
from steward.core.views import ObjectViews, Panel


class CIClassViews(ObjectViews):
    filterset = filtersets.CIClassFilterSet
    form = forms.CIClassForm
    table = tables.CIClassTable
    select_related = ("parent",)
    panels = (
        Panel("Class", ("name", "slug", "parent", "abstract", "builtin", "icon"), markdown=("description",)),
        Panel("Attributes", ("attribute_schema",)),
    )


class RelationshipTypeViews(ObjectViews):
    filterset = filtersets.RelationshipTypeFilterSet
    form = forms.RelationshipTypeForm
    table = tables.RelationshipTypeTable
    panels = (
        Panel("Relationship type", ("name", "reverse_name", "slug", "builtin"), markdown=("description",)),
    )


class ManufacturerViews(ObjectViews):
    filterset = filtersets.ManufacturerFilterSet
    form = forms.ManufacturerForm
    table = tables.ManufacturerTable
    panels = (Panel("Manufacturer", ("name", "slug", "website"), markdown=("description",)),)


class DeviceModelViews(ObjectViews):
    filterset = filtersets.DeviceModelFilterSet
    form = forms.DeviceModelForm
    table = tables.DeviceModelTable
    select_related = ("manufacturer", "ci_class")
    panels = (
        Panel("Model", ("manufacturer", "name", "slug", "part_number", "ci_class", "end_of_sale")),
        Panel("Physical", ("u_height", "is_full_depth", "airflow")),
        Panel("Ports", ("interface_count", "power_port_count", "console_port_count", "power_outlet_count")),
    )


class ConfigurationItemViews(ObjectViews):
    filterset = filtersets.ConfigurationItemFilterSet
    form = forms.ConfigurationItemForm
    table = tables.ConfigurationItemTable
    select_related = (
        "ci_class",
        "owner",
        "support_team",
        "location",
        "manufacturer",
        "device_model__manufacturer",
    )
    panels = (
        Panel(
            "Configuration item",
            ("name", "ci_class", "status", "environment", "criticality"),
            markdown=("description",),
        ),
        Panel("Responsibility", ("owner", "support_team", "location")),
        Panel("Asset", ("manufacturer", "device_model", "serial_number", "asset_tag")),
        Panel(
            "Money and lifecycle",
            ("purchase_date", "purchase_cost", "currency", "warranty_end", "end_of_life", "end_of_support"),
        ),
        Panel("Attributes", ("attributes",)),
    )


class RelationshipViews(ObjectViews):
    filterset = filtersets.RelationshipFilterSet
    form = forms.RelationshipForm
    table = tables.RelationshipTable
    select_related = ("source", "target", "type")
    panels = (Panel("Relationship", ("source", "type", "target", "description")),)
