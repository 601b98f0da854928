"""The default workflows of ideas, pilots and change plans, declared as data."""

from __future__ import annotations

IDEA = {
    "states": [
        {"name": "new", "label": "New", "colour": "secondary"},
        {"name": "evaluating", "label": "Evaluating", "colour": "blue"},
        {"name": "pilot", "label": "Pilot", "colour": "orange"},
        {"name": "adopted", "label": "Adopted", "colour": "green"},
        {"name": "rejected", "label": "Rejected", "colour": "red"},
    ],
    "initial": "new",
    "terminal": ["adopted"],
    "transitions": [
        {"name": "evaluate", "label": "Start evaluation", "from": ["new"], "to": "evaluating",
         "required_fields": ["criteria_set"]},
        {"name": "pilot", "label": "Pilot it", "from": ["evaluating"], "to": "pilot", "colour": "orange"},
        {"name": "adopt", "label": "Adopt", "from": ["evaluating", "pilot"], "to": "adopted", "colour": "green"},
        {"name": "reject", "label": "Reject", "from": ["new", "evaluating", "pilot"], "to": "rejected",
         "colour": "red"},
        {"name": "reopen", "label": "Reopen", "from": ["rejected"], "to": "new"},
    ],
}  # fmt: skip

#: The funnel's stages in order; "rejected" leaves the funnel from any of them.
FUNNEL = ("new", "evaluating", "pilot", "adopted")

PILOT = {
    "states": [
        {"name": "planned", "label": "Planned", "colour": "secondary"},
        {"name": "running", "label": "Running", "colour": "blue"},
        {"name": "decided", "label": "Decided", "colour": "green"},
    ],
    "initial": "planned",
    "terminal": ["decided"],
    "transitions": [
        {"name": "start", "label": "Start", "from": ["planned"], "to": "running"},
        {"name": "decide", "label": "Decide", "from": ["running"], "to": "decided",
         "guards": ["innovation.pilot_measured"], "required_fields": ["decision", "decision_rationale"]},
    ],
}  # fmt: skip

CHANGE_PLAN = {
    "states": [
        {"name": "draft", "label": "Draft", "colour": "secondary"},
        {"name": "active", "label": "Active", "colour": "blue"},
        {"name": "live", "label": "Live", "colour": "green"},
        {"name": "closed", "label": "Closed", "colour": "dark"},
    ],
    "initial": "draft",
    "terminal": ["closed"],
    "transitions": [
        {"name": "activate", "label": "Activate", "from": ["draft"], "to": "active"},
        {"name": "go_live", "label": "Go live", "from": ["active"], "to": "live", "guards": ["innovation.ready"],
         "colour": "green"},
        {"name": "close", "label": "Close", "from": ["draft", "active", "live"], "to": "closed"},
    ],
}  # fmt: skip
