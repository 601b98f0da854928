"""Incidents: unplanned interruptions, their priority matrix, notes and time worked."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel
from steward.core.models.workflow import WorkflowMixin
from steward.itsm.choices import (
    HoldReason,
    Impact,
    IncidentType,
    NoteKind,
    Priority,
    ResolutionCode,
    Urgency,
)
from steward.utilities.choices import ChoiceField

#: The ITIL default: priority = impact + urgency - 1 (1 is the most urgent).
DEFAULT_MATRIX = {f"{i}-{u}": str(i + u - 1) for i in (1, 2, 3) for u in (1, 2, 3)}


class PriorityMatrix(StewardModel):
    """Maps impact × urgency to a priority. The default one (exactly one) is used for incidents.

    ``entries`` holds ``{"<impact>-<urgency>": "<priority>"}`` for all nine combinations.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_default = models.BooleanField(_("default"), default=False)
    entries = models.JSONField(_("entries"), default=dict)
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("priority matrix")
        verbose_name_plural = _("priority matrices")
        constraints = [
            models.UniqueConstraint(
                fields=("is_default",), condition=models.Q(is_default=True), name="itsm_one_default_matrix"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        entries = self.entries if isinstance(self.entries, dict) else None
        if entries is None:
            raise ValidationError({"entries": _('Give an object such as {"1-1": "1", …}.')})
        expected = set(DEFAULT_MATRIX)
        missing = sorted(expected - set(entries))
        extra = sorted(set(entries) - expected)
        if missing or extra:
            raise ValidationError(
                {"entries": _("Needs exactly the keys %(keys)s; missing %(missing)s, unknown %(extra)s.")
                 % {"keys": ", ".join(sorted(expected)), "missing": missing or "none", "extra": extra or "none"}}
            )  # fmt: skip
        valid = set(Priority.values)
        bad = sorted(k for k, v in entries.items() if str(v) not in valid)
        if bad:
            raise ValidationError({"entries": _("Priorities must be 1-5; wrong at %s.") % ", ".join(bad)})
        self.entries = {k: str(v) for k, v in entries.items()}
        if self.is_default:
            others = PriorityMatrix.objects.filter(is_default=True).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError({"is_default": _("Another matrix is already the default.")})

    def priority(self, impact: str, urgency: str) -> str:
        return str(self.entries.get(f"{impact}-{urgency}") or DEFAULT_MATRIX[f"{impact}-{urgency}"])


def priority_for(impact: str, urgency: str) -> str:
    """The priority the default matrix gives; the ITIL default when no matrix is marked default."""
    from steward.core import configcache

    matrix = configcache.cached(
        "itsm.priority_matrix",
        lambda: PriorityMatrix.objects.filter(is_default=True).values_list("entries", flat=True).first(),
    )
    key = f"{impact}-{urgency}"
    if matrix and key in matrix:
        return str(matrix[key])
    return DEFAULT_MATRIX.get(key, Priority.MODERATE)


#: Fields whose change can start, pause, stop or re-target SLA clocks.
SLA_FIELDS = ("state", "priority", "service_id", "service_offering_id", "type")


class Incident(ReferenceMixin, WorkflowMixin, StewardModel):
    """An unplanned interruption or degradation of a service, worked to restoration."""

    reference_prefix = "INC"
    workflow = "itsm.incident"

    short_description = models.CharField(_("short description"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    type = ChoiceField(_("type"), choices_class=IncidentType, default=IncidentType.FAILURE)
    caller = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_incidents",
        verbose_name=_("caller"),
    )
    service = models.ForeignKey(
        "itsm.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("affected service"),
    )
    service_offering = models.ForeignKey(
        "itsm.ServiceOffering",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("service offering"),
    )
    category = models.CharField(_("category"), max_length=100, blank=True, db_index=True)
    subcategory = models.CharField(_("subcategory"), max_length=100, blank=True)
    impact = ChoiceField(_("impact"), choices_class=Impact, default=Impact.MEDIUM, max_length=1)
    urgency = ChoiceField(_("urgency"), choices_class=Urgency, default=Urgency.MEDIUM, max_length=1)
    priority = ChoiceField(
        _("priority"), choices_class=Priority, default=Priority.MODERATE, max_length=1, editable=False
    )
    assignment_team = models.ForeignKey(
        "org.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_incidents",
        verbose_name=_("assignment team"),
    )
    assignee = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_incidents",
        verbose_name=_("assignee"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent incident"),
    )
    major_incident = models.BooleanField(_("major incident"), default=False, db_index=True)
    hold_reason = ChoiceField(_("hold reason"), choices_class=HoldReason, blank=True)
    resolution_code = ChoiceField(_("resolution code"), choices_class=ResolutionCode, blank=True)
    resolution_notes = models.TextField(_("resolution notes"), blank=True)
    responded_at = models.DateTimeField(_("first responded"), null=True, blank=True, editable=False)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True, editable=False, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    configuration_item = models.ForeignKey(
        "cmdb.ConfigurationItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("affected configuration item"),
    )
    external_reference = models.CharField(
        _("external reference"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("The incident's number in the tool it was imported from."),
    )
    caused_by_change = models.ForeignKey(
        "itsm.Change",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="caused_incidents",
        verbose_name=_("caused by change"),
    )

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("-created", "-id")
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [
            models.Index(fields=("state", "priority")),
            models.Index(fields=("assignment_team", "state")),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.short_description}" if self.reference else self.short_description

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.assignee_id and self.assignment_team_id:
            if not self.assignment_team.members.filter(pk=self.assignee_id).exists():
                errors["assignee"] = _("%(person)s is not a member of %(team)s.") % {
                    "person": self.assignee,
                    "team": self.assignment_team,
                }
        elif self.assignee_id and not self.assignment_team_id:
            errors["assignment_team"] = _("Choose the team the assignee works for.")
        if self.subcategory and not self.category:
            errors["subcategory"] = _("A subcategory needs a category.")
        if (
            self.service_offering_id
            and self.service_id
            and self.service_offering.service_id != self.service_id
        ):
            errors["service_offering"] = _("This offering belongs to another service.")
        if self.parent_id and self.pk and self.parent_id == self.pk:
            errors["parent"] = _("An incident cannot be its own parent.")
        elif self.parent_id and self.parent.parent_id and self.parent.parent_id == self.pk:
            errors["parent"] = _("These incidents would be each other's parent.")
        if self.state == "on_hold" and not self.hold_reason:
            errors["hold_reason"] = _("Say why the incident is on hold.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        now = timezone.now()
        # Derived here, not in clean(), so every path (forms, API, services, bulk edit) agrees.
        self.priority = priority_for(self.impact, self.urgency)
        if self.state != "on_hold":
            self.hold_reason = ""
        if self.state in ("in_progress", "on_hold", "resolved", "closed") and not self.responded_at:
            self.responded_at = now
        if self.state in ("resolved", "closed"):
            self.resolved_at = self.resolved_at or now
        else:
            self.resolved_at = None
        self.closed_at = (self.closed_at or now) if self.state == "closed" else None
        new = self.pk is None
        loaded = getattr(self, "_loaded_values", {})
        sla_relevant = (
            new
            or any(loaded.get(f) != getattr(self, f) for f in SLA_FIELDS)
            or (loaded.get("responded_at") is None) != (self.responded_at is None)
        )
        # The history importer writes past incidents as they were: no routing, and it starts
        # the SLA clocks itself at the original opening time.
        history = getattr(self, "_history_import", False)
        with transaction.atomic(savepoint=False):  # the clocks and the incident, all or nothing
            if new and not history:
                # Assignment rules route every new incident, whichever path created it.
                from steward.itsm.servicedesk.services import route_incident

                route_incident(incident=self)
            super().save(*args, **kwargs)
            if sla_relevant and not history:
                # Every path (form, API, import, workflow, bulk edit) keeps the clocks in step.
                from steward.itsm.services import sync_sla_clocks

                sync_sla_clocks(incident=self, now=self.created if new else now, created=new)


class IncidentNote(StewardModel):
    """A work note (internal, agents only) or a comment (visible to the caller) on an incident."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="notes", verbose_name=_("incident")
    )
    kind = ChoiceField(_("kind"), choices_class=NoteKind, default=NoteKind.WORK_NOTE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("text"))

    class Meta:
        ordering = ("incident", "created", "id")
        verbose_name = _("incident note")
        verbose_name_plural = _("incident notes")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.incident.reference}"

    def clean(self) -> None:
        super().clean()
        if not (self.body or "").strip():
            raise ValidationError({"body": _("Write something.")})


class TimeEntry(StewardModel):
    """Time someone spent working on an incident."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="time_entries", verbose_name=_("incident")
    )
    person = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="incident_time", verbose_name=_("person")
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    minutes = models.PositiveIntegerField(_("minutes"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ("incident", "date", "id")
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")

    def __str__(self) -> str:
        return f"{self.minutes} min on {self.incident.reference}"

    def clean(self) -> None:
        super().clean()
        if self.minutes is not None and not 0 < self.minutes <= 24 * 60:
            raise ValidationError({"minutes": _("Between 1 and 1440 minutes per entry.")})
