from django.urls import path

from steward.identity import views
from steward.identity.scim import views as scim

urlpatterns = [
    path("scim/v2", scim.endpoint),
    path("scim/v2/", scim.endpoint),
    path("scim/v2/<path:path>", scim.endpoint),
    path("identity/settings/", views.identity_settings, name="identity_settings"),
    path("login/oidc/callback/", views.oidc_callback, name="oidc_callback"),
    path("login/oidc/<slug:slug>/", views.oidc_start, name="oidc_start"),
]
