"""Service catalogue and request rules: submission, approval chains, delegation, fulfilment.

Every function is keyword-only, typed and atomic, with the actor explicit. The request and task
workflows (``workflows_catalogue``) call back into this module through the engine's registered
approver policies, guards and in-transaction actions, so the rules hold whether a transition
comes from the portal, the generic UI, the API or a job.

Approval chains: ``request_approval`` expands the item's steps into one ``RequestApproval``
row per approver (after delegation). Steps run by ``order``; rows of the lowest unfinished
order are ``pending``, later ones ``waiting``. A step passes when all (``all``) or one
(``any``) of its approvers approved; one rejection rejects the request. Votes are recorded by
the engine (``WorkflowApproval``) and booked onto the rows by ``RequestApproverPolicy.record``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core import notifications
from steward.core import workflow as wf
from steward.core.models import Attachment
from steward.core.uploads import UploadRejected, check_upload
from steward.itsm.choices_catalogue import ApprovalRule, ApprovalStatus, ApproverType
from steward.itsm.models import (
    ApprovalDelegation,
    CatalogueItem,
    FulfilmentTask,
    RequestApproval,
    ServiceRequest,
)

APPROVAL_NOTIFICATION = "itsm.request_approval"
REQUEST_NOTIFICATION = "itsm.request_update"
OPEN_TASK_STATES = ("pending", "open", "in_progress")
FINISHED_TASK_STATES = ("done", "cancelled")


# --- who acts -------------------------------------------------------------------------------
def system_actor() -> Any:
    """The automation account, allowed to move requests and tasks on when rules say so."""
    from steward.core.models import ObjectPermission
    from steward.itsm.services import automation_user

    user = automation_user()
    perm = ObjectPermission.objects.filter(name="ITSM automation").first()
    if perm is not None:
        wanted = ContentType.objects.get_for_models(ServiceRequest, FulfilmentTask).values()
        have = set(perm.object_types.values_list("pk", flat=True))
        missing = [ct for ct in wanted if ct.pk not in have]
        if missing:
            perm.object_types.add(*missing)
            user = type(user).objects.get(pk=user.pk)  # a fresh object: no stale permission cache
    return user


def person_of(user: Any) -> Any:
    """The person record of a user account, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    from django.apps import apps

    return apps.get_model("org", "Person")._default_manager.filter(user_id=user.pk).first()


def active_delegate(person: Any, *, on: dt.date | None = None) -> Any:
    """Who approves for ``person`` on ``on`` (today): their delegate while absent, else None."""
    on = on or timezone.localdate()
    found = (
        ApprovalDelegation.objects.filter(person=person, start__lte=on, end__gte=on)
        .select_related("delegate")
        .order_by("-start", "-id")
        .first()
    )
    return found.delegate if found else None


# --- delegation -----------------------------------------------------------------------------
@transaction.atomic
def delegate_approvals(
    *, person: Any, delegate: Any, start: dt.date, end: dt.date, actor: Any, reason: str = ""
) -> ApprovalDelegation:
    """Record an absence; pending approvals of ``person`` move to ``delegate`` at once."""
    delegation = ApprovalDelegation(person=person, delegate=delegate, start=start, end=end, reason=reason)
    delegation.full_clean()
    delegation.save()
    today = timezone.localdate()
    if start <= today <= end:
        RequestApproval.objects.filter(
            approver=person, status__in=(ApprovalStatus.PENDING, ApprovalStatus.WAITING),
            request__state="awaiting_approval",
        ).update(approver=delegate, delegated_from=person)  # fmt: skip
    return delegation


# --- submission -----------------------------------------------------------------------------
def _attach(request: ServiceRequest, actor: Any, name: str, upload: Any) -> dict[str, Any]:
    try:
        filename, mime = check_upload(upload)
    except UploadRejected as exc:
        raise ValidationError({name: str(exc)}) from exc
    att = Attachment.objects.create(
        content_object=request, file=upload, name=filename, size=upload.size, mime_type=mime,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip
    return {"attachment": att.pk, "name": filename}


@transaction.atomic
def submit_request(
    *,
    item: CatalogueItem,
    requester: Any,
    actor: Any,
    answers: dict[str, Any],
    files: dict[str, Any] | None = None,
    short_description: str = "",
) -> ServiceRequest:
    """Open a request for ``requester`` and send it for approval (or straight to fulfilment).

    ``actor`` must be the requester or hold the add permission on requests. Answers are
    validated against the item's form; a bad one raises ``ValidationError`` naming the field
    and nothing is written.
    """
    if person_of(actor) != requester and not actor.has_perm("itsm.add_servicerequest"):
        raise PermissionDenied(_("You may only request things for yourself."))
    return _open_request(item=item, requester=requester, opened_by=actor, transition_actor=actor, answers=answers,
                         files=files, short_description=short_description)  # fmt: skip


@transaction.atomic
def submit_request_by_mail(
    *, item: CatalogueItem, requester: Any, answers: dict[str, Any], short_description: str = ""
) -> ServiceRequest:
    """Open a request the requester mailed in (a mail intake rule named the item).

    The mail is the requester asking for themselves, so no permission is checked; the request
    is submitted for approval by the requester's account, or by the automation account when
    the sender has none. Answers are validated like any request (``ValidationError``).
    """
    user = getattr(requester, "user", None) if requester is not None else None
    actor = user if user is not None and user.is_active else system_actor()
    return _open_request(item=item, requester=requester, opened_by=user, transition_actor=actor, answers=answers,
                         files=None, short_description=short_description)  # fmt: skip


def _open_request(
    *, item: CatalogueItem, requester: Any, opened_by: Any, transition_actor: Any, answers: dict[str, Any],
    files: dict[str, Any] | None, short_description: str,
) -> ServiceRequest:  # fmt: skip
    actor = opened_by
    answers = dict(answers)
    for name, upload in (files or {}).items():
        answers[name] = upload.name
    request = ServiceRequest(
        item=item, requester=requester, answers=answers, opened_by=actor, short_description=short_description
    )
    request.full_clean()
    request.save()
    if files:
        for name, upload in files.items():
            request.answers[name] = _attach(request, actor, name, upload)
        ServiceRequest.objects.filter(pk=request.pk).update(answers=request.answers)
    wf.transition(obj=request, name="request_approval", actor=transition_actor)
    request.refresh_from_db()
    return request


def _approvers_of(step: Any, request: ServiceRequest) -> list[Any]:
    if step.approver_type == ApproverType.MANAGER:
        manager = request.requester.manager if request.requester_id else None
        if manager is None:
            raise ValidationError(
                {"requester": _("%(p)s has no manager recorded, so step '%(s)s' cannot be approved.")
                 % {"p": request.requester, "s": step.name}}
            )  # fmt: skip
        return [manager]
    people = (
        list(step.people.all())
        if step.approver_type == ApproverType.PEOPLE
        else list(step.team.members.all())
    )
    if not people:
        raise ValidationError({"item": _("Approval step '%s' has no approvers.") % step.name})
    return people


@wf.register_action("itsm.request_build_chain")
def build_chain(*, obj: ServiceRequest, transition: Any, actor: Any, history: Any) -> None:
    """Expand the item's approval steps into rows (delegation applied); no steps approves at once."""
    today = timezone.localdate()
    rows = []
    for step in (
        obj.item.approval_steps.select_related("team").prefetch_related("people").order_by("order", "id")
    ):
        for person in _approvers_of(step, obj):
            delegate = active_delegate(person, on=today)
            rows.append(
                RequestApproval(
                    request=obj, step=step, step_order=step.order, step_name=step.name, rule=step.rule,
                    approver=delegate or person, delegated_from=person if delegate else None,
                )
            )  # fmt: skip
    RequestApproval.objects.bulk_create(rows)
    if not refresh_chain(request=obj):
        wf.transition(obj=obj, name="auto_approve", actor=system_actor(), comment=_("No approval needed."))
    else:
        _notify_approvers(obj)


def _step_done(rows: list[RequestApproval]) -> bool:
    approved = [r for r in rows if r.status == ApprovalStatus.APPROVED]
    return bool(approved) if rows[0].rule == ApprovalRule.ANY else len(approved) == len(rows)


def refresh_chain(*, request: ServiceRequest) -> bool:
    """Re-derive pending/waiting/skipped rows; True while approvals are still needed."""
    rows = list(request.approvals.order_by("step_order", "id"))
    groups: dict[tuple[int, int | None, str], list[RequestApproval]] = defaultdict(list)
    for row in rows:
        groups[(row.step_order, row.step_id, row.step_name)].append(row)
    orders = sorted({key[0] for key in groups})
    approved_people = {r.approver_id for r in rows if r.status == ApprovalStatus.APPROVED}
    now = timezone.now()
    changed: list[RequestApproval] = []
    active_order = None
    for order in orders:
        steps = [g for key, g in groups.items() if key[0] == order]
        if active_order is None:
            # Someone who already approved an earlier step is not asked again.
            for group in steps:
                for row in group:
                    if row.status in (ApprovalStatus.WAITING, ApprovalStatus.PENDING) and (
                        row.approver_id in approved_people
                    ):
                        row.status, row.decided_at = ApprovalStatus.APPROVED, now
                        row.comment = row.comment or _("Approved at an earlier step.")
                        changed.append(row)
            if all(_step_done(g) for g in steps):
                for group in steps:
                    for row in group:
                        if row.status in (ApprovalStatus.PENDING, ApprovalStatus.WAITING):
                            row.status = ApprovalStatus.SKIPPED
                            changed.append(row)
                continue
            active_order = order
            for group in steps:
                done = _step_done(group)
                for row in group:
                    if row.status == ApprovalStatus.WAITING:
                        row.status = ApprovalStatus.SKIPPED if done else ApprovalStatus.PENDING
                        changed.append(row)
                    elif row.status == ApprovalStatus.PENDING and done:
                        row.status = ApprovalStatus.SKIPPED
                        changed.append(row)
    if changed:
        RequestApproval.objects.bulk_update(set(changed), ["status", "decided_at", "comment"])
    return active_order is not None


def pending_rows_for(*, request: ServiceRequest, user: Any) -> QuerySet[RequestApproval]:
    person = person_of(user)
    if person is None:
        return RequestApproval.objects.none()
    return request.approvals.filter(status=ApprovalStatus.PENDING).filter(
        Q(approver=person) | Q(delegated_from=person)
    )


class RequestApproverPolicy(wf.ApproverPolicy):
    """Only someone with a pending row of the request's chain may approve or reject it."""

    def may_act(self, *, obj: Any, actor: Any, transition: Any) -> bool:
        return obj.state == "awaiting_approval" and pending_rows_for(request=obj, user=actor).exists()

    def record(self, *, obj: Any, actor: Any, transition: Any, approval: Any) -> bool:
        pending_rows_for(request=obj, user=actor).update(
            status=ApprovalStatus.APPROVED,
            decided_by=actor,
            decided_at=timezone.now(),
            comment=approval.comment,
        )
        still_needed = refresh_chain(request=obj)
        if still_needed:
            _notify_approvers(obj)
        return not still_needed


class RequesterOrAgentPolicy(wf.ApproverPolicy):
    """The requester themselves, or anyone holding the change permission on the request."""

    def may_act(self, *, obj: Any, actor: Any, transition: Any) -> bool:
        from steward.core.permissions import perm_name

        if obj.requester_id and person_of(actor) is not None and person_of(actor).pk == obj.requester_id:
            return True
        return actor.has_perm(perm_name(type(obj), "change"), obj)


wf.register_approvers("itsm.request_approvers", RequestApproverPolicy())
wf.register_approvers("itsm.requester_or_agent", RequesterOrAgentPolicy())


@wf.register_guard("itsm.request_no_pending_approvals")
def _no_pending(*, obj: Any, actor: Any) -> Any:
    if obj.approvals.filter(status__in=(ApprovalStatus.PENDING, ApprovalStatus.WAITING)).exists():
        return _("Approvals are still pending.")
    return True


@wf.register_guard("itsm.request_tasks_done")
def _tasks_done(*, obj: Any, actor: Any) -> Any:
    if obj.tasks.filter(state__in=OPEN_TASK_STATES).exists():
        return _("Fulfilment tasks are still open.")
    return True


# --- decisions ------------------------------------------------------------------------------
def approve_request(*, request: ServiceRequest, actor: Any, comment: str = "") -> wf.TransitionResult:
    """Record ``actor``'s approval; raises ``TransitionForbidden`` if they are not a current approver."""
    return wf.transition(obj=request, name="approve", actor=actor, comment=comment)


def reject_request(*, request: ServiceRequest, actor: Any, comment: str) -> wf.TransitionResult:
    """Reject the request (a reason is required); only a current approver may."""
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say why the request is rejected.")})
    return wf.transition(obj=request, name="reject", actor=actor, comment=comment)


@wf.register_action("itsm.request_rejected")
def _rejected(*, obj: ServiceRequest, transition: Any, actor: Any, history: Any) -> None:
    pending_rows_for(request=obj, user=actor).update(
        status=ApprovalStatus.REJECTED, decided_by=actor, decided_at=timezone.now(), comment=history.comment
    )
    obj.approvals.filter(status__in=(ApprovalStatus.PENDING, ApprovalStatus.WAITING)).update(
        status=ApprovalStatus.SKIPPED
    )
    _notify_requester(obj, _("%s was rejected") % obj.reference)


@wf.register_action("itsm.request_approved")
def _approved(*, obj: ServiceRequest, transition: Any, actor: Any, history: Any) -> None:
    """Create the fulfilment tasks from the item's templates and start fulfilment."""
    obj.approvals.filter(status__in=(ApprovalStatus.PENDING, ApprovalStatus.WAITING)).update(
        status=ApprovalStatus.SKIPPED
    )
    templates = list(obj.item.task_templates.order_by("order", "id"))
    refs = FulfilmentTask.allocate_references(len(templates)) if templates else []
    first = templates[0].order if templates else None
    for template, ref in zip(templates, refs, strict=True):
        FulfilmentTask.objects.create(
            reference=ref, request=obj, template=template, order=template.order,
            short_description=template.short_description, description=template.description,
            assignment_team_id=template.assignment_team_id or obj.item.fulfilment_team_id,
            state="open" if template.order == first else "pending",
        )  # fmt: skip
    system = system_actor()
    wf.transition(obj=obj, name="start_fulfilment", actor=system)
    advance_request(request=obj, actor=system)
    _notify_requester(obj, _("%s was approved") % obj.reference)


@wf.register_action("itsm.request_cancelled")
def _cancelled(*, obj: ServiceRequest, transition: Any, actor: Any, history: Any) -> None:
    obj.approvals.filter(status__in=(ApprovalStatus.PENDING, ApprovalStatus.WAITING)).update(
        status=ApprovalStatus.SKIPPED
    )
    system = system_actor()
    for task in obj.tasks.filter(state__in=OPEN_TASK_STATES).order_by("order", "id"):
        wf.transition(
            obj=task, name="cancel", actor=system, data={"close_notes": _("The request was cancelled.")}
        )


@wf.register_action("itsm.task_finished")
def _task_finished(*, obj: FulfilmentTask, transition: Any, actor: Any, history: Any) -> None:
    advance_request(request=obj.request, actor=system_actor())


def advance_request(*, request: ServiceRequest, actor: Any) -> None:
    """Open the next group of tasks once the earlier ones finished; all finished → fulfilled."""
    request = ServiceRequest.objects.get(pk=request.pk)
    if request.state != "fulfilling":
        return
    tasks = list(request.tasks.order_by("order", "id"))
    if any(t.state in ("open", "in_progress") for t in tasks):
        return
    waiting = [t for t in tasks if t.state == "pending"]
    if waiting:
        first = waiting[0].order
        for task in waiting:
            if task.order == first:
                wf.transition(obj=task, name="open", actor=actor)
        return
    wf.transition(obj=request, name="fulfil", actor=actor)
    _notify_requester(request, _("%s is fulfilled") % request.reference)


@transaction.atomic
def complete_task(*, task: FulfilmentTask, actor: Any, close_notes: str = "") -> FulfilmentTask:
    """Finish a fulfilment task; the request moves on (next tasks, or fulfilled)."""
    wf.transition(obj=task, name="complete", actor=actor, data={"close_notes": close_notes})
    task.refresh_from_db()
    return task


# --- notifications --------------------------------------------------------------------------
def _notify_approvers(request: ServiceRequest) -> None:
    users = [
        row.approver.user
        for row in request.approvals.filter(status=ApprovalStatus.PENDING).select_related("approver__user")
        if row.approver.user_id
    ]
    if users:
        notifications.notify(
            recipients=users, kind=APPROVAL_NOTIFICATION, obj=request,
            title=_("Approval needed: %s") % request, url=portal_url(request),
        )  # fmt: skip


def _notify_requester(request: ServiceRequest, title: str) -> None:
    user = request.requester.user if request.requester_id and request.requester.user_id else None
    if user is not None:
        notifications.notify(
            recipients=[user], kind=REQUEST_NOTIFICATION, obj=request, title=title, url=portal_url(request)
        )


def portal_url(request: ServiceRequest) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("portal:request_detail", kwargs={"reference": request.reference})
    except NoReverseMatch:
        return ""


# --- portal -----------------------------------------------------------------------------------
def my_requests(*, user: Any) -> QuerySet[ServiceRequest]:
    """Requests raised for the user's person (none without one)."""
    person = person_of(user)
    if person is None:
        return ServiceRequest.objects.none()
    return ServiceRequest.objects.filter(requester=person).select_related("item")


def my_approvals(*, user: Any) -> QuerySet[RequestApproval]:
    """Approvals waiting for the user (as approver or as the absent person a delegate acts for)."""
    person = person_of(user)
    if person is None:
        return RequestApproval.objects.none()
    return (
        RequestApproval.objects.filter(status=ApprovalStatus.PENDING, request__state="awaiting_approval")
        .filter(Q(approver=person) | Q(delegated_from=person))
        .select_related("request__item", "request__requester", "delegated_from")
        .order_by("request__created", "id")
    )


def may_follow_request(*, request: ServiceRequest, user: Any) -> bool:
    """The requester and anyone in the request's approval chain may follow it in the portal."""
    person = person_of(user)
    if person is None:
        return False
    if request.requester_id == person.pk:
        return True
    return request.approvals.filter(Q(approver=person) | Q(delegated_from=person)).exists()


@transaction.atomic
def add_request_comment(
    *, request: ServiceRequest, actor: Any, body: str, from_requester: bool = False
) -> Any:
    """A comment on the request, visible to the requester and the agents.

    Someone else's comment on a request that talks by mail is also mailed to the requester,
    in the request's thread; ``from_requester`` (a mailed reply) never goes back to them.
    """
    from steward.core.models import Comment
    from steward.itsm.servicedesk.mail import request_comment_added

    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something.")})
    comment = Comment.objects.create(content_object=request, author=actor, body=body)
    if not from_requester:
        request_comment_added(request=request, actor=actor, body=body)
    return comment


def request_comments(*, request: ServiceRequest) -> QuerySet[Any]:
    from steward.core.models import Comment

    return Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(ServiceRequest), object_id=request.pk
    ).select_related("author")
