"""Login (throttled, with optional TOTP), logout, password, two-factor enrolment, API tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pyotp
from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from steward.core import auth
from steward.core.models import Token, TOTPDevice, UserPreferences
from steward.core.registry import registry


class LoginForm(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("Username"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "class": "form-control"}
        ),
    )
    password = forms.CharField(
        label=gettext_lazy("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "form-control"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Authentication code"),
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "class": "form-control",
            }
        ),
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("home")


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        address = auth.client_address(request)
        if auth.is_locked_out(username, address):
            form.add_error(None, _("Too many failed attempts. Try again later."))
            status = 429
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                auth.register_failure(username, address)
                form.add_error(None, _("The username or password is not right."))
                status = 401
            else:
                auth.clear_failures(username, address)
                if auth.confirmed_device(user):
                    request.session["pre_2fa_user"] = user.pk
                    request.session["pre_2fa_next"] = _next_url(request)
                    return HttpResponseRedirect(reverse("login_verify"))
                login(request, user)
                return HttpResponseRedirect(_next_url(request))
    elif request.method == "POST":
        status = 422
    return render(
        request, "core/login.html", {"form": form, "next": request.GET.get("next", "")}, status=status
    )


def login_verify(request: HttpRequest) -> HttpResponse:
    user_pk = request.session.get("pre_2fa_user")
    if not user_pk:
        return HttpResponseRedirect(reverse("login"))
    user = get_object_or_404(get_user_model(), pk=user_pk, is_active=True)
    device = auth.confirmed_device(user)
    if device is None:
        # The device was removed since the password step: start the login again.
        request.session.pop("pre_2fa_user", None)
        return HttpResponseRedirect(reverse("login"))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        address = auth.client_address(request)
        if auth.is_locked_out(user.get_username(), address):
            form.add_error(None, _("Too many failed attempts. Try again later."))
            status = 429
        elif auth.verify_totp(device, form.cleaned_data["code"]):
            target = request.session.pop("pre_2fa_next", None) or reverse("home")
            request.session.pop("pre_2fa_user", None)
            login(request, user, backend="steward.core.permissions.ObjectPermissionBackend")
            return HttpResponseRedirect(target)
        else:
            auth.register_failure(user.get_username(), address)
            form.add_error("code", _("That code is not valid."))
            status = 401
    return render(request, "core/login_verify.html", {"form": form}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect(reverse("login"))


class PasswordChange(PasswordChangeView):
    template_name = "core/password_change.html"
    success_url = reverse_lazy("profile")

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    prefs, _created = UserPreferences.objects.get_or_create(user=request.user)
    if request.method == "POST":
        import zoneinfo

        tz = request.POST.get("time_zone", "").strip()
        if tz and tz not in zoneinfo.available_timezones():
            messages.error(request, _("Unknown time zone: %s") % tz)
        else:
            prefs.time_zone = tz
            prefs.theme = (
                request.POST.get("theme", "auto")
                if request.POST.get("theme") in ("auto", "light", "dark")
                else "auto"
            )
            prefs.save()
            request.session["time_zone"] = tz
            messages.success(request, _("Preferences saved."))
        return HttpResponseRedirect(reverse("profile"))
    context = {
        "prefs": prefs,
        "device": auth.confirmed_device(request.user),
        "tokens": Token.objects.filter(user=request.user),
        "token_scopes": sorted(registry.token_scopes.items()),
    }
    return render(request, "core/profile.html", context)


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, defaults={"secret": pyotp.random_base32()}
    )
    if device.confirmed and request.method == "GET":
        return render(request, "core/two_factor.html", {"device": device, "confirmed": True})
    form = CodeForm(request.POST or None)
    if request.method == "POST" and "disable" in request.POST:
        if (
            auth.needs_two_factor_enrolment(request.user)
            or request.user.groups.filter(settings__require_two_factor=True).exists()
        ):
            messages.error(request, _("Your role requires two-factor authentication."))
        else:
            device.delete()
            messages.success(request, _("Two-factor authentication is off."))
        return HttpResponseRedirect(reverse("profile"))
    if request.method == "POST" and form.is_valid():
        if auth.verify_totp(device, form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            messages.success(request, _("Two-factor authentication is on."))
            return HttpResponseRedirect(reverse("profile"))
        form.add_error("code", _("That code is not valid."))
    uri = pyotp.TOTP(device.secret).provisioning_uri(name=request.user.get_username(), issuer_name="Steward")
    return render(
        request, "core/two_factor.html", {"device": device, "uri": uri, "form": form, "confirmed": False}
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    days = request.POST.get("expires_days", "90")
    try:
        expires = timezone.now() + timedelta(days=int(days)) if days else None
        if expires is not None and expires <= timezone.now():
            raise ValueError
    except (ValueError, OverflowError):
        messages.error(request, _("Expiry must be a positive number of days (or blank for none)."))
        return HttpResponseRedirect(reverse("profile"))
    scope = request.POST.get("scope", "")
    if scope and scope not in registry.token_scopes:
        messages.error(request, _("Unknown token scope."))
        return HttpResponseRedirect(reverse("profile"))
    token, key = Token.issue(
        user=request.user,
        description=request.POST.get("description", "")[:200],
        write_enabled=request.POST.get("write_enabled") == "on",
        expires=expires,
        scope=scope,
    )
    return render(request, "core/token_created.html", {"token": token, "key": key})


@login_required
@require_POST
def token_delete(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Token, pk=pk, user=request.user).delete()
    messages.success(request, _("Token revoked."))
    return HttpResponseRedirect(reverse("profile"))


@login_required
@require_POST
def save_columns(request: HttpRequest, label: str) -> HttpResponse:
    prefs, _created = UserPreferences.objects.get_or_create(user=request.user)
    columns = [c for c in request.POST.getlist("columns") if c.replace("_", "").isalnum()][:50]
    prefs.data.setdefault("columns", {})[label] = columns
    prefs.save(update_fields=["data"])
    target = request.POST.get("return_url", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return HttpResponseRedirect(target)
