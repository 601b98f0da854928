from __future__ import annotations

import django_filters

from steward.cmdb.choices import (
    Airflow,
    Criticality,
    Ecosystem,
    Environment,
    InstallationSource,
    LifecycleStatus,
)
from steward.cmdb.forms import ITEMS_URL
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
from steward.core.filtersets import StewardFilterSet
from steward.core.forms import RemoteSelect


class CIClassFilterSet(StewardFilterSet):
    search_fields = ("name", "slug", "description")

    class Meta:
        model = CIClass
        fields = ("parent", "abstract", "builtin", "slug")


class RelationshipTypeFilterSet(StewardFilterSet):
    search_fields = ("name", "reverse_name", "slug")

    class Meta:
        model = RelationshipType
        fields = ("slug", "builtin")


class ManufacturerFilterSet(StewardFilterSet):
    search_fields = ("name", "slug", "description")

    class Meta:
        model = Manufacturer
        fields = ("slug",)


class DeviceModelFilterSet(StewardFilterSet):
    search_fields = ("name", "slug", "part_number")
    airflow = django_filters.MultipleChoiceFilter(choices=Airflow.choices)

    class Meta:
        model = DeviceModel
        fields = ("manufacturer", "ci_class", "airflow", "is_full_depth", "slug", "part_number")


class ConfigurationItemFilterSet(StewardFilterSet):
    search_fields = ("reference", "name", "serial_number", "asset_tag")
    status = django_filters.MultipleChoiceFilter(choices=LifecycleStatus.choices)
    environment = django_filters.MultipleChoiceFilter(choices=Environment.choices)
    criticality = django_filters.MultipleChoiceFilter(choices=Criticality.choices)
    warranty_end_before = django_filters.DateFilter(field_name="warranty_end", lookup_expr="lte")
    end_of_support_before = django_filters.DateFilter(field_name="end_of_support", lookup_expr="lte")
    device_model = django_filters.ModelMultipleChoiceFilter(
        queryset=DeviceModel.objects.select_related("manufacturer")
    )

    class Meta:
        model = ConfigurationItem
        fields = (
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
            "reference",
        )


class RelationshipFilterSet(StewardFilterSet):
    search_fields = ("source__name", "target__name", "description")
    source = django_filters.ModelChoiceFilter(
        queryset=ConfigurationItem.objects.all(), widget=RemoteSelect(ITEMS_URL)
    )
    target = django_filters.ModelChoiceFilter(
        queryset=ConfigurationItem.objects.all(), widget=RemoteSelect(ITEMS_URL)
    )
    item = django_filters.NumberFilter(method="filter_item", label="Item (either end)")

    class Meta:
        model = Relationship
        fields = ("source", "target", "type")

    def filter_item(self, queryset, name, value):  # noqa: ANN001, ANN201
        from django.db.models import Q

        return queryset.filter(Q(source_id=value) | Q(target_id=value))


class SoftwareProductFilterSet(StewardFilterSet):
    search_fields = ("name", "vendor", "purl")
    ecosystem = django_filters.MultipleChoiceFilter(choices=Ecosystem.choices)

    class Meta:
        model = SoftwareProduct
        fields = ("ecosystem", "vendor", "name", "purl", "manufacturer")


class SoftwareInstallationFilterSet(StewardFilterSet):
    search_fields = ("product__name", "version", "configuration_item__name")
    configuration_item = django_filters.ModelChoiceFilter(
        queryset=ConfigurationItem.objects.all(), widget=RemoteSelect(ITEMS_URL)
    )
    source = django_filters.MultipleChoiceFilter(choices=InstallationSource.choices)
    ecosystem = django_filters.MultipleChoiceFilter(
        field_name="product__ecosystem", choices=Ecosystem.choices
    )
    last_seen_before = django_filters.IsoDateTimeFilter(field_name="last_seen", lookup_expr="lt")

    class Meta:
        model = SoftwareInstallation
        fields = ("configuration_item", "product", "version", "source", "architecture")
