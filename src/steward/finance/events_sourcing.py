"""Domain events of sourcing; event rules turn them into notifications, webhooks and jobs."""

from steward.core.registry import EventType

EVENT_TYPES = (
    EventType(
        "finance.contract.notice_deadline",
        "A live contract reached its notice deadline (end date minus notice period): the last day to give "
        "notice or to stop an automatic renewal. Raised once per contract term.",
        model="finance.contract",
    ),
    EventType(
        "finance.contract.expired",
        "A contract that does not renew automatically reached its end date. Raised once per term.",
        model="finance.contract",
    ),
    EventType(
        "finance.contract.renewed",
        "A contract's end date moved by a renewal term, automatically on its end date or by hand.",
        model="finance.contract",
    ),
)
