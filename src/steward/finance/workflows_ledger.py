"""The approval pipeline of a budget version, declared as data (administrators may replace it)."""

from __future__ import annotations

APPROVERS = ["Budget approvers"]

BUDGET_VERSION = {
    "states": [
        {"name": "draft", "label": "Draft", "colour": "secondary"},
        {"name": "submitted", "label": "Submitted", "colour": "blue"},
        {"name": "approved", "label": "Approved", "colour": "green"},
        {"name": "superseded", "label": "Superseded", "colour": "dark"},
    ],
    "initial": "draft",
    "terminal": ["superseded"],
    "transitions": [
        {"name": "submit", "label": "Submit for approval", "from": ["draft"], "to": "submitted"},
        {"name": "return", "label": "Return to draft", "from": ["submitted"], "to": "draft", "roles": APPROVERS,
         "colour": "orange"},
        {"name": "approve", "label": "Approve", "from": ["submitted"], "to": "approved", "roles": APPROVERS,
         "colour": "green", "actions": ["finance.supersede_other_versions"]},
        {"name": "supersede", "label": "Supersede", "from": ["approved"], "to": "superseded", "roles": APPROVERS},
    ],
}  # fmt: skip
