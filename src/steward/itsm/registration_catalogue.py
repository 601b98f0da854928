"""Registers the catalogue, requests, knowledge base and surveys (called from ``ItsmConfig.ready``).

Kept apart from the incident/problem/change registration in ``apps.py`` so each area's wiring
reads in one place.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from steward.core import notifications
    from steward.core.dashboards import Widget, register_widget
    from steward.core.registry import registry
    from steward.core.search import SearchSpec
    from steward.core.workflow import register_workflow
    from steward.itsm import (
        demo_catalogue,
        services_requests,
        services_surveys,
        views_catalogue,
        workflows_catalogue,
    )
    from steward.itsm.api import views_catalogue as api
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

    register_workflow("itsm.request", workflows_catalogue.REQUEST, model=ServiceRequest)
    register_workflow("itsm.fulfilment_task", workflows_catalogue.FULFILMENT_TASK, model=FulfilmentTask)
    register_workflow("itsm.knowledge_article", workflows_catalogue.KNOWLEDGE_ARTICLE, model=KnowledgeArticle)
    for kind, label in (
        (services_requests.APPROVAL_NOTIFICATION, _("A request waits for my approval")),
        (services_surveys.SURVEY_NOTIFICATION, _("A ticket of mine was resolved: rate how it went")),
        (services_requests.REQUEST_NOTIFICATION,
         _("A request of mine was approved, rejected or fulfilled")),
    ):  # fmt: skip
        notifications.register_kind(notifications.NotificationKind(kind, label, email=True))
    registry.demo_loaders.append((35, demo_catalogue.load))
    register_widget(
        Widget("itsm.csat", _("Customer satisfaction (CSAT)"), "counter", csat_widget,
               permission="itsm.view_surveyresponse", weight=36)
    )  # fmt: skip

    desk, config = "Service management", "Service catalogue"
    registry.menu_group(config, icon="building-store", weight=32)
    item_search = SearchSpec(
        fields={"name": 3, "short_description": 2, "description": 1}, summary="short_description"
    )
    ticket_search = SearchSpec(fields={"reference": 3, "short_description": 2}, summary="short_description")
    article_search = SearchSpec(
        fields={"reference": 3, "title": 3, "keywords": 2, "summary": 2, "body": 1}, summary="summary"
    )
    for model, view, viewset, menu, icon, search in (
        (KnowledgeArticle, views_catalogue.KnowledgeArticleViews, api.KnowledgeArticleViewSet,
         (desk, "Knowledge base"), "book", article_search),
        (SurveyResponse, views_catalogue.SurveyResponseViews, api.SurveyResponseViewSet, (desk, "Survey responses"),
         "mood-smile", None),
        (KnowledgeCategory, views_catalogue.KnowledgeCategoryViews, api.KnowledgeCategoryViewSet,
         (config, "Knowledge categories"), "books", None),
        (ServiceRequest, views_catalogue.ServiceRequestViews, api.ServiceRequestViewSet, (desk, "Requests"),
         "shopping-cart", ticket_search),
        (FulfilmentTask, views_catalogue.FulfilmentTaskViews, api.FulfilmentTaskViewSet, (desk, "Fulfilment tasks"),
         "checklist", ticket_search),
        (CatalogueItem, views_catalogue.CatalogueItemViews, api.CatalogueItemViewSet, (config, "Catalogue items"),
         "package", item_search),
        (CatalogueCategory, views_catalogue.CatalogueCategoryViews, api.CatalogueCategoryViewSet,
         (config, "Catalogue categories"), "category", None),
        (ApprovalStep, views_catalogue.ApprovalStepViews, api.ApprovalStepViewSet, (config, "Approval steps"),
         "checks", None),
        (FulfilmentTaskTemplate, views_catalogue.FulfilmentTaskTemplateViews, api.FulfilmentTaskTemplateViewSet,
         (config, "Task templates"), "list-check", None),
        (ApprovalDelegation, views_catalogue.ApprovalDelegationViews, api.ApprovalDelegationViewSet,
         (config, "Approval delegations"), "user-share", None),
    ):  # fmt: skip
        registry.register(model, views=view, viewset=viewset, menu=menu, icon=icon, search=search)


def csat_widget(user):  # noqa: ANN001, ANN201
    from django.urls import reverse

    from steward.itsm.services_surveys import csat

    stats = csat(user=user)
    if not stats["responses"]:
        return {
            "value": "—",
            "subtitle": str(_("No survey answers yet")),
            "url": reverse("itsm:surveyresponse_list"),
        }
    return {
        "value": f"{stats['csat_percent']} %",
        "subtitle": str(
            _("average %(avg)s / 5 over %(n)d answers") % {"avg": stats["average"], "n": stats["responses"]}
        ),
        "url": reverse("itsm:surveyresponse_list"),
    }
