"""URL configuration: fixed pages, then every registered model's UI and API routes."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from steward.core.api.notifications import NotificationViewSet
from steward.core.api.routers import StewardRouter
from steward.core.api.search import SearchView
from steward.core.registry import registry
from steward.core.views import account, misc
from steward.core.views import notifications as notification_views


def ui_patterns() -> list:
    by_app: dict[str, list] = defaultdict(list)
    for entry in registry.models.values():
        if entry.views is not None:
            by_app[entry.model._meta.app_label].extend(entry.views.urls())
    return [path(f"{app}/", include((patterns, app), namespace=app)) for app, patterns in by_app.items()]


def api_router() -> StewardRouter:
    router = StewardRouter()
    router.register("notifications", NotificationViewSet, basename="notification")
    for entry in registry.models.values():
        if entry.viewset is not None:
            meta = entry.model._meta
            router.register(
                f"{meta.app_label}/{entry.url_slug}",
                entry.viewset,
                basename=f"{meta.app_label}-{meta.model_name}",
            )
    return router


urlpatterns = [
    path("", include("steward.identity.urls")),
    path("", misc.home, name="home"),
    path("search/", misc.search, name="search"),
    path("audit/", misc.audit_log, name="audit_log"),
    path("login/", account.login_view, name="login"),
    path("login/verify/", account.login_verify, name="login_verify"),
    path("logout/", account.logout_view, name="logout"),
    path("account/", account.profile, name="profile"),
    path("account/password/", account.PasswordChange.as_view(), name="password_change"),
    path("account/two-factor/", account.two_factor_setup, name="two_factor_setup"),
    path("account/tokens/", account.token_create, name="token_create"),
    path("account/tokens/<int:pk>/delete/", account.token_delete, name="token_delete"),
    path("account/columns/<str:label>/", account.save_columns, name="save_columns"),
    path("admin/", admin.site.urls),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", notification_views.notification_read, name="notification_read"),
    path("notifications/read-all/", notification_views.notification_read_all, name="notification_read_all"),
    path(
        "notifications/preferences/",
        notification_views.notification_preferences,
        name="notification_preferences",
    ),
    path("portal/", include(("steward.itsm.views_portal", "portal"), namespace="portal")),
    path("api/search/", SearchView.as_view(), name="api_search"),
    path("api/", include((api_router().urls, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    *ui_patterns(),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
