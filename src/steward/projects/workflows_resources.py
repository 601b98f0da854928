"""Workflows of timesheets and status reports, declared as data (administrators may replace them)."""

from __future__ import annotations

from typing import Any

from steward.core.workflow import ApproverPolicy

MANAGER = "projects.timesheet_manager"

TIMESHEET = {
    "states": [
        {"name": "draft", "label": "Draft", "colour": "secondary"},
        {"name": "submitted", "label": "Submitted", "colour": "blue"},
        {"name": "approved", "label": "Approved", "colour": "green"},
    ],
    "initial": "draft",
    "terminal": [],
    "transitions": [
        {"name": "submit", "label": "Submit", "from": ["draft"], "to": "submitted", "colour": "blue"},
        {"name": "approve", "label": "Approve", "from": ["submitted"], "to": "approved", "approvers": MANAGER,
         "colour": "green"},
        {"name": "reject", "label": "Send back", "from": ["submitted"], "to": "draft", "approvers": MANAGER,
         "colour": "red"},
        {"name": "reopen", "label": "Reopen", "from": ["approved"], "to": "draft", "approvers": MANAGER},
    ],
}  # fmt: skip

STATUS_REPORT = {
    "states": [
        {"name": "draft", "label": "Draft", "colour": "secondary"},
        {"name": "published", "label": "Published", "colour": "green"},
    ],
    "initial": "draft",
    "terminal": ["published"],
    "transitions": [
        {"name": "publish", "label": "Publish", "from": ["draft"], "to": "published", "colour": "green",
         "actions": ["projects.freeze_status_report"]},
    ],
}  # fmt: skip


class TimesheetManager(ApproverPolicy):
    """The person's line manager (``org.Person.manager``) approves, or a superuser.

    Someone holding the change permission on timesheets is not enough: approving your own time
    would defeat the check.
    """

    def may_act(self, *, obj: Any, actor: Any, transition: Any) -> bool:
        if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
            return False
        if actor.is_superuser:
            return True
        manager = obj.person.manager
        return bool(
            manager is not None and manager.user_id == actor.pk and manager.user_id != obj.person.user_id
        )
