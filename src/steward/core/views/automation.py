"""UI for event rules, webhooks (with their delivery log) and job schedules (with their runs)."""

from __future__ import annotations

from typing import Any

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from steward.core.filtersets import StewardFilterSet
from steward.core.forms import StewardModelForm
from steward.core.models import EventRule, JobSchedule, RuleAction, Webhook
from steward.core.registry import registry
from steward.core.tables import ChoiceBadgeColumn, StewardTable
from steward.core.views.generic import ObjectViews, Panel


def registered_content_types() -> Any:
    labels = [label.split(".") for label in registry.models]
    query = ContentType.objects.none()
    for app_label, model in labels:
        query = query | ContentType.objects.filter(app_label=app_label, model=model)
    return query.order_by("app_label", "model")


# --- webhooks -------------------------------------------------------------------------------
class WebhookForm(StewardModelForm):
    payload_url = forms.CharField(label=_("payload URL"), max_length=500)
    headers = forms.JSONField(
        required=False, initial=dict, help_text=_('A JSON object, e.g. {"X-Team": "ops"}')
    )
    secret = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=True),
        help_text=_("Signs each body: X-Steward-Signature: sha256=HMAC-SHA256(secret, body)."),
    )

    class Meta:
        model = Webhook
        fields = (
            "name",
            "payload_url",
            "http_method",
            "secret",
            "headers",
            "enabled",
            "timeout",
            "max_attempts",
            "description",
            "tags",
        )

    def clean_headers(self) -> Any:
        return self.cleaned_data.get("headers") or {}


class WebhookFilterSet(StewardFilterSet):
    search_fields = ("name", "payload_url", "description")

    class Meta:
        model = Webhook
        fields = ("name", "http_method", "enabled")


class WebhookTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Webhook
        fields = ("pk", "name", "payload_url", "http_method", "enabled", "max_attempts", "description")
        default_columns = ("name", "payload_url", "http_method", "enabled")


class WebhookViews(ObjectViews):
    filterset = WebhookFilterSet
    form = WebhookForm
    table = WebhookTable
    detail_template = "core/webhook_detail.html"
    panels = (
        Panel(
            "Webhook",
            ("name", "payload_url", "http_method", "enabled", "timeout", "max_attempts", "description"),
        ),
        Panel("Headers", ("headers",)),
    )


# --- event rules ----------------------------------------------------------------------------
class EventRuleForm(StewardModelForm):
    event_types = forms.MultipleChoiceField(label=_("event types"), choices=())
    object_types = forms.ModelMultipleChoiceField(
        queryset=ContentType.objects.none(), required=False, label=_("models")
    )
    conditions = forms.JSONField(
        required=False,
        help_text=_(
            'e.g. {"field": "data.title", "op": "contains", "value": "Engineer"}; and/or/not combine.'
        ),
    )
    job_name = forms.ChoiceField(label=_("job"), required=False, choices=())

    class Meta:
        model = EventRule
        fields = (
            "name",
            "enabled",
            "event_types",
            "object_types",
            "conditions",
            "action",
            "webhook",
            "job_name",
            "notify_users",
            "notify_roles",
            "notify_followers",
            "notify_fields",
            "notify_title",
            "notify_body",
            "description",
            "tags",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # Users and roles are many-to-many: the rule's clean() sees them through this list.
        self.instance._pending_recipients = [
            *(cleaned.get("notify_users") or []),
            *(cleaned.get("notify_roles") or []),
        ]
        return cleaned

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event_types"].choices = [(name, name) for name in sorted(registry.event_types)]
        self.fields["object_types"].queryset = registered_content_types()
        self.fields["job_name"].choices = [("", "---------")] + [(n, n) for n in sorted(registry.jobs)]


class EventRuleFilterSet(StewardFilterSet):
    search_fields = ("name", "description", "job_name")
    action = django_filters.MultipleChoiceFilter(choices=RuleAction.choices)

    class Meta:
        model = EventRule
        fields = ("name", "enabled", "action", "webhook", "job_name")


class EventRuleTable(StewardTable):
    name = tables.Column(linkify=True)
    action = ChoiceBadgeColumn()
    webhook = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = EventRule
        fields = ("pk", "name", "enabled", "event_types", "action", "webhook", "job_name", "description")
        default_columns = ("name", "enabled", "event_types", "action", "webhook", "job_name")


class EventRuleViews(ObjectViews):
    filterset = EventRuleFilterSet
    form = EventRuleForm
    table = EventRuleTable
    select_related = ("webhook",)
    panels = (
        Panel("Event rule", ("name", "enabled", "event_types", "object_types", "conditions", "description")),
        Panel("Action", ("action", "webhook", "job_name")),
        Panel(
            "Notification",
            (
                "notify_users",
                "notify_roles",
                "notify_followers",
                "notify_fields",
                "notify_title",
                "notify_body",
            ),
        ),
    )


# --- job schedules --------------------------------------------------------------------------
class JobScheduleForm(StewardModelForm):
    job_name = forms.ChoiceField(label=_("job"), choices=())

    class Meta:
        model = JobSchedule
        fields = ("job_name", "enabled", "interval", "cron", "description", "tags")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["job_name"].choices = [(n, n) for n in sorted(registry.jobs)]


class JobScheduleFilterSet(StewardFilterSet):
    search_fields = ("job_name", "description")

    class Meta:
        model = JobSchedule
        fields = ("job_name", "enabled")


class JobScheduleTable(StewardTable):
    job_name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = JobSchedule
        fields = ("pk", "job_name", "enabled", "interval", "cron", "next_run", "last_run", "description")
        default_columns = ("job_name", "enabled", "interval", "cron", "next_run", "last_run")


class JobScheduleViews(ObjectViews):
    filterset = JobScheduleFilterSet
    form = JobScheduleForm
    table = JobScheduleTable
    detail_template = "core/jobschedule_detail.html"
    panels = (
        Panel(
            "Job schedule", ("job_name", "enabled", "interval", "cron", "next_run", "last_run", "description")
        ),
    )
