"""Template helpers for the ITSM detail pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

register = template.Library()


@register.simple_tag
def incident_extras(incident: Any, user: Any) -> dict[str, Any]:
    """What the incident page shows beside its fields: clocks, notes, time, known errors, children."""
    from steward.itsm import services
    from steward.itsm.servicedesk import services as desk

    now = timezone.now()
    clocks = [
        {
            "clock": c,
            "elapsed": round(services.clock_elapsed(c, now)),
            "percent": services.clock_percent(c, now),
        }
        for c in incident.sla_clocks.select_related("policy__calendar")
    ]
    return {
        "clocks": clocks,
        "time_entries": list(incident.time_entries.select_related("person")),
        "time_total": sum(t.minutes for t in incident.time_entries.all()),
        "known_errors": services.matching_known_errors(incident=incident, user=user),
        "children": list(
            incident.children.restrict(user, "view").only("pk", "reference", "short_description", "state")
        ),
        "can_work_note": user.has_perm("itsm.add_incidentnote"),
        "timeline": desk.timeline(incident=incident, user=user),
        "canned": list(desk.canned_responses_for(incident).restrict(user, "view").only("pk", "name")),
        "can_take": (
            getattr(user, "person", None) is not None
            and incident.assignee_id != user.person.pk
            and incident.state not in desk.CLOSED_STATES
            and user.has_perm("itsm.change_incident", incident)
        ),
        "can_log_time": user.has_perm("itsm.add_timeentry"),
    }
