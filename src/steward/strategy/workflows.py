"""The default pipeline of an initiative, declared as data (administrators may replace it)."""

from __future__ import annotations

BOARD = ["Portfolio board"]
MANAGERS = ["Portfolio managers", "Portfolio board"]

INITIATIVE = {
    "states": [
        {"name": "idea", "label": "Idea", "colour": "secondary"},
        {"name": "proposed", "label": "Proposed", "colour": "blue"},
        {"name": "approved", "label": "Approved", "colour": "cyan"},
        {"name": "in_delivery", "label": "In delivery", "colour": "orange"},
        {"name": "done", "label": "Done", "colour": "green"},
        {"name": "benefits_realised", "label": "Benefits realised", "colour": "teal"},
        {"name": "rejected", "label": "Rejected", "colour": "red"},
        {"name": "cancelled", "label": "Cancelled", "colour": "dark"},
    ],
    "initial": "idea",
    "terminal": ["benefits_realised", "cancelled"],
    "transitions": [
        {"name": "propose", "label": "Propose", "from": ["idea"], "to": "proposed",
         "required_fields": ["sponsor", "start_date"]},
        {"name": "approve", "label": "Approve", "from": ["proposed"], "to": "approved", "roles": BOARD,
         "colour": "green"},
        {"name": "reject", "label": "Reject", "from": ["proposed"], "to": "rejected", "roles": BOARD,
         "colour": "red"},
        {"name": "reconsider", "label": "Back to idea", "from": ["rejected"], "to": "idea", "roles": MANAGERS},
        {"name": "start", "label": "Start delivery", "from": ["approved"], "to": "in_delivery", "roles": MANAGERS,
         "fields": ["project"]},
        {"name": "complete", "label": "Delivered", "from": ["in_delivery"], "to": "done", "roles": MANAGERS},
        {"name": "realise", "label": "Benefits realised", "from": ["done"], "to": "benefits_realised",
         "roles": MANAGERS},
        {"name": "cancel", "label": "Cancel", "from": ["idea", "proposed", "approved", "in_delivery"],
         "to": "cancelled", "roles": MANAGERS},
    ],
}  # fmt: skip
