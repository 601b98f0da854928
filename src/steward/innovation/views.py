"""Innovation pages: the generic ones per model plus the funnel, the radar, the grid and results."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from steward.core.registry import registry
from steward.core.views import ObjectViews, Panel
from steward.core.views.generic import ModelView, ObjectDetailView
from steward.innovation import filtersets, forms, services, tables
from steward.innovation.choices import Ring
from steward.innovation.models import RadarQuadrant
from steward.org.models import Person


def _error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _radar_context(items: list[dict[str, Any]]) -> dict[str, Any]:
    """What the SVG radar template needs: blips, ring circles, quadrant labels, legend."""
    names: dict[int, list[str]] = {}
    for q in RadarQuadrant.objects.all():
        names.setdefault(q.position, []).append(q.name)
    for item in items:  # an edition may name a quadrant renamed or deleted since
        if item.get("quadrant") and item["quadrant"] not in names.setdefault(item["position"], []):
            names[item["position"]].append(item["quadrant"])
    quadrants = {p: " / ".join(n) for p, n in names.items()}
    blips = services.layout(items)
    c = services.SIZE / 2
    rings = [
        {"label": label, "r": r, "fill": fill, "label_y": c - r + 14}
        for (value, label), r, fill in zip(Ring.choices, services.RING_RADII, services.RING_FILL, strict=True)
    ][::-1]
    corners = {0: (c + 20, 20, "start"), 1: (c - 20, 20, "end"), 2: (c - 20, services.SIZE - 8, "end"),
               3: (c + 20, services.SIZE - 8, "start")}  # fmt: skip
    legend = [
        {"position": p, "name": quadrants.get(p, ""), "blips": [b for b in blips if b.quadrant == p]}
        for p in range(4)
    ]
    labels = [{"name": quadrants.get(p, ""), "x": x, "y": y, "anchor": a} for p, (x, y, a) in corners.items()]
    return {"blips": blips, "rings": rings, "size": services.SIZE, "centre": c, "legend": legend,
            "quadrant_labels": labels}  # fmt: skip


class IdeaDetailView(ObjectDetailView):
    """The generic page plus votes, the weighted evaluation and promotion."""

    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        if "object" in extra:
            idea = extra["object"]
            user = self.request.user
            person = Person.objects.filter(user=user).first()
            context["votes"] = idea.votes.count()
            context["has_voted"] = bool(person and idea.votes.filter(voter=person).exists())
            context["can_vote"] = user.has_perm("innovation.add_ideavote") and person is not None
            context["evaluation"] = services.evaluation(idea)
            context["can_promote"] = (
                user.has_perm("innovation.change_idea", idea) and idea.state in services.PROMOTABLE
            )
            context["pilots"] = idea.pilots.all()
        return context


class IdeaVoteView(ModelView):
    """Vote for an idea, or withdraw the vote, as the person linked to the signed-in user."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        idea = self.get_object(pk)
        withdraw = request.POST.get("withdraw") == "1"
        if not request.user.has_perm("innovation.delete_ideavote" if withdraw else "innovation.add_ideavote"):
            raise PermissionDenied
        person = Person.objects.filter(user=request.user).first()
        if person is None:
            messages.error(request, _("Your account is not linked to a person, so it cannot vote."))
            return redirect(idea.get_absolute_url())
        try:
            if withdraw:
                services.unvote(idea=idea, voter=person, actor=request.user)
            else:
                services.vote(idea=idea, voter=person, actor=request.user)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Vote withdrawn.") if withdraw else _("Vote recorded."))
        return redirect(idea.get_absolute_url())


class IdeaPromoteView(ModelView):
    """Turn the idea into an initiative or a project (POST ``to``)."""

    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        idea = self.get_object(pk)
        to = request.POST.get("to", "")
        needed = {"initiative": "strategy.add_initiative", "project": "projects.add_project"}.get(to)
        if needed and not request.user.has_perm(needed):
            raise PermissionDenied
        try:
            created = services.promote_idea(idea=idea, to=to, actor=request.user)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return redirect(idea.get_absolute_url())
        messages.success(request, _("%(ref)s created from the idea.") % {"ref": created.reference})
        return redirect(created.get_absolute_url())


class FunnelView(ModelView):
    """Ideas per funnel stage with conversion from one stage to the next."""

    def get(self, request: HttpRequest) -> HttpResponse:
        stages, rejected = services.funnel(self.queryset())
        top = max((s.reached for s in stages), default=0) or 1
        rows = [{"stage": s, "width": round(100 * s.reached / top, 1)} for s in stages]
        return render(request, "innovation/funnel.html", self.context(rows=rows, rejected=rejected))


class RadarView(ModelView):
    """The current technology radar, drawn as SVG on the server."""

    def get(self, request: HttpRequest) -> HttpResponse:
        entries = list(self.queryset().select_related("quadrant"))
        marks = services.markers(entries)
        items = [{"name": e.name, "position": e.quadrant.position, "quadrant": e.quadrant.name, "ring": e.ring,
                  "moved": marks[e.pk], "url": e.get_absolute_url()} for e in entries]  # fmt: skip
        return render(
            request,
            "innovation/radar.html",
            self.context(**_radar_context(items), title=_("Technology radar")),
        )


class RadarEntryDetailView(ObjectDetailView):
    """The entry with its movement history and its actual adoption from the CMDB."""

    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        if "object" in extra:
            entry = extra["object"]
            context["movements"] = entry.movements.all()
            context["installations"], context["devices"] = services.adoption([entry])[entry.pk]
            context["marker"] = services.markers([entry])[entry.pk]
        return context


class RadarEditionDetailView(ObjectDetailView):
    """A published edition, drawn from its frozen snapshot."""

    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        if "object" in extra:
            items = [dict(i) for i in extra["object"].snapshot or []]
            context.update(_radar_context(items))
        return context


class PilotDetailView(ObjectDetailView):
    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        if "object" in extra:
            context["criteria"] = extra["object"].criteria.all()
        return context


class ChangePlanDetailView(ObjectDetailView):
    """The plan with its stakeholders, communications, training, surveys, checklist and adoption."""

    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        if "object" in extra:
            plan = extra["object"]
            context["groups"] = plan.groups.all()
            context["communications"] = plan.messages.prefetch_related("audience")
            context["training"] = plan.training.select_related("course").prefetch_related("audience")
            context["can_enrol"] = self.request.user.has_perm("talent.add_enrolment")
            context["surveys"] = plan.surveys.all()
            context["checklist"] = plan.checklist.select_related("owner")
            context["ready_done"], context["ready_total"] = services.readiness(plan)
            context["metrics"] = [(metric, services.metric_series(metric, points=6))
                                  for metric in plan.metrics.select_related("software_product", "catalogue_item")]  # fmt: skip
        return context


class TrainingEnrolView(ModelView):
    """Plan the training item's catalogue course for everyone in its audience (POST)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.get_object(pk)
        if not request.user.has_perm("talent.add_enrolment"):
            raise PermissionDenied
        try:
            created = services.enrol_training_audience(item=item, actor=request.user)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("%(n)d enrolments planned for %(course)s.")
                             % {"n": len(created), "course": item.course})  # fmt: skip
        return redirect(item.plan.get_absolute_url())


class StakeholderGridView(ModelView):
    """The influence × interest grid of one plan's stakeholder groups."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = self.get_object(pk)
        return render(request, "innovation/grid.html", self.context(object=plan, cells=services.grid(plan)))


class SurveyDetailView(ObjectDetailView):
    """The survey with its results overall and per stakeholder group."""

    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        if "object" in extra:
            context["results"] = services.survey_results(extra["object"])
        return context


def _replace(cls: type[ObjectViews], name: str, view: Any, extra: list[Any]) -> list[Any]:
    """The model's generic URLs with its detail view replaced and ``extra`` ones added first."""
    slug = registry.entry(cls.model).url_slug
    kept = [p for p in ObjectViews.urls.__func__(cls) if p.name != f"{name}_detail"]
    return [*extra, path(f"{slug}/<int:pk>/", view.as_view(views=cls), name=f"{name}_detail"), *kept]


class CriteriaSetViews(ObjectViews):
    filterset = filtersets.CriteriaSetFilterSet
    form = forms.CriteriaSetForm
    table = tables.CriteriaSetTable
    panels = (Panel("Criteria set", ("name",), markdown=("description",)),)


class EvaluationCriterionViews(ObjectViews):
    filterset = filtersets.EvaluationCriterionFilterSet
    form = forms.EvaluationCriterionForm
    table = tables.EvaluationCriterionTable
    select_related = ("criteria_set",)
    panels = (Panel("Criterion", ("criteria_set", "name", "weight", "description")),)


class IdeaViews(ObjectViews):
    filterset = filtersets.IdeaFilterSet
    form = forms.IdeaForm
    table = tables.IdeaTable
    select_related = ("submitter", "criteria_set", "initiative", "project")
    panels = (
        Panel(
            "Idea", ("reference", "title", "category", "submitter", "criteria_set"), markdown=("description",)
        ),
        Panel("Benefit and outcome", ("expected_benefit", "initiative", "project")),
    )
    detail_template = "innovation/idea_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        slug, v = registry.entry(cls.model).url_slug, {"views": cls}
        return _replace(cls, "idea", IdeaDetailView, [
            path(f"{slug}/funnel/", FunnelView.as_view(**v), name="idea_funnel"),
            path(f"{slug}/<int:pk>/vote/", IdeaVoteView.as_view(**v), name="idea_vote"),
            path(f"{slug}/<int:pk>/promote/", IdeaPromoteView.as_view(**v), name="idea_promote"),
        ])  # fmt: skip


class IdeaVoteViews(ObjectViews):
    filterset = filtersets.IdeaVoteFilterSet
    form = forms.IdeaVoteForm
    table = tables.IdeaVoteTable
    select_related = ("idea", "voter")
    panels = (Panel("Vote", ("idea", "voter", "created")),)


class IdeaScoreViews(ObjectViews):
    filterset = filtersets.IdeaScoreFilterSet
    form = forms.IdeaScoreForm
    table = tables.IdeaScoreTable
    select_related = ("idea", "criterion__criteria_set", "evaluator")
    panels = (Panel("Score", ("idea", "criterion", "evaluator", "value", "comment")),)


class RadarQuadrantViews(ObjectViews):
    filterset = filtersets.RadarQuadrantFilterSet
    form = forms.RadarQuadrantForm
    table = tables.RadarQuadrantTable
    panels = (Panel("Quadrant", ("name", "position", "description")),)


class RadarEntryViews(ObjectViews):
    filterset = filtersets.RadarEntryFilterSet
    form = forms.RadarEntryForm
    table = tables.RadarEntryTable
    select_related = ("quadrant", "owner")
    panels = (
        Panel("Entry", ("name", "quadrant", "ring", "owner", "software_products"), markdown=("description",)),
    )
    detail_template = "innovation/radarentry_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        slug, v = registry.entry(cls.model).url_slug, {"views": cls}
        radar = path(f"{slug}/radar/", RadarView.as_view(**v), name="radarentry_radar")
        return _replace(cls, "radarentry", RadarEntryDetailView, [radar])


class RadarMovementViews(ObjectViews):
    filterset = filtersets.RadarMovementFilterSet
    form = forms.RadarMovementForm
    table = tables.RadarMovementTable
    select_related = ("entry",)
    panels = (Panel("Movement", ("entry", "date", "from_ring", "to_ring"), markdown=("rationale",)),)


class RadarEditionViews(ObjectViews):
    filterset = filtersets.RadarEditionFilterSet
    form = forms.RadarEditionForm
    table = tables.RadarEditionTable
    panels = (Panel("Edition", ("name", "date"), markdown=("notes",)),)
    detail_template = "innovation/radaredition_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        return _replace(cls, "radaredition", RadarEditionDetailView, [])


class PilotViews(ObjectViews):
    filterset = filtersets.PilotFilterSet
    form = forms.PilotForm
    table = tables.PilotTable
    select_related = ("idea", "owner")
    panels = (
        Panel(
            "Pilot",
            ("reference", "title", "idea", "owner", "projects", "start_date", "end_date"),
            markdown=("hypothesis",),
        ),
        Panel("Decision", ("decision",), markdown=("decision_rationale",)),
    )
    detail_template = "innovation/pilot_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        return _replace(cls, "pilot", PilotDetailView, [])


class SuccessCriterionViews(ObjectViews):
    filterset = filtersets.SuccessCriterionFilterSet
    form = forms.SuccessCriterionForm
    table = tables.SuccessCriterionTable
    select_related = ("pilot",)
    panels = (Panel("Success criterion", ("pilot", "name", "target", "result", "outcome")),)


class ChangePlanViews(ObjectViews):
    filterset = filtersets.ChangePlanFilterSet
    form = forms.ChangePlanForm
    table = tables.ChangePlanTable
    select_related = ("owner", "project", "change", "pilot")
    panels = (
        Panel("Change plan", ("reference", "title", "owner", "go_live"), markdown=("description",)),
        Panel("Linked to", ("project", "change", "pilot")),
    )
    detail_template = "innovation/changeplan_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        slug, v = registry.entry(cls.model).url_slug, {"views": cls}
        grid = path(f"{slug}/<int:pk>/grid/", StakeholderGridView.as_view(**v), name="changeplan_grid")
        return _replace(cls, "changeplan", ChangePlanDetailView, [grid])


class StakeholderGroupViews(ObjectViews):
    filterset = filtersets.StakeholderGroupFilterSet
    form = forms.StakeholderGroupForm
    table = tables.StakeholderGroupTable
    select_related = ("plan",)
    panels = (
        Panel("Stakeholder group", ("plan", "name", "influence", "interest", "adkar_stage")),
        Panel("Impact", ("impact_level", "impact_description")),
        Panel("Members", ("teams", "departments", "people")),
    )


class CommunicationMessageViews(ObjectViews):
    filterset = filtersets.CommunicationMessageFilterSet
    form = forms.CommunicationMessageForm
    table = tables.CommunicationMessageTable
    select_related = ("plan",)
    panels = (
        Panel("Communication", ("plan", "audience", "channel", "send_on", "subject"), markdown=("body",)),
        Panel("Delivery", ("sent_at", "recipient_count")),
    )


class TrainingItemViews(ObjectViews):
    filterset = filtersets.TrainingItemFilterSet
    form = forms.TrainingItemForm
    table = tables.TrainingItemTable
    select_related = ("plan",)
    panels = (Panel("Training", ("plan", "title", "course", "date", "audience"), markdown=("notes",)),)

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        enrol = path(
            f"{slug}/<int:pk>/enrol/", TrainingEnrolView.as_view(views=cls), name="trainingitem_enrol"
        )
        return [enrol, *ObjectViews.urls.__func__(cls)]


class ReadinessSurveyViews(ObjectViews):
    filterset = filtersets.ReadinessSurveyFilterSet
    form = forms.ReadinessSurveyForm
    table = tables.ReadinessSurveyTable
    select_related = ("plan",)
    panels = (Panel("Survey", ("plan", "title", "closes_at")),)
    detail_template = "innovation/readinesssurvey_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        return _replace(cls, "readinesssurvey", SurveyDetailView, [])


class SurveyQuestionViews(ObjectViews):
    filterset = filtersets.SurveyQuestionFilterSet
    form = forms.SurveyQuestionForm
    table = tables.SurveyQuestionTable
    select_related = ("survey__plan",)
    panels = (Panel("Question", ("survey", "text", "position")),)


class SurveyAnswerViews(ObjectViews):
    filterset = filtersets.SurveyAnswerFilterSet
    form = forms.SurveyAnswerForm
    table = tables.SurveyAnswerTable
    select_related = ("question", "respondent")
    panels = (Panel("Answer", ("question", "respondent", "score", "comment")),)


class ReadinessItemViews(ObjectViews):
    filterset = filtersets.ReadinessItemFilterSet
    form = forms.ReadinessItemForm
    table = tables.ReadinessItemTable
    select_related = ("plan", "owner")
    panels = (Panel("Go-live checklist item", ("plan", "title", "owner", "due_date", "done")),)


class AdoptionMetricViews(ObjectViews):
    filterset = filtersets.AdoptionMetricFilterSet
    form = forms.AdoptionMetricForm
    table = tables.AdoptionMetricTable
    select_related = ("plan", "software_product", "catalogue_item")
    panels = (
        Panel("Adoption metric", ("plan", "name", "kind", "software_product", "catalogue_item", "target")),
    )
