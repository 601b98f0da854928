from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "steward.talent"
    label = "talent"
    verbose_name = _("Skills and talent")

    def ready(self) -> None:
        """Register models, menus, workflows and demo data with the core registry."""
