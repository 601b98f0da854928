from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from steward.core import workflow as wf
from steward.core.registry import registry
from steward.core.views import ObjectViews, Panel
from steward.core.views.generic import ModelView, ObjectDetailView
from steward.strategy import filtersets, forms, services, tables
from steward.strategy.models import Initiative, InitiativeAlignment, Objective


class ObjectiveViews(ObjectViews):
    filterset = filtersets.ObjectiveFilterSet
    form = forms.ObjectiveForm
    table = tables.ObjectiveTable
    select_related = ("parent", "owner")
    panels = (
        Panel(
            "Objective", ("reference", "title", "parent", "perspective", "status"), markdown=("description",)
        ),
        Panel("Period and owner", ("period_start", "period_end", "owner")),
    )

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        view = AlignmentMatrixView.as_view(views=cls)
        return [path(f"{slug}/alignment/", view, name="objective_alignment"), *super().urls()]


class KeyResultViews(ObjectViews):
    filterset = filtersets.KeyResultFilterSet
    form = forms.KeyResultForm
    table = tables.KeyResultTable
    select_related = ("objective", "owner")
    panels = (
        Panel("Key result", ("objective", "title", "metric", "unit", "confidence", "owner")),
        Panel("Progress", ("baseline", "target", "current", "progress")),
    )


class KeyResultMeasurementViews(ObjectViews):
    filterset = filtersets.KeyResultMeasurementFilterSet
    form = forms.KeyResultMeasurementForm
    table = tables.KeyResultMeasurementTable
    select_related = ("key_result",)
    panels = (Panel("Measurement", ("key_result", "date", "value", "note")),)


class InitiativeViews(ObjectViews):
    filterset = filtersets.InitiativeFilterSet
    form = forms.InitiativeForm
    table = tables.InitiativeTable
    select_related = ("sponsor", "department")
    panels = (
        Panel(
            "Initiative", ("reference", "title", "sponsor", "department", "project"), markdown=("summary",)
        ),
        Panel("Plan", ("start_date", "end_date", "currency", "discount_rate", "risk_score")),
    )
    detail_template = "strategy/initiative_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        v = {"views": cls}
        patterns = [p for p in super().urls() if p.name != "initiative_detail"]
        return [
            path(f"{slug}/<int:pk>/", InitiativeDetailView.as_view(**v), name="initiative_detail"),
            path(f"{slug}/roadmap/", RoadmapView.as_view(**v), name="initiative_roadmap"),
            path(f"{slug}/intake/", DemandIntakeView.as_view(**v), name="initiative_intake"),
            *patterns,
        ]


class InitiativeAlignmentViews(ObjectViews):
    filterset = filtersets.InitiativeAlignmentFilterSet
    form = forms.InitiativeAlignmentForm
    table = tables.InitiativeAlignmentTable
    select_related = ("initiative", "objective")
    panels = (Panel("Alignment", ("initiative", "objective", "score", "rationale")),)


class BusinessCaseLineViews(ObjectViews):
    filterset = filtersets.BusinessCaseLineFilterSet
    form = forms.BusinessCaseLineForm
    table = tables.BusinessCaseLineTable
    select_related = ("initiative",)
    panels = (Panel("Business-case line", ("initiative", "year", "kind", "category", "description", "planned",
                                           "realised")),)  # fmt: skip


class ScoringModelViews(ObjectViews):
    filterset = filtersets.ScoringModelFilterSet
    form = forms.ScoringModelForm
    table = tables.ScoringModelTable
    panels = (Panel("Scoring model", ("name",), markdown=("description",)),)


class ScoringCriterionViews(ObjectViews):
    filterset = filtersets.ScoringCriterionFilterSet
    form = forms.ScoringCriterionForm
    table = tables.ScoringCriterionTable
    select_related = ("scoring_model",)
    panels = (Panel("Criterion", ("scoring_model", "name", "weight", "source", "description")),)


class CriterionScoreViews(ObjectViews):
    filterset = filtersets.CriterionScoreFilterSet
    form = forms.CriterionScoreForm
    table = tables.CriterionScoreTable
    select_related = ("initiative", "criterion__scoring_model")
    panels = (Panel("Score", ("initiative", "criterion", "value", "comment")),)


class PortfolioScenarioViews(ObjectViews):
    filterset = filtersets.PortfolioScenarioFilterSet
    form = forms.PortfolioScenarioForm
    table = tables.PortfolioScenarioTable
    select_related = ("scoring_model",)
    panels = (
        Panel("Scenario", ("name", "scoring_model", "budget", "currency", "candidate_states"),
              markdown=("description",)),
        Panel("Result", ("total_cost", "total_score", "computed")),
    )  # fmt: skip
    detail_template = "strategy/portfolioscenario_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        v = {"views": cls}
        patterns = [p for p in super().urls() if p.name != "portfolioscenario_detail"]
        return [
            path(f"{slug}/<int:pk>/", ScenarioDetailView.as_view(**v), name="portfolioscenario_detail"),
            path(f"{slug}/<int:pk>/run/", ScenarioRunView.as_view(**v), name="portfolioscenario_run"),
            path(f"{slug}/compare/", ScenarioCompareView.as_view(**v), name="portfolioscenario_compare"),
            *patterns,
        ]


# --- pages beyond the generic ones ---------------------------------------------------------------
class InitiativeDetailView(ObjectDetailView):
    """The generic page plus the business case and its figures."""

    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        if "object" in extra:
            initiative = extra["object"]
            lines = list(initiative.business_case.all())
            context["case_lines"] = lines
            context["case"] = services.business_case(initiative, lines)
            context["alignments"] = initiative.alignments.select_related("objective")
            # The projects app turns an approved initiative into its delivery project.
            context["can_promote"] = initiative.state == "approved" and self.request.user.has_perm(
                "projects.add_project"
            )
        return context


class DemandIntakeView(ModelView):
    """The demand intake form: one page that opens an initiative with a first business case."""

    action = "add"
    template = "strategy/initiative_intake.html"

    def form(self, data: Any = None) -> forms.DemandIntakeForm:
        visible = Objective.objects.restrict(self.request.user, "view").exclude(status="dropped")
        return forms.DemandIntakeForm(data, objectives=visible.order_by("reference"))

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template, self.context(form=self.form()))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            try:
                initiative = services.submit_demand(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            except wf.WorkflowError as exc:
                form.add_error("propose", str(exc))
            else:
                messages.success(
                    request, _("%(ref)s opened from your demand.") % {"ref": initiative.reference}
                )
                return redirect(initiative.get_absolute_url())
        return render(request, self.template, self.context(form=form), status=422)


class ScenarioDetailView(ObjectDetailView):
    """The scenario with its current ranking and which candidates its last run selected."""

    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        if "object" in extra:
            scenario = extra["object"]
            visible = Initiative.objects.restrict(self.request.user, "view")
            candidates = services.candidates_for(scenario).filter(pk__in=visible.values("pk"))
            context["ranking"] = services.score_initiatives(
                scoring_model=scenario.scoring_model, initiatives=candidates
            )
            context["selected_ids"] = set(scenario.selected.values_list("pk", flat=True))
            context["criteria"] = list(scenario.scoring_model.criteria.all())
            context["can_run"] = self.request.user.has_perm("strategy.change_portfolioscenario", scenario)
        return context


class ScenarioRunView(ModelView):
    """Pick the best set within the scenario's budget (POST only)."""

    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        scenario = self.get_object(pk)
        try:
            services.run_scenario(scenario=scenario, actor=request.user)
        except services.InfeasibleSelection as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("%(n)d initiatives selected for %(cost)s.")
                % {"n": scenario.selected.count(), "cost": scenario.total_cost},
            )
        return redirect(scenario.get_absolute_url())


class ScenarioCompareView(ModelView):
    """Scenarios side by side: budget, cost, score and which initiatives each selects."""

    def get(self, request: HttpRequest) -> HttpResponse:
        ids = [i for i in request.GET.getlist("id") if i.isdigit()]
        scenarios = list(self.queryset().filter(pk__in=ids) if ids else self.queryset()[:4])
        chosen: dict[int, set[int]] = {s.pk: set(s.selected.values_list("pk", flat=True)) for s in scenarios}
        union = set().union(*chosen.values()) if chosen else set()
        initiatives = (
            Initiative.objects.restrict(request.user, "view").filter(pk__in=union).order_by("reference")
        )
        rows = [(i, [i.pk in chosen[s.pk] for s in scenarios]) for i in initiatives]
        return render(
            request,
            "strategy/scenario_compare.html",
            self.context(scenarios=scenarios, rows=rows, all_scenarios=self.queryset()),
        )


class AlignmentMatrixView(ModelView):
    """Objectives × initiatives with the fit score in each cell; gaps show unaligned work."""

    def get(self, request: HttpRequest) -> HttpResponse:
        objectives = list(self.queryset().exclude(status__in=("dropped",)).order_by("reference"))
        initiatives = list(
            Initiative.objects.restrict(request.user, "view")
            .exclude(state__in=("rejected", "cancelled"))
            .order_by("reference")
        )
        scores = {
            (a.initiative_id, a.objective_id): a.score
            for a in InitiativeAlignment.objects.filter(
                initiative__in=[i.pk for i in initiatives], objective__in=[o.pk for o in objectives]
            )
        }
        rows = [(i, [scores.get((i.pk, o.pk)) for o in objectives]) for i in initiatives]
        unaligned = [i for i, cells in rows if not any(cells)]
        uncovered = [o for n, o in enumerate(objectives) if not any(cells[n] for _i, cells in rows)]
        return render(
            request,
            "strategy/alignment_matrix.html",
            self.context(objectives=objectives, rows=rows, unaligned=unaligned, uncovered=uncovered),
        )


class RoadmapView(ModelView):
    """Initiatives on a time line (SVG drawn on the server), one bar per initiative with dates."""

    WIDTH, ROW, LABEL = 900, 26, 260
    #: Tabler's palette, so bars match the state badges elsewhere.
    FILL = {"blue": "#066fd1", "cyan": "#17a2b8", "green": "#2fb344", "teal": "#0ca678", "orange": "#f76707",
            "red": "#d63939", "yellow": "#f59f00", "purple": "#ae3ec9", "secondary": "#6c7a91", "dark": "#182433"}  # fmt: skip

    def get(self, request: HttpRequest) -> HttpResponse:
        items = list(
            self.queryset()
            .exclude(state__in=("rejected", "cancelled"))
            .filter(start_date__isnull=False, end_date__isnull=False)
            .order_by("start_date", "reference")[:200]
        )
        bars, months = [], []
        if items:
            first = min(i.start_date for i in items).replace(day=1)
            last = max(i.end_date for i in items)
            span = max((last - first).days, 1)
            scale = (self.WIDTH - self.LABEL) / span
            for n, item in enumerate(items):
                x = self.LABEL + (item.start_date - first).days * scale
                width = max(3.0, (item.end_date - item.start_date).days * scale)
                bars.append({"item": item, "x": round(x, 1), "y": 30 + n * self.ROW, "width": round(width, 1),
                             "fill": self.FILL.get(item.workflow_state.colour, "#6c7a91"), "state": item.workflow_state.label})  # fmt: skip
            month = first
            while month <= last:
                months.append(
                    {
                        "x": round(self.LABEL + (month - first).days * scale, 1),
                        "label": month.strftime("%b %y"),
                    }
                )
                month = (month + dt.timedelta(days=32)).replace(day=1)
        height = 40 + len(items) * self.ROW
        return render(
            request,
            "strategy/roadmap.html",
            self.context(bars=bars, months=months, width=self.WIDTH, height=height, label_width=self.LABEL),
        )
