from __future__ import annotations

import dataclasses
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from steward.cmdb.services import visible_hits
from steward.core.api.viewsets import StewardModelViewSet
from steward.security import filtersets, importers, services
from steward.security.api import serializers
from steward.security.models import (
    AccessDecision,
    AccessReview,
    Advisory,
    AffectedPackage,
    Entitlement,
    Finding,
    SecurityIncident,
    SeverityPolicy,
)


class AdvisoryViewSet(StewardModelViewSet):
    queryset = Advisory.objects.all()
    serializer_class = serializers.AdvisorySerializer
    filterset_class = filtersets.AdvisoryFilterSet

    @property
    def required_action(self) -> str:
        return "add" if getattr(self, "action", None) == "import_files" else super().required_action

    @extend_schema(
        request=serializers.AdvisoryImportSerializer, responses={200: serializers.AdvisoryImportSerializer}
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_files(self, request: Any) -> Response:
        """Upsert advisories from OSV (JSON/YAML) or CVE 5 files or zips (`files`); all or nothing."""
        uploads = request.FILES.getlist("files")
        if not uploads:
            raise ValidationError(
                {"files": ["Upload one or more .json, .yaml, .yml or .zip files (`files`)."]}
            )
        try:
            documents: list[tuple[str, bytes]] = []
            for upload in uploads:
                if upload.size > importers.MAX_ARCHIVE_BYTES:
                    raise importers.AdvisoryFileError(f"{upload.name}: too large.")
                content = upload.read()
                if upload.name.lower().endswith(".zip"):
                    documents.extend(importers.from_zip(upload.name, content))
                else:
                    documents.append((upload.name, content))
            result = services.import_advisories(documents=documents, actor=request.user)
        except importers.AdvisoryFileError as exc:
            raise ValidationError({"files": [f"{exc} Nothing was imported."]}) from None
        return Response(
            {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "findings": dataclasses.asdict(result.matching) if result.matching else {},
            }
        )


class AffectedPackageViewSet(StewardModelViewSet):
    queryset = AffectedPackage.objects.select_related("advisory")
    serializer_class = serializers.AffectedPackageSerializer
    filterset_class = filtersets.AffectedPackageFilterSet


class SeverityPolicyViewSet(StewardModelViewSet):
    queryset = SeverityPolicy.objects.all()
    serializer_class = serializers.SeverityPolicySerializer
    filterset_class = filtersets.SeverityPolicyFilterSet


class FindingViewSet(StewardModelViewSet):
    queryset = Finding.objects.select_related("advisory")
    serializer_class = serializers.VulnerabilityFindingSerializer
    filterset_class = filtersets.FindingFilterSet

    @extend_schema(responses={200: serializers.ExposedServiceSerializer(many=True)})
    @action(detail=True, methods=["get"], url_path="exposure")
    def exposure(self, request: Any, pk: Any = None) -> Response:
        """Business applications depending on the finding's item (upstream impact analysis)."""
        from steward.cmdb.services import impact

        finding = self.get_object()
        hits = visible_hits(impact(item=finding.configuration_item, direction="upstream"), request.user)
        return Response(
            [
                {
                    "id": h.item.pk,
                    "reference": h.item.reference,
                    "name": h.item.name,
                    "url": h.item.get_absolute_url(),
                }
                for h in hits
                if h.item.ci_class.slug in services.BUSINESS_CLASSES
            ]
        )


class SecurityIncidentViewSet(StewardModelViewSet):
    queryset = SecurityIncident.objects.prefetch_related("affected_items", "related_incidents")
    serializer_class = serializers.SecurityIncidentSerializer
    filterset_class = filtersets.SecurityIncidentFilterSet

    @property
    def required_action(self) -> str:
        if getattr(self, "action", None) == "evidence" and self.request.method == "POST":
            return "change"
        return super().required_action

    @extend_schema(
        request=serializers.EvidenceInputSerializer,
        responses={200: serializers.EvidenceEntrySerializer(many=True)},
    )
    @action(detail=True, methods=["get", "post"], url_path="evidence")
    def evidence(self, request: Any, pk: Any = None) -> Response:
        """The chain-of-custody log (GET) or a new entry appended to it (POST, multipart for a file)."""
        incident = self.get_object()
        if request.method == "POST":
            data = serializers.EvidenceInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            fields = {k: v for k, v in data.validated_data.items() if k != "file"}
            upload = data.validated_data.get("file")
            entry = services.add_evidence(incident=incident, actor=request.user, upload=upload, **fields)
            return Response(serializers.EvidenceEntrySerializer(entry).data, status=201)
        entries = incident.evidence.order_by("sequence")
        return Response(serializers.EvidenceEntrySerializer(entries, many=True).data)


class EntitlementViewSet(StewardModelViewSet):
    queryset = Entitlement.objects.select_related("person", "system")
    serializer_class = serializers.EntitlementSerializer
    filterset_class = filtersets.EntitlementFilterSet


class AccessReviewViewSet(StewardModelViewSet):
    queryset = AccessReview.objects.prefetch_related("systems")
    serializer_class = serializers.AccessReviewSerializer
    filterset_class = filtersets.AccessReviewFilterSet

    @extend_schema(responses={200: serializers.AccessReviewReportSerializer})
    @action(detail=True, methods=["get"], url_path="report")
    def report(self, request: Any, pk: Any = None) -> Response:
        """The completion report: decisions by outcome and system, and the fulfilment tickets."""
        return Response(services.review_report(review=self.get_object()))


class AccessDecisionViewSet(StewardModelViewSet):
    queryset = AccessDecision.objects.select_related("person", "system")
    serializer_class = serializers.AccessDecisionSerializer
    filterset_class = filtersets.AccessDecisionFilterSet
