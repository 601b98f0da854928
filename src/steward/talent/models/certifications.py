"""Certifications people hold, and when they run out."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel


def default_reminders() -> list[int]:
    return [90, 30, 7]


class Certification(StewardModel):
    """A certification in the catalogue (issuer, how long it stays valid, when to remind)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    issuer = models.CharField(_("issuer"), max_length=200)
    validity_months = models.PositiveSmallIntegerField(
        _("validity (months)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text=_("Empty when it never expires."),
    )  # fmt: skip
    reminder_days = models.JSONField(
        _("reminders (days before expiry)"), default=default_reminders, blank=True,
        help_text=_("e.g. [90, 30, 7]: one reminder per holding at each threshold."),
    )  # fmt: skip
    skill = models.ForeignKey(
        "talent.Skill", on_delete=models.SET_NULL, null=True, blank=True, related_name="certifications",
        verbose_name=_("skill"), help_text=_("The skill it attests, if any."),
    )  # fmt: skip
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name", "id")
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.reminder_days in (None, ""):
            self.reminder_days = []
        if not isinstance(self.reminder_days, list) or any(
            isinstance(d, bool) or not isinstance(d, int) or not 0 < d <= 3650 for d in self.reminder_days
        ):
            raise ValidationError(
                {"reminder_days": _("A list of whole numbers of days between 1 and 3650, e.g. [90, 30, 7].")}
            )
        self.reminder_days = sorted(set(self.reminder_days), reverse=True)


class CertificationHolding(StewardModel):
    """A person holds a certification from ``obtained`` until ``expires`` (computed when not given).

    ``reminded`` lists the thresholds (days) already announced for the current expiry date, so
    the daily job raises each reminder once; a new expiry date starts the list again.
    """

    person = models.ForeignKey(
        "org.Person", on_delete=models.CASCADE, related_name="certifications", verbose_name=_("person")
    )
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="holdings", verbose_name=_("certification")
    )
    obtained = models.DateField(_("obtained"))
    expires = models.DateField(
        _("expires"), null=True, blank=True, help_text=_("Computed from the validity when left empty.")
    )
    credential_id = models.CharField(_("credential id"), max_length=100, blank=True)
    reminded = models.JSONField(_("reminders sent"), default=list, blank=True, editable=False)
    reminded_for = models.DateField(_("reminders sent for expiry"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ("expires", "person", "id")
        verbose_name = _("certification holding")
        verbose_name_plural = _("certification holdings")
        indexes = [models.Index(fields=("expires",))]

    def __str__(self) -> str:
        return f"{self.person} — {self.certification}"

    def clean(self) -> None:
        super().clean()
        if self.expires is None and self.obtained and self.certification_id:
            months = self.certification.validity_months
            if months:
                self.expires = self.obtained + relativedelta(months=months)
        if self.expires and self.obtained and self.expires < self.obtained:
            raise ValidationError({"expires": _("A certification cannot expire before it was obtained.")})
