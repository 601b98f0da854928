"""Security incidents handled through the NIST SP 800-61 phases, and their chain-of-custody log."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel
from steward.core.models.workflow import WorkflowMixin
from steward.security.choices import BREACH_NOTIFICATION_HOURS, EvidenceAction, IncidentCategory, Severity
from steward.utilities.choices import ChoiceField


class SecurityIncident(ReferenceMixin, WorkflowMixin, StewardModel):
    """A security incident: detected, contained, eradicated, recovered from and reviewed.

    A personal-data breach starts the 72-hour clock for notifying the supervisory authority
    from the moment the organisation became aware of it (``aware_at``).
    """

    reference_prefix = "SIR"
    workflow = "security.incident"

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = ChoiceField(_("classification"), choices_class=IncidentCategory, blank=True)
    severity = ChoiceField(_("severity"), choices_class=Severity, default=Severity.MEDIUM)
    detected_at = models.DateTimeField(_("detected"), default=timezone.now)
    reported_by = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="reported_security_incidents", verbose_name=_("reported by"),
    )  # fmt: skip
    handler = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="handled_security_incidents", verbose_name=_("handler"),
    )  # fmt: skip
    affected_items = models.ManyToManyField(
        "cmdb.ConfigurationItem",
        blank=True,
        related_name="security_incidents",
        verbose_name=_("affected assets"),
    )
    affected_data = models.TextField(
        _("affected data"),
        blank=True,
        help_text=_("Categories of data involved and roughly how many records."),
    )
    related_incidents = models.ManyToManyField(
        "itsm.Incident",
        blank=True,
        related_name="security_incidents",
        verbose_name=_("related ITSM incidents"),
    )
    personal_data_breach = models.BooleanField(_("personal-data breach"), default=False, db_index=True)
    aware_at = models.DateTimeField(
        _("aware since"),
        null=True,
        blank=True,
        help_text=_("When the organisation became aware of the breach."),
    )
    notification_due = models.DateTimeField(
        _("regulator notification due"), null=True, blank=True, editable=False
    )
    regulator_notified_at = models.DateTimeField(_("regulator notified"), null=True, blank=True)
    notification_at_risk_flagged_at = models.DateTimeField(null=True, blank=True, editable=False)
    notification_overdue_flagged_at = models.DateTimeField(null=True, blank=True, editable=False)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ("-detected_at", "-id")
        verbose_name = _("security incident")
        verbose_name_plural = _("security incidents")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.aware_at and self.detected_at and self.aware_at < self.detected_at - dt.timedelta(days=3650):
            errors["aware_at"] = _("That is more than ten years before the detection.")
        if self.regulator_notified_at and not self.personal_data_breach:
            errors["regulator_notified_at"] = _("Only a personal-data breach is notified to the regulator.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.personal_data_breach:
            self.aware_at = self.aware_at or self.detected_at or timezone.now()
            self.notification_due = self.aware_at + dt.timedelta(hours=BREACH_NOTIFICATION_HOURS)
        else:
            self.aware_at = self.notification_due = None
        self.closed_at = (self.closed_at or timezone.now()) if self.state == "closed" else None
        super().save(*args, **kwargs)

    @property
    def notification_status(self) -> str:
        """ "" (no breach), "notified", "overdue" or "pending"."""
        if not self.personal_data_breach:
            return ""
        if self.regulator_notified_at:
            return "notified"
        return "overdue" if self.notification_due and timezone.now() > self.notification_due else "pending"


class EvidenceEntry(models.Model):
    """One append-only line of an incident's chain-of-custody log: who, when, what, which file.

    Each entry's hash covers its content and the previous entry's hash, so removing or
    editing any line breaks the chain (``services.verify_evidence``). Entries are never
    updated or deleted.
    """

    incident = models.ForeignKey(
        SecurityIncident, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("incident")
    )
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    recorded_by_name = models.CharField(_("recorded by"), max_length=150, editable=False)
    action = ChoiceField(_("action"), choices_class=EvidenceAction, default=EvidenceAction.COLLECTED)
    description = models.TextField(_("what"))
    custodian = models.CharField(_("custodian"), max_length=200, blank=True, help_text=_("Who holds it now."))
    location = models.CharField(_("location"), max_length=200, blank=True)
    file_name = models.CharField(_("file"), max_length=255, blank=True, editable=False)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True, editable=False)
    attachment = models.ForeignKey(
        "core.Attachment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    previous_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, editable=False, unique=True)

    class Meta:
        ordering = ("incident", "sequence")
        verbose_name = _("evidence entry")
        verbose_name_plural = _("evidence entries")
        constraints = [
            models.UniqueConstraint(fields=("incident", "sequence"), name="security_evidence_sequence")
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.get_action_display()}: {self.description[:80]}"

    def compute_hash(self) -> str:
        body = {
            "incident": self.incident_id, "sequence": self.sequence, "recorded_at": self.recorded_at.isoformat(),
            "recorded_by": self.recorded_by_name, "action": self.action, "description": self.description,
            "custodian": self.custodian, "location": self.location, "file_name": self.file_name,
            "file_sha256": self.file_sha256, "previous": self.previous_hash,
        }  # fmt: skip
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(_("Evidence entries are append-only; add a new entry instead."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(_("Evidence entries are append-only and cannot be deleted."))
