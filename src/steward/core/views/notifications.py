"""The signed-in user's notifications page, header dropdown and channel preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from steward.core import notifications
from steward.core.models import Notification
from steward.core.registry import registry


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    qs = Notification.objects.filter(recipient=request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    if request.headers.get("HX-Request"):
        return render(request, "core/notifications.html#dropdown", {"items": qs[:8]})
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page, "unread_only": unread_only})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read and follow its link (the dropdown and list post here when clicked)."""
    item = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notifications.mark_read(request.user, [item.pk])
    target = item.url if item.url and request.POST.get("open") == "1" else reverse("notifications")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("notifications")
    return HttpResponseRedirect(target)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications.mark_read(request.user)
    messages.success(request, _("Marked %d notifications read.") % count)
    return HttpResponseRedirect(reverse("notifications"))


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    kinds = list(registry.notification_kinds.values())
    if request.method == "POST":
        choices = {
            k.name: {c: request.POST.get(f"{k.name}:{c}") == "on" for c in notifications.CHANNELS}
            for k in kinds
        }
        notifications.set_preferences(request.user, choices)
        messages.success(request, _("Notification preferences saved."))
        return HttpResponseRedirect(reverse("notification_preferences"))
    current = notifications.preferences_for(request.user)
    rows = [
        {"kind": k, "in_app": current[k.name]["in_app"], "email": current[k.name]["email"]} for k in kinds
    ]
    return render(request, "core/notification_preferences.html", {"rows": rows})
