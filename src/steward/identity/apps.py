from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "steward.identity"
    label = "identity"
    verbose_name = _("Identity")

    def ready(self) -> None:
        from steward.core.registry import MenuItem, registry
        from steward.identity import conf, demo, events, jobs, views  # noqa: F401 - jobs declares the periodic sync
        from steward.identity.api import views as api
        from steward.identity.models import LDAPDirectory, OIDCProvider

        registry.register_event_types(events.EVENT_TYPES)
        registry.demo_loaders.append((40, demo.load))
        registry.login_buttons.append(views.login_buttons)
        registry.menu_group("Administration", icon="settings", weight=900).items.append(
            MenuItem("Sign-in methods", "identity_settings", "identity.change_identitysettings", "key")
        )
        registry.register(
            LDAPDirectory,
            views=views.LDAPDirectoryViews,
            viewset=api.LDAPDirectoryViewSet,
            menu=("Administration", "LDAP directories"),
            icon="address-book",
        )
        registry.register(
            OIDCProvider,
            views=views.OIDCProviderViews,
            viewset=api.OIDCProviderViewSet,
            menu=("Administration", "OpenID Connect providers"),
            icon="login",
        )
        registry.local_login_checks.append(conf.local_login_enabled)
