"""Domain events of the identity app: a directory sync finished or failed."""

from steward.core.registry import EventType

EVENT_TYPES = (
    EventType(
        "identity.directory.synced",
        "A directory sync finished (the report is in the data).",
        model="identity.ldapdirectory",
    ),
    EventType(
        "identity.directory.sync_failed",
        "A directory sync could not reach or search the directory; nothing was changed.",
        model="identity.ldapdirectory",
    ),
)
