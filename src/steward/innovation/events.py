"""Domain events of the innovation app; event rules turn them into notifications and webhooks."""

from steward.core.registry import EventType

EVENT_TYPES = (
    EventType("innovation.idea.promoted", "An idea became a strategic initiative or a project.",
              model="innovation.idea"),
    EventType("innovation.radar.moved", "A technology-radar entry moved to another ring.",
              model="innovation.radarentry"),
    EventType("innovation.communication.sent", "A change plan's scheduled communication was sent.",
              model="innovation.communicationmessage"),
)  # fmt: skip
