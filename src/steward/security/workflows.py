"""Workflows of the security app, declared as data (administrators may override them)."""

from __future__ import annotations

SECURITY_MANAGERS = ["Security managers"]

FINDING = {
    "states": [
        {"name": "open", "label": "Open", "colour": "red"},
        {"name": "in_progress", "label": "In progress", "colour": "orange"},
        {"name": "risk_accepted", "label": "Risk accepted", "colour": "purple"},
        {"name": "fixed", "label": "Fixed", "colour": "green"},
        {"name": "false_positive", "label": "False positive", "colour": "secondary"},
    ],
    "initial": "open",
    "terminal": [],
    "transitions": [
        {"name": "start", "label": "Start remediation", "from": ["open"], "to": "in_progress",
         "fields": ["assignee"]},
        {"name": "accept_risk", "label": "Accept the risk", "from": ["open", "in_progress"], "to": "risk_accepted",
         "required_fields": ["justification", "risk_accepted_until"], "roles": SECURITY_MANAGERS,
         "colour": "purple"},
        {"name": "mark_false_positive", "label": "Mark as false positive", "from": ["open", "in_progress"],
         "to": "false_positive", "required_fields": ["justification"], "roles": SECURITY_MANAGERS},
        # Matching runs this when the installation is upgraded past the fix or removed.
        {"name": "resolve", "label": "Mark fixed", "from": ["open", "in_progress", "risk_accepted"],
         "to": "fixed", "fields": ["closure_reason"], "colour": "green"},
        {"name": "reopen", "label": "Reopen", "from": ["fixed", "risk_accepted", "false_positive"],
         "to": "open"},
    ],
}  # fmt: skip

INCIDENT = {
    "states": [
        {"name": "detection", "label": "Detection and analysis", "colour": "red"},
        {"name": "containment", "label": "Containment", "colour": "orange"},
        {"name": "eradication", "label": "Eradication", "colour": "yellow"},
        {"name": "recovery", "label": "Recovery", "colour": "cyan"},
        {"name": "post_incident", "label": "Post-incident activity", "colour": "blue"},
        {"name": "closed", "label": "Closed", "colour": "green"},
    ],
    "initial": "detection",
    "terminal": ["closed"],
    "transitions": [
        {"name": "contain", "label": "Start containment", "from": ["detection"], "to": "containment",
         "required_fields": ["category"]},
        {"name": "eradicate", "label": "Start eradication", "from": ["containment"], "to": "eradication"},
        {"name": "recover", "label": "Start recovery", "from": ["eradication"], "to": "recovery"},
        {"name": "review", "label": "Post-incident review", "from": ["recovery"], "to": "post_incident"},
        # Analysis may show more is compromised: containment starts again.
        {"name": "back_to_containment", "label": "Contain again", "from": ["eradication", "recovery"],
         "to": "containment"},
        {"name": "close", "label": "Close", "from": ["post_incident"], "to": "closed",
         "required_fields": ["lessons_learned"], "roles": SECURITY_MANAGERS, "colour": "green"},
        {"name": "dismiss", "label": "Dismiss (not an incident)", "from": ["detection"], "to": "closed",
         "required_fields": ["lessons_learned"], "colour": "secondary"},
    ],
}  # fmt: skip

ACCESS_REVIEW = {
    "states": [
        {"name": "draft", "label": "Draft", "colour": "secondary"},
        {"name": "in_review", "label": "In review", "colour": "blue"},
        {"name": "completed", "label": "Completed", "colour": "green"},
        {"name": "cancelled", "label": "Cancelled", "colour": "dark"},
    ],
    "initial": "draft",
    "terminal": ["completed", "cancelled"],
    "transitions": [
        # services.start_review runs it and creates one decision per entitlement in scope.
        {"name": "start", "label": "Start the review", "from": ["draft"], "to": "in_review",
         "roles": SECURITY_MANAGERS},
        {"name": "complete", "label": "Complete", "from": ["in_review"], "to": "completed",
         "guards": ["security.all_decided"], "roles": SECURITY_MANAGERS, "colour": "green"},
        {"name": "cancel", "label": "Cancel", "from": ["draft", "in_review"], "to": "cancelled",
         "roles": SECURITY_MANAGERS},
    ],
}  # fmt: skip
