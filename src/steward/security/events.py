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
