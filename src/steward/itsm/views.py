from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from steward.core.registry import registry
from steward.core.views import ObjectViews, Panel
from steward.core.views.generic import ModelView
from steward.itsm import filtersets, forms, services, tables
from steward.itsm.choices import NoteKind
from steward.itsm.ical import change_calendar_response, feed_user
from steward.itsm.servicedesk import views as desk_views


class ServiceViews(ObjectViews):
    filterset = filtersets.ServiceFilterSet
    form = forms.ServiceForm
    table = tables.ServiceTable
    select_related = ("owner", "support_team", "default_sla_policy", "business_calendar")
    panels = (
        Panel("Service", ("name", "kind", "criticality", "status"), markdown=("description",)),
        Panel("Support", ("owner", "support_team", "default_sla_policy", "business_calendar")),
        Panel("Runs on", ("configuration_items",)),
    )


class ServiceOfferingViews(ObjectViews):
    filterset = filtersets.ServiceOfferingFilterSet
    form = forms.ServiceOfferingForm
    table = tables.ServiceOfferingTable
    select_related = ("service", "support_team", "default_sla_policy")
    panels = (
        Panel(
            "Offering",
            ("service", "name", "status", "support_team", "default_sla_policy"),
            markdown=("description",),
        ),
    )


class PriorityMatrixViews(ObjectViews):
    filterset = filtersets.PriorityMatrixFilterSet
    form = forms.PriorityMatrixForm
    table = tables.PriorityMatrixTable
    panels = (Panel("Priority matrix", ("name", "is_default", "entries"), markdown=("description",)),)


class IncidentViews(ObjectViews):
    filterset = filtersets.IncidentFilterSet
    form = forms.IncidentForm
    table = tables.IncidentTable
    select_related = ("caller", "service", "assignment_team", "assignee")
    detail_template = "itsm/incident_detail.html"
    list_template = "itsm/incident_list.html"
    prefetch_related = ("tagged_items__tag",)
    panels = (
        Panel(
            "Incident",
            ("reference", "short_description", "type", "caller", "service", "service_offering",
             "configuration_item", "category", "subcategory", "parent", "major_incident", "caused_by_change",
             "external_reference"),
            markdown=("description",),
        ),
        Panel("Priority and assignment", ("impact", "urgency", "priority", "assignment_team", "assignee")),
        Panel(
            "Resolution",
            ("hold_reason", "resolution_code", "responded_at", "resolved_at", "closed_at"),
            markdown=("resolution_notes",),
        ),
    )  # fmt: skip

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        return [
            *super().urls(),
            path(f"{slug}/<int:pk>/notes/", IncidentNoteAddView.as_view(views=cls), name="incident_add_note"),
            path(f"{slug}/<int:pk>/time/", TimeLogView.as_view(views=cls), name="incident_log_time"),
            *desk_views.incident_urls(cls, slug),
        ]


class IncidentNoteAddView(ModelView):
    """Adds a work note or a caller-visible comment from the incident page."""

    action = "view"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        incident = self.get_object(pk)
        kind = request.POST.get("kind") or NoteKind.WORK_NOTE
        if kind == NoteKind.WORK_NOTE and not request.user.has_perm("itsm.add_incidentnote"):
            raise PermissionDenied
        if kind not in NoteKind.values:
            messages.error(request, _("Kind: choose a work note or a comment."))
        else:
            try:
                services.add_note(
                    incident=incident, actor=request.user, kind=kind, body=request.POST.get("body", "")
                )
            except ValidationError as exc:
                messages.error(
                    request, "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.message_dict.items())
                )
        return HttpResponseRedirect(incident.get_absolute_url() + "#notes")


class TimeLogView(ModelView):
    """Logs time worked on the incident for the signed-in person."""

    action = "view"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        incident = self.get_object(pk)
        if not request.user.has_perm("itsm.add_timeentry"):
            raise PermissionDenied
        person = getattr(request.user, "person", None)
        if person is None:
            messages.error(request, _("Person: your account is not linked to a person."))
            return HttpResponseRedirect(incident.get_absolute_url() + "#time")
        try:
            minutes = int(request.POST.get("minutes") or 0)
            services.log_time(
                incident=incident, actor=request.user, person=person, minutes=minutes,
                note=request.POST.get("note", ""),
            )  # fmt: skip
        except ValueError:
            messages.error(request, _("Minutes: give a whole number."))
        except ValidationError as exc:
            messages.error(request, "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.message_dict.items()))
        return HttpResponseRedirect(incident.get_absolute_url() + "#time")


class IncidentNoteViews(ObjectViews):
    filterset = filtersets.IncidentNoteFilterSet
    form = forms.IncidentNoteForm
    table = tables.IncidentNoteTable
    select_related = ("incident", "author")
    panels = (Panel("Note", ("incident", "kind", "author"), markdown=("body",)),)


class TimeEntryViews(ObjectViews):
    filterset = filtersets.TimeEntryFilterSet
    form = forms.TimeEntryForm
    table = tables.TimeEntryTable
    select_related = ("incident", "person")
    panels = (Panel("Time entry", ("incident", "person", "date", "minutes", "note")),)


class SLAPolicyViews(ObjectViews):
    filterset = filtersets.SLAPolicyFilterSet
    form = forms.SLAPolicyForm
    table = tables.SLAPolicyTable
    select_related = ("service", "calendar")
    panels = (
        Panel("Conditions", ("name", "enabled", "order", "priorities", "service", "incident_type")),
        Panel(
            "Targets",
            ("response_minutes", "resolution_minutes", "calendar", "pause_states", "warning_percent"),
            markdown=("description",),
        ),
    )


class ProblemViews(ObjectViews):
    filterset = filtersets.ProblemFilterSet
    form = forms.ProblemForm
    table = tables.ProblemTable
    select_related = ("service", "assignment_team", "assignee")
    panels = (
        Panel(
            "Problem",
            ("reference", "short_description", "service", "category", "priority", "assignment_team", "assignee",
             "known_error", "incidents"),
            markdown=("description",),
        ),
        Panel("Analysis", (), markdown=("root_cause", "workaround", "fix")),
    )  # fmt: skip


class RiskQuestionViews(ObjectViews):
    filterset = filtersets.RiskQuestionFilterSet
    form = forms.RiskQuestionForm
    table = tables.RiskQuestionTable
    panels = (Panel("Risk question", ("key", "text", "options", "order", "enabled")),)


class FreezeWindowViews(ObjectViews):
    filterset = filtersets.FreezeWindowFilterSet
    form = forms.FreezeWindowForm
    table = tables.FreezeWindowTable
    panels = (Panel("Freeze window", ("name", "start", "end", "services"), markdown=("description",)),)


class ChangeViews(ObjectViews):
    filterset = filtersets.ChangeFilterSet
    form = forms.ChangeForm
    table = tables.ChangeTable
    select_related = ("service", "requested_by", "assignment_team", "assignee")
    detail_template = "itsm/change_detail.html"
    panels = (
        Panel(
            "Change",
            (
                "reference",
                "short_description",
                "type",
                "service",
                "requested_by",
                "assignment_team",
                "assignee",
            ),
            markdown=("description",),
        ),
        Panel("Schedule", ("planned_start", "planned_end", "actual_start", "actual_end", "has_conflicts")),
        Panel("Risk", ("risk_score", "risk_level", "risk_answers")),
        Panel("Plans", (), markdown=("implementation_plan", "backout_plan", "test_plan", "review_notes")),
    )

    @classmethod
    def urls(cls) -> list[Any]:
        return [
            *super().urls(),
            path("change-calendar.ics", change_calendar_feed, name="change_calendar_feed"),
        ]


@require_GET
def change_calendar_feed(request: HttpRequest) -> HttpResponse:
    """The change calendar as iCalendar, authenticated by the signed per-user token in the URL."""
    user = feed_user(request.GET.get("token", ""))
    if user is None:
        return HttpResponse("Invalid or missing feed token.", status=403, content_type="text/plain")
    if not user.has_perm("itsm.view_change"):
        return HttpResponse("You may not view changes.", status=403, content_type="text/plain")
    return change_calendar_response(user)


class AlertIntakeSettingsViews(ObjectViews):
    filterset = filtersets.AlertIntakeSettingsFilterSet
    form = forms.AlertIntakeSettingsForm
    table = tables.AlertIntakeSettingsTable
    select_related = ("service", "assignment_team")
    panels = (
        Panel(
            "Alert intake", ("receiver", "service", "assignment_team", "category"), markdown=("description",)
        ),
        Panel("Priority", ("default_impact", "default_urgency", "severity_map")),
        Panel("On clear", ("resolve_on_clear", "resolution_code")),
    )


class AlertViews(ObjectViews):
    filterset = filtersets.AlertFilterSet
    form = forms.AlertForm
    table = tables.AlertTable
    select_related = ("incident", "configuration_item")
    panels = (
        Panel("Alert", ("name", "status", "severity", "host", "fingerprint", "receiver", "generator_url")),
        Panel("Time", ("starts_at", "ends_at", "last_received")),
        Panel("Links", ("incident", "configuration_item")),
        Panel("Labels", ("labels", "annotations")),
    )
