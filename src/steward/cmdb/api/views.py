from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers as drf
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from steward.cmdb import capacity, devicetypes, discovery, filtersets, services
from steward.cmdb.api import serializers
from steward.cmdb.choices import Metric
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
from steward.core.api.viewsets import StewardModelViewSet
from steward.core.models import Token


class CanIngestSamples(BasePermission):
    """Posting samples needs ``cmdb.add_metricsample`` (and a write-enabled token, if a token)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if (
            isinstance(request.auth, Token)
            and not request.auth.write_enabled
            and request.method not in SAFE_METHODS
        ):
            return False
        return user.has_perm("cmdb.add_metricsample")


def _positive_int(request: Any, name: str, default: int, maximum: int = 3650) -> int:
    raw = request.query_params.get(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= maximum:
        raise ValidationError({name: [f"Give a whole number from 1 to {maximum}."]})
    return value


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
    DISCOVERY_ACTIONS = ("discover", "import_discovery")

    @property
    def token_scopes(self) -> tuple[str, ...]:
        """A token scoped to discovery may post agent payloads and scan files, nothing else."""
        return ("discovery",) if getattr(self, "action", None) in self.DISCOVERY_ACTIONS else ()

    @property
    def required_action(self) -> str:
        action = getattr(self, "action", None)
        if action in self.DISCOVERY_ACTIONS:
            return "add"
        # The importer also checks "add" for each new row and "change" per existing item.
        return "change" if action == "bulk_import" else super().required_action

    def _check_discovery_rights(self, request: Any) -> None:
        from rest_framework.exceptions import PermissionDenied

        from steward.core.permissions import perm_name

        if not all(request.user.has_perm(perm_name(ConfigurationItem, a)) for a in ("add", "change")):
            raise PermissionDenied("Discovery needs the add and change permissions on configuration items.")
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > discovery.max_bytes():
            raise ValidationError(
                {"non_field_errors": ["The payload is larger than STEWARD_DISCOVERY_MAX_MB."]}
            )

    @extend_schema(
        request={
            "application/json": {
                "type": "object",
                "description": "The agent payload (docs/cmdb-discovery.md).",
            }
        },
        responses={200: serializers.DiscoveryResultSerializer, 201: serializers.DiscoveryResultSerializer},
    )
    @action(detail=False, methods=["post"], url_path="discover", pagination_class=None, filter_backends=[])
    def discover(self, request: Any) -> Response:
        """Reconcile one discovery agent payload: identify, create or update the item, all or nothing."""
        self._check_discovery_rights(request)
        try:
            result = discovery.ingest_agent_payload(data=request.data, actor=request.user)
        except discovery.IdentityConflict as exc:
            return Response(exc.message_dict, status=409)
        return Response(result.as_dict(), status=201 if result.created else 200)

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
        responses={
            200: inline_serializer(
                "DiscoveryImportResult",
                {"format": drf.CharField(), "results": serializers.DiscoveryResultSerializer(many=True)},
            )
        },
    )
    @action(
        detail=False, methods=["post"], url_path="import-discovery", pagination_class=None, filter_backends=[]
    )
    def import_discovery(self, request: Any) -> Response:
        """Reconcile an nmap -oX scan or a FusionInventory inventory (``file``); all or nothing."""
        from steward.cmdb import scans

        self._check_discovery_rights(request)
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": ["Upload an nmap -oX or FusionInventory XML file as `file`."]})
        if upload.size > discovery.max_bytes():
            raise ValidationError({"file": ["The file is larger than STEWARD_DISCOVERY_MAX_MB."]})
        try:
            fmt, results = scans.import_scan(data=upload.read(), actor=request.user, filename=upload.name)
        except discovery.IdentityConflict as exc:
            return Response(exc.message_dict, status=409)
        return Response({"format": fmt, "results": [r.as_dict() for r in results]})

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
        hits = services.impact(item=item, direction=direction, depth=depth, relationship_types=types)
        hits = services.visible_hits(hits, request.user)
        data = serializers.ImpactHitSerializer(hits, many=True).data
        return Response(
            {"item": item.pk, "direction": direction, "depth": depth, "count": len(data), "results": data}
        )

    @extend_schema(
        request=serializers.MetricBatchSerializer,
        responses={201: inline_serializer("MetricBatchResult", {"created": drf.IntegerField()})},
    )
    @action(detail=False, methods=["post"], url_path="metrics", permission_classes=[CanIngestSamples],
            filter_backends=[], pagination_class=None)  # fmt: skip
    def metrics(self, request: Any) -> Response:
        """Store a batch of metric samples, all or nothing; a bad sample is named by its path."""
        try:
            created = services.ingest_metric_samples(payload=request.data, actor=request.user)
        except capacity.SampleError as exc:
            raise ValidationError({exc.field: [exc.message]}) from None
        return Response({"created": created}, status=201)

    @extend_schema(
        parameters=[
            OpenApiParameter("days", int, description="Horizon in days (default 90)."),
            OpenApiParameter(
                "window", int, description="Days of history the trend is fitted on (default 30)."
            ),
        ],
        responses={200: serializers.CapacityRiskSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], url_path="capacity-report", pagination_class=None)
    def capacity_report(self, request: Any) -> Response:
        """Items (of the filtered set) whose metrics are predicted to cross their threshold soon."""
        days = _positive_int(request, "days", settings.CMDB_CAPACITY_HORIZON_DAYS)
        window = _positive_int(request, "window", settings.CMDB_FORECAST_WINDOW_DAYS, 730)
        items = self.filter_queryset(self.get_queryset()).values("pk")
        risks = services.capacity_forecast(items=items, window_days=window, horizon_days=days)
        return Response(serializers.CapacityRiskSerializer(risks, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("metric", str, enum=list(Metric.values)),
            OpenApiParameter("window", int, description="Days of history (default 30)."),
        ],
        responses={
            200: inline_serializer("MetricSeries", {"metric": drf.CharField(), "points": drf.ListField()})
        },
    )
    @action(detail=True, methods=["get"], url_path="metrics", pagination_class=None, filter_backends=[])
    def metric_series(self, request: Any, pk: int | None = None) -> Response:
        """Hourly averages of one metric of this item: ``[[time, value], …]``."""
        item = self.get_object()
        metric = request.query_params.get("metric", "cpu")
        if metric not in Metric.values:
            raise ValidationError({"metric": [f"One of {', '.join(Metric.values)}."]})
        window = _positive_int(request, "window", settings.CMDB_FORECAST_WINDOW_DAYS, 730)
        points = services.metric_series(item=item, metric=metric, window_days=window)
        return Response({"metric": metric, "points": [[t.isoformat(), v] for t, v in points]})

    @extend_schema(
        parameters=[OpenApiParameter("months", int, description="Months ahead (1-60, default 12).")],
        responses={200: inline_serializer("LifecycleReport", {
            "window_days": drf.IntegerField(), "months": drf.ListField(child=drf.DictField()),
            "due": serializers.LifecycleRowSerializer(many=True),
        })},
    )  # fmt: skip
    @action(detail=False, methods=["get"], url_path="lifecycle-report", pagination_class=None)
    def lifecycle_report(self, request: Any) -> Response:
        """Milestones by month (of the filtered items), and those past or inside the window."""
        from django.utils import timezone

        from steward.cmdb.views import report_months

        months, error = report_months(request.query_params.get("months"))
        if error:
            raise ValidationError({"months": [error.split(": ", 1)[-1]]})
        items = self.filter_queryset(self.get_queryset())
        today = timezone.localdate()
        window = settings.CMDB_LIFECYCLE_WINDOW_DAYS
        due = services.lifecycle_due(items=items, today=today, window_days=window, limit=5000)
        return Response({
            "window_days": window,
            "months": services.lifecycle_by_month(items=items, today=today, months=months),
            "due": serializers.LifecycleRowSerializer(due, many=True).data,
        })  # fmt: skip

    @extend_schema(
        request={"multipart/form-data": inline_serializer("CIBulkImport", {
            "items": drf.FileField(required=False), "relationships": drf.FileField(required=False)})},
        responses={200: inline_serializer("CIBulkImportResult", {
            k: drf.IntegerField() for k in ("created", "updated", "unchanged", "relationships_created",
                                            "relationships_updated", "relationships_unchanged", "rows")})},
    )  # fmt: skip
    @action(detail=False, methods=["post"], url_path="bulk-import", filter_backends=[], pagination_class=None)
    def bulk_import(self, request: Any) -> Response:
        """Upsert items and relationships from CSV uploads (streamed, all or nothing)."""
        result = run_bulk_import(request.FILES.get("items"), request.FILES.get("relationships"), request.user)
        if isinstance(result, dict):
            raise ValidationError(result)
        return Response({k: getattr(result, k) for k in (
            "created", "updated", "unchanged", "relationships_created", "relationships_updated",
            "relationships_unchanged", "rows")})  # fmt: skip


def run_bulk_import(items: Any, relationships: Any, actor: Any) -> Any:
    """Stream two uploaded CSV files into the importer; a dict of errors by ``file row N, field``."""
    import codecs

    from steward.cmdb import bulkimport

    if items is None and relationships is None:
        return {"items": ["Upload an items CSV (`items`), a relationships CSV (`relationships`), or both."]}
    decode = codecs.getreader("utf-8-sig")
    try:
        return services.import_items_csv(
            items=decode(items.file) if items else None,
            relationships=decode(relationships.file) if relationships else None,
            actor=actor,
        )
    except bulkimport.BulkImportError as exc:
        return {f"{p.file} row {p.row}, {p.field}": [p.message] for p in exc.problems}
    except UnicodeDecodeError:
        return {"items": ["The files must be UTF-8 text. Nothing was imported."]}


class CapacityThresholdViewSet(StewardModelViewSet):
    queryset = CapacityThreshold.objects.select_related("ci_class", "configuration_item")
    serializer_class = serializers.CapacityThresholdSerializer
    filterset_class = filtersets.CapacityThresholdFilterSet


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


class NetworkInterfaceViewSet(StewardModelViewSet):
    queryset = NetworkInterface.objects.select_related("configuration_item")
    serializer_class = serializers.NetworkInterfaceSerializer
    filterset_class = filtersets.NetworkInterfaceFilterSet


class DriftViewSet(StewardModelViewSet):
    queryset = Drift.objects.select_related("configuration_item")
    serializer_class = serializers.DriftSerializer
    filterset_class = filtersets.DriftFilterSet
