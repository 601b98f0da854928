from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from steward.core.registry import registry
from steward.core.views import ObjectViews, Panel
from steward.core.views.generic import ModelView
from steward.grc import filtersets, forms, results, services, tables
from steward.grc.catalogs import CatalogError
from steward.grc.models import Indicator


class FrameworkViews(ObjectViews):
    filterset = filtersets.FrameworkFilterSet
    form = forms.FrameworkForm
    table = tables.FrameworkTable
    select_related = ("based_on",)
    detail_template = "grc/framework_detail.html"
    panels = (
        Panel("Framework", ("name", "version", "identifier", "source", "source_uuid", "based_on", "publisher",
                            "imported_at"), markdown=("description",)),
    )  # fmt: skip

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        return [path(f"{slug}/upload/", FrameworkUploadView.as_view(views=cls), name="framework_upload"),
                *super().urls()]  # fmt: skip


class FrameworkUploadView(ModelView):
    """Upload an OSCAL catalog/profile or a Steward library; all or nothing, errors by path."""

    action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "grc/framework_upload.html", self.context(form=forms.FrameworkUploadForm()))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.FrameworkUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                summary = services.import_framework_file(
                    content=form.cleaned_data["file"].read(),
                    actor=request.user,
                    catalog=form.cleaned_data["catalog"],
                )
            except CatalogError as exc:
                form.add_error("file", _("Nothing was imported. %(path)s: %(message)s")
                               % {"path": exc.path, "message": exc.message})  # fmt: skip
            else:
                messages.success(request, str(summary))
                return HttpResponseRedirect(summary.framework.get_absolute_url())
        return render(request, "grc/framework_upload.html", self.context(form=form), status=422)


class RequirementViews(ObjectViews):
    filterset = filtersets.RequirementFilterSet
    form = forms.RequirementForm
    table = tables.RequirementTable
    select_related = ("framework", "parent")
    panels = (
        Panel("Requirement", ("framework", "parent", "control_id", "label", "title", "kind", "withdrawn")),
        Panel("Text", (), markdown=("statement", "guidance")),
    )


class ControlViews(ObjectViews):
    filterset = filtersets.ControlFilterSet
    form = forms.ControlForm
    table = tables.ControlTable
    select_related = ("owner",)
    panels = (
        Panel("Control", ("reference", "name", "owner", "implementation_status"), markdown=("description",)),
        Panel("Mapping and scope", ("requirements", "organisations", "departments", "services")),
        Panel("Testing", ("test_result", "tested_on"), markdown=("test_notes",)),
    )


class ScopingViews(ObjectViews):
    filterset = filtersets.ScopingFilterSet
    form = forms.ScopingForm
    table = tables.ScopingTable
    select_related = ("requirement", "organisation", "department", "service")


class EvidenceViews(ObjectViews):
    filterset = filtersets.EvidenceFilterSet
    form = forms.EvidenceForm
    table = tables.EvidenceTable
    detail_template = "grc/evidence_detail.html"
    panels = (
        Panel("Evidence", ("name", "kind", "link", "query", "controls", "collected_at", "row_count"),
              markdown=("description",)),
    )  # fmt: skip

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        return [*super().urls(),
                path(f"{slug}/<int:pk>/collect/", EvidenceCollectView.as_view(views=cls), name="evidence_collect")]  # fmt: skip


class EvidenceCollectView(ModelView):
    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        evidence = self.get_object(pk)
        try:
            services.collect_evidence(evidence=evidence, actor=request.user)
            messages.success(
                request,
                _("Collected %s rows.") % (evidence.row_count if evidence.row_count is not None else "—"),
            )
        except ValidationError as exc:
            messages.error(request, "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.message_dict.items()))
        return HttpResponseRedirect(evidence.get_absolute_url())


class AssessmentViews(ObjectViews):
    filterset = filtersets.AssessmentFilterSet
    form = forms.AssessmentForm
    table = tables.AssessmentTable
    select_related = ("framework", "assessor")
    detail_template = "grc/assessment_detail.html"
    panels = (
        Panel("Assessment", ("reference", "name", "framework", "assessor", "start_date", "end_date"),
              markdown=("description",)),
        Panel("Scope", ("organisations", "departments", "services")),
    )  # fmt: skip

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        v = {"views": cls}
        return [
            path(f"{slug}/import-oscal/", AssessmentImportView.as_view(**v), name="assessment_import_oscal"),
            *super().urls(),
            path(f"{slug}/<int:pk>/prepare/", AssessmentPrepareView.as_view(**v), name="assessment_prepare"),
            path(
                f"{slug}/<int:pk>/oscal/",
                AssessmentExportView.as_view(fmt="oscal", **v),
                name="assessment_oscal",
            ),
            path(
                f"{slug}/<int:pk>/csv/", AssessmentExportView.as_view(fmt="csv", **v), name="assessment_csv"
            ),
        ]


class AssessmentPrepareView(ModelView):
    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        assessment = self.get_object(pk)
        created = services.prepare_assessment(assessment=assessment, actor=request.user)
        messages.success(request, _("%d results added.") % created)
        return HttpResponseRedirect(assessment.get_absolute_url())


class AssessmentExportView(ModelView):
    action = "view"
    fmt = "oscal"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        assessment = self.get_object(pk)
        if self.fmt == "csv":
            response = HttpResponse(results.export_csv(assessment), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{assessment.reference}-results.csv"'
            return response
        response = JsonResponse(results.export_assessment(assessment), json_dumps_params={"indent": 2})
        response["Content-Disposition"] = (
            f'attachment; filename="{assessment.reference}-assessment-results.json"'
        )
        return response


class AssessmentImportView(ModelView):
    action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "grc/framework_upload.html",
                      self.context(form=forms.AssessmentUploadForm(), heading=_("Import OSCAL assessment results")))  # fmt: skip

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.AssessmentUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                assessment = results.import_assessment(
                    content=form.cleaned_data["file"].read(), actor=request.user,
                    framework=form.cleaned_data["framework"],
                )  # fmt: skip
            except CatalogError as exc:
                form.add_error("file", _("Nothing was imported. %(path)s: %(message)s")
                               % {"path": exc.path, "message": exc.message})  # fmt: skip
            else:
                messages.success(request, _("Imported %s.") % assessment)
                return HttpResponseRedirect(assessment.get_absolute_url())
        context = self.context(form=form, heading=_("Import OSCAL assessment results"))
        return render(request, "grc/framework_upload.html", context, status=422)


class AssessmentResultViews(ObjectViews):
    filterset = filtersets.AssessmentResultFilterSet
    form = forms.AssessmentResultForm
    table = tables.AssessmentResultTable
    select_related = ("assessment", "requirement", "inherited_from")
    prefetch_related = ("tagged_items__tag", "evidence")
    panels = (
        Panel("Result", ("assessment", "requirement", "status", "score", "inherited_from", "assessed_at",
                         "evidence"), markdown=("notes",)),
    )  # fmt: skip


class FindingViews(ObjectViews):
    filterset = filtersets.FindingFilterSet
    form = forms.FindingForm
    table = tables.FindingTable
    select_related = ("assessment", "requirement", "owner")
    panels = (
        Panel("Finding", ("reference", "title", "severity", "assessment", "requirement", "owner", "due_date"),
              markdown=("description", "resolution")),
    )  # fmt: skip


class RemediationTaskViews(ObjectViews):
    filterset = filtersets.RemediationTaskFilterSet
    form = forms.RemediationTaskForm
    table = tables.RemediationTaskTable
    select_related = ("finding", "risk", "assignee")


class RiskMatrixViews(ObjectViews):
    filterset = filtersets.RiskMatrixFilterSet
    form = forms.RiskMatrixForm
    table = tables.RiskMatrixTable
    detail_template = "grc/riskmatrix_detail.html"
    panels = (Panel("Risk matrix", ("name", "is_default", "appetite"), markdown=("description",)),)


class RiskViews(ObjectViews):
    filterset = filtersets.RiskFilterSet
    form = forms.RiskForm
    table = tables.RiskTable
    select_related = ("owner", "matrix", "accepted_by")
    detail_template = "grc/risk_detail.html"
    panels = (
        Panel("Risk", ("reference", "title", "category", "owner", "services", "configuration_items"),
              markdown=("description", "threats")),
        Panel("Scores", ("matrix", "inherent_likelihood", "inherent_impact", "inherent_score", "residual_likelihood",
                         "residual_impact", "residual_score", "controls")),
        Panel("Treatment", ("treatment", "accepted_by", "acceptance_expires", "review_every_days", "last_reviewed"),
              markdown=("treatment_plan",)),
    )  # fmt: skip

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        return [path(f"{slug}/heat-map/", RiskHeatMapView.as_view(views=cls), name="risk_heat_map"),
                *super().urls()]  # fmt: skip


class RiskHeatMapView(ModelView):
    """Likelihood × impact grid of the risks the user may see, inherent or residual."""

    action = "view"

    def get(self, request: HttpRequest) -> HttpResponse:
        from steward.grc.models import RiskMatrix

        matrices = list(RiskMatrix.objects.restrict(request.user, "view"))
        matrix = next((m for m in matrices if str(m.pk) == request.GET.get("matrix")), None)
        matrix = matrix or next((m for m in matrices if m.is_default), matrices[0] if matrices else None)
        residual = request.GET.get("stage") == "residual"
        risks = self.queryset().exclude(state="closed")
        grid = services.heat_map(risks, matrix, residual=residual) if matrix else []
        above = (
            [r for r in risks.filter(matrix=matrix).select_related("matrix") if r.exceeds_appetite]
            if matrix
            else []
        )
        return render(request, "grc/risk_heat_map.html", self.context(
            matrix=matrix, matrices=matrices, grid=grid, residual=residual, above=above,
        ))  # fmt: skip


class PolicyViews(ObjectViews):
    filterset = filtersets.PolicyFilterSet
    form = forms.PolicyForm
    table = tables.PolicyTable
    select_related = ("owner",)
    panels = (
        Panel("Policy", ("reference", "title", "policy_type", "owner", "version", "review_every_months",
                         "next_review"), markdown=("body",)),
    )  # fmt: skip


class PolicyVersionViews(ObjectViews):
    filterset = filtersets.PolicyVersionFilterSet
    form = forms.PolicyVersionForm
    table = tables.PolicyVersionTable
    select_related = ("policy", "approved_by")
    panels = (Panel("Version", ("policy", "version", "published_at", "approved_by"), markdown=("body",)),)


class AcknowledgementCampaignViews(ObjectViews):
    filterset = filtersets.AcknowledgementCampaignFilterSet
    form = forms.AcknowledgementCampaignForm
    table = tables.AcknowledgementCampaignTable
    select_related = ("policy_version__policy",)
    detail_template = "grc/campaign_detail.html"

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        v = {"views": cls}
        return [*super().urls(),
                path(f"{slug}/<int:pk>/acknowledge/", AcknowledgeView.as_view(**v), name="acknowledgementcampaign_ack"),
                path(f"{slug}/<int:pk>/chase/", ChaseView.as_view(**v), name="acknowledgementcampaign_chase")]  # fmt: skip


class AcknowledgeView(ModelView):
    """The signed-in person attests they read the campaign's policy version."""

    action = "view"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = self.get_object(pk)
        person = getattr(request.user, "person", None)
        if person is None:
            messages.error(request, _("Person: your account is not linked to a person."))
        else:
            try:
                services.acknowledge(campaign=campaign, person=person, actor=request.user)
                messages.success(request, _("Thank you: your acknowledgement is recorded."))
            except ValidationError as exc:
                messages.error(
                    request, "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.message_dict.items())
                )
        return HttpResponseRedirect(campaign.get_absolute_url())


class ChaseView(ModelView):
    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = self.get_object(pk)
        messages.success(
            request, _("Reminded %d people.") % services.chase_campaign(campaign=campaign, actor=request.user)
        )
        return HttpResponseRedirect(campaign.get_absolute_url())


class AcknowledgementViews(ObjectViews):
    filterset = filtersets.AcknowledgementFilterSet
    form = forms.AcknowledgementForm
    table = tables.AcknowledgementTable
    select_related = ("campaign", "person")


class RaciMatrixViews(ObjectViews):
    filterset = filtersets.RaciMatrixFilterSet
    form = forms.RaciMatrixForm
    table = tables.RaciMatrixTable
    detail_template = "grc/racimatrix_detail.html"


class RaciAssignmentViews(ObjectViews):
    filterset = filtersets.RaciAssignmentFilterSet
    form = forms.RaciAssignmentForm
    table = tables.RaciAssignmentTable
    select_related = ("matrix", "person", "team")


class IndicatorViews(ObjectViews):
    filterset = filtersets.IndicatorFilterSet
    form = forms.IndicatorForm
    table = tables.IndicatorTable
    select_related = ("owner", "service")
    detail_template = "grc/indicator_detail.html"
    panels = (
        Panel("Indicator", ("name", "kind", "unit", "direction", "target", "green_at", "red_at", "frequency",
                            "owner", "metric", "service"), markdown=("description",)),
    )  # fmt: skip

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        return [path(f"{slug}/scorecard/", ScorecardView.as_view(views=cls), name="indicator_scorecard"),
                *super().urls()]  # fmt: skip


class ScorecardView(ModelView):
    action = "view"

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = services.scorecard(self.queryset())
        return render(request, "grc/scorecard.html", self.context(rows=rows))


class MeasurementViews(ObjectViews):
    filterset = filtersets.MeasurementFilterSet
    form = forms.MeasurementForm
    table = tables.MeasurementTable
    select_related = ("indicator",)


def trend_chart(indicator: Indicator) -> dict[str, Any]:
    """Chart.js data of an indicator's recent values with its target line."""
    row = services.scorecard(Indicator.objects.filter(pk=indicator.pk), points=24)[0]
    data: dict[str, Any] = {
        "type": "line",
        "labels": [d for d, _v in row.history],
        "datasets": [{"label": indicator.name, "data": [v for _d, v in row.history]}],
    }
    if indicator.target is not None:
        data["datasets"].append({"label": _("Target"), "data": [float(indicator.target)] * len(row.history)})
    return data
