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
        "notes": list(services.visible_notes(incident=incident, user=user)),
        "time_entries": list(incident.time_entries.select_related("person")),
        "time_total": sum(t.minutes for t in incident.time_entries.all()),
        "known_errors": services.matching_known_errors(incident=incident, user=user),
        "children": list(
            incident.children.restrict(user, "view").only("pk", "reference", "short_description", "state")
        ),
        "can_work_note": user.has_perm("itsm.add_incidentnote"),
        "can_log_time": user.has_perm("itsm.add_timeentry"),
    }
