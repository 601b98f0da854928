"""The organisation's contributions to the home page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from steward.core.dashboards import Widget
from steward.org.choices import PersonStatus
from steward.org.models import Department, Person, Team


def people_count(user: Any) -> dict[str, Any]:
    qs = Person.objects.restrict(user, "view")
    return {
        "value": qs.filter(status=PersonStatus.ACTIVE).count(),
        "subtitle": _("active people"),
        "url": reverse("org:person_list") + f"?status={PersonStatus.ACTIVE}",
    }


def team_count(user: Any) -> dict[str, Any]:
    return {"value": Team.objects.restrict(user, "view").count(), "url": reverse("org:team_list")}


def department_count(user: Any) -> dict[str, Any]:
    return {"value": Department.objects.restrict(user, "view").count(), "url": reverse("org:department_list")}


def people_by_department(user: Any) -> dict[str, Any]:
    rows = (
        Person.objects.restrict(user, "view")
        .values("department__name")
        .annotate(n=Count("id"))
        .order_by("-n", "department__name")[:12]
    )
    labels = [r["department__name"] or str(_("No department")) for r in rows]
    return {
        "type": "bar",
        "labels": labels,
        "datasets": [{"label": str(_("People")), "data": [r["n"] for r in rows]}],
    }


def newest_people(user: Any) -> dict[str, Any]:
    people = list(
        Person.objects.restrict(user, "view").select_related("department").order_by("-created", "-id")[:5]
    )
    return {
        "columns": [_("Name"), _("Department"), _("Title")],
        "rows": [[str(p), p.department.name if p.department else "", p.title] for p in people],
        "links": [p.get_absolute_url() for p in people],
        "url": reverse("org:person_list"),
    }


WIDGETS = (
    Widget("org.people", _("People"), "counter", people_count, "org.view_person", weight=10),
    Widget("org.teams", _("Teams"), "counter", team_count, "org.view_team", weight=11),
    Widget(
        "org.departments", _("Departments"), "counter", department_count, "org.view_department", weight=12
    ),
    Widget(
        "org.people_by_department",
        _("People by department"),
        "chart",
        people_by_department,
        "org.view_person",
        weight=20,
        width=6,
    ),
    Widget(
        "org.newest_people", _("Newest people"), "table", newest_people, "org.view_person", weight=21, width=6
    ),
)
