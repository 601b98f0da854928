from __future__ import annotations

from steward.core.api.viewsets import StewardModelViewSet
from steward.itsm import filtersets_catalogue as filtersets
from steward.itsm.api import serializers_catalogue as serializers
from steward.itsm.models import (
    ApprovalDelegation,
    ApprovalStep,
    CatalogueCategory,
    CatalogueItem,
    FulfilmentTask,
    FulfilmentTaskTemplate,
    KnowledgeArticle,
    KnowledgeCategory,
    ServiceRequest,
    SurveyResponse,
)


class CatalogueCategoryViewSet(StewardModelViewSet):
    queryset = CatalogueCategory.objects.all()
    serializer_class = serializers.CatalogueCategorySerializer
    filterset_class = filtersets.CatalogueCategoryFilterSet


class CatalogueItemViewSet(StewardModelViewSet):
    queryset = CatalogueItem.objects.all()
    serializer_class = serializers.CatalogueItemSerializer
    filterset_class = filtersets.CatalogueItemFilterSet


class ApprovalStepViewSet(StewardModelViewSet):
    queryset = ApprovalStep.objects.select_related("item").prefetch_related("people")
    serializer_class = serializers.ApprovalStepSerializer
    filterset_class = filtersets.ApprovalStepFilterSet


class FulfilmentTaskTemplateViewSet(StewardModelViewSet):
    queryset = FulfilmentTaskTemplate.objects.select_related("item")
    serializer_class = serializers.FulfilmentTaskTemplateSerializer
    filterset_class = filtersets.FulfilmentTaskTemplateFilterSet


class ApprovalDelegationViewSet(StewardModelViewSet):
    queryset = ApprovalDelegation.objects.select_related("person", "delegate")
    serializer_class = serializers.ApprovalDelegationSerializer
    filterset_class = filtersets.ApprovalDelegationFilterSet


class ServiceRequestViewSet(StewardModelViewSet):
    queryset = ServiceRequest.objects.select_related("item").prefetch_related(
        "approvals__approver", "approvals__delegated_from"
    )
    serializer_class = serializers.ServiceRequestSerializer
    filterset_class = filtersets.ServiceRequestFilterSet

    def perform_create(self, serializer):  # noqa: ANN001, ANN201
        serializer.validated_data["opened_by"] = self.request.user
        super().perform_create(serializer)


class FulfilmentTaskViewSet(StewardModelViewSet):
    queryset = FulfilmentTask.objects.select_related("request")
    serializer_class = serializers.FulfilmentTaskSerializer
    filterset_class = filtersets.FulfilmentTaskFilterSet


class KnowledgeCategoryViewSet(StewardModelViewSet):
    queryset = KnowledgeCategory.objects.all()
    serializer_class = serializers.KnowledgeCategorySerializer
    filterset_class = filtersets.KnowledgeCategoryFilterSet


class KnowledgeArticleViewSet(StewardModelViewSet):
    queryset = KnowledgeArticle.objects.prefetch_related("problems")
    serializer_class = serializers.KnowledgeArticleSerializer
    filterset_class = filtersets.KnowledgeArticleFilterSet


class SurveyResponseViewSet(StewardModelViewSet):
    queryset = SurveyResponse.objects.select_related("incident", "request")
    serializer_class = serializers.SurveyResponseSerializer
    filterset_class = filtersets.SurveyResponseFilterSet
