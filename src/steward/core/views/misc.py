"""Home page, global search, the audit log."""

from __future__ import annotations

import django_filters
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from steward.core.dashboards import render_widgets
from steward.core.models import ChangeAction, ObjectChange


@login_required
def home(request: HttpRequest) -> HttpResponse:
    widgets = render_widgets(request.user)
    has_chart = any(w["widget"].kind == "chart" and not w["error"] for w in widgets)
    return render(request, "core/home.html", {"widgets": widgets, "has_chart": has_chart})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Global search over every registered model's declared fields, grouped by type."""
    from steward.core.search.query import search as run_search

    query = request.GET.get("q", "").strip()
    types = request.GET.getlist("type") or None
    # one type chosen ("more of these"): show a longer list of it
    per_type = 50 if types and len(types) == 1 else 10
    groups = run_search(request.user, query, types=types, per_type=per_type) if query else []
    for group in groups:
        more = len(group.hits) < group.total or not group.total_is_exact
        group.more = (
            f"{request.path}?{urlencode({'q': query, 'type': group.type})}" if more and not types else ""
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
