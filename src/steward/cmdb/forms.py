from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.text import format_lazy

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
from steward.core.forms import RemoteSelect, StewardModelForm

#: Items are many: their selects search the API instead of listing every row.
ITEMS_URL = format_lazy("{}?brief=1", reverse_lazy("api:cmdb-configurationitem-list"))


class CIClassForm(StewardModelForm):
    class Meta:
        model = CIClass
        fields = ("name", "slug", "parent", "abstract", "icon", "attribute_schema", "description", "tags")


class RelationshipTypeForm(StewardModelForm):
    class Meta:
        model = RelationshipType
        fields = ("name", "reverse_name", "slug", "description", "tags")


class ManufacturerForm(StewardModelForm):
    class Meta:
        model = Manufacturer
        fields = ("name", "slug", "website", "description", "tags")


class DeviceModelForm(StewardModelForm):
    class Meta:
        model = DeviceModel
        fields = (
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
            "tags",
        )
        widgets = {"end_of_sale": forms.DateInput(attrs={"type": "date"})}


DATE = forms.DateInput(attrs={"type": "date"})


class ConfigurationItemForm(StewardModelForm):
    class Meta:
        model = ConfigurationItem
        fields = (
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
            "tags",
        )
        widgets = {
            "purchase_date": DATE,
            "warranty_end": DATE,
            "end_of_life": DATE,
            "end_of_support": DATE,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "device_model" in self.fields:
            self.fields["device_model"].queryset = DeviceModel.objects.select_related("manufacturer")

    def _update_errors(self, errors: Any) -> None:
        # The model names a bad attribute as "attributes.<name>"; the form has one JSON field.
        if hasattr(errors, "error_dict"):
            from django.core.exceptions import ValidationError

            remapped: dict[str, list[Any]] = {}
            for key, messages in errors.error_dict.items():
                if key.startswith("attributes."):
                    name = key.split(".", 1)[1]
                    remapped.setdefault("attributes", []).extend(
                        ValidationError(f"{name}: {m}") for e in messages for m in e.messages
                    )
                else:
                    remapped.setdefault(key, []).extend(messages)
            errors = ValidationError(remapped)
        super()._update_errors(errors)


class RelationshipForm(StewardModelForm):
    class Meta:
        model = Relationship
        fields = ("source", "type", "target", "description", "tags")
        widgets = {"source": RemoteSelect(ITEMS_URL), "target": RemoteSelect(ITEMS_URL)}


class SoftwareProductForm(StewardModelForm):
    class Meta:
        model = SoftwareProduct
        fields = ("ecosystem", "vendor", "name", "purl", "manufacturer", "description", "tags")


class SoftwareInstallationForm(StewardModelForm):
    class Meta:
        model = SoftwareInstallation
        fields = (
            "configuration_item",
            "product",
            "version",
            "architecture",
            "source",
            "first_seen",
            "last_seen",
            "tags",
        )
        widgets = {"configuration_item": RemoteSelect(ITEMS_URL)}
