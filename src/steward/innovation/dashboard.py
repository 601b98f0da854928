"""Innovation's contributions to the home page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core.dashboards import Widget
from steward.innovation import services
from steward.innovation.models import CommunicationMessage, Idea


def idea_funnel(user: Any) -> dict[str, Any]:
    stages, _rejected = services.funnel(Idea.objects.restrict(user, "view"))
    return {
        "type": "bar",
        "labels": [s.label for s in stages],
        "datasets": [
            {"label": str(_("Now in stage")), "data": [s.current for s in stages]},
            {"label": str(_("Ever reached")), "data": [s.reached for s in stages]},
        ],
    }


def communications_due(user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    rows = list(
        CommunicationMessage.objects.restrict(user, "view")
        .filter(sent_at__isnull=True, send_on__lte=today + timezone.timedelta(days=7))
        .select_related("plan")
        .order_by("send_on", "pk")[:8]
    )
    return {
        "columns": [_("Send on"), _("Subject"), _("Plan")],
        "rows": [[m.send_on, m.subject, m.plan.reference] for m in rows],
        "links": [m.get_absolute_url() for m in rows],
        "url": reverse("innovation:communicationmessage_list") + "?sent=false",
    }


WIDGETS = (
    Widget("innovation.idea_funnel", _("Idea funnel"), "chart", idea_funnel, "innovation.view_idea",
           weight=70, width=6),
    Widget("innovation.communications_due", _("Change communications due"), "table", communications_due,
           "innovation.view_communicationmessage", weight=71, width=6),
)  # fmt: skip
