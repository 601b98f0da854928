"""The default life cycles of enrolments and open positions, declared as data."""

from __future__ import annotations

ENROLMENT = {
    "states": [
        {"name": "planned", "label": "Planned", "colour": "secondary"},
        {"name": "enrolled", "label": "Enrolled", "colour": "blue"},
        {"name": "completed", "label": "Completed", "colour": "green"},
        {"name": "cancelled", "label": "Cancelled", "colour": "dark"},
    ],
    "initial": "planned",
    "terminal": ["completed", "cancelled"],
    "transitions": [
        {"name": "enrol", "label": "Enrol", "from": ["planned"], "to": "enrolled", "fields": ["start_date"]},
        {"name": "complete", "label": "Complete", "from": ["enrolled"], "to": "completed", "colour": "green",
         "required_fields": ["completion_date"], "fields": ["score"], "actions": ["talent.enrolment_completed"]},
        {"name": "cancel", "label": "Cancel", "from": ["planned", "enrolled"], "to": "cancelled", "colour": "red"},
    ],
}  # fmt: skip

POSITION = {
    "states": [
        {"name": "open", "label": "Open", "colour": "blue"},
        {"name": "filled", "label": "Filled", "colour": "green"},
        {"name": "cancelled", "label": "Cancelled", "colour": "dark"},
    ],
    "initial": "open",
    "terminal": ["filled", "cancelled"],
    "transitions": [
        {"name": "fill", "label": "Filled", "from": ["open"], "to": "filled", "colour": "green",
         "required_fields": ["filled_by"]},
        {"name": "cancel", "label": "Cancel", "from": ["open"], "to": "cancelled", "colour": "red"},
    ],
}  # fmt: skip
