from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from steward.core.api.serializers import StewardModelSerializer
from steward.itsm.api.serializers import COMMON
from steward.itsm.choices_catalogue import ApproverType
from steward.itsm.models import (
    ApprovalDelegation,
    ApprovalStep,
    CatalogueCategory,
    CatalogueItem,
    FulfilmentTask,
    FulfilmentTaskTemplate,
    KnowledgeArticle,
    KnowledgeCategory,
    RequestApproval,
    ServiceRequest,
    SurveyResponse,
)


class CatalogueCategorySerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = CatalogueCategory
        fields = (*COMMON, "name", "icon", "order", "description")
        brief_fields = ("id", "url", "display", "name")


class CatalogueItemSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = CatalogueItem
        fields = (
            *COMMON, "name", "category", "short_description", "description", "service", "service_offering",
            "fulfilment_team", "active", "form_fields", "order",
        )  # fmt: skip
        brief_fields = ("id", "url", "display", "name")


class ApprovalStepSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = ApprovalStep
        fields = (*COMMON, "item", "order", "name", "approver_type", "rule", "people", "team")
        brief_fields = ("id", "url", "display", "name")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        kind = attrs.get("approver_type", getattr(self.instance, "approver_type", ApproverType.MANAGER))
        people = (
            attrs["people"]
            if "people" in attrs
            else (list(self.instance.people.all()) if self.instance else [])
        )
        if kind == ApproverType.PEOPLE and not people:
            raise serializers.ValidationError({"people": ["Name at least one approver."]})
        if kind != ApproverType.PEOPLE and people:
            raise serializers.ValidationError({"people": ["Only a 'named people' step names people."]})
        return attrs


class FulfilmentTaskTemplateSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = FulfilmentTaskTemplate
        fields = (*COMMON, "item", "order", "short_description", "description", "assignment_team")
        brief_fields = ("id", "url", "display", "short_description")


class ApprovalDelegationSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = ApprovalDelegation
        fields = (*COMMON, "person", "delegate", "start", "end", "reason")
        brief_fields = ("id", "url", "display")


class RequestApprovalSerializer(serializers.ModelSerializer):
    approver = serializers.StringRelatedField()
    delegated_from = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = RequestApproval
        fields = (
            "step_order",
            "step_name",
            "rule",
            "approver",
            "delegated_from",
            "status",
            "decided_at",
            "comment",
        )
        read_only_fields = fields


# "ServiceRequest" is also the request-body component of ServiceSerializer (split components).
@extend_schema_serializer(component_name="CatalogueRequest")
class ServiceRequestSerializer(StewardModelSerializer):
    state = serializers.CharField(read_only=True)
    approvals = RequestApprovalSerializer(many=True, read_only=True)

    class Meta(StewardModelSerializer.Meta):
        model = ServiceRequest
        fields = (
            *COMMON, "reference", "state", "item", "requester", "opened_by", "short_description", "answers",
            "approvals", "approved_at", "fulfilled_at", "closed_at",
        )  # fmt: skip
        read_only_fields = ("created", "last_updated", "reference", "opened_by", "approved_at", "fulfilled_at",
                            "closed_at")  # fmt: skip
        brief_fields = ("id", "url", "display", "reference", "state")


class FulfilmentTaskSerializer(StewardModelSerializer):
    state = serializers.CharField(read_only=True)

    class Meta(StewardModelSerializer.Meta):
        model = FulfilmentTask
        fields = (
            *COMMON, "reference", "state", "request", "order", "short_description", "description",
            "assignment_team", "assignee", "close_notes", "completed_at",
        )  # fmt: skip
        read_only_fields = ("created", "last_updated", "reference", "close_notes", "completed_at")
        brief_fields = ("id", "url", "display", "reference", "state")


class KnowledgeCategorySerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = KnowledgeCategory
        fields = (*COMMON, "name", "order", "description")
        brief_fields = ("id", "url", "display", "name")


class KnowledgeArticleSerializer(StewardModelSerializer):
    state = serializers.CharField(read_only=True)

    class Meta(StewardModelSerializer.Meta):
        model = KnowledgeArticle
        fields = (
            *COMMON, "reference", "state", "title", "category", "summary", "keywords", "body", "problems", "version",
            "published_at", "helpful_count", "not_helpful_count",
        )  # fmt: skip
        read_only_fields = ("created", "last_updated", "reference", "version", "published_at", "helpful_count",
                            "not_helpful_count")  # fmt: skip
        brief_fields = ("id", "url", "display", "reference", "title", "state")


class SurveyResponseSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = SurveyResponse
        fields = (*COMMON, "incident", "request", "respondent", "rating", "comment")
        brief_fields = ("id", "url", "display", "rating")
