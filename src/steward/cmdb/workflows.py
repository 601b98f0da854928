"""The drift workflow, declared as data: a person decides between the manual and discovered value."""

from __future__ import annotations

DRIFT = {
    "states": [
        {"name": "open", "label": "Open", "colour": "orange"},
        {"name": "accepted", "label": "Manual value kept", "colour": "secondary"},
        {"name": "overwritten", "label": "Discovered value applied", "colour": "green"},
    ],
    "initial": "open",
    "terminal": ["accepted", "overwritten"],
    "transitions": [
        {"name": "accept", "label": "Keep the manual value", "from": ["open"], "to": "accepted",
         "permission": "change"},
        {"name": "overwrite", "label": "Apply the discovered value", "from": ["open"], "to": "overwritten",
         "permission": "change", "side_effects": ["cmdb.apply_drift"], "colour": "green"},
    ],
}  # fmt: skip
