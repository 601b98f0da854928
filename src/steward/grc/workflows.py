"""Default workflows of assessments, findings, risks and policies, declared as data."""

from __future__ import annotations

ASSESSORS = ["Compliance managers", "Auditors"]
RISK_MANAGERS = ["Risk managers"]
POLICY_APPROVERS = ["Policy approvers"]

ASSESSMENT = {
    "states": [
        {"name": "planned", "label": "Planned", "colour": "blue"},
        {"name": "in_progress", "label": "In progress", "colour": "cyan"},
        {"name": "review", "label": "In review", "colour": "yellow"},
        {"name": "completed", "label": "Completed", "colour": "green"},
        {"name": "cancelled", "label": "Cancelled", "colour": "secondary"},
    ],
    "initial": "planned",
    "terminal": ["completed", "cancelled"],
    "transitions": [
        {"name": "start", "label": "Start", "from": ["planned"], "to": "in_progress",
         "required_fields": ["start_date"], "permission": "change"},
        {"name": "submit", "label": "Submit for review", "from": ["in_progress"], "to": "review",
         "permission": "change"},
        {"name": "rework", "label": "Send back", "from": ["review"], "to": "in_progress", "permission": "change"},
        {"name": "complete", "label": "Complete", "from": ["review"], "to": "completed",
         "required_fields": ["end_date"], "permission": "change", "colour": "green"},
        {"name": "cancel", "label": "Cancel", "from": ["planned", "in_progress", "review"], "to": "cancelled",
         "permission": "change", "colour": "secondary"},
    ],
}  # fmt: skip

FINDING = {
    "states": [
        {"name": "open", "label": "Open", "colour": "red"},
        {"name": "in_remediation", "label": "In remediation", "colour": "orange"},
        {"name": "resolved", "label": "Resolved", "colour": "cyan"},
        {"name": "closed", "label": "Closed", "colour": "green"},
    ],
    "initial": "open",
    "terminal": ["closed"],
    "transitions": [
        {"name": "remediate", "label": "Start remediation", "from": ["open"], "to": "in_remediation",
         "required_fields": ["owner", "due_date"], "permission": "change"},
        {"name": "resolve", "label": "Resolve", "from": ["open", "in_remediation"], "to": "resolved",
         "required_fields": ["resolution"], "permission": "change"},
        {"name": "reopen", "label": "Reopen", "from": ["resolved"], "to": "in_remediation", "permission": "change"},
        {"name": "close", "label": "Verify and close", "from": ["resolved"], "to": "closed", "roles": ASSESSORS,
         "colour": "green"},
    ],
}  # fmt: skip

RISK = {
    "states": [
        {"name": "identified", "label": "Identified", "colour": "blue"},
        {"name": "assessed", "label": "Assessed", "colour": "cyan"},
        {"name": "treating", "label": "In treatment", "colour": "orange"},
        {"name": "accepted", "label": "Accepted", "colour": "yellow"},
        {"name": "monitored", "label": "Monitored", "colour": "green"},
        {"name": "closed", "label": "Closed", "colour": "secondary"},
    ],
    "initial": "identified",
    "terminal": ["closed"],
    "transitions": [
        {"name": "assess", "label": "Assess", "from": ["identified"], "to": "assessed",
         "required_fields": ["inherent_likelihood", "inherent_impact"], "permission": "change"},
        {"name": "treat", "label": "Start treatment", "from": ["assessed", "monitored", "accepted"], "to": "treating",
         "required_fields": ["treatment", "treatment_plan"], "permission": "change"},
        {"name": "accept", "label": "Accept", "from": ["assessed", "treating", "monitored"], "to": "accepted",
         "conditions": {"treatment": "accept"}, "required_fields": ["accepted_by", "acceptance_expires"],
         "roles": RISK_MANAGERS, "colour": "yellow"},
        {"name": "monitor", "label": "Treated: monitor", "from": ["treating"], "to": "monitored",
         "required_fields": ["residual_likelihood", "residual_impact"], "permission": "change"},
        {"name": "reassess", "label": "Reassess", "from": ["accepted", "monitored"], "to": "assessed",
         "permission": "change"},
        {"name": "close", "label": "Close", "from": "*", "to": "closed", "roles": RISK_MANAGERS,
         "colour": "secondary"},
    ],
}  # fmt: skip

POLICY = {
    "states": [
        {"name": "draft", "label": "Draft", "colour": "blue"},
        {"name": "in_review", "label": "In review", "colour": "yellow"},
        {"name": "published", "label": "Published", "colour": "green"},
        {"name": "retired", "label": "Retired", "colour": "secondary"},
    ],
    "initial": "draft",
    "terminal": ["retired"],
    "transitions": [
        {"name": "submit", "label": "Submit for approval", "from": ["draft"], "to": "in_review",
         "required_fields": ["body", "owner"], "permission": "change"},
        {"name": "reject", "label": "Send back", "from": ["in_review"], "to": "draft", "roles": POLICY_APPROVERS},
        {"name": "approve", "label": "Approve and publish", "from": ["in_review"], "to": "published",
         "approvals": 1, "approver_roles": POLICY_APPROVERS, "side_effects": ["grc.publish_policy_version"],
         "colour": "green"},
        {"name": "revise", "label": "Revise", "from": ["published"], "to": "draft", "permission": "change"},
        {"name": "retire", "label": "Retire", "from": ["draft", "published"], "to": "retired",
         "roles": POLICY_APPROVERS, "colour": "secondary"},
    ],
}  # fmt: skip
