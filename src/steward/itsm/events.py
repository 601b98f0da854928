"""Domain events of the ITSM app; event rules turn them into notifications and escalations."""

from steward.core.registry import EventType

EVENT_TYPES = (
    EventType(
        "itsm.sla.warning",
        "An SLA clock of an incident passed its policy's warning threshold.",
        model="itsm.incident",
    ),
    EventType("itsm.sla.breached", "An SLA clock of an incident passed its target.", model="itsm.incident"),
)
