from __future__ import annotations

import django_tables2 as tables

from steward.core.tables import ChoiceBadgeColumn, StewardTable
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
from steward.itsm.tables import StateColumn


class CatalogueCategoryTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = CatalogueCategory
        fields = ("pk", "name", "icon", "order", "description")
        default_columns = ("name", "order", "description")


class CatalogueItemTable(StewardTable):
    name = tables.Column(linkify=True)
    category = tables.Column(linkify=True)
    service = tables.Column(linkify=True)
    fulfilment_team = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = CatalogueItem
        fields = (
            "pk",
            "name",
            "category",
            "short_description",
            "service",
            "fulfilment_team",
            "active",
            "order",
        )
        default_columns = ("name", "category", "service", "fulfilment_team", "active")


class ApprovalStepTable(StewardTable):
    name = tables.Column(linkify=True)
    item = tables.Column(linkify=True)
    approver_type = ChoiceBadgeColumn()
    rule = ChoiceBadgeColumn()
    team = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = ApprovalStep
        fields = ("pk", "item", "order", "name", "approver_type", "rule", "team")
        default_columns = ("item", "order", "name", "approver_type", "rule", "team")


class FulfilmentTaskTemplateTable(StewardTable):
    short_description = tables.Column(linkify=True)
    item = tables.Column(linkify=True)
    assignment_team = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = FulfilmentTaskTemplate
        fields = ("pk", "item", "order", "short_description", "assignment_team")
        default_columns = ("item", "order", "short_description", "assignment_team")


class ApprovalDelegationTable(StewardTable):
    id = tables.Column(linkify=True, verbose_name="#")
    person = tables.Column(linkify=True)
    delegate = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = ApprovalDelegation
        fields = ("pk", "id", "person", "delegate", "start", "end", "reason")
        default_columns = ("id", "person", "delegate", "start", "end", "reason")


class ServiceRequestTable(StewardTable):
    reference = tables.Column(linkify=True)
    state = StateColumn()
    item = tables.Column(linkify=True)
    requester = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = ServiceRequest
        fields = (
            "pk", "reference", "short_description", "state", "item", "requester", "created", "approved_at",
            "fulfilled_at",
        )  # fmt: skip
        default_columns = ("reference", "short_description", "state", "item", "requester", "created")


class FulfilmentTaskTable(StewardTable):
    reference = tables.Column(linkify=True)
    state = StateColumn()
    request = tables.Column(linkify=True)
    assignment_team = tables.Column(linkify=True)
    assignee = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = FulfilmentTask
        fields = (
            "pk", "reference", "short_description", "state", "request", "order", "assignment_team", "assignee",
            "created", "completed_at",
        )  # fmt: skip
        default_columns = (
            "reference",
            "short_description",
            "state",
            "request",
            "assignment_team",
            "assignee",
        )


class KnowledgeCategoryTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = KnowledgeCategory
        fields = ("pk", "name", "order", "description")
        default_columns = ("name", "order", "description")


class KnowledgeArticleTable(StewardTable):
    reference = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    state = StateColumn()
    category = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = KnowledgeArticle
        fields = (
            "pk", "reference", "title", "state", "category", "version", "helpful_count", "not_helpful_count",
            "published_at", "last_updated",
        )  # fmt: skip
        default_columns = (
            "reference",
            "title",
            "state",
            "category",
            "version",
            "helpful_count",
            "last_updated",
        )


class SurveyResponseTable(StewardTable):
    id = tables.Column(linkify=True, verbose_name="#")
    incident = tables.Column(linkify=True)
    request = tables.Column(linkify=True)
    respondent = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = SurveyResponse
        fields = ("pk", "id", "incident", "request", "respondent", "rating", "comment", "created")
        default_columns = ("id", "incident", "request", "respondent", "rating", "comment", "created")
