from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "steward.identity"
    label = "identity"
    verbose_name = _("Identity")

    def ready(self) -> None:
        from steward.identity import jobs  # noqa: F401 - declares the periodic directory sync
