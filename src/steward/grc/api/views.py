from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from steward.core.api.viewsets import ACTION_PERMS, StewardModelViewSet
from steward.grc import filtersets, results, services
from steward.grc.api import serializers
from steward.grc.catalogs import CatalogError
from steward.grc.models import (
    Acknowledgement,
    AcknowledgementCampaign,
    Assessment,
    AssessmentResult,
    Control,
    Evidence,
    Finding,
    Framework,
    Indicator,
    Measurement,
    Policy,
    PolicyVersion,
    RaciAssignment,
    RaciMatrix,
    RemediationTask,
    Requirement,
    Risk,
    RiskMatrix,
    Scoping,
)


class ExtraActionsMixin:
    """Maps this viewset's own actions to the permission action they need."""

    extra_action_perms: dict[str, str] = {}

    @property
    def required_action(self) -> str:
        name = getattr(self, "action", None) or ""
        return self.extra_action_perms.get(name) or ACTION_PERMS.get(name, "view")


def _uploaded(request: Any) -> bytes:
    upload = request.FILES.get("file")
    if upload is not None:
        return upload.read()
    if isinstance(request.data, dict) and request.data and "file" not in request.data:
        import json

        return json.dumps(request.data).encode()
    raise DRFValidationError({"file": ["Send the file as multipart field 'file' or as the JSON body."]})


def _catalog_error(exc: CatalogError) -> Response:
    return Response({"path": exc.path, "detail": exc.message, "imported": False}, status=400)


class FrameworkViewSet(ExtraActionsMixin, StewardModelViewSet):
    queryset = Framework.objects.all()
    serializer_class = serializers.FrameworkSerializer
    filterset_class = filtersets.FrameworkFilterSet
    extra_action_perms = {"import_file": "add"}

    @extend_schema(
        request={"multipart/form-data": {"type": "object", "properties": {"file": {"type": "string",
                 "format": "binary"}, "catalog": {"type": "integer"}}}, "application/json": {"type": "object"}},
        responses={200: OpenApiResponse(description="What was created, updated and withdrawn."),
                   400: OpenApiResponse(description="`path` names the offending element; nothing was imported.")},
    )  # fmt: skip
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, JSONParser])
    def import_file(self, request: Any) -> Response:
        """Import an OSCAL catalog or profile (JSON) or a Steward library (YAML), all or nothing."""
        catalog = None
        if request.data.get("catalog") and "file" in request.FILES:
            catalog = (
                Framework.objects.restrict(request.user, "view").filter(pk=request.data["catalog"]).first()
            )
            if catalog is None:
                raise DRFValidationError({"catalog": ["No such framework."]})
        try:
            summary = services.import_framework_file(
                content=_uploaded(request), actor=request.user, catalog=catalog
            )
        except CatalogError as exc:
            return _catalog_error(exc)
        fw = summary.framework
        return Response({
            "framework": serializers.FrameworkSerializer(fw, context={"request": request}).data,
            "created": summary.created, "updated": summary.updated, "withdrawn": summary.withdrawn,
            "unchanged": summary.unchanged, "summary": str(summary),
        })  # fmt: skip


class RequirementViewSet(StewardModelViewSet):
    queryset = Requirement.objects.all()
    serializer_class = serializers.RequirementSerializer
    filterset_class = filtersets.RequirementFilterSet


class ControlViewSet(StewardModelViewSet):
    queryset = Control.objects.prefetch_related("requirements", "organisations", "departments", "services")
    serializer_class = serializers.ControlSerializer
    filterset_class = filtersets.ControlFilterSet


class ScopingViewSet(StewardModelViewSet):
    queryset = Scoping.objects.select_related("requirement", "organisation", "department", "service")
    serializer_class = serializers.ScopingSerializer
    filterset_class = filtersets.ScopingFilterSet


class EvidenceViewSet(ExtraActionsMixin, StewardModelViewSet):
    queryset = Evidence.objects.prefetch_related("controls")
    serializer_class = serializers.EvidenceSerializer
    filterset_class = filtersets.EvidenceFilterSet
    extra_action_perms = {"collect": "change"}

    @extend_schema(request=None, responses={200: serializers.EvidenceSerializer})
    @action(detail=True, methods=["post"])
    def collect(self, request: Any, pk: int | None = None) -> Response:
        """Run the evidence's registered query now and store the result with a timestamp."""
        evidence = services.collect_evidence(evidence=self.get_object(), actor=request.user)
        return Response(self.get_serializer(evidence).data)


class AssessmentViewSet(ExtraActionsMixin, StewardModelViewSet):
    queryset = Assessment.objects.select_related("framework", "assessor").prefetch_related(
        "organisations", "departments", "services"
    )
    serializer_class = serializers.AssessmentSerializer
    filterset_class = filtersets.AssessmentFilterSet
    extra_action_perms = {"prepare": "change", "import_oscal": "add"}

    @extend_schema(
        request=None, responses={200: OpenApiResponse(description="How many results were created.")}
    )
    @action(detail=True, methods=["post"])
    def prepare(self, request: Any, pk: int | None = None) -> Response:
        """Create a result per requirement in scope (scoping and control results applied)."""
        created = services.prepare_assessment(assessment=self.get_object(), actor=request.user)
        return Response({"created": created})

    @extend_schema(responses={200: OpenApiResponse(description="OSCAL assessment-results JSON.")})
    @action(detail=True, methods=["get"], url_path="oscal")
    def oscal(self, request: Any, pk: int | None = None) -> Response:
        """The assessment as an OSCAL assessment-results document."""
        return Response(results.export_assessment(self.get_object()))

    @extend_schema(responses={200: OpenApiResponse(description="CSV, one row per requirement.")})
    @action(detail=True, methods=["get"], url_path="csv")
    def csv(self, request: Any, pk: int | None = None) -> HttpResponse:
        """The results as CSV."""
        obj = self.get_object()
        response = HttpResponse(results.export_csv(obj), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{obj.reference}-results.csv"'
        return response

    @extend_schema(
        request={"application/json": {"type": "object"}},
        responses={201: serializers.AssessmentSerializer,
                   400: OpenApiResponse(description="`path` names the offending element; nothing was imported.")},
    )  # fmt: skip
    @action(
        detail=False, methods=["post"], url_path="import-oscal", parser_classes=[MultiPartParser, JSONParser]
    )
    def import_oscal(self, request: Any) -> Response:
        """Create an assessment from an OSCAL assessment-results document."""
        try:
            obj = results.import_assessment(content=_uploaded(request), actor=request.user)
        except CatalogError as exc:
            return _catalog_error(exc)
        return Response(self.get_serializer(obj).data, status=201)


class AssessmentResultViewSet(StewardModelViewSet):
    queryset = AssessmentResult.objects.select_related("requirement", "assessment").prefetch_related(
        "evidence"
    )
    serializer_class = serializers.AssessmentResultSerializer
    filterset_class = filtersets.AssessmentResultFilterSet


class FindingViewSet(StewardModelViewSet):
    queryset = Finding.objects.all()
    serializer_class = serializers.FindingSerializer
    filterset_class = filtersets.FindingFilterSet


class RemediationTaskViewSet(StewardModelViewSet):
    queryset = RemediationTask.objects.all()
    serializer_class = serializers.RemediationTaskSerializer
    filterset_class = filtersets.RemediationTaskFilterSet


class RiskMatrixViewSet(StewardModelViewSet):
    queryset = RiskMatrix.objects.all()
    serializer_class = serializers.RiskMatrixSerializer
    filterset_class = filtersets.RiskMatrixFilterSet


class RiskViewSet(StewardModelViewSet):
    queryset = Risk.objects.prefetch_related("services", "configuration_items", "controls")
    serializer_class = serializers.RiskSerializer
    filterset_class = filtersets.RiskFilterSet


class PolicyViewSet(StewardModelViewSet):
    queryset = Policy.objects.all()
    serializer_class = serializers.PolicySerializer
    filterset_class = filtersets.PolicyFilterSet


class PolicyVersionViewSet(StewardModelViewSet):
    queryset = PolicyVersion.objects.select_related("policy")
    serializer_class = serializers.PolicyVersionSerializer
    filterset_class = filtersets.PolicyVersionFilterSet


class AcknowledgementCampaignViewSet(StewardModelViewSet):
    queryset = AcknowledgementCampaign.objects.prefetch_related("people")
    serializer_class = serializers.AcknowledgementCampaignSerializer
    filterset_class = filtersets.AcknowledgementCampaignFilterSet


class AcknowledgementViewSet(StewardModelViewSet):
    queryset = Acknowledgement.objects.select_related("person", "campaign")
    serializer_class = serializers.AcknowledgementSerializer
    filterset_class = filtersets.AcknowledgementFilterSet


class RaciMatrixViewSet(StewardModelViewSet):
    queryset = RaciMatrix.objects.all()
    serializer_class = serializers.RaciMatrixSerializer
    filterset_class = filtersets.RaciMatrixFilterSet

    @extend_schema(responses={200: OpenApiResponse(description="Activity → problem (empty when sound).")})
    @action(detail=True, methods=["get"])
    def check(self, request: Any, pk: int | None = None) -> Response:
        """Activities without exactly one Accountable."""
        return Response(services.raci_problems(self.get_object()))


class RaciAssignmentViewSet(StewardModelViewSet):
    queryset = RaciAssignment.objects.select_related("person", "team")
    serializer_class = serializers.RaciAssignmentSerializer
    filterset_class = filtersets.RaciAssignmentFilterSet


class IndicatorViewSet(StewardModelViewSet):
    queryset = Indicator.objects.all()
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filtersets.IndicatorFilterSet


class MeasurementViewSet(StewardModelViewSet):
    queryset = Measurement.objects.select_related("indicator")
    serializer_class = serializers.MeasurementSerializer
    filterset_class = filtersets.MeasurementFilterSet
