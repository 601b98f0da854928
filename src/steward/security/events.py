"""Domain events of the security app; event rules turn them into notifications and escalations."""

from steward.core.registry import EventType

EVENT_TYPES = (
    EventType(
        "security.finding.overdue",
        "A vulnerability finding passed its remediation due date while still open.",
        model="security.finding",
    ),
    EventType(
        "security.breach.notification_at_risk",
        "A personal-data breach is within 24 hours of its 72-hour regulator-notification deadline.",
        model="security.securityincident",
    ),
    EventType(
        "security.breach.notification_overdue",
        "A personal-data breach passed its 72-hour regulator-notification deadline unnotified.",
        model="security.securityincident",
    ),
)

#: The event rule shipped enabled with the app (a data migration and
#: ``services.ensure_default_event_rules`` create it once; users may edit or disable it): when
#: discovery adds or retires installed software on an item, match that item's findings at once,
#: rather than at the next six-hourly ``security.match_findings`` run.
REMATCH_AFTER_DISCOVERY = {
    "name": "Re-match vulnerabilities after discovery",
    "event_types": ["cmdb.discovery.reconciled"],
    "conditions": {
        "or": [
            {"field": "data.installations.added", "op": "gt", "value": 0},
            {"field": "data.installations.retired", "op": "gt", "value": 0},
        ]
    },
    "action": "job",
    "job_name": "security.match_discovered_item",
}
DEFAULT_EVENT_RULES = (REMATCH_AFTER_DISCOVERY,)
