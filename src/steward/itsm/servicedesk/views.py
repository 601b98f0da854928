"""Service desk pages: team queues, my work, taking a ticket, bulk actions, canned responses."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core import workflow as wf
from steward.core.views import ObjectViews, Panel
from steward.core.views.generic import ModelView, bounded_int, refuse_selection, selected_pks
from steward.itsm.models import Incident
from steward.itsm.servicedesk import filtersets, forms, importer, reports, services, tables


class AssignmentRuleViews(ObjectViews):
    filterset = filtersets.AssignmentRuleFilterSet
    form = forms.AssignmentRuleForm
    table = tables.AssignmentRuleTable
    select_related = ("service", "team", "last_assignee", "required_skill")
    panels = (
        Panel("Conditions", ("name", "enabled", "order", "category", "service", "priorities")),
        Panel(
            "Route to",
            ("team", "method", "required_skill", "required_level", "last_assignee"),
            markdown=("description",),
        ),
    )


class CannedResponseViews(ObjectViews):
    filterset = filtersets.CannedResponseFilterSet
    form = forms.CannedResponseForm
    table = tables.CannedResponseTable
    select_related = ("team",)
    panels = (Panel("Canned response", ("name", "kind", "team"), markdown=("body",)),)


class MailMessageViews(ObjectViews):
    filterset = filtersets.MailMessageFilterSet
    form = forms.MailMessageForm
    table = tables.MailMessageTable
    select_related = ("incident", "service_request", "rule")
    panels = (
        Panel("Message", ("direction", "status", "reason", "incident", "service_request", "rule", "from_address",
                          "to_addresses", "subject", "sent_at", "source")),
        Panel("Threading", ("message_id", "in_reply_to", "references"), markdown=("body_text",)),
    )  # fmt: skip


class MailIntakeRuleViews(ObjectViews):
    filterset = filtersets.MailIntakeRuleFilterSet
    form = forms.MailIntakeRuleForm
    table = tables.MailIntakeRuleTable
    select_related = ("team", "catalogue_item")
    panels = (
        Panel("Conditions", ("name", "enabled", "order", "recipient", "sender_domain", "subject_regex", "keywords")),
        Panel("Then", ("action", "category", "team", "catalogue_item", "body_field"), markdown=("description",)),
    )  # fmt: skip


class MailboxSettingsViews(ObjectViews):
    filterset = filtersets.MailboxSettingsFilterSet
    form = forms.MailboxSettingsForm
    table = tables.MailboxSettingsTable
    select_related = ("default_team",)
    panels = (
        Panel("IMAP", ("name", "enabled", "host", "port", "use_ssl", "username", "password_env", "folder")),
        Panel("Intake", ("address", "unknown_senders", "default_team")),
    )


# --- pages hung off the incident views ----------------------------------------------------------
def incident_urls(views: type[ObjectViews], slug: str) -> list[Any]:
    """URLs the incident views add for the desk (called from ``IncidentViews.urls``)."""
    v = {"views": views}
    return [
        path(f"{slug}/queues/", QueuesView.as_view(**v), name="incident_queues"),
        path(f"{slug}/my-work/", MyWorkView.as_view(**v), name="incident_my_work"),
        path(f"{slug}/report/", ReportView.as_view(**v), name="incident_report"),
        path(f"{slug}/bulk-action/", BulkActionView.as_view(**v), name="incident_bulk_action"),
        path(f"{slug}/<int:pk>/take/", TakeView.as_view(**v), name="incident_take"),
        path(f"{slug}/import-external/", HistoryImportView.as_view(**v), name="incident_import_external"),
        path(f"{slug}/<int:pk>/canned/", CannedResponseRenderView.as_view(**v), name="incident_canned"),
    ]


class QueuesView(ModelView):
    """Open incidents per team: how many, how many nobody has taken, and how old the oldest is."""

    def get(self, request: HttpRequest) -> HttpResponse:
        queues = services.team_queues(user=request.user)
        return render(
            request, "itsm/queues.html", self.context(queues=queues, list_url=reverse("itsm:incident_list"))
        )


class ReportView(ModelView):
    """The ITSM report: open work, backlog age, MTTA/MTTR, SLA compliance, reopen and change success."""

    PERIODS = (30, 90, 180, 365)

    def get(self, request: HttpRequest) -> HttpResponse:
        days = bounded_int(request.GET.get("days"), default=180, low=1, high=3650)
        figures = reports.report(user=request.user, days=days)
        return render(request, "itsm/report.html", self.context(r=figures, periods=self.PERIODS))


class MyWorkView(ModelView):
    """The agent's own open incidents, then the unassigned ones of their teams."""

    def get(self, request: HttpRequest) -> HttpResponse:
        work = services.my_work(user=request.user)
        return render(
            request,
            "itsm/my_work.html",
            self.context(
                mine=list(work["mine"][:200]),
                team_unassigned=list(work["team_unassigned"][:200]),
                linked=getattr(request.user, "person", None) is not None,
                now=timezone.now(),
            ),
        )


class TakeView(ModelView):
    """Assign the incident to me (from a queue, my work page or the ticket itself)."""

    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        incident = self.get_object(pk, "change")
        try:
            services.take_incident(incident=incident, actor=request.user)
        except ValidationError as exc:
            messages.error(request, services._messages(exc))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%s is yours.") % incident.reference)
        return HttpResponseRedirect(self.return_url(incident.get_absolute_url()))


def _transition_choices() -> list[tuple[str, str]]:
    return [(t.name, t.label) for t in wf.get_workflow(Incident).transitions.values()]


class BulkActionView(ModelView):
    """Assign, change the state of, or add a note to the selected incidents — all or none."""

    action = "view"

    def post(self, request: HttpRequest) -> HttpResponse:
        return_url = self.return_url(reverse("itsm:incident_list"))
        pks = selected_pks(request)
        if pks is None:
            return refuse_selection(request, return_url)
        incidents = list(self.queryset("view").filter(pk__in=pks).order_by("pk"))
        if not incidents:
            messages.warning(request, _("Select at least one row."))
            return HttpResponseRedirect(return_url)
        apply = "_apply" in request.POST
        form = forms.BulkActionForm(request.POST if apply else None, transitions=_transition_choices())
        context = self.context(form=form, objects=incidents, return_url=return_url)
        if not apply:
            return render(request, "itsm/incident_bulk.html", context)
        if not form.is_valid():
            return render(request, "itsm/incident_bulk.html", context, status=422)
        data = form.cleaned_data
        settable: tuple[str, ...] = ()
        if data["action"] == "transition":
            settable = wf.get_workflow(Incident).transitions[data["transition"]].settable_fields
        try:
            count = services.bulk_update_incidents(
                incidents=incidents, actor=request.user, action=data["action"], team=data.get("team"),
                assignee=data.get("assignee"), transition=data.get("transition") or "",
                data=form.transition_data(settable), body=data.get("body") or "",
                kind=data.get("kind") or "work_note",
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            for message in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
                form.add_error(None, message)
            return render(request, "itsm/incident_bulk.html", context, status=422)
        messages.success(request, _("Updated %d incidents.") % count)
        return HttpResponseRedirect(return_url)


class CannedResponseRenderView(ModelView):
    """The note box filled with a canned response (HTMX swaps it in; no page reload)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        incident = self.get_object(pk)
        choice = request.GET.get("canned") or ""
        text = ""
        if choice:
            if not choice.isdigit():
                raise Http404
            response = get_object_or_404(
                services.canned_responses_for(incident).restrict(request.user, "view"), pk=choice
            )
            text = services.render_canned_response(response=response, incident=incident, actor=request.user)
        return render(request, "itsm/inc/note_body.html", {"text": text})


class HistoryImportForm(django_forms.Form):
    data = django_forms.FileField(label=_("CSV export"))
    mapping = django_forms.FileField(label=_("Mapping (YAML)"), required=False)
    mapping_text = django_forms.CharField(
        label=_("…or paste the mapping"), required=False, widget=django_forms.Textarea(attrs={"rows": 8})
    )
    confirm = django_forms.BooleanField(label=_("Import now (unticked: dry run)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("mapping")
        text = upload.read().decode("utf-8", "replace") if upload else data.get("mapping_text") or ""
        if not text.strip():
            self.add_error("mapping", _("Give the mapping as a file or paste it."))
        else:
            try:
                data["parsed_mapping"] = importer.load_mapping(text)
            except importer.MappingError as exc:
                self.add_error("mapping", str(exc))
        return data


class HistoryImportView(ModelView):
    """Incidents from another tool's CSV export, through a mapping; dry run first, then all or nothing."""

    action = "add"

    def required_action(self, request: HttpRequest) -> str:
        return "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "itsm/incident_import_external.html", self.context(form=HistoryImportForm()))

    def post(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("itsm.change_incident"):
            raise PermissionDenied  # a re-run updates incidents imported before
        form = HistoryImportForm(request.POST, request.FILES)
        context = self.context(form=form)
        if not form.is_valid():
            return render(request, "itsm/incident_import_external.html", context, status=422)
        try:
            result = importer.import_incidents(
                data=form.cleaned_data["data"].read(), mapping=form.cleaned_data["parsed_mapping"],
                actor=request.user, dry_run=not form.cleaned_data["confirm"],
            )  # fmt: skip
        except (importer.MappingError, UnicodeDecodeError) as exc:
            form.add_error("data", str(exc))
            return render(request, "itsm/incident_import_external.html", context, status=422)
        context["result"] = result
        return render(
            request, "itsm/incident_import_external.html", context, status=422 if result.errors else 200
        )
