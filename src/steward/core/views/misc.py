"""Home page, global search, the audit log."""

from __future__ import annotations

import django_filters
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from steward.core.dashboards import render_widgets
from steward.core.models import ChangeAction, ObjectChange
from steward.core.permissions import perm_name
from steward.core.registry import registry


@login_required
def home(request: HttpRequest) -> HttpResponse:
    widgets = render_widgets(request.user)
    has_chart = any(w["widget"].kind == "chart" and not w["error"] for w in widgets)
    return render(request, "core/home.html", {"widgets": widgets, "has_chart": has_chart})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    groups = []
    if query:
        for entry in registry.models.values():
            views = entry.views
            if views is None or not request.user.has_perm(perm_name(entry.model, "view")):
                continue
            if not getattr(views.filterset, "search_fields", ()):
                continue
            qs = views.base_queryset().restrict(request.user, "view")
            results = views.filterset({"q": query}, queryset=qs, request=request).qs[:10]
            results = list(results)
            if results:
                groups.append(
                    {
                        "label": entry.model._meta.verbose_name_plural,
                        "results": results,
                        "more": reverse(views.url_name("list")) + "?" + urlencode({"q": query}),
                    }
                )
    return render(request, "core/search.html", {"query": query, "groups": groups})


class ObjectChangeFilterSet(django_filters.FilterSet):
    user = django_filters.CharFilter(field_name="user_name", lookup_expr="icontains")
    action = django_filters.ChoiceFilter(choices=ChangeAction.choices)
    object = django_filters.CharFilter(field_name="object_repr", lookup_expr="icontains")
    request_id = django_filters.CharFilter()
    after = django_filters.IsoDateTimeFilter(field_name="time", lookup_expr="gte")
    before = django_filters.IsoDateTimeFilter(field_name="time", lookup_expr="lte")

    class Meta:
        model = ObjectChange
        fields = ["changed_object_type"]


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("core.view_objectchange"):
        raise PermissionDenied
    qs = ObjectChange.objects.select_related("changed_object_type").order_by("-seq")
    filterset = ObjectChangeFilterSet(request.GET or None, queryset=qs)
    for field in filterset.form.fields.values():
        field.widget.attrs.setdefault("class", "form-control form-control-sm")
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"filterset": filterset, "page": page})
