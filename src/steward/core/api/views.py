from __future__ import annotations

from rest_framework import serializers

from steward.core.api.serializers import StewardModelSerializer
from steward.core.api.viewsets import StewardModelViewSet
from steward.core.filtersets import StewardFilterSet
from steward.core.models import CustomField, ObjectPermission, Tag, WorkflowDefinition
from steward.core.views.admin import (
    CustomFieldFilterSet,
    ObjectPermissionFilterSet,
    TagFilterSet,
    WorkflowDefinitionFilterSet,
)


class TagSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Tag
        fields = ("id", "url", "display", "name", "slug", "colour", "description", "created", "last_updated")
        brief_fields = ("id", "url", "display", "slug")


class TagViewSet(StewardModelViewSet):
    queryset = Tag.objects.all()
    serializer_class = TagSerializer
    filterset_class: type[StewardFilterSet] = TagFilterSet


class CustomFieldSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = CustomField
        fields = (
            "id",
            "url",
            "display",
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
            "created",
            "last_updated",
        )


class CustomFieldViewSet(StewardModelViewSet):
    queryset = CustomField.objects.prefetch_related("object_types")
    serializer_class = CustomFieldSerializer
    filterset_class = CustomFieldFilterSet


class ObjectPermissionSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = ObjectPermission
        fields = (
            "id",
            "url",
            "display",
            "name",
            "description",
            "enabled",
            "object_types",
            "actions",
            "constraints",
            "groups",
            "users",
            "created",
            "last_updated",
        )

    def validate_actions(self, value):  # noqa: ANN001, ANN201
        if not isinstance(value, list) or not value or not all(isinstance(a, str) and a for a in value):
            raise serializers.ValidationError('Give a list of actions, e.g. ["view", "change"].')
        return value

    def validate(self, attrs):  # noqa: ANN001, ANN201
        """Constraints are ORM lookups from the client: they must apply to every chosen model."""
        from steward.core.permissions import constraint_errors

        attrs = super().validate(attrs)
        types = attrs.get("object_types")
        if types is None and self.instance is not None:
            types = list(self.instance.object_types.all())
        constraints = attrs.get("constraints", getattr(self.instance, "constraints", None))
        errors = constraint_errors(constraints, [m for ct in types or [] if (m := ct.model_class())])
        if errors:
            raise serializers.ValidationError({"constraints": errors})
        return attrs


class ObjectPermissionViewSet(StewardModelViewSet):
    queryset = ObjectPermission.objects.prefetch_related("object_types", "groups", "users")
    serializer_class = ObjectPermissionSerializer
    filterset_class = ObjectPermissionFilterSet


class WorkflowDefinitionSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = WorkflowDefinition
        fields = (
            "id",
            "url",
            "display",
            "object_type",
            "enabled",
            "description",
            "definition",
            "created",
            "last_updated",
        )
        brief_fields = ("id", "url", "display", "object_type")


class WorkflowDefinitionViewSet(StewardModelViewSet):
    queryset = WorkflowDefinition.objects.select_related("object_type")
    serializer_class = WorkflowDefinitionSerializer
    filterset_class: type[StewardFilterSet] = WorkflowDefinitionFilterSet
