"""Vendors, their contracts (with renewal history) and software licences bought under them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel, WorkflowMixin
from steward.finance.choices_sourcing import (
    ContractKind,
    LicenceMetric,
    NoticeKind,
    RiskTier,
    VendorKind,
    VendorStatus,
)
from steward.utilities.choices import ChoiceField
from steward.utilities.money import validate_currency


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, clamped to the last day of a shorter month (31 Jan + 1 → 28 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has 28 days


class Vendor(StewardModel):
    """A company the organisation buys from: a manufacturer, reseller, service or cloud provider."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = ChoiceField(_("kind"), choices_class=VendorKind, default=VendorKind.RESELLER)
    status = ChoiceField(_("status"), choices_class=VendorStatus, default=VendorStatus.ACTIVE)
    risk_tier = ChoiceField(_("risk tier"), choices_class=RiskTier, default=RiskTier.LOW)
    website = models.URLField(_("website"), blank=True)
    contacts = models.TextField(
        _("contacts"), blank=True, help_text=_("Account manager, support line, escalation contacts.")
    )
    manufacturer = models.ForeignKey(
        "cmdb.Manufacturer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vendors",
        verbose_name=_("CMDB manufacturer"),
        help_text=_("The manufacturer record of the CMDB this vendor is (for hardware and software makers)."),
    )
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name", "id")
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        self.name = (self.name or "").strip()
        if not self.name:
            raise ValidationError({"name": _("A vendor needs a name.")})


class Contract(ReferenceMixin, WorkflowMixin, StewardModel):
    """An agreement with a vendor for a term: support, licences, a lease, SaaS or a service.

    The daily renewal job announces the notice deadline (``end_date`` minus ``notice_days``) and
    the expiry once each, and renews auto-renewing contracts on their end date.
    """

    reference_prefix = "CTR"
    reference_digits = 5
    workflow = "finance.contract"

    title = models.CharField(_("title"), max_length=200)
    kind = ChoiceField(_("kind"), choices_class=ContractKind, default=ContractKind.SUPPORT)
    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("vendor")
    )
    owner = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_contracts",
        verbose_name=_("owner"),
    )
    vendor_reference = models.CharField(_("vendor's reference"), max_length=100, blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    notice_days = models.PositiveIntegerField(
        _("notice period (days)"),
        default=0,
        help_text=_("Days before the end by which notice must be given."),
    )
    auto_renew = models.BooleanField(_("renews automatically"), default=False)
    renewal_months = models.PositiveSmallIntegerField(
        _("renewal term (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    value = models.DecimalField(
        _("value"), max_digits=16, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR", validators=[validate_currency])
    configuration_items = models.ManyToManyField(
        "cmdb.ConfigurationItem", blank=True, related_name="contracts", verbose_name=_("covered items")
    )
    services = models.ManyToManyField(
        "itsm.Service", blank=True, related_name="contracts", verbose_name=_("covered services")
    )
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("end_date", "reference", "id")
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        indexes = [models.Index(fields=("state", "end_date"), name="finance_contract_state_end")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()

    @property
    def notice_deadline(self) -> dt.date | None:
        """The last day notice can be given (the end date when there is no notice period)."""
        if not self.end_date:
            return None
        return self.end_date - dt.timedelta(days=self.notice_days or 0)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        self.currency = (self.currency or "").strip().upper()
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                errors["end_date"] = _("The contract cannot end before it starts.")
            elif (self.notice_days or 0) > (self.end_date - self.start_date).days:
                errors["notice_days"] = _(
                    "The notice period (%(n)d days) is longer than the term (%(t)d days)."
                ) % {
                    "n": self.notice_days,
                    "t": (self.end_date - self.start_date).days,
                }
        if self.auto_renew and not self.renewal_months:
            errors["renewal_months"] = _("A contract that renews automatically needs a renewal term.")
        if errors:
            raise ValidationError(errors)


class ContractRenewal(StewardModel):
    """One renewal of a contract: its end date moved by a term, automatically or by hand."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="renewals", verbose_name=_("contract")
    )
    renewed_on = models.DateField(_("renewed on"))
    previous_end = models.DateField(_("previous end"))
    new_end = models.DateField(_("new end"))
    automatic = models.BooleanField(_("automatic"), default=False)
    value = models.DecimalField(
        _("value of the new term"), max_digits=16, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ("contract", "-new_end", "id")
        verbose_name = _("contract renewal")
        verbose_name_plural = _("contract renewals")

    def __str__(self) -> str:
        return f"{self.contract.reference}: {self.previous_end} → {self.new_end}"

    def clean(self) -> None:
        super().clean()
        if self.previous_end and self.new_end and self.new_end <= self.previous_end:
            raise ValidationError({"new_end": _("A renewal must move the end date later.")})


class ContractNotice(models.Model):
    """Bookkeeping of the renewal events: one row per contract, kind and end date announced.

    The daily job raises an event only where no row exists, so each is raised once; a renewed
    contract has a new end date, so its next notice deadline and expiry are announced again.
    """

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="notices", verbose_name=_("contract")
    )
    kind = ChoiceField(_("kind"), choices_class=NoticeKind, max_length=20)
    end_date = models.DateField(_("end date announced"))
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True)

    class Meta:
        ordering = ("end_date", "id")
        verbose_name = _("contract notice")
        verbose_name_plural = _("contract notices")
        constraints = [
            models.UniqueConstraint(
                fields=("contract", "kind", "end_date"), name="finance_contract_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.contract_id} ({self.end_date})"


class SoftwareLicence(StewardModel):
    """Entitlements to use a software product, counted by a metric, compared with CMDB installations."""

    name = models.CharField(_("name"), max_length=200)
    product = models.ForeignKey(
        "cmdb.SoftwareProduct", on_delete=models.PROTECT, related_name="licences", verbose_name=_("product")
    )
    metric = ChoiceField(_("metric"), choices_class=LicenceMetric, default=LicenceMetric.DEVICE)
    quantity = models.PositiveIntegerField(_("quantity purchased"))
    contract = models.ForeignKey(
        Contract,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="licences",
        verbose_name=_("contract"),
    )
    expiry = models.DateField(
        _("expiry"), null=True, blank=True, help_text=_("Empty for a perpetual licence.")
    )
    licence_key = models.CharField(_("licence key or agreement number"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ("product", "metric", "name", "id")
        verbose_name = _("software licence")
        verbose_name_plural = _("software licences")

    def __str__(self) -> str:
        return f"{self.name} ({self.quantity} {self.get_metric_display().lower()})"

    def clean(self) -> None:
        super().clean()
        if (
            self.contract_id
            and self.expiry
            and self.contract.end_date
            and self.expiry < self.contract.start_date
        ):
            raise ValidationError({"expiry": _("The licence cannot expire before its contract starts.")})
