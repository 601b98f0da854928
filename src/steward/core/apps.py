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
        from steward.core import notifications

        notifications.register_kind(notifications.OBJECT_CHANGED)
        registry.change_hooks.append(notifications.on_changes)
        from steward.core.dashboards import Widget, register_widget

        register_widget(
            Widget("core.unread", _("Unread notifications"), "counter", notifications.unread_widget, weight=1)
        )
        registry.constraint_tokens["user"] = lambda user: user.pk
        registry.menu_group("Organisation", icon="building", weight=10)
        registry.menu_group("Administration", icon="settings", weight=900)

        from steward.core.api.views import CustomFieldViewSet, TagViewSet, WorkflowDefinitionViewSet
        from steward.core.models import CustomField, Tag, WorkflowDefinition
        from steward.core.views.admin import CustomFieldViews, TagViews, WorkflowDefinitionViews

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
        registry.register(
            WorkflowDefinition,
            views=WorkflowDefinitionViews,
            viewset=WorkflowDefinitionViewSet,
            menu=("Administration", "Workflows"),
            icon="route",
        )
