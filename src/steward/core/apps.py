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
        registry.constraint_tokens["user"] = lambda user: user.pk
        registry.menu_group("Organisation", icon="building", weight=10)
        admin_menu = registry.menu_group("Administration", icon="settings", weight=900)
        admin_menu.items.append(MenuItem("Users", "admin:auth_user_changelist", "auth.view_user", "user-cog"))
        admin_menu.items.append(MenuItem("Roles", "admin:auth_group_changelist", "auth.view_group", "shield"))

        from steward.core.api.views import CustomFieldViewSet, ObjectPermissionViewSet, TagViewSet
        from steward.core.models import CustomField, ObjectPermission, Tag
        from steward.core.views.admin import CustomFieldViews, ObjectPermissionViews, TagViews

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
            ObjectPermission,
            views=ObjectPermissionViews,
            viewset=ObjectPermissionViewSet,
            menu=("Administration", "Permissions"),
            icon="lock",
        )
