"""Exposure: findings (an advisory affecting a product installed on an item) and remediation policy."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel
from steward.core.models.workflow import WorkflowMixin
from steward.security.choices import Severity
from steward.utilities.choices import ChoiceField


class SeverityPolicy(StewardModel):
    """How many days a finding of a severity may stay open: the remediation due date's source."""

    severity = ChoiceField(_("severity"), choices_class=Severity, unique=True)
    remediation_days = models.PositiveIntegerField(_("remediation days"))
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("severity",)

    class Meta:
        ordering = ("remediation_days", "severity")
        verbose_name = _("severity policy")
        verbose_name_plural = _("severity policies")

    def __str__(self) -> str:
        return f"{self.get_severity_display()}: {self.remediation_days} days"

    def clean(self) -> None:
        super().clean()
        if self.remediation_days is not None and not 1 <= self.remediation_days <= 3650:
            raise ValidationError({"remediation_days": _("Give a number of days from 1 to 3650.")})


class Finding(ReferenceMixin, WorkflowMixin, StewardModel):
    """An advisory that affects a product version installed on a configuration item.

    Matching creates, updates and closes findings; one per item, advisory and product. People
    move them through the workflow (work on it, accept the risk, call it a false positive).
    """

    reference_prefix = "VULN"
    workflow = "security.finding"

    configuration_item = models.ForeignKey(
        "cmdb.ConfigurationItem",
        on_delete=models.CASCADE,
        related_name="security_findings",
        verbose_name=_("configuration item"),
    )
    advisory = models.ForeignKey(
        "security.Advisory", on_delete=models.CASCADE, related_name="findings", verbose_name=_("advisory")
    )
    product = models.ForeignKey(
        "cmdb.SoftwareProduct",
        on_delete=models.CASCADE,
        related_name="security_findings",
        verbose_name=_("product"),
    )
    installation = models.ForeignKey(
        "cmdb.SoftwareInstallation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="security_findings",
        verbose_name=_("installation"),
    )
    installed_version = models.CharField(_("installed version"), max_length=100, blank=True)
    fixed_version = models.CharField(
        _("fixed in"), max_length=100, blank=True, help_text=_("The first version without the flaw.")
    )
    severity = ChoiceField(_("severity"), choices_class=Severity, default=Severity.UNKNOWN, db_index=True)
    first_detected = models.DateTimeField(_("first detected"), null=True, blank=True)
    last_detected = models.DateTimeField(_("last detected"), null=True, blank=True)
    due_date = models.DateField(_("remediation due"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closure_reason = models.CharField(_("closure reason"), max_length=200, blank=True)
    assignee = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="security_findings",
        verbose_name=_("assignee"),
    )
    justification = models.TextField(
        _("justification"), blank=True, help_text=_("Why the risk is accepted or the finding is false.")
    )
    risk_accepted_until = models.DateField(_("risk accepted until"), null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(_("flagged overdue"), null=True, blank=True, editable=False)

    # No natural key: exports carry the id, so an edited export re-imports as updates.

    class Meta:
        ordering = ("due_date", "-id")
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.UniqueConstraint(
                fields=("configuration_item", "advisory", "product"), name="security_finding_unique"
            )
        ]
        indexes = [models.Index(fields=("state", "severity"), name="security_finding_state_sev")]

    def __str__(self) -> str:
        advisory = self.advisory.identifier if self.advisory_id else ""
        return f"{self.reference} {advisory}".strip()

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.state == "risk_accepted" and not self.risk_accepted_until:
            errors["risk_accepted_until"] = _("Say until when the risk is accepted.")
        if self.state in ("risk_accepted", "false_positive") and not (self.justification or "").strip():
            errors["justification"] = _("Give the reason.")
        if (
            self.installation_id
            and self.configuration_item_id
            and self.installation.configuration_item_id != self.configuration_item_id
        ):
            errors["installation"] = _("This installation is on another item.")
        if errors:
            raise ValidationError(errors)

    def derive_state_fields(self) -> tuple[str, ...]:
        """Set the fields that follow from the state; returns their names (for bulk writes)."""
        from django.utils import timezone

        closed = self.state in ("fixed", "false_positive")
        self.closed_at = (self.closed_at or timezone.now()) if closed else None
        if self.state != "fixed":
            self.closure_reason = ""
        if self.state != "risk_accepted":
            self.risk_accepted_until = None
        return ("closed_at", "closure_reason", "risk_accepted_until")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.derive_state_fields()
        super().save(*args, **kwargs)
