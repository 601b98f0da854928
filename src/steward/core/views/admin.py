"""UI for core's own registered models: tags and custom fields."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django import forms

from steward.core.filtersets import StewardFilterSet
from steward.core.forms import StewardModelForm
from steward.core.models import CustomField, Tag
from steward.core.tables import StewardTable
from steward.core.views.generic import ObjectViews, Panel


class TagForm(StewardModelForm):
    class Meta:
        model = Tag
        fields = ("name", "slug", "colour", "description")
        widgets = {"colour": forms.TextInput(attrs={"type": "color"})}


class TagFilterSet(StewardFilterSet):
    search_fields = ("name", "slug", "description")

    class Meta:
        model = Tag
        fields = ("name", "slug")


class TagTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Tag
        fields = ("pk", "name", "slug", "colour", "description")
        default_columns = ("name", "slug", "description")


class TagViews(ObjectViews):
    filterset = TagFilterSet
    form = TagForm
    table = TagTable


class CustomFieldForm(StewardModelForm):
    choices = forms.JSONField(required=False, help_text='A JSON list, e.g. ["gold", "silver"]')
    default = forms.JSONField(required=False)

    class Meta:
        model = CustomField
        fields = (
            "object_types",
            "name",
            "label",
            "type",
            "description",
            "required",
            "default",
            "validation_regex",
            "validation_minimum",
            "validation_maximum",
            "choices",
            "related_object_type",
            "weight",
        )

    def clean_choices(self) -> list:
        # An empty box means no choices; the column holds a list, never NULL.
        return self.cleaned_data.get("choices") or []


class CustomFieldFilterSet(StewardFilterSet):
    search_fields = ("name", "label", "description")
    type = django_filters.MultipleChoiceFilter(choices=CustomField._meta.get_field("type").choices)

    class Meta:
        model = CustomField
        fields = ("name", "type", "required")


class CustomFieldTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = CustomField
        fields = ("pk", "name", "label", "type", "required", "weight")
        default_columns = ("name", "label", "type", "required")


class CustomFieldViews(ObjectViews):
    filterset = CustomFieldFilterSet
    form = CustomFieldForm
    table = CustomFieldTable
    panels = (
        Panel(
            "Custom field", ("name", "label", "type", "object_types", "description", "required", "default")
        ),
        Panel(
            "Validation",
            (
                "validation_regex",
                "validation_minimum",
                "validation_maximum",
                "choices",
                "related_object_type",
            ),
        ),
    )
