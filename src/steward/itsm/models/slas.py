"""Service level agreements: policies matched to tickets, and the clocks that run per ticket."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel
from steward.itsm.choices import ClockKind, ClockStatus, IncidentType, Priority
from steward.utilities.choices import ChoiceField


class SLAPolicy(StewardModel):
    """Targets for first response and resolution, counted in a business calendar's working time.

    A policy applies to an incident when every condition it sets matches (empty = any);
    among those, the lowest ``order`` wins. Clocks pause while the ticket is in a pause state.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    order = models.PositiveIntegerField(_("order"), default=100, help_text=_("Lower is matched first."))
    priorities = models.JSONField(
        _("priorities"), default=list, blank=True, help_text=_('e.g. ["1", "2"]; empty matches any.')
    )
    service = models.ForeignKey(
        "itsm.Service",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sla_policies",
        verbose_name=_("service"),
        help_text=_("Empty matches any service."),
    )
    incident_type = ChoiceField(
        _("incident type"), choices_class=IncidentType, blank=True, help_text=_("Empty matches any type.")
    )
    response_minutes = models.PositiveIntegerField(
        _("first response target (business minutes)"), null=True, blank=True
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution target (business minutes)"), null=True, blank=True
    )
    calendar = models.ForeignKey(
        "org.BusinessCalendar",
        on_delete=models.PROTECT,
        related_name="sla_policies",
        verbose_name=_("business calendar"),
    )
    pause_states = models.JSONField(
        _("pause states"), default=list, blank=True, help_text=_('Workflow states that pause the clocks, e.g. ["on_hold"].')
    )  # fmt: skip
    warning_percent = models.PositiveSmallIntegerField(
        _("warning at (% used)"), default=75, help_text=_("A warning event is raised at this share of the target.")
    )  # fmt: skip

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("order", "name")
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if not isinstance(self.priorities, list) or any(
            str(p) not in Priority.values for p in self.priorities
        ):
            errors["priorities"] = _('A list of priorities among 1-5, e.g. ["1", "2"].')
        else:
            self.priorities = sorted({str(p) for p in self.priorities})
        if not isinstance(self.pause_states, list) or not all(isinstance(s, str) for s in self.pause_states):
            errors["pause_states"] = _('A list of state names, e.g. ["on_hold"].')
        else:
            from steward.core.workflow import get_workflow
            from steward.itsm.models.incidents import Incident

            known = get_workflow(Incident).states
            unknown = [s for s in self.pause_states if s not in known]
            if unknown:
                errors["pause_states"] = _("Unknown incident state(s): %s.") % ", ".join(unknown)
        if self.response_minutes is None and self.resolution_minutes is None:
            errors["resolution_minutes"] = _("Give a first response or a resolution target (or both).")
        for name in ("response_minutes", "resolution_minutes"):
            if getattr(self, name) == 0:
                errors[name] = _("A target must be at least one minute.")
        if not 1 <= (self.warning_percent or 0) <= 99:
            errors["warning_percent"] = _("Between 1 and 99.")
        if errors:
            raise ValidationError(errors)

    def matches(self, incident: Any) -> bool:
        return (
            self.enabled
            and (not self.priorities or incident.priority in self.priorities)
            and (self.service_id is None or self.service_id == incident.service_id)
            and (not self.incident_type or self.incident_type == incident.type)
        )


class SLAClock(StewardModel):
    """One SLA target running on one incident.

    Business time is kept as ``elapsed_minutes`` (closed segments) plus the open segment from
    ``running_since`` while running; ``due_at`` is the instant the target is reached if the
    clock keeps running (unknown while paused).
    """

    incident = models.ForeignKey(
        "itsm.Incident", on_delete=models.CASCADE, related_name="sla_clocks", verbose_name=_("incident")
    )
    policy = models.ForeignKey(
        SLAPolicy, on_delete=models.PROTECT, related_name="clocks", verbose_name=_("SLA policy")
    )
    kind = ChoiceField(_("kind"), choices_class=ClockKind)
    status = ChoiceField(_("status"), choices_class=ClockStatus, default=ClockStatus.RUNNING, db_index=True)
    target_minutes = models.PositiveIntegerField(_("target (business minutes)"))
    started_at = models.DateTimeField(_("started"))
    running_since = models.DateTimeField(_("running since"), null=True, blank=True)
    elapsed_minutes = models.FloatField(_("elapsed before current run"), default=0)
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    warning_due_at = models.DateTimeField(_("warning due"), null=True, blank=True, db_index=True)
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)
    warned_at = models.DateTimeField(_("warning raised"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached"), null=True, blank=True)
    breached = models.BooleanField(_("breached"), default=False, db_index=True)

    class Meta:
        ordering = ("incident", "kind", "id")
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        constraints = [models.UniqueConstraint(fields=("incident", "kind"), name="itsm_one_clock_per_kind")]

    def __str__(self) -> str:
        return f"{self.incident.reference} {self.get_kind_display()}"
