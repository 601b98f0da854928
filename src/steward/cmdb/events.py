"""Domain events of the CMDB app."""

from steward.core.registry import EventType

EVENT_TYPES = (
    EventType(
        "cmdb.item.lifecycle_window",
        "A configuration item's warranty end, end of life or end of support came within the lifecycle window.",
        model="cmdb.configurationitem",
    ),
)
