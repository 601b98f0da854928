from __future__ import annotations

import django_filters

from steward.core.filtersets import StewardFilterSet
from steward.itsm import choices_catalogue as choices
from steward.itsm.filtersets import ref_filter, state_filter
from steward.itsm.models import (
    ApprovalDelegation,
    ApprovalStep,
    CatalogueCategory,
    CatalogueItem,
    FulfilmentTask,
    FulfilmentTaskTemplate,
    Incident,
    KnowledgeArticle,
    KnowledgeCategory,
    ServiceRequest,
    SurveyResponse,
)


class CatalogueCategoryFilterSet(StewardFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = CatalogueCategory
        fields = ("name", "icon")


class CatalogueItemFilterSet(StewardFilterSet):
    search_fields = ("name", "short_description", "description")

    class Meta:
        model = CatalogueItem
        fields = ("name", "category", "service", "service_offering", "fulfilment_team", "active")


class ApprovalStepFilterSet(StewardFilterSet):
    search_fields = ("name",)
    approver_type = django_filters.MultipleChoiceFilter(choices=choices.ApproverType.choices)
    rule = django_filters.MultipleChoiceFilter(choices=choices.ApprovalRule.choices)

    class Meta:
        model = ApprovalStep
        fields = ("item", "order", "name", "approver_type", "rule", "team")


class FulfilmentTaskTemplateFilterSet(StewardFilterSet):
    search_fields = ("short_description", "description")

    class Meta:
        model = FulfilmentTaskTemplate
        fields = ("item", "order", "assignment_team")


class ApprovalDelegationFilterSet(StewardFilterSet):
    search_fields = ("reason",)

    class Meta:
        model = ApprovalDelegation
        fields = ("person", "delegate", "start", "end")


class ServiceRequestFilterSet(StewardFilterSet):
    search_fields = ("reference", "short_description")
    state = state_filter("itsm.ServiceRequest")

    class Meta:
        model = ServiceRequest
        fields = ("reference", "state", "item", "requester")


class FulfilmentTaskFilterSet(StewardFilterSet):
    search_fields = ("reference", "short_description", "description")
    state = state_filter("itsm.FulfilmentTask")
    request = ref_filter("request", ServiceRequest)

    class Meta:
        model = FulfilmentTask
        fields = ("reference", "state", "request", "assignment_team", "assignee")


class KnowledgeCategoryFilterSet(StewardFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = KnowledgeCategory
        fields = ("name",)


class KnowledgeArticleFilterSet(StewardFilterSet):
    search_fields = ("reference", "title", "summary", "keywords", "body")
    state = state_filter("itsm.KnowledgeArticle")
    problems = ref_filter("problems", "Problems and known errors")

    class Meta:
        model = KnowledgeArticle
        fields = ("reference", "state", "category", "problems")


class SurveyResponseFilterSet(StewardFilterSet):
    search_fields = ("comment",)
    incident = ref_filter("incident", Incident)
    request = ref_filter("request", ServiceRequest)
    rating = django_filters.MultipleChoiceFilter(choices=[(n, str(n)) for n in range(1, 6)])

    class Meta:
        model = SurveyResponse
        fields = ("incident", "request", "respondent", "rating")
