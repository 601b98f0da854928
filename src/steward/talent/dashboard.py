"""Talent's contributions to the home page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core.dashboards import Widget
from steward.talent import services
from steward.talent.models import CertificationHolding


def key_person_risks(user: Any) -> dict[str, Any]:
    risks = services.key_person_risks(user=user)[:8]
    return {
        "columns": [_("Service or item class"), _("Qualified"), _("Who")],
        "rows": [
            [str(c.target), c.count, ", ".join([*c.names, *([f"+{c.hidden}"] if c.hidden else [])]) or "—"]
            for c in risks
        ],
        "links": [c.target.get_absolute_url() for c in risks],
        "url": reverse("talent:estateskillrequirement_coverage"),
    }


def expiring_certifications(user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    rows = list(
        CertificationHolding.objects.restrict(user, "view")
        .filter(expires__gte=today, expires__lte=today + dt.timedelta(days=90))
        .select_related("person", "certification")
        .order_by("expires", "id")[:8]
    )
    return {
        "columns": [_("Person"), _("Certification"), _("Expires")],
        "rows": [[str(h.person), str(h.certification), h.expires.isoformat()] for h in rows],
        "links": [h.get_absolute_url() for h in rows],
        "url": reverse("talent:certificationholding_list")
        + f"?expires_before={today + dt.timedelta(days=90)}",
    }


WIDGETS = (
    Widget(
        "talent.key_person_risks", _("Key-person risks"), "table", key_person_risks,
        "talent.view_estateskillrequirement", weight=30, width=6,
    ),
    Widget(
        "talent.expiring_certifications", _("Certifications expiring in 90 days"), "table",
        expiring_certifications, "talent.view_certificationholding", weight=31, width=6,
    ),
)  # fmt: skip


def proficiency_levels(user: Any) -> dict[str, Any]:
    from django.db.models import Count

    from steward.talent.models import Proficiency, ProficiencyLevel

    counts = dict(
        Proficiency.objects.restrict(user, "view").values_list("level").annotate(n=Count("id")).order_by()
    )
    names = dict(ProficiencyLevel.objects.values_list("level", "name"))
    levels = range(1, 8)
    return {
        "type": "bar",
        "labels": [f"{n} {names.get(n, '')}".strip() for n in levels],
        "datasets": [{"label": str(_("Proficiencies")), "data": [counts.get(n, 0) for n in levels]}],
    }


WIDGETS = (
    *WIDGETS,
    Widget(
        "talent.proficiency_levels", _("Proficiencies by level"), "chart", proficiency_levels,
        "talent.view_proficiency", weight=32, width=6,
    ),
)  # fmt: skip
