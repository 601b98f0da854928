"""Default workflows of service requests and their fulfilment tasks, declared as data.

Transitions marked "system" are run by Steward itself (the automation account) when approvals
complete or tasks finish; agents holding the change permission may run them by hand too.
"""

from __future__ import annotations

REQUEST = {
    "states": [
        {"name": "submitted", "label": "Submitted", "colour": "blue"},
        {"name": "awaiting_approval", "label": "Awaiting approval", "colour": "yellow"},
        {"name": "approved", "label": "Approved", "colour": "lime"},
        {"name": "rejected", "label": "Rejected", "colour": "red"},
        {"name": "fulfilling", "label": "Fulfilling", "colour": "cyan"},
        {"name": "fulfilled", "label": "Fulfilled", "colour": "green"},
        {"name": "closed", "label": "Closed", "colour": "secondary"},
        {"name": "cancelled", "label": "Cancelled", "colour": "secondary"},
    ],
    "initial": "submitted",
    "terminal": ["rejected", "closed", "cancelled"],
    "transitions": [
        {"name": "request_approval", "label": "Submit for approval", "from": ["submitted"],
         "to": "awaiting_approval", "approvers": "itsm.requester_or_agent",
         "actions": ["itsm.request_build_chain"]},
        {"name": "approve", "label": "Approve", "from": ["awaiting_approval"], "to": "approved",
         "approvals": 1, "approvers": "itsm.request_approvers", "actions": ["itsm.request_approved"],
         "colour": "green"},
        {"name": "reject", "label": "Reject", "from": ["awaiting_approval"], "to": "rejected",
         "approvers": "itsm.request_approvers", "actions": ["itsm.request_rejected"], "colour": "red"},
        # system: a chain with no approver left (or none defined) approves itself.
        {"name": "auto_approve", "label": "Approve (no approval needed)", "from": ["awaiting_approval"],
         "to": "approved", "guards": ["itsm.request_no_pending_approvals"], "actions": ["itsm.request_approved"]},
        {"name": "start_fulfilment", "label": "Start fulfilment", "from": ["approved"], "to": "fulfilling"},
        {"name": "fulfil", "label": "Mark fulfilled", "from": ["fulfilling"], "to": "fulfilled",
         "guards": ["itsm.request_tasks_done"], "side_effects": ["itsm.send_survey"], "colour": "green"},
        {"name": "close", "label": "Close", "from": ["fulfilled"], "to": "closed"},
        {"name": "cancel", "label": "Cancel", "from": ["submitted", "awaiting_approval", "approved", "fulfilling"],
         "to": "cancelled", "approvers": "itsm.requester_or_agent", "actions": ["itsm.request_cancelled"],
         "colour": "secondary"},
    ],
}  # fmt: skip

FULFILMENT_TASK = {
    "states": [
        {"name": "pending", "label": "Pending (earlier tasks first)", "colour": "secondary"},
        {"name": "open", "label": "Open", "colour": "blue"},
        {"name": "in_progress", "label": "In progress", "colour": "cyan"},
        {"name": "done", "label": "Done", "colour": "green"},
        {"name": "cancelled", "label": "Cancelled", "colour": "secondary"},
    ],
    "initial": "pending",
    "terminal": ["done", "cancelled"],
    "transitions": [
        {"name": "open", "label": "Open", "from": ["pending"], "to": "open"},
        {"name": "start", "label": "Start work", "from": ["open"], "to": "in_progress"},
        {"name": "complete", "label": "Complete", "from": ["open", "in_progress"], "to": "done",
         "fields": ["close_notes"], "actions": ["itsm.task_finished"], "colour": "green"},
        {"name": "cancel", "label": "Cancel", "from": ["pending", "open", "in_progress"], "to": "cancelled",
         "required_fields": ["close_notes"], "actions": ["itsm.task_finished"], "colour": "secondary"},
    ],
}  # fmt: skip

KNOWLEDGE_MANAGERS = ["Knowledge managers"]

KNOWLEDGE_ARTICLE = {
    "states": [
        {"name": "draft", "label": "Draft", "colour": "secondary"},
        {"name": "in_review", "label": "In review", "colour": "yellow"},
        {"name": "published", "label": "Published", "colour": "green"},
        {"name": "retired", "label": "Retired", "colour": "dark"},
    ],
    "initial": "draft",
    "terminal": ["retired"],
    "transitions": [
        {"name": "submit", "label": "Submit for review", "from": ["draft"], "to": "in_review"},
        {"name": "publish", "label": "Publish", "from": ["in_review"], "to": "published",
         "roles": KNOWLEDGE_MANAGERS, "colour": "green"},
        {"name": "send_back", "label": "Send back to the author", "from": ["in_review"], "to": "draft",
         "roles": KNOWLEDGE_MANAGERS},
        {"name": "revise", "label": "Revise (unpublish)", "from": ["published"], "to": "draft"},
        {"name": "retire", "label": "Retire", "from": ["draft", "published"], "to": "retired",
         "roles": KNOWLEDGE_MANAGERS, "colour": "secondary"},
    ],
}  # fmt: skip
