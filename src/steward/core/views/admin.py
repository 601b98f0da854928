"""UI for core's own registered models: tags and custom fields."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django import forms

from steward.core.filtersets import StewardFilterSet
from steward.core.forms import StewardModelForm
from steward.core.models import CustomField, ObjectPermission, Tag, WorkflowDefinition
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


class ObjectPermissionForm(StewardModelForm):
    actions = forms.JSONField(
        help_text='A list, e.g. ["view", "change"]; custom actions such as "approve" too.'
    )
    constraints = forms.JSONField(
        required=False,
        help_text='Optional ORM lookups, e.g. {"teams__in": "$teams"}; a list of objects means any may match.',
    )

    class Meta:
        model = ObjectPermission
        fields = (
            "name",
            "description",
            "enabled",
            "object_types",
            "actions",
            "constraints",
            "groups",
            "users",
        )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        from django.contrib.contenttypes.models import ContentType

        from steward.core.registry import registry

        labels = [label.split(".") for label in registry.models]
        q = ContentType.objects.none()
        for app_label, model in labels:
            q = q | ContentType.objects.filter(app_label=app_label, model=model)
        self.fields["object_types"].queryset = q.order_by("app_label", "model")

    def clean(self) -> dict:
        data = super().clean()
        from steward.core.permissions import constraint_errors

        types = data.get("object_types") or []
        errors = constraint_errors(data.get("constraints"), [m for ct in types if (m := ct.model_class())])
        if errors:
            self.add_error("constraints", errors)
        return data


class ObjectPermissionFilterSet(StewardFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = ObjectPermission
        fields = ("enabled", "groups", "users", "object_types")


class ObjectPermissionTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = ObjectPermission
        fields = ("pk", "name", "enabled", "actions", "constraints", "description")
        default_columns = ("name", "enabled", "actions", "constraints")


class ObjectPermissionViews(ObjectViews):
    filterset = ObjectPermissionFilterSet
    form = ObjectPermissionForm
    table = ObjectPermissionTable
    panels = (
        Panel("Permission", ("name", "description", "enabled", "object_types", "actions", "constraints")),
        Panel("Granted to", ("groups", "users")),
    )


class WorkflowDefinitionForm(StewardModelForm):
    definition = forms.JSONField(
        help_text="States, initial, terminal and transitions; validated like the code-declared form."
    )

    class Meta:
        model = WorkflowDefinition
        fields = ("object_type", "enabled", "description", "definition")

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        from django.contrib.contenttypes.models import ContentType

        from steward.core.workflow import has_workflow

        labels = [ct.pk for ct in ContentType.objects.all() if has_workflow(ct.model_class())]
        self.fields["object_type"].queryset = ContentType.objects.filter(pk__in=labels)


class WorkflowDefinitionFilterSet(StewardFilterSet):
    search_fields = ("description",)

    class Meta:
        model = WorkflowDefinition
        fields = ("object_type", "enabled")


class WorkflowDefinitionTable(StewardTable):
    object_type = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(StewardTable.Meta):
        model = WorkflowDefinition
        fields = ("pk", "object_type", "enabled", "description", "last_updated")
        default_columns = ("object_type", "enabled", "description")


class WorkflowDefinitionViews(ObjectViews):
    filterset = WorkflowDefinitionFilterSet
    form = WorkflowDefinitionForm
    table = WorkflowDefinitionTable
    select_related = ("object_type",)
    panels = (Panel("Workflow definition", ("object_type", "enabled", "description", "definition")),)
