from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "steward.finance"
    label = "finance"
    verbose_name = _("Budgets, costs and sourcing")

    def ready(self) -> None:
        """Register models, menus, workflows and demo data with the core registry."""
        from steward.finance.registration_sourcing import register_sourcing

        register_sourcing()
