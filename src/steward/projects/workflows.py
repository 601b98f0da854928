"""The agile and stage-gate workflows of projects, declared as data (administrators may replace them)."""

from __future__ import annotations

SPRINT = {
    "states": [
        {"name": "planned", "label": "Planned", "colour": "blue"},
        {"name": "active", "label": "Active", "colour": "orange"},
        {"name": "closed", "label": "Closed", "colour": "green"},
    ],
    "initial": "planned",
    "terminal": ["closed"],
    "transitions": [
        {"name": "start", "label": "Start sprint", "from": ["planned"], "to": "active",
         "guards": ["projects.one_active_sprint"], "actions": ["projects.sprint_started"], "colour": "orange"},
        {"name": "close", "label": "Close sprint", "from": ["active"], "to": "closed", "fields": ["carry_over_to"],
         "actions": ["projects.sprint_closed"], "colour": "green"},
    ],
}  # fmt: skip

#: A backlog item's state is its board column; each transition is one allowed move on the board.
BACKLOG_ITEM = {
    "states": [
        {"name": "backlog", "label": "Backlog", "colour": "secondary"},
        {"name": "ready", "label": "Ready", "colour": "blue"},
        {"name": "in_progress", "label": "In progress", "colour": "orange"},
        {"name": "review", "label": "Review", "colour": "purple"},
        {"name": "done", "label": "Done", "colour": "green"},
    ],
    "initial": "backlog",
    "terminal": [],
    "transitions": [
        {"name": "refine", "label": "Ready", "from": ["backlog"], "to": "ready"},
        {"name": "unrefine", "label": "Back to backlog", "from": ["ready"], "to": "backlog"},
        {"name": "start", "label": "Start work", "from": ["ready"], "to": "in_progress"},
        {"name": "pause", "label": "Back to ready", "from": ["in_progress"], "to": "ready"},
        {"name": "submit", "label": "Submit for review", "from": ["in_progress"], "to": "review"},
        {"name": "rework", "label": "Rework", "from": ["review"], "to": "in_progress"},
        {"name": "accept", "label": "Accept (done)", "from": ["review"], "to": "done", "colour": "green"},
        {"name": "reopen", "label": "Reopen", "from": ["done"], "to": "in_progress"},
    ],
}  # fmt: skip

STAGE_GATE = {
    "states": [
        {"name": "open", "label": "Open", "colour": "secondary"},
        {"name": "submitted", "label": "Awaiting approval", "colour": "yellow"},
        {"name": "approved", "label": "Approved", "colour": "green"},
        {"name": "rejected", "label": "Rejected", "colour": "red"},
    ],
    "initial": "open",
    "terminal": [],
    "transitions": [
        {"name": "submit", "label": "Request approval", "from": ["open"], "to": "submitted",
         "guards": ["projects.gate_ready"]},
        {"name": "approve", "label": "Approve", "from": ["submitted"], "to": "approved", "approvals": 1,
         "approvers": "projects.gate_approvers", "colour": "green"},
        {"name": "reject", "label": "Reject", "from": ["submitted"], "to": "rejected",
         "approvers": "projects.gate_approvers", "colour": "red"},
        {"name": "reopen", "label": "Reopen", "from": ["rejected", "approved"], "to": "open"},
    ],
}  # fmt: skip
