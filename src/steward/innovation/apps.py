from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationConfig(AppConfig):
    name = "steward.innovation"
    label = "innovation"
    verbose_name = _("Innovation and change")

    def ready(self) -> None:
        """Register models, menus, workflows and demo data with the core registry."""
