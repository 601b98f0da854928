"""API for event rules, webhooks (+ their delivery log) and job schedules (+ their runs)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from steward.core.api.serializers import StewardModelSerializer
from steward.core.api.viewsets import StewardModelViewSet
from steward.core.models import EventRule, JobRun, JobSchedule, Webhook, WebhookDelivery
from steward.core.views.automation import EventRuleFilterSet, JobScheduleFilterSet, WebhookFilterSet

COMMON = ("id", "url", "display", "tags", "custom_fields", "created", "last_updated")
RECENT = 100


class ContentTypeLabelField(serializers.SlugRelatedField):
    """A model as its label (``org.person``)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="model", queryset=ContentType.objects.all(), **kwargs)

    def to_internal_value(self, data: Any) -> ContentType:
        try:
            app_label, model = str(data).split(".", 1)
            return ContentType.objects.get(app_label=app_label, model=model)
        except (ValueError, ContentType.DoesNotExist):
            raise serializers.ValidationError(
                f"Unknown model “{data}”; use app.model, e.g. org.person."
            ) from None

    def to_representation(self, value: ContentType) -> str:
        return f"{value.app_label}.{value.model}"


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = (
            "id",
            "delivery_id",
            "event",
            "attempt",
            "status",
            "status_code",
            "response_excerpt",
            "error",
            "duration_ms",
            "created",
        )


class WebhookSerializer(StewardModelSerializer):
    secret = serializers.CharField(write_only=True, required=False, allow_blank=True)

    class Meta(StewardModelSerializer.Meta):
        model = Webhook
        fields = (
            *COMMON,
            "name",
            "payload_url",
            "http_method",
            "secret",
            "headers",
            "enabled",
            "timeout",
            "max_attempts",
            "description",
        )
        brief_fields = ("id", "url", "display", "name")


class WebhookViewSet(StewardModelViewSet):
    queryset = Webhook.objects.all()
    serializer_class = WebhookSerializer
    filterset_class = WebhookFilterSet

    @extend_schema(responses=WebhookDeliverySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def deliveries(self, request: Request, pk: Any = None) -> Response:
        """The most recent delivery attempts of this webhook, newest first."""
        webhook = self.get_object()
        rows = WebhookDelivery.objects.filter(webhook=webhook)[:RECENT]
        return Response(WebhookDeliverySerializer(rows, many=True).data)


class EventRuleSerializer(StewardModelSerializer):
    object_types = ContentTypeLabelField(many=True, required=False)

    class Meta(StewardModelSerializer.Meta):
        model = EventRule
        fields = (
            *COMMON,
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
        )
        brief_fields = ("id", "url", "display", "name")

    def before_clean(self, instance: EventRule, attrs: dict[str, Any]) -> None:
        # The rule's clean() checks a notify rule names recipients; users and roles are
        # many-to-many, so hand it what this request sets (or what the rule already has).
        pending = []
        for name in ("notify_users", "notify_roles"):
            if name in attrs:
                pending += list(attrs[name])
            elif self.instance is not None:
                pending += list(getattr(self.instance, name).all())
        instance._pending_recipients = pending


class EventRuleViewSet(StewardModelViewSet):
    queryset = EventRule.objects.prefetch_related("object_types", "notify_users", "notify_roles")
    serializer_class = EventRuleSerializer
    filterset_class = EventRuleFilterSet


class JobRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = JobRun
        fields = (
            "id",
            "job_name",
            "trigger",
            "status",
            "attempt",
            "started",
            "finished",
            "duration_ms",
            "log",
            "error",
            "worker",
        )


class JobScheduleSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = JobSchedule
        fields = (*COMMON, "job_name", "enabled", "interval", "cron", "next_run", "last_run", "description")
        read_only_fields = ("created", "last_updated", "next_run", "last_run")
        brief_fields = ("id", "url", "display", "job_name")


class JobScheduleViewSet(StewardModelViewSet):
    queryset = JobSchedule.objects.all()
    serializer_class = JobScheduleSerializer
    filterset_class = JobScheduleFilterSet

    @extend_schema(responses=JobRunSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def runs(self, request: Request, pk: Any = None) -> Response:
        """The most recent runs of this schedule's job, newest first."""
        schedule = self.get_object()
        rows = JobRun.objects.filter(job_name=schedule.job_name)[:RECENT]
        return Response(JobRunSerializer(rows, many=True).data)
