from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from steward.core.permissions import perm_name
from steward.core.registry import registry
from steward.core.views import ObjectViews, Panel
from steward.core.views.generic import ModelView, ObjectDetailView
from steward.security import filtersets, forms, importers, services, tables

MAX_UPLOAD_BYTES = importers.MAX_ARCHIVE_BYTES


class AdvisoryViews(ObjectViews):
    filterset = filtersets.AdvisoryFilterSet
    form = forms.AdvisoryForm
    table = tables.AdvisoryTable
    panels = (
        Panel(
            "Advisory",
            ("identifier", "aliases", "summary", "source", "known_exploited"),
            markdown=("details",),
        ),
        Panel("Severity", ("severity", "cvss3_vector", "cvss3_score", "cvss4_vector", "cvss4_score")),
        Panel("Dates", ("published", "modified", "withdrawn")),
        Panel("References", ("references",)),
    )

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        view = AdvisoryUploadView.as_view(views=cls)
        return [path(f"{slug}/upload/", view, name="advisory_upload"), *super().urls()]


class AffectedPackageViews(ObjectViews):
    filterset = filtersets.AffectedPackageFilterSet
    form = forms.AffectedPackageForm
    table = tables.AffectedPackageTable
    select_related = ("advisory",)
    panels = (
        Panel("Package", ("advisory", "ecosystem", "osv_ecosystem", "name", "purl")),
        Panel("Affected versions", ("ranges", "versions", "intervals")),
    )


class SeverityPolicyViews(ObjectViews):
    filterset = filtersets.SeverityPolicyFilterSet
    form = forms.SeverityPolicyForm
    table = tables.SeverityPolicyTable
    panels = (Panel("Severity policy", ("severity", "remediation_days"), markdown=("description",)),)


class FindingViews(ObjectViews):
    filterset = filtersets.FindingFilterSet
    form = forms.FindingForm
    table = tables.FindingTable
    select_related = ("configuration_item", "advisory", "product", "installation", "assignee")
    panels = (
        Panel("Finding", ("configuration_item", "advisory", "product", "severity", "assignee")),
        Panel("Versions", ("installation", "installed_version", "fixed_version")),
        Panel("Remediation", ("due_date", "first_detected", "last_detected", "closed_at", "closure_reason")),
        Panel("Risk decision", ("risk_accepted_until",), markdown=("justification",)),
    )
    tabs = (("exposure", "Exposure"),)

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        view = FindingExposureView.as_view(views=cls)
        return [path(f"{slug}/<int:pk>/exposure/", view, name="finding_exposure"), *super().urls()]


class FindingExposureView(ModelView):
    """The business applications that depend on the finding's item (upstream impact analysis)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        from steward.cmdb.services import impact, visible_hits

        finding = self.get_object(pk)
        hits = visible_hits(impact(item=finding.configuration_item, direction="upstream"), request.user)
        business = [h for h in hits if h.item.ci_class.slug in services.BUSINESS_CLASSES]
        return render(
            request,
            "security/finding_exposure.html",
            self.context(object=finding, tab="exposure", hits=hits, business=business),
        )


class AdvisoryUploadView(ModelView):
    """Upload OSV (JSON/YAML) or CVE 5 files, or zip archives of them: all or nothing."""

    action = "add"
    template = "security/advisory_upload.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template, self.context(tab="upload"))

    def post(self, request: HttpRequest) -> HttpResponse:
        uploads = request.FILES.getlist("files")
        error = ""
        if not uploads or any(u.size > MAX_UPLOAD_BYTES for u in uploads):
            error = _("Files: choose one or more .json, .yaml, .yml or .zip files.")
        else:
            try:
                documents: list[tuple[str, bytes]] = []
                for upload in uploads:
                    content = upload.read()
                    if upload.name.lower().endswith(".zip"):
                        documents.extend(importers.from_zip(upload.name, content))
                    else:
                        documents.append((upload.name, content))
                result = services.import_advisories(documents=documents, actor=request.user)
            except importers.AdvisoryFileError as exc:
                error = str(exc)
        if error:
            context = self.context(
                tab="upload", error=_("%(error)s Nothing was imported.") % {"error": error}
            )
            return render(request, self.template, context, status=422)
        messages.success(request, str(result))
        return HttpResponseRedirect(reverse("security:advisory_list"))


class SecurityIncidentViews(ObjectViews):
    filterset = filtersets.SecurityIncidentFilterSet
    form = forms.SecurityIncidentForm
    table = tables.SecurityIncidentTable
    select_related = ("reported_by", "handler")
    detail_template = "security/securityincident_detail.html"
    panels = (
        Panel("Incident", ("title", "category", "severity", "detected_at", "reported_by", "handler"),
              markdown=("description",)),
        Panel("Scope", ("affected_items", "affected_data", "related_incidents")),
        Panel("Personal-data breach", ("personal_data_breach", "aware_at", "notification_due",
                                       "regulator_notified_at")),
        Panel("Review", ("closed_at",), markdown=("lessons_learned",)),
    )  # fmt: skip

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        v = {"views": cls}
        patterns = [p for p in super().urls() if p.name != "securityincident_detail"]
        return [
            path(f"{slug}/<int:pk>/", IncidentDetailView.as_view(**v), name="securityincident_detail"),
            path(
                f"{slug}/<int:pk>/evidence/", EvidenceAddView.as_view(**v), name="securityincident_evidence"
            ),
            *patterns,
        ]


class IncidentDetailView(ObjectDetailView):
    """The generic detail page plus the chain-of-custody log and its verification."""

    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        if "object" in extra:
            incident = extra["object"]
            context["evidence"] = list(incident.evidence.order_by("sequence"))
            context["evidence_problems"] = services.verify_evidence(incident=incident)
            context["evidence_form"] = forms.EvidenceForm()
            context["can_add_evidence"] = self.request.user.has_perm(
                perm_name(self.model, "change"), incident
            )
        return context


class EvidenceAddView(ModelView):
    """Append an entry to the incident's chain-of-custody log (never edit or delete one)."""

    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        from django.core.exceptions import ValidationError

        incident = self.get_object(pk, "change")
        form = forms.EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "file"}
            try:
                services.add_evidence(
                    incident=incident, actor=request.user, upload=form.cleaned_data["file"], **data
                )
            except ValidationError as exc:
                messages.error(request, " ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()))
            else:
                messages.success(request, _("Evidence recorded."))
        else:
            messages.error(request, " ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return HttpResponseRedirect(incident.get_absolute_url() + "#evidence")


class EntitlementViews(ObjectViews):
    filterset = filtersets.EntitlementFilterSet
    form = forms.EntitlementForm
    table = tables.EntitlementTable
    select_related = ("person", "system")
    panels = (Panel("Entitlement", ("person", "system", "role", "granted_at", "active")),)


class AccessReviewViews(ObjectViews):
    filterset = filtersets.AccessReviewFilterSet
    form = forms.AccessReviewForm
    table = tables.AccessReviewTable
    panels = (
        Panel("Access review", ("name", "systems", "reviewer_rule", "fallback_reviewer", "due_date", "completed_at"),
              markdown=("description",)),
    )  # fmt: skip
    tabs = (("report", "Report"),)

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        view = AccessReviewReportView.as_view(views=cls)
        return [path(f"{slug}/<int:pk>/report/", view, name="accessreview_report"), *super().urls()]


class AccessReviewReportView(ModelView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        review = self.get_object(pk)
        report = services.review_report(review=review)
        return render(request, "security/accessreview_report.html", self.context(object=review, tab="report",
                                                                                 report=report))  # fmt: skip


class AccessDecisionViews(ObjectViews):
    filterset = filtersets.AccessDecisionFilterSet
    form = forms.AccessDecisionForm
    table = tables.AccessDecisionTable
    select_related = ("review", "person", "system", "reviewer", "fulfilment_incident")
    panels = (
        Panel("Entitlement", ("review", "person", "system", "role", "reviewer")),
        Panel("Decision", ("decision", "new_role", "decided_at", "decided_by", "fulfilment_incident"),
              markdown=("comment",)),
    )  # fmt: skip
