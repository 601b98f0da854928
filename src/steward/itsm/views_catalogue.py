"""Agent-side pages of the catalogue, requests and fulfilment tasks (the portal is views_portal)."""

from __future__ import annotations

from steward.core.views import ObjectViews, Panel
from steward.itsm import filtersets_catalogue as filtersets
from steward.itsm import forms_catalogue as forms
from steward.itsm import tables_catalogue as tables


class CatalogueCategoryViews(ObjectViews):
    filterset = filtersets.CatalogueCategoryFilterSet
    form = forms.CatalogueCategoryForm
    table = tables.CatalogueCategoryTable
    panels = (Panel("Category", ("name", "icon", "order"), markdown=("description",)),)


class CatalogueItemViews(ObjectViews):
    filterset = filtersets.CatalogueItemFilterSet
    form = forms.CatalogueItemForm
    table = tables.CatalogueItemTable
    select_related = ("category", "service", "service_offering", "fulfilment_team")
    detail_template = "itsm/catalogueitem_detail.html"
    panels = (
        Panel(
            "Catalogue item",
            ("name", "category", "short_description", "service", "service_offering", "fulfilment_team", "active",
             "order"),
            markdown=("description",),
        ),
    )  # fmt: skip


class ApprovalStepViews(ObjectViews):
    filterset = filtersets.ApprovalStepFilterSet
    form = forms.ApprovalStepForm
    table = tables.ApprovalStepTable
    select_related = ("item", "team")
    panels = (Panel("Approval step", ("item", "order", "name", "approver_type", "rule", "people", "team")),)


class FulfilmentTaskTemplateViews(ObjectViews):
    filterset = filtersets.FulfilmentTaskTemplateFilterSet
    form = forms.FulfilmentTaskTemplateForm
    table = tables.FulfilmentTaskTemplateTable
    select_related = ("item", "assignment_team")
    panels = (
        Panel(
            "Task template",
            ("item", "order", "short_description", "assignment_team"),
            markdown=("description",),
        ),
    )


class ApprovalDelegationViews(ObjectViews):
    filterset = filtersets.ApprovalDelegationFilterSet
    form = forms.ApprovalDelegationForm
    table = tables.ApprovalDelegationTable
    select_related = ("person", "delegate")
    panels = (Panel("Delegation", ("person", "delegate", "start", "end", "reason")),)


class ServiceRequestViews(ObjectViews):
    filterset = filtersets.ServiceRequestFilterSet
    form = forms.ServiceRequestForm
    table = tables.ServiceRequestTable
    select_related = ("item", "requester")
    detail_template = "itsm/servicerequest_detail.html"
    panels = (
        Panel("Request", ("reference", "short_description", "item", "requester", "opened_by")),
        Panel("Dates", ("created", "approved_at", "fulfilled_at", "closed_at")),
    )


class FulfilmentTaskViews(ObjectViews):
    filterset = filtersets.FulfilmentTaskFilterSet
    form = forms.FulfilmentTaskForm
    table = tables.FulfilmentTaskTable
    select_related = ("request", "assignment_team", "assignee")
    panels = (
        Panel(
            "Task",
            (
                "reference",
                "request",
                "order",
                "short_description",
                "assignment_team",
                "assignee",
                "completed_at",
            ),
            markdown=("description", "close_notes"),
        ),
    )


class KnowledgeCategoryViews(ObjectViews):
    filterset = filtersets.KnowledgeCategoryFilterSet
    form = forms.KnowledgeCategoryForm
    table = tables.KnowledgeCategoryTable
    panels = (Panel("Category", ("name", "order"), markdown=("description",)),)


class KnowledgeArticleViews(ObjectViews):
    filterset = filtersets.KnowledgeArticleFilterSet
    form = forms.KnowledgeArticleForm
    table = tables.KnowledgeArticleTable
    select_related = ("category",)
    detail_template = "itsm/knowledgearticle_detail.html"
    panels = (
        Panel(
            "Article",
            ("reference", "title", "category", "summary", "keywords", "problems", "version", "published_at",
             "helpful_count", "not_helpful_count"),
            markdown=("body",),
        ),
    )  # fmt: skip


class SurveyResponseViews(ObjectViews):
    filterset = filtersets.SurveyResponseFilterSet
    form = forms.SurveyResponseForm
    table = tables.SurveyResponseTable
    select_related = ("incident", "request", "respondent")
    panels = (
        Panel(
            "Survey response",
            ("incident", "request", "respondent", "rating", "created"),
            markdown=("comment",),
        ),
    )
