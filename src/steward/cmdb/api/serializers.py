from __future__ import annotations

from rest_framework import serializers

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
from steward.core.api.serializers import StewardModelSerializer

COMMON = ("id", "url", "display", "tags", "custom_fields", "created", "last_updated")


class CIClassSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = CIClass
        fields = (
            *COMMON,
            "name",
            "slug",
            "parent",
            "abstract",
            "icon",
            "attribute_schema",
            "builtin",
            "description",
        )
        brief_fields = ("id", "url", "display", "slug")


class RelationshipTypeSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = RelationshipType
        fields = (*COMMON, "name", "reverse_name", "slug", "builtin", "description")
        brief_fields = ("id", "url", "display", "slug")


class ManufacturerSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Manufacturer
        fields = (*COMMON, "name", "slug", "website", "description")
        brief_fields = ("id", "url", "display", "slug")


class DeviceModelSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = DeviceModel
        fields = (
            *COMMON,
            "manufacturer",
            "name",
            "slug",
            "part_number",
            "ci_class",
            "u_height",
            "is_full_depth",
            "airflow",
            "interface_count",
            "power_port_count",
            "console_port_count",
            "power_outlet_count",
            "end_of_sale",
            "description",
        )
        brief_fields = ("id", "url", "display", "slug")


class ConfigurationItemSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = ConfigurationItem
        fields = (
            *COMMON,
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
            "purchase_date",
            "purchase_cost",
            "currency",
            "warranty_end",
            "end_of_life",
            "end_of_support",
            "attributes",
            "description",
        )
        brief_fields = ("id", "url", "display", "reference")


class RelationshipSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Relationship
        fields = (*COMMON, "source", "type", "target", "description")
        brief_fields = ("id", "url", "display")


class SoftwareProductSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = SoftwareProduct
        fields = (*COMMON, "ecosystem", "vendor", "name", "purl", "manufacturer", "description")
        brief_fields = ("id", "url", "display", "ecosystem", "name")


class SoftwareInstallationSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = SoftwareInstallation
        fields = (
            *COMMON,
            "configuration_item",
            "product",
            "version",
            "architecture",
            "source",
            "first_seen",
            "last_seen",
        )
        brief_fields = ("id", "url", "display", "version")


class ImpactHitSerializer(serializers.Serializer):
    """One item reached by impact analysis."""

    id = serializers.IntegerField(source="item.pk")
    reference = serializers.CharField(source="item.reference")
    name = serializers.CharField(source="item.name")
    ci_class = serializers.CharField(source="item.ci_class.slug")
    status = serializers.CharField(source="item.status")
    criticality = serializers.CharField(source="item.criticality")
    depth = serializers.IntegerField()
    direction = serializers.CharField()
    path = serializers.ListField(child=serializers.IntegerField(allow_null=True))


class DeviceTypeImportSerializer(serializers.Serializer):
    """Input and result of a device-type library import."""

    files = serializers.ListField(child=serializers.FileField(), write_only=True)
    created = serializers.IntegerField(read_only=True)
    updated = serializers.IntegerField(read_only=True)
    unchanged = serializers.IntegerField(read_only=True)
    manufacturers_created = serializers.IntegerField(read_only=True)
