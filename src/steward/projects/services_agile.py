"""Agile rules: sprints (one active per project, close with carry-over), board moves under the workflow
and WIP limits, backlog ranking, and the velocity and burndown figures.

The burndown is derived from the workflow engine's history of each item (when it reached or left
*done*), not from a snapshot job; a closed sprint keeps the series it had when it closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core import workflow as wf
from steward.core.models.workflow import WorkflowHistory
from steward.projects.choices import ItemStatus
from steward.projects.models import BacklogItem, Project, Sprint, WipLimit

DONE = ItemStatus.DONE.value


def _points(items: Any) -> int:
    return int(items.aggregate(total=Sum("story_points"))["total"] or 0)


# --- sprints -------------------------------------------------------------------------------------
@wf.register_guard("projects.one_active_sprint")
def _one_active_sprint(*, obj: Sprint, actor: Any) -> Any:
    other = Sprint.objects.filter(project_id=obj.project_id, state="active").exclude(pk=obj.pk).first()
    if other is not None:
        return _("'%(name)s' is still active: close it first (one active sprint per project).") % {
            "name": other.name
        }
    return True


@wf.register_action("projects.sprint_started")
def _sprint_started(*, obj: Sprint, transition: Any, actor: Any, history: Any) -> None:
    obj.committed_points = _points(obj.items.all())
    obj.save(update_fields=["committed_points", "last_updated"])


@wf.register_action("projects.sprint_closed")
def _sprint_closed(*, obj: Sprint, transition: Any, actor: Any, history: Any) -> None:
    """Freeze the figures, then move the unfinished items on (to ``carry_over_to`` or the backlog)."""
    series = burndown(obj)
    obj.burndown = series
    obj.completed_points = _points(obj.items.filter(state=DONE))
    if obj.committed_points is None:
        obj.committed_points = _points(obj.items.all())
    obj.save(update_fields=["burndown", "completed_points", "committed_points", "last_updated"])
    unfinished = list(obj.items.exclude(state=DONE))
    for item in unfinished:
        item.sprint = obj.carry_over_to
        item.save(update_fields=["sprint", "last_updated"])


def start_sprint(*, sprint: Sprint, actor: Any) -> Sprint:
    """Start a planned sprint (refused while another sprint of the project is active)."""
    wf.transition(obj=sprint, name="start", actor=actor)
    return sprint


def close_sprint(*, sprint: Sprint, actor: Any, carry_over_to: Sprint | None = None) -> Sprint:
    """Close the active sprint: freeze committed/completed points and the burndown, and move unfinished
    items to ``carry_over_to`` (a planned or active sprint of the same project) or back to the backlog."""
    wf.transition(
        obj=sprint,
        name="close",
        actor=actor,
        data={"carry_over_to": carry_over_to.pk if carry_over_to else None},
    )
    return sprint


# --- the board ------------------------------------------------------------------------------------
def _state_label(state: str) -> str:
    try:
        return str(ItemStatus(state).label)
    except ValueError:
        return state


def move_item(*, item: BacklogItem, to_state: str, actor: Any) -> BacklogItem:
    """Move a card to another board column by running the workflow transition between the two.

    Refused (``ValidationError`` on ``state``, nothing changed) when no transition links the columns
    or the target column is at its WIP limit; ``TransitionForbidden`` when the actor may not move it.
    """
    workflow = wf.get_workflow(BacklogItem)
    if to_state not in workflow.states:
        raise ValidationError({"state": _("There is no column %(state)r.") % {"state": to_state}})
    with transaction.atomic():
        # One mover at a time per project, so two moves cannot both squeeze under a WIP limit.
        Project.objects.select_for_update().filter(pk=item.project_id).first()
        item.refresh_from_db(fields=["state", "sprint"])
        if item.state == to_state:
            return item
        moves = [t for t in workflow.from_state(item.state) if t.target == to_state]
        if not moves:
            targets = sorted({_state_label(t.target) for t in workflow.from_state(item.state)})
            raise ValidationError(
                {"state": _("%(item)s cannot move from %(from)s to %(to)s; it can go to: %(allowed)s.")
                 % {"item": item.reference, "from": _state_label(item.state), "to": _state_label(to_state),
                    "allowed": ", ".join(targets) or "—"}}
            )  # fmt: skip
        limit = WipLimit.objects.filter(project_id=item.project_id, status=to_state).first()
        if limit is not None:
            held = BacklogItem.objects.filter(project_id=item.project_id, state=to_state).count()
            if held >= limit.limit:
                raise ValidationError(
                    {"state": _("%(column)s is at its WIP limit of %(limit)d: finish something first.")
                     % {"column": _state_label(to_state), "limit": limit.limit}}
                )  # fmt: skip
        wf.transition(obj=item, name=moves[0].name, actor=actor)
    return item


@transaction.atomic
def rerank(*, project: Project, ordered: Sequence[int], actor: Any) -> list[BacklogItem]:
    """Give the listed items of ``project`` the ranks 10, 20, 30… in the order given (drag to re-rank).

    Items not listed keep their rank. An id that is not an item of the project is refused by position.
    """
    ids = [int(pk) for pk in ordered]
    if len(set(ids)) != len(ids):
        raise ValidationError({"order": _("An item is listed twice.")})
    items = {i.pk: i for i in BacklogItem.objects.select_for_update().filter(project=project, pk__in=ids)}
    for position, pk in enumerate(ids, start=1):
        if pk not in items:
            raise ValidationError(
                {"order": _("Position %(n)d: %(pk)s is not a backlog item of %(project)s.")
                 % {"n": position, "pk": pk, "project": project.reference}}
            )  # fmt: skip
    changed = []
    for position, pk in enumerate(ids, start=1):
        item = items[pk]
        if item.rank != position * 10:
            item.rank = position * 10
            changed.append(item)
    for item in changed:  # one save each, so the change log records every new rank
        item.save(update_fields=["rank", "last_updated"])
    return [items[pk] for pk in ids]


def next_rank(project: Project) -> int:
    """A rank after every item of the project (new items join the end of the backlog)."""
    last = (
        BacklogItem.objects.filter(project=project).order_by("-rank").values_list("rank", flat=True).first()
    )
    return (last or 0) + 10


# --- figures --------------------------------------------------------------------------------------
def burndown(sprint: Sprint, *, today: dt.date | None = None) -> dict[str, Any]:
    """Ideal line and remaining points per day of the sprint (remaining only up to today).

    A closed sprint returns the series frozen when it closed. Otherwise the scope is the sprint's
    items now, and an item counts as burnt on a day if its last workflow step by the end of that
    day put it in *done* (so a reopened item comes back).
    """
    if sprint.state == "closed" and sprint.burndown:
        return sprint.burndown
    today = today or timezone.localdate()
    items = dict(sprint.items.values_list("pk", "story_points"))
    points = {pk: int(p or 0) for pk, p in items.items()}
    total = sum(points.values())
    history = (
        WorkflowHistory.objects.filter(
            content_type=ContentType.objects.get_for_model(BacklogItem), object_id__in=list(points)
        )
        .order_by("time", "id")
        .values_list("object_id", "to_state", "time")
    )
    steps: list[tuple[dt.date, int, str]] = [(timezone.localdate(t), pk, state) for pk, state, t in history]
    days = [
        sprint.start_date + dt.timedelta(days=n)
        for n in range((sprint.end_date - sprint.start_date).days + 1)
    ]
    committed = sprint.committed_points if sprint.committed_points is not None else total
    span = max(len(days) - 1, 1)
    ideal = [round(committed * (1 - n / span), 1) for n in range(len(days))]
    remaining: list[int | None] = []
    state: dict[int, str] = {}
    cursor = 0
    for day in days:
        while cursor < len(steps) and steps[cursor][0] <= day:
            _date, pk, to_state = steps[cursor]
            state[pk] = to_state
            cursor += 1
        if day > today:
            remaining.append(None)
            continue
        done = sum(points[pk] for pk, s in state.items() if s == DONE)
        remaining.append(total - done)
    return {
        "labels": [d.isoformat() for d in days],
        "ideal": ideal,
        "remaining": remaining,
        "committed": committed,
    }


def velocity(project: Project, *, last: int = 6) -> dict[str, Any]:
    """Completed points of the last ``last`` closed sprints (oldest first) and their mean."""
    sprints = list(
        Sprint.objects.filter(project=project, state="closed").order_by("-end_date", "-pk")[:last]
    )[::-1]
    completed = [s.completed_points or 0 for s in sprints]
    mean = round(sum(completed) / len(completed), 1) if completed else None
    return {
        "labels": [s.name for s in sprints],
        "completed": completed,
        "committed": [s.committed_points or 0 for s in sprints],
        "mean": mean,
    }
