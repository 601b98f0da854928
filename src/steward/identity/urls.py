from django.urls import path, re_path

from steward.identity.scim import views as scim

urlpatterns = [
    path("scim/v2", scim.endpoint),
    re_path(r"^scim/v2/(?P<path>.*)$", scim.endpoint),
]
