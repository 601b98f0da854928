"""Domain events of the talent app; event rules turn them into notifications and webhooks."""

from steward.core.registry import EventType

EVENT_TYPES = (
    EventType(
        "talent.certification.expiring",
        "A certification holding reaches a reminder threshold before its expiry (once per threshold).",
        model="talent.certificationholding",
    ),
    EventType(
        "talent.enrolment.completed",
        "A person completed a course; the data carry its cost and currency (for finance expenses).",
        model="talent.enrolment",
    ),
    EventType(
        "talent.library.imported", "A skills library was imported or updated.", model="talent.skilllibrary"
    ),
)
