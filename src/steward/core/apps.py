import os

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "steward.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from steward.core import signals
        from steward.core.registry import MenuItem, registry

        signals.connect()
        from steward.core import notifications

        notifications.register_kind(notifications.OBJECT_CHANGED)
        notifications.register_kind(notifications.EVENT_RULE)
        registry.change_hooks.append(notifications.on_changes)
        from steward.core import configcache
        from steward.core.models import CustomField, EventRule, WorkflowDefinition

        configcache.watch(CustomField, EventRule, WorkflowDefinition)
        registry.change_hooks.append(configcache.on_changes)
        from steward.core.dashboards import Widget, register_widget

        register_widget(
            Widget("core.unread", _("Unread notifications"), "counter", notifications.unread_widget, weight=1)
        )
        registry.constraint_tokens["user"] = lambda user: user.pk
        registry.menu_group("Organisation", icon="building", weight=10)
        admin_menu = registry.menu_group("Administration", icon="settings", weight=900)
        admin_menu.items.append(MenuItem("Users", "admin:auth_user_changelist", "auth.view_user", "user-cog"))
        admin_menu.items.append(MenuItem("Roles", "admin:auth_group_changelist", "auth.view_group", "shield"))

        from steward.core.api.views import (
            CustomFieldViewSet,
            ObjectPermissionViewSet,
            TagViewSet,
            WorkflowDefinitionViewSet,
        )
        from steward.core.models import CustomField, ObjectPermission, Tag, WorkflowDefinition
        from steward.core.search import SearchSpec
        from steward.core.views.admin import (
            CustomFieldViews,
            ObjectPermissionViews,
            TagViews,
            WorkflowDefinitionViews,
        )

        registry.register(
            Tag,
            views=TagViews,
            viewset=TagViewSet,
            menu=("Administration", "Tags"),
            icon="tag",
            search=SearchSpec(fields={"name": 3, "slug": 2, "description": 1}, summary="description"),
        )
        registry.register(
            CustomField,
            views=CustomFieldViews,
            viewset=CustomFieldViewSet,
            menu=("Administration", "Custom fields"),
            icon="forms",
        )
        registry.register(
            ObjectPermission,
            views=ObjectPermissionViews,
            viewset=ObjectPermissionViewSet,
            menu=("Administration", "Permissions"),
            icon="lock",
        )

        from steward.core import events, jobs  # noqa: F401 - jobs declares core's periodic jobs

        if os.environ.get("STEWARD_TEST_JOBS") == "1":
            # Test-only: the worker subprocesses of core/tests/test_worker_processes.py need a
            # fast periodic job declared in code they import. Never set in production.
            from steward.utilities.testing import worker_jobs  # noqa: F401
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
        registry.event_actions["notify"] = events.notify_action
        registry.register(
            WorkflowDefinition,
            views=WorkflowDefinitionViews,
            viewset=WorkflowDefinitionViewSet,
            menu=("Administration", "Workflows"),
            icon="route",
        )
