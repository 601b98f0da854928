"""Agile and governance pages: the generic views of the new models, and the project's board, backlog,
delivery charts and gates tabs, plus promoting an initiative to a project."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from steward.core import workflow as wf
from steward.core.views import ObjectViews, Panel
from steward.core.views.generic import ModelView
from steward.projects import filtersets_agile as filtersets
from steward.projects import forms_agile as forms
from steward.projects import services_agile, services_governance
from steward.projects import tables_agile as tables
from steward.projects.choices import ItemStatus
from steward.projects.models import BacklogItem, GateTemplate, Project, Sprint, WipLimit


class SprintViews(ObjectViews):
    filterset = filtersets.SprintFilterSet
    form = forms.SprintForm
    table = tables.SprintTable
    select_related = ("project", "carry_over_to")
    panels = (
        Panel("Sprint", ("project", "name", "start_date", "end_date", "carry_over_to"), markdown=("goal",)),
        Panel("Points", ("committed_points", "completed_points")),
    )


class BacklogItemViews(ObjectViews):
    filterset = filtersets.BacklogItemFilterSet
    form = forms.BacklogItemForm
    table = tables.BacklogItemTable
    select_related = ("project", "sprint", "epic", "assignee")
    panels = (
        Panel(
            "Item",
            ("reference", "project", "kind", "title", "story_points", "rank"),
            markdown=("description",),
        ),
        Panel("Planning", ("sprint", "epic", "assignee")),
    )


class WipLimitViews(ObjectViews):
    filterset = filtersets.WipLimitFilterSet
    form = forms.WipLimitForm
    table = tables.WipLimitTable
    select_related = ("project",)
    panels = (Panel("WIP limit", ("project", "status", "limit")),)


class GateTemplateViews(ObjectViews):
    filterset = filtersets.GateTemplateFilterSet
    form = forms.GateTemplateForm
    table = tables.GateTemplateTable
    panels = (Panel("Gate template", ("name", "methodology", "stages"), markdown=("description",)),)


class StageGateViews(ObjectViews):
    filterset = filtersets.StageGateFilterSet
    form = forms.StageGateForm
    table = tables.StageGateTable
    select_related = ("project",)
    panels = (Panel("Gate", ("project", "name", "order", "opens", "approvers"), markdown=("description",)),)


class GateCriterionViews(ObjectViews):
    filterset = filtersets.GateCriterionFilterSet
    form = forms.GateCriterionForm
    table = tables.GateCriterionTable
    select_related = ("gate",)
    panels = (Panel("Criterion", ("gate", "text", "order", "met", "evidence")),)


# --- project tabs ---------------------------------------------------------------------------------
def project_urls(slug: str, views: Any) -> list[Any]:
    """The agile and governance pages hung under a project (called from ProjectViews.urls)."""
    v = {"views": views}
    return [
        path(f"{slug}/<int:pk>/board/", BoardView.as_view(**v), name="project_board"),
        path(f"{slug}/<int:pk>/board/move/", BoardMoveView.as_view(), name="project_board_move"),
        path(f"{slug}/<int:pk>/backlog/", BacklogView.as_view(**v), name="project_backlog"),
        path(f"{slug}/<int:pk>/backlog/rank/", BacklogRankView.as_view(), name="project_backlog_rank"),
        path(f"{slug}/<int:pk>/delivery/", DeliveryView.as_view(**v), name="project_delivery"),
        path(f"{slug}/<int:pk>/gates/", GatesView.as_view(**v), name="project_gates"),
        path(f"{slug}/<int:pk>/gates/template/", ApplyTemplateView.as_view(**v), name="project_gates_template"),
        path(f"{slug}/<int:pk>/gates/<int:gate>/<str:decision>/", GateDecisionView.as_view(),
             name="project_gate_decide"),
        path(f"{slug}/promote/<int:initiative>/", PromoteView.as_view(**v), name="project_promote"),
    ]  # fmt: skip


TABS = (
    ("board", _lazy("Board")), ("backlog", _lazy("Backlog")), ("delivery", _lazy("Velocity and burndown")),
    ("gates", _lazy("Gates")),
)  # fmt: skip


def _columns() -> list[tuple[str, str]]:
    """Board columns: the states of the backlog-item workflow in force, in their declared order."""
    workflow = wf.get_workflow(BacklogItem)
    return [(name, state.label) for name, state in workflow.states.items()]


def _chosen_sprint(request: HttpRequest, project: Project) -> Sprint | None:
    raw = request.GET.get("sprint") or request.POST.get("sprint")
    if raw == "all":
        return None
    if raw:
        return Sprint.objects.filter(project=project, pk=raw).first()
    return Sprint.objects.filter(project=project, state="active").first()


def board_context(request: HttpRequest, project: Project) -> dict[str, Any]:
    sprint = _chosen_sprint(request, project)
    items = BacklogItem.objects.filter(project=project).select_related("assignee").order_by("rank", "pk")
    items = items.filter(sprint=sprint) if sprint is not None else items
    by_state: dict[str, list[BacklogItem]] = {}
    for item in items[:1000]:
        by_state.setdefault(item.state, []).append(item)
    limits = dict(WipLimit.objects.filter(project=project).values_list("status", "limit"))
    held = {}
    for name, _label in _columns():
        held[name] = (
            BacklogItem.objects.filter(project=project, state=name).count() if name in limits else None
        )
    columns = [
        {"state": name, "label": label, "items": by_state.get(name, []), "limit": limits.get(name),
         "held": held[name], "full": name in limits and held[name] >= limits[name]}
        for name, label in _columns()
    ]  # fmt: skip
    can_move = request.user.has_perm("projects.change_backlogitem")
    return {"board_sprint": sprint, "columns": columns, "sprints": project.sprints.order_by("-start_date"),
            "can_move": can_move}  # fmt: skip


class BoardView(ModelView):
    """The Kanban board of a project (its active sprint by default, ``?sprint=all`` for every item)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_object(pk)
        context = self.context(object=project, tab="board", **board_context(request, project))
        return render(request, "projects/project_board.html", context)


class BoardMoveView(ModelView):
    """Move a card (POST ``item``, ``state``): the service checks permission, workflow and WIP limits.

    An HTMX request gets the board back (a refused card is drawn where it was, with the reason);
    a plain form post is redirected to the board.
    """

    views = BacklogItemViews
    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = get_object_or_404(Project.objects.restrict(request.user, "view"), pk=pk)
        item = (
            BacklogItem.objects.restrict(request.user, "change")
            .filter(project=project, pk=request.POST.get("item") or 0)
            .first()
        )
        if item is None:
            messages.error(request, _("You may not move that item."))
        else:
            try:
                services_agile.move_item(
                    item=item, to_state=request.POST.get("state", ""), actor=request.user
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            except wf.TransitionForbidden as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("%(item)s moved to %(state)s.") % {"item": item.reference,
                                                                              "state": item.workflow_state.label})  # fmt: skip
        if request.headers.get("HX-Request"):
            context = {"object": project, **board_context(request, project)}
            response = render(request, "projects/inc/board.html", context)
            return response
        sprint = request.POST.get("sprint")
        url = f"{project.get_absolute_url()}board/" + (f"?sprint={sprint}" if sprint else "")
        return redirect(url)


def backlog_context(project: Project) -> dict[str, Any]:
    items = (
        BacklogItem.objects.filter(project=project, sprint__isnull=True)
        .exclude(state=ItemStatus.DONE)
        .select_related("assignee", "epic")
        .order_by("rank", "pk")[:500]
    )
    planned = project.sprints.exclude(state="closed").order_by("start_date").prefetch_related("items")
    return {"backlog": items, "open_sprints": planned}


class BacklogView(ModelView):
    """The product backlog in rank order (drag to re-rank) and the open sprints with their items."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_object(pk)
        context = self.context(object=project, tab="backlog", **backlog_context(project),
                               can_rank=request.user.has_perm("projects.change_backlogitem"))  # fmt: skip
        return render(request, "projects/project_backlog.html", context)


class BacklogRankView(ModelView):
    """Re-rank the backlog (POST ``order`` = item ids in the new order)."""

    views = BacklogItemViews
    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = get_object_or_404(Project.objects.restrict(request.user, "view"), pk=pk)
        order = request.POST.getlist("order")
        allowed = BacklogItem.objects.restrict(request.user, "change").filter(project=project)
        try:
            ids = [int(x) for x in order]
            if allowed.filter(pk__in=ids).count() != len(set(ids)):
                raise PermissionDenied
            services_agile.rerank(project=project, ordered=ids, actor=request.user)
        except ValueError:
            messages.error(request, _("The order lists something that is not an item."))
        except PermissionDenied:
            messages.error(request, _("You may not re-rank some of these items."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        if request.headers.get("HX-Request"):
            return render(request, "projects/inc/backlog.html",
                          {"object": project, "can_rank": True, **backlog_context(project)})  # fmt: skip
        return redirect(f"{project.get_absolute_url()}backlog/")


class DeliveryView(ModelView):
    """Velocity of the last closed sprints and the burndown of one sprint (the active one by default)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_object(pk)
        sprint = _chosen_sprint(request, project)
        if sprint is None:
            sprint = Sprint.objects.filter(project=project, state="closed").order_by("-end_date").first()
        speed = services_agile.velocity(project)
        velocity_chart = {
            "type": "bar", "labels": speed["labels"],
            "datasets": [
                {"label": _("Committed"), "data": speed["committed"], "backgroundColor": "#9aa0ac",
                 "borderColor": "#9aa0ac"},
                {"label": _("Completed"), "data": speed["completed"]},
                {"label": _("Mean"), "type": "line", "data": [speed["mean"]] * len(speed["labels"]),
                 "borderColor": "#f59f00", "backgroundColor": "#f59f00", "pointRadius": 0},
            ],
        }  # fmt: skip
        burn = services_agile.burndown(sprint) if sprint else None
        burndown_chart = None
        if burn:
            burndown_chart = {
                "type": "line", "labels": burn["labels"],
                "datasets": [
                    {"label": _("Ideal"), "data": burn["ideal"], "borderColor": "#9aa0ac", "backgroundColor": "#9aa0ac",
                     "borderDash": [6, 4], "pointRadius": 0},
                    {"label": _("Remaining"), "data": burn["remaining"]},
                ],
            }  # fmt: skip
        context = self.context(
            object=project, tab="delivery", velocity=speed, velocity_chart=velocity_chart, sprint=sprint,
            velocity_rows=list(zip(speed["labels"], speed["committed"], speed["completed"], strict=True)),
            burndown=burn, burndown_chart=burndown_chart, sprints=project.sprints.order_by("-start_date"),
        )  # fmt: skip
        return render(request, "projects/project_delivery.html", context)


class GatesView(ModelView):
    """The project's stage gates: checklist, approvers, state, and the approve/reject forms."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_object(pk)
        person = services_governance.person_of(request.user)
        gates = []
        for gate in project.gates.prefetch_related("criteria", "approvers").order_by("order", "pk"):
            approvers = list(gate.approvers.all())
            votes = {a.approver_id: a for a in wf.pending_approvals(gate, "approve", "submitted")}
            gates.append({
                "gate": gate, "criteria": list(gate.criteria.all()), "approvers": approvers,
                "voted": [p for p in approvers if p.user_id in votes],
                "may_decide": gate.state == "submitted" and person is not None
                and any(p.pk == person.pk for p in approvers) and request.user.pk not in votes,
                "may_submit": gate.state == "open" and request.user.has_perm("projects.change_stagegate", gate),
                "history": list(wf.history(gate)[:5]),
            })  # fmt: skip
        context = self.context(
            object=project, tab="gates", gates=gates, templates=GateTemplate.objects.order_by("name"),
            can_apply=request.user.has_perm("projects.add_stagegate"),
        )  # fmt: skip
        return render(request, "projects/project_gates.html", context)


class ApplyTemplateView(ModelView):
    """Give the project the gates of a template (POST ``template``)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_object(pk)
        if not request.user.has_perm("projects.add_stagegate"):
            raise PermissionDenied
        template = GateTemplate.objects.filter(pk=request.POST.get("template") or 0).first()
        if template is None:
            messages.error(request, _("Choose a gate template."))
        else:
            try:
                gates = services_governance.apply_gate_template(project=project, template=template,
                                                                actor=request.user)  # fmt: skip
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("%(n)d gates added.") % {"n": len(gates)})
        return redirect(f"{project.get_absolute_url()}gates/")


class GateDecisionView(ModelView):
    """Request approval of a gate, or approve / reject it with a comment (POST)."""

    views = StageGateViews

    def post(self, request: HttpRequest, pk: int, gate: int, decision: str) -> HttpResponse:
        if decision not in ("submit", "approve", "reject"):
            raise Http404
        obj = get_object_or_404(self.queryset("view"), pk=gate, project_id=pk)
        comment = (request.POST.get("comment") or "").strip()
        try:
            if decision == "submit":
                services_governance.request_gate_approval(gate=obj, actor=request.user, comment=comment)
                result = None
            else:
                result = services_governance.decide_gate(gate=obj, actor=request.user, approve=decision == "approve",
                                                         comment=comment)  # fmt: skip
        except (ValidationError, wf.TransitionNotAllowed, wf.TransitionForbidden) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, text)
        else:
            if result is not None and not result.completed:
                messages.success(request, _("Approval recorded; waiting for the other approvers."))
            else:
                obj.refresh_from_db()
                messages.success(request, _("%(gate)s: now %(state)s.") % {"gate": obj.name,
                                                                         "state": obj.workflow_state.label})  # fmt: skip
        return redirect(f"{obj.project.get_absolute_url()}gates/")


class PromoteView(ModelView):
    """Create the project delivering an approved initiative (the button on the initiative page)."""

    action = "add"

    def post(self, request: HttpRequest, initiative: int) -> HttpResponse:
        from steward.strategy.models import Initiative

        obj = get_object_or_404(Initiative.objects.restrict(request.user, "view"), pk=initiative)
        try:
            project = services_governance.promote_initiative(initiative=obj, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except wf.WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(project)s created; %(ref)s is now in delivery.") % {
                "project": project, "ref": obj.reference})  # fmt: skip
            return redirect(project.get_absolute_url())
        return redirect(obj.get_absolute_url())
