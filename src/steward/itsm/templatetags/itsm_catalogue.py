"""Template helpers for catalogue items, requests, the portal and the knowledge base."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def request_extras(request_obj: Any, user: Any) -> dict[str, Any]:
    """Answers (labelled), the approval chain and the fulfilment tasks of a request."""
    from steward.itsm.request_forms import display_answers

    return {
        "answers": display_answers(request_obj.item.form_fields, request_obj.answers),
        "approvals": list(request_obj.approvals.select_related("approver", "delegated_from", "decided_by")),
        "tasks": list(request_obj.tasks.select_related("assignment_team", "assignee")),
    }


@register.simple_tag
def item_extras(item: Any) -> dict[str, Any]:
    from steward.itsm.request_forms import specs_of

    return {
        "fields": specs_of(item.form_fields),
        "steps": list(item.approval_steps.select_related("team").prefetch_related("people")),
        "templates": list(item.task_templates.select_related("assignment_team")),
    }


@register.filter
def workflow_state(obj: Any) -> Any:
    return obj.workflow_state
