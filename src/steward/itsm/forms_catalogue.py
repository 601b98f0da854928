"""Edit forms of the catalogue, requests and fulfilment tasks (import uses them too)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from steward.core.forms import RemoteSelect, StewardModelForm
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
    ServiceRequest,
    SurveyResponse,
)

DATE = forms.DateInput(attrs={"type": "date"})


class SuggestingTextInput(forms.TextInput):
    """A text input that shows knowledge articles similar to what is typed (an HTMX panel below it)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={
            "autocomplete": "off", "hx-get": reverse_lazy("portal:kb_suggest"),
            "hx-trigger": "keyup changed delay:400ms", "hx-target": "#kb-suggestions", **(attrs or {}),
        })  # fmt: skip

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> Any:
        from django.utils.html import format_html

        html = super().render(name, value, attrs, renderer)
        return format_html('{}<div id="kb-suggestions" class="mt-2"></div>', html)


class CatalogueCategoryForm(StewardModelForm):
    class Meta:
        model = CatalogueCategory
        fields = ("name", "icon", "order", "description", "tags")


class CatalogueItemForm(StewardModelForm):
    class Meta:
        model = CatalogueItem
        fields = (
            "name", "category", "short_description", "service", "service_offering", "fulfilment_team", "active",
            "order", "form_fields", "description", "tags",
        )  # fmt: skip


class ApprovalStepForm(StewardModelForm):
    class Meta:
        model = ApprovalStep
        fields = ("item", "order", "name", "approver_type", "rule", "people", "team")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("approver_type") == ApproverType.PEOPLE and not cleaned.get("people"):
            self.add_error("people", _("Name at least one approver."))
        if cleaned.get("approver_type") != ApproverType.PEOPLE and cleaned.get("people"):
            self.add_error("people", _("Only a 'named people' step names people."))
        return cleaned


class FulfilmentTaskTemplateForm(StewardModelForm):
    class Meta:
        model = FulfilmentTaskTemplate
        fields = ("item", "order", "short_description", "assignment_team", "description")


class ApprovalDelegationForm(StewardModelForm):
    class Meta:
        model = ApprovalDelegation
        fields = ("person", "delegate", "start", "end", "reason")
        widgets = {"start": DATE, "end": DATE}


class ServiceRequestForm(StewardModelForm):
    class Meta:
        model = ServiceRequest
        # Answers are given through the portal's request form (or the API), not as raw JSON here.
        fields = ("item", "requester", "short_description", "tags")


class FulfilmentTaskForm(StewardModelForm):
    class Meta:
        model = FulfilmentTask
        fields = (
            "request",
            "order",
            "short_description",
            "assignment_team",
            "assignee",
            "description",
            "tags",
        )
        # Requests are many: the select searches the API instead of listing every row.
        widgets = {
            "request": RemoteSelect(format_lazy("{}?brief=1", reverse_lazy("api:itsm-servicerequest-list")))
        }


class KnowledgeCategoryForm(StewardModelForm):
    class Meta:
        model = KnowledgeCategory
        fields = ("name", "order", "description", "tags")


class KnowledgeArticleForm(StewardModelForm):
    class Meta:
        model = KnowledgeArticle
        fields = ("title", "category", "summary", "keywords", "body", "problems", "tags")


class SurveyResponseForm(StewardModelForm):
    class Meta:
        model = SurveyResponse
        fields = ("incident", "request", "respondent", "rating", "comment")
        widgets = {
            "incident": RemoteSelect(format_lazy("{}?brief=1", reverse_lazy("api:itsm-incident-list"))),
            "request": RemoteSelect(format_lazy("{}?brief=1", reverse_lazy("api:itsm-servicerequest-list"))),
        }
