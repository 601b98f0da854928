"""Domain events of the GRC app; event rules turn them into notifications and webhooks."""

from steward.core.registry import EventType

EVENT_TYPES = (
    EventType(
        "grc.risk.acceptance_expired",
        "The acceptance of a risk passed its expiry date (raised once per expiry).",
        model="grc.risk",
    ),
    EventType("grc.risk.review_due", "A risk is due for its periodic review.", model="grc.risk"),
    EventType("grc.policy.review_due", "A published policy reached its review date.", model="grc.policy"),
    EventType("grc.framework.imported", "A framework was imported or updated.", model="grc.framework"),
    EventType("grc.evidence.collected", "Automated evidence was collected again.", model="grc.evidence"),
)
