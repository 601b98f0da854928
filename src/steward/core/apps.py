from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "steward.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from steward.core import signals
        from steward.core.registry import registry

        signals.connect()
        registry.constraint_tokens["user"] = lambda user: user.pk
        registry.menu_group("Organisation", icon="building", weight=10)
        registry.menu_group("Administration", icon="settings", weight=900)

        from steward.core.api.views import CustomFieldViewSet, TagViewSet
        from steward.core.models import CustomField, Tag
        from steward.core.views.admin import CustomFieldViews, TagViews

        registry.register(
            Tag, views=TagViews, viewset=TagViewSet, menu=("Administration", "Tags"), icon="tag"
        )
        registry.register(
            CustomField,
            views=CustomFieldViews,
            viewset=CustomFieldViewSet,
            menu=("Administration", "Custom fields"),
            icon="forms",
        )

        from steward.core import events, jobs  # noqa: F401 - jobs declares core's periodic jobs
        from steward.core.api.automation import EventRuleViewSet, JobScheduleViewSet, WebhookViewSet
        from steward.core.models import EventRule, JobSchedule, Webhook
        from steward.core.views.automation import EventRuleViews, JobScheduleViews, WebhookViews

        registry.register(
            EventRule,
            views=EventRuleViews,
            viewset=EventRuleViewSet,
            menu=("Administration", "Event rules"),
            icon="bolt",
        )
        registry.register(
            Webhook,
            views=WebhookViews,
            viewset=WebhookViewSet,
            menu=("Administration", "Webhooks"),
            icon="webhook",
        )
        registry.register(
            JobSchedule,
            views=JobScheduleViews,
            viewset=JobScheduleViewSet,
            menu=("Administration", "Job schedules"),
            icon="clock",
        )
        registry.register_event_types(events.EVENT_TYPES)
        registry.event_actions["webhook"] = events.webhook_action
        registry.event_actions["job"] = events.job_action
