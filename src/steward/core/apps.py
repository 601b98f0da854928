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
        from steward.core.search import SearchSpec
        from steward.core.views.admin import CustomFieldViews, TagViews

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
