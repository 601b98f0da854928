from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers as drf
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from steward.cmdb import devicetypes, filtersets, services
from steward.cmdb.api import serializers
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
from steward.core.api.viewsets import StewardModelViewSet


class CIClassViewSet(StewardModelViewSet):
    queryset = CIClass.objects.all()
    serializer_class = serializers.CIClassSerializer
    filterset_class = filtersets.CIClassFilterSet


class RelationshipTypeViewSet(StewardModelViewSet):
    queryset = RelationshipType.objects.all()
    serializer_class = serializers.RelationshipTypeSerializer
    filterset_class = filtersets.RelationshipTypeFilterSet


class ManufacturerViewSet(StewardModelViewSet):
    queryset = Manufacturer.objects.all()
    serializer_class = serializers.ManufacturerSerializer
    filterset_class = filtersets.ManufacturerFilterSet


class DeviceModelViewSet(StewardModelViewSet):
    queryset = DeviceModel.objects.select_related("manufacturer")
    serializer_class = serializers.DeviceModelSerializer
    filterset_class = filtersets.DeviceModelFilterSet

    @property
    def required_action(self) -> str:
        return "add" if getattr(self, "action", None) == "import_device_types" else super().required_action

    @extend_schema(
        request=serializers.DeviceTypeImportSerializer,
        responses={200: serializers.DeviceTypeImportSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import-device-types")
    def import_device_types(self, request: Any) -> Response:
        """Upsert manufacturers and models from device-type library YAML uploads (all or nothing)."""
        uploads = request.FILES.getlist("files")
        if not uploads or any(u.size > devicetypes.MAX_BYTES for u in uploads):
            raise ValidationError(
                {"files": ["Upload one or more YAML files (`files`) of at most 1 MB each."]}
            )
        try:
            documents = [(u.name, u.read().decode("utf-8")) for u in uploads]
            result = services.import_device_types(documents=documents, actor=request.user)
        except UnicodeDecodeError:
            raise ValidationError({"files": ["Files must be UTF-8 text."]}) from None
        except devicetypes.DeviceTypeError as exc:
            raise ValidationError({"files": [f"{exc} Nothing was imported."]}) from None
        return Response(
            {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "manufacturers_created": result.manufacturers_created,
            }
        )


class ConfigurationItemViewSet(StewardModelViewSet):
    queryset = ConfigurationItem.objects.all()
    serializer_class = serializers.ConfigurationItemSerializer
    filterset_class = filtersets.ConfigurationItemFilterSet

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "direction", str, enum=list(services.DIRECTIONS), description="Default downstream."
            ),
            OpenApiParameter("depth", int, description=f"1 to {services.MAX_DEPTH}; default 6."),
            OpenApiParameter("type", str, many=True, description="Relationship type slugs to follow."),
        ],
        responses={
            200: inline_serializer(
                "ImpactResult",
                {
                    "item": drf.IntegerField(),
                    "direction": drf.CharField(),
                    "depth": drf.IntegerField(),
                    "count": drf.IntegerField(),
                    "results": serializers.ImpactHitSerializer(many=True),
                },
            )
        },
    )
    @action(detail=True, methods=["get"], url_path="impact", pagination_class=None, filter_backends=[])
    def impact(self, request: Any, pk: int | None = None) -> Response:
        """Items reached from this one within ``depth`` hops, with their depth and path."""
        item = self.get_object()
        direction = request.query_params.get("direction", "downstream")
        raw_depth = request.query_params.get("depth", "6")
        try:
            depth = int(raw_depth)
        except ValueError:
            raise ValidationError(
                {"depth": [f"Give a whole number from 1 to {services.MAX_DEPTH}."]}
            ) from None
        types = request.query_params.getlist("type") or None
        try:
            hits = services.impact(item=item, direction=direction, depth=depth, relationship_types=types)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from None
        hits = services.visible_hits(hits, request.user)
        data = serializers.ImpactHitSerializer(hits, many=True).data
        return Response(
            {"item": item.pk, "direction": direction, "depth": depth, "count": len(data), "results": data}
        )


class RelationshipViewSet(StewardModelViewSet):
    queryset = Relationship.objects.select_related("source", "target", "type")
    serializer_class = serializers.RelationshipSerializer
    filterset_class = filtersets.RelationshipFilterSet


class SoftwareProductViewSet(StewardModelViewSet):
    queryset = SoftwareProduct.objects.select_related("manufacturer")
    serializer_class = serializers.SoftwareProductSerializer
    filterset_class = filtersets.SoftwareProductFilterSet


class SoftwareInstallationViewSet(StewardModelViewSet):
    queryset = SoftwareInstallation.objects.select_related("configuration_item", "product")
    serializer_class = serializers.SoftwareInstallationSerializer
    filterset_class = filtersets.SoftwareInstallationFilterSet
