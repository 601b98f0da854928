"""Alert intake: how monitoring alerts become incidents, and the alerts received so far."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel
from steward.itsm.choices import AlertStatus, Impact, ResolutionCode, Urgency
from steward.utilities.choices import ChoiceField

#: Alertmanager's customary severity labels and the impact/urgency they map to by default.
DEFAULT_SEVERITY_MAP = {
    "critical": {"impact": "1", "urgency": "1"},
    "error": {"impact": "2", "urgency": "1"},
    "warning": {"impact": "2", "urgency": "2"},
    "info": {"impact": "3", "urgency": "3"},
}


ANY_RECEIVER = "*"


def default_severity_map() -> dict[str, dict[str, str]]:
    return {k: dict(v) for k, v in DEFAULT_SEVERITY_MAP.items()}


class AlertIntakeSettings(StewardModel):
    """How alerts of one Alertmanager receiver (``*``: any other) open and close incidents."""

    receiver = models.CharField(
        _("receiver"),
        max_length=100,
        unique=True,
        default=ANY_RECEIVER,
        help_text=_("The Alertmanager receiver these settings apply to; * for every other receiver."),
    )
    service = models.ForeignKey(
        "itsm.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alert_intake_settings",
        verbose_name=_("default service"),
    )
    assignment_team = models.ForeignKey(
        "org.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alert_intake_settings",
        verbose_name=_("assignment team"),
    )
    category = models.CharField(_("category"), max_length=100, blank=True, default="monitoring")
    default_impact = ChoiceField(
        _("default impact"), choices_class=Impact, default=Impact.MEDIUM, max_length=1
    )
    default_urgency = ChoiceField(
        _("default urgency"), choices_class=Urgency, default=Urgency.MEDIUM, max_length=1
    )
    severity_map = models.JSONField(
        _("severity mapping"),
        default=default_severity_map,
        blank=True,
        help_text=_(
            'Impact and urgency per value of the alert\'s severity label: {"critical": {"impact": "1", '
            '"urgency": "1"}}. Other severities take the defaults above.'
        ),
    )
    resolve_on_clear = models.BooleanField(
        _("resolve on clear"),
        default=True,
        help_text=_("Resolve the incident when every alert linked to it has cleared."),
    )
    resolution_code = ChoiceField(
        _("resolution code"), choices_class=ResolutionCode, default=ResolutionCode.SOLVED
    )
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("receiver",)

    class Meta:
        ordering = ("receiver",)
        verbose_name = _("alert intake settings")
        verbose_name_plural = _("alert intake settings")

    def __str__(self) -> str:
        return str(_("Any receiver")) if self.receiver == ANY_RECEIVER else self.receiver

    def clean(self) -> None:
        super().clean()
        mapping = {} if self.severity_map is None else self.severity_map
        if not isinstance(mapping, dict):
            raise ValidationError({"severity_map": _('Give an object such as {"critical": {…}}.')})
        problems = []
        for severity, entry in mapping.items():
            if not isinstance(entry, dict) or set(entry) - {"impact", "urgency"}:
                problems.append(f"{severity}: give impact and/or urgency only.")
                continue
            for key, choices in (("impact", Impact), ("urgency", Urgency)):
                if key in entry and str(entry[key]) not in choices.values:
                    problems.append(f"{severity}.{key}: one of {', '.join(choices.values)}.")
        if problems:
            raise ValidationError({"severity_map": problems})
        self.severity_map = {
            str(k).lower(): {key: str(value) for key, value in v.items()} for k, v in mapping.items()
        }

    def impact_urgency(self, severity: str) -> tuple[str, str]:
        entry = (self.severity_map or {}).get((severity or "").lower(), {})
        return str(entry.get("impact") or self.default_impact), str(
            entry.get("urgency") or self.default_urgency
        )


class Alert(StewardModel):
    """One alert as Alertmanager identifies it (its fingerprint), and the incident it feeds."""

    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True)
    name = models.CharField(_("alert name"), max_length=200, db_index=True)
    status = ChoiceField(_("status"), choices_class=AlertStatus, default=AlertStatus.FIRING)
    severity = models.CharField(_("severity"), max_length=50, blank=True)
    receiver = models.CharField(_("receiver"), max_length=100, blank=True)
    host = models.CharField(
        _("host"), max_length=255, blank=True, help_text=_("From the instance or host label, without port.")
    )
    labels = models.JSONField(_("labels"), default=dict, blank=True)
    annotations = models.JSONField(_("annotations"), default=dict, blank=True)
    starts_at = models.DateTimeField(_("started"))
    ends_at = models.DateTimeField(_("ended"), null=True, blank=True)
    last_received = models.DateTimeField(_("last received"), null=True, blank=True)
    # Not a URLField: Prometheus links use in-cluster host names without a dot ("http://prometheus:9090").
    generator_url = models.CharField(_("source"), max_length=500, blank=True)
    incident = models.ForeignKey(
        "itsm.Incident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("incident"),
    )
    configuration_item = models.ForeignKey(
        "cmdb.ConfigurationItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("configuration item"),
    )

    natural_key_fields = ("fingerprint",)

    class Meta:
        ordering = ("-starts_at", "-id")
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [models.Index(fields=("status", "starts_at"))]

    def __str__(self) -> str:
        return f"{self.name} on {self.host}" if self.host else self.name

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        for field in ("labels", "annotations"):
            value = getattr(self, field)
            if value is None:
                value = {}
                setattr(self, field, value)
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                errors[field] = _("Give an object of text values.")
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("An alert cannot end before it starts.")
        if errors:
            raise ValidationError(errors)
