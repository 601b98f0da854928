"""The ITIL default workflows of incidents, problems and changes, declared as data.

Administrators can replace any of them with a ``WorkflowDefinition`` row; these are the
defaults a new installation runs.
"""

from __future__ import annotations

AGENTS = ["Service desk agents", "Incident managers"]
PROBLEM_MANAGERS = ["Problem managers", "Service desk agents"]
CHANGE_MANAGERS = ["Change managers"]
CAB = ["Change advisory board"]
ECAB = ["Emergency change advisory board"]

INCIDENT = {
    "states": [
        {"name": "new", "label": "New", "colour": "blue"},
        {"name": "in_progress", "label": "In progress", "colour": "cyan"},
        {"name": "on_hold", "label": "On hold", "colour": "yellow"},
        {"name": "resolved", "label": "Resolved", "colour": "green"},
        {"name": "closed", "label": "Closed", "colour": "secondary"},
    ],
    "initial": "new",
    "terminal": ["closed"],
    "transitions": [
        {"name": "start", "label": "Start work", "from": ["new"], "to": "in_progress", "roles": AGENTS},
        {"name": "hold", "label": "Put on hold", "from": ["new", "in_progress"], "to": "on_hold",
         "required_fields": ["hold_reason"], "roles": AGENTS},
        {"name": "resume", "label": "Resume", "from": ["on_hold"], "to": "in_progress", "roles": AGENTS},
        {"name": "resolve", "label": "Resolve", "from": ["new", "in_progress", "on_hold"], "to": "resolved",
         "required_fields": ["resolution_code", "resolution_notes"], "roles": AGENTS, "colour": "green",
         "side_effects": ["itsm.send_survey"]},
        {"name": "reopen", "label": "Reopen", "from": ["resolved"], "to": "in_progress"},
        {"name": "close", "label": "Close", "from": ["resolved"], "to": "closed", "roles": AGENTS},
    ],
}  # fmt: skip

PROBLEM = {
    "states": [
        {"name": "new", "label": "New", "colour": "blue"},
        {"name": "assessing", "label": "Assessing", "colour": "cyan"},
        {"name": "root_cause_analysis", "label": "Root-cause analysis", "colour": "purple"},
        {"name": "fix_in_progress", "label": "Fix in progress", "colour": "orange"},
        {"name": "resolved", "label": "Resolved", "colour": "green"},
        {"name": "closed", "label": "Closed", "colour": "secondary"},
    ],
    "initial": "new",
    "terminal": ["closed"],
    "transitions": [
        {"name": "assess", "label": "Assess", "from": ["new"], "to": "assessing", "roles": PROBLEM_MANAGERS},
        {"name": "analyse", "label": "Start root-cause analysis", "from": ["assessing"],
         "to": "root_cause_analysis", "roles": PROBLEM_MANAGERS},
        {"name": "start_fix", "label": "Start fix", "from": ["root_cause_analysis"], "to": "fix_in_progress",
         "required_fields": ["root_cause"], "fields": ["workaround"], "roles": PROBLEM_MANAGERS},
        {"name": "resolve", "label": "Resolve", "from": ["fix_in_progress"], "to": "resolved",
         "required_fields": ["fix"], "roles": PROBLEM_MANAGERS, "colour": "green"},
        {"name": "reopen", "label": "Reopen", "from": ["resolved"], "to": "root_cause_analysis",
         "roles": PROBLEM_MANAGERS},
        {"name": "close", "label": "Close", "from": ["resolved"], "to": "closed", "roles": PROBLEM_MANAGERS},
    ],
}  # fmt: skip

CHANGE = {
    "states": [
        {"name": "new", "label": "New", "colour": "blue"},
        {"name": "assess", "label": "Assess", "colour": "cyan"},
        {"name": "authorise", "label": "Authorise", "colour": "purple"},
        {"name": "scheduled", "label": "Scheduled", "colour": "indigo"},
        {"name": "implement", "label": "Implement", "colour": "orange"},
        {"name": "review", "label": "Review", "colour": "yellow"},
        {"name": "closed", "label": "Closed", "colour": "green"},
        {"name": "cancelled", "label": "Cancelled", "colour": "secondary"},
    ],
    "initial": "new",
    "terminal": ["closed", "cancelled"],
    "transitions": [
        {"name": "submit", "label": "Submit for assessment", "from": ["new"], "to": "assess",
         "required_fields": ["planned_start", "planned_end"]},
        {"name": "request_approval", "label": "Request CAB approval", "from": ["assess"], "to": "authorise",
         "conditions": {"type__ne": "standard"}, "roles": CHANGE_MANAGERS},
        # Standard changes are pre-approved: they skip the board.
        {"name": "schedule_standard", "label": "Schedule (pre-approved)", "from": ["assess"], "to": "scheduled",
         "conditions": {"type": "standard"}, "roles": CHANGE_MANAGERS},
        {"name": "approve", "label": "Approve (CAB)", "from": ["authorise"], "to": "scheduled",
         "conditions": {"type": "normal"}, "approvals": 2, "approver_roles": CAB, "colour": "green"},
        # Emergency path: one approval from the emergency board is enough.
        {"name": "approve_emergency", "label": "Approve (emergency CAB)", "from": ["authorise"],
         "to": "scheduled", "conditions": {"type": "emergency"}, "approvals": 1, "approver_roles": ECAB,
         "colour": "green"},
        {"name": "reject", "label": "Reject", "from": ["authorise"], "to": "assess", "roles": CAB + ECAB},
        {"name": "implement", "label": "Start implementation", "from": ["scheduled"], "to": "implement",
         "fields": ["actual_start"], "roles": CHANGE_MANAGERS},
        {"name": "review", "label": "Finish and review", "from": ["implement"], "to": "review",
         "fields": ["actual_end"], "roles": CHANGE_MANAGERS},
        {"name": "close", "label": "Close", "from": ["review"], "to": "closed", "required_fields": ["review_notes"],
         "roles": CHANGE_MANAGERS},
        {"name": "cancel", "label": "Cancel", "from": "*", "to": "cancelled", "roles": CHANGE_MANAGERS,
         "colour": "secondary"},
    ],
}  # fmt: skip
