"""Domain events of the CMDB; event rules turn them into notifications, webhooks and jobs."""

from steward.core.registry import EventType

EVENT_TYPES = (
    EventType(
        "cmdb.discovery.reconciled",
        "Discovery (agent or scan) changed a configuration item: created it, changed fields, "
        "interfaces or installations, or raised drift. Unchanged reports raise nothing.",
        model="cmdb.configurationitem",
    ),
    EventType(
        "cmdb.item.lifecycle_window",
        "A configuration item's warranty end, end of life or end of support came within the lifecycle window.",
        model="cmdb.configurationitem",
    ),
)
