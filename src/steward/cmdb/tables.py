from __future__ import annotations

import django_tables2 as tables

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
from steward.core.tables import ChoiceBadgeColumn, RowLinkColumn, StewardTable


class CIClassTable(StewardTable):
    name = tables.Column(linkify=True)
    parent = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = CIClass
        fields = ("pk", "name", "slug", "parent", "abstract", "builtin")
        default_columns = ("name", "slug", "parent", "abstract")


class RelationshipTypeTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = RelationshipType
        fields = ("pk", "name", "reverse_name", "slug", "builtin")
        default_columns = ("name", "reverse_name", "slug")


class ManufacturerTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Manufacturer
        fields = ("pk", "name", "slug", "website")
        default_columns = ("name", "slug", "website")


class DeviceModelTable(StewardTable):
    name = tables.Column(linkify=True)
    manufacturer = tables.Column(linkify=True)
    airflow = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = DeviceModel
        fields = (
            "pk",
            "manufacturer",
            "name",
            "part_number",
            "ci_class",
            "u_height",
            "is_full_depth",
            "airflow",
            "interface_count",
            "power_port_count",
        )
        default_columns = ("manufacturer", "name", "part_number", "u_height", "interface_count")


class ConfigurationItemTable(StewardTable):
    reference = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    ci_class = tables.Column(linkify=True)
    status = ChoiceBadgeColumn()
    environment = ChoiceBadgeColumn()
    criticality = ChoiceBadgeColumn()
    location = tables.Column(linkify=True)
    support_team = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = ConfigurationItem
        fields = (
            "pk",
            "reference",
            "name",
            "ci_class",
            "status",
            "environment",
            "criticality",
            "owner",
            "support_team",
            "location",
            "manufacturer",
            "device_model",
            "serial_number",
            "asset_tag",
            "warranty_end",
            "end_of_support",
            "last_discovered",
        )
        default_columns = (
            "reference",
            "name",
            "ci_class",
            "status",
            "environment",
            "criticality",
            "location",
        )


class RelationshipTable(StewardTable):
    source = tables.Column(linkify=True)
    type = tables.Column()
    target = tables.Column(linkify=True)
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = Relationship
        fields = ("pk", "source", "type", "target", "description", "link")
        default_columns = ("source", "type", "target", "description", "link")


class SoftwareProductTable(StewardTable):
    name = tables.Column(linkify=True)
    ecosystem = ChoiceBadgeColumn()
    installation_count = tables.Column(verbose_name="Installations", orderable=True)

    class Meta(StewardTable.Meta):
        model = SoftwareProduct
        fields = ("pk", "name", "ecosystem", "vendor", "purl", "manufacturer", "installation_count")
        default_columns = ("name", "ecosystem", "vendor", "purl", "installation_count")


class SoftwareInstallationTable(StewardTable):
    configuration_item = tables.Column(linkify=True)
    product = tables.Column(linkify=True)
    source = ChoiceBadgeColumn()
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = SoftwareInstallation
        fields = (
            "pk",
            "configuration_item",
            "product",
            "version",
            "architecture",
            "source",
            "first_seen",
            "last_seen",
            "link",
        )
        default_columns = ("configuration_item", "product", "version", "source", "last_seen", "link")


class NetworkInterfaceTable(StewardTable):
    configuration_item = tables.Column(linkify=True)
    name = tables.Column(linkify=True)
    source = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = NetworkInterface
        fields = ("pk", "configuration_item", "name", "mac_address", "ip_addresses", "source")
        default_columns = ("configuration_item", "name", "mac_address", "ip_addresses", "source")


class DriftTable(StewardTable):
    configuration_item = tables.Column(linkify=True)
    field = tables.Column(linkify=True)
    state = tables.Column(verbose_name="Status")
    source = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = Drift
        fields = (
            "pk",
            "configuration_item",
            "field",
            "manual_value",
            "discovered_value",
            "state",
            "source",
            "created",
            "last_detected",
        )
        default_columns = (
            "configuration_item",
            "field",
            "manual_value",
            "discovered_value",
            "state",
            "last_detected",
        )


class CapacityThresholdTable(StewardTable):
    name = tables.Column(linkify=True)
    metric = ChoiceBadgeColumn()
    ci_class = tables.Column(linkify=True)
    configuration_item = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = CapacityThreshold
        fields = ("pk", "name", "metric", "ci_class", "configuration_item", "value", "unit")
        default_columns = ("name", "metric", "ci_class", "configuration_item", "value", "unit")
