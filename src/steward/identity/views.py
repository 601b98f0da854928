"""Sign-in with OpenID Connect providers."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from steward.core.context import change_context
from steward.core.permissions import user_can
from steward.core.views import ObjectViews, Panel
from steward.identity import conf, filtersets, forms, oidc, services, tables
from steward.identity.models import IdentitySettings, LDAPDirectory, OIDCProvider

SESSION_KEY = "oidc_pending"


def _callback_uri(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("oidc_callback"))


def oidc_start(request: HttpRequest, slug: str) -> HttpResponse:
    oidc.env_provider()
    provider = get_object_or_404(OIDCProvider, slug=slug, enabled=True)
    try:
        url, pending = oidc.start(provider, _callback_uri(request))
    except oidc.OIDCError as exc:
        messages.error(
            request, _("Sign-in with %(name)s is unavailable: %(error)s") % {"name": provider, "error": exc}
        )
        return HttpResponseRedirect(reverse("login"))
    target = request.GET.get("next", "")
    pending["next"] = (
        target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else ""
    )
    request.session[SESSION_KEY] = pending
    return HttpResponseRedirect(url)


def oidc_callback(request: HttpRequest) -> HttpResponse:
    pending = request.session.pop(SESSION_KEY, None)
    if not pending or request.GET.get("state") != pending.get("state"):
        messages.error(request, _("The sign-in could not be matched to this browser; please try again."))
        return HttpResponseRedirect(reverse("login"))
    provider = get_object_or_404(OIDCProvider, slug=pending["provider"], enabled=True)
    if request.GET.get("error"):
        messages.error(
            request,
            _("%(name)s refused the sign-in: %(error)s")
            % {"name": provider, "error": request.GET["error"][:200]},
        )
        return HttpResponseRedirect(reverse("login"))
    try:
        claims, id_token = oidc.finish(provider, pending, request.GET.get("code", ""), _callback_uri(request))
        with change_context(actor=f"oidc:{provider.slug}", source="ui"):
            user = services.oidc_sign_in(provider=provider, claims=claims)
    except (oidc.OIDCError, services.SignInRefused) as exc:
        messages.error(
            request, _("Sign-in with %(name)s failed: %(error)s") % {"name": provider, "error": exc}
        )
        return HttpResponseRedirect(reverse("login"))
    login(request, user, backend="steward.core.permissions.ObjectPermissionBackend")
    logout_url = oidc.logout_url(provider, id_token, request.build_absolute_uri(reverse("login")))
    if logout_url:
        request.session["sso_logout_url"] = logout_url
    return HttpResponseRedirect(pending.get("next") or reverse("home"))


def login_buttons(request: HttpRequest) -> list[tuple[str, str, str]]:
    oidc.env_provider()
    return [
        (
            p.button_label or _("Sign in with %(name)s") % {"name": p.name},
            reverse("oidc_start", args=[p.slug]),
            "login",
        )
        for p in OIDCProvider.objects.filter(enabled=True).order_by("name")
    ]


class LDAPDirectoryViews(ObjectViews):
    filterset = filtersets.LDAPDirectoryFilterSet
    form = forms.LDAPDirectoryForm
    table = tables.LDAPDirectoryTable
    panels = (
        Panel(
            "Directory",
            (
                "name",
                "enabled",
                "login_enabled",
                "sync_enabled",
                "server_uri",
                "start_tls",
                "verify_certificate",
            ),
        ),
        Panel(
            "Search",
            ("bind_dn", "bind_password_env", "user_base_dn", "user_filter", "group_base_dn", "group_filter"),
        ),
        Panel("Mapping", ("attribute_map", "role_map", "timeout")),
        Panel("Last sync", ("last_sync", "last_sync_outcome", "last_sync_report")),
    )


class OIDCProviderViews(ObjectViews):
    filterset = filtersets.OIDCProviderFilterSet
    form = forms.OIDCProviderForm
    table = tables.OIDCProviderTable
    panels = (
        Panel("Provider", ("name", "slug", "enabled", "issuer", "client_id", "client_secret_env", "scopes")),
        Panel("Mapping", ("claim_map", "role_map", "create_users", "button_label")),
    )


class IdentitySettingsForm(django_forms.ModelForm):
    class Meta:
        model = IdentitySettings
        fields = ("local_login_enabled", "scim_enabled")


SWITCHES = (("local_login_enabled", "STEWARD_LOCAL_LOGIN"), ("scim_enabled", "STEWARD_SCIM_ENABLED"))


@login_required
def identity_settings(request: HttpRequest) -> HttpResponse:
    """Turn local sign-in and SCIM on or off; lists the directories and providers."""
    if not user_can(request.user, IdentitySettings, "change"):
        raise PermissionDenied
    current = IdentitySettings.current()
    form = IdentitySettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        settings_row = form.save(commit=False)
        for name, env in SWITCHES:
            if conf.forced(env) is not None:  # the environment decides; keep the stored choice
                setattr(settings_row, name, getattr(current, name))
        settings_row.save()
        messages.success(request, _("Sign-in settings saved."))
        return HttpResponseRedirect(reverse("identity_settings"))
    context = {
        "switches": [(form[name], env, conf.forced(env)) for name, env in SWITCHES],
        "directories": LDAPDirectory.objects.all(),
        "providers": OIDCProvider.objects.all(),
    }
    return render(request, "identity/settings.html", context)
