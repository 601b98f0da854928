"""Satisfaction surveys: one answer per resolved incident or fulfilled request."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel


class SurveyResponse(ReferenceMixin, StewardModel):
    """The caller's rating (1–5) and comment on how one ticket was handled."""

    reference_prefix = "CSAT"

    incident = models.OneToOneField(
        "itsm.Incident",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_response",
        verbose_name=_("incident"),
    )
    request = models.OneToOneField(
        "itsm.ServiceRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_response",
        verbose_name=_("request"),
    )
    respondent = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("respondent"),
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (poor) to 5 (great)."),
    )
    comment = models.TextField(_("comment"), blank=True)

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("-created", "-id")
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(incident__isnull=False, request__isnull=True)
                | models.Q(incident__isnull=True, request__isnull=False),
                name="itsm_survey_one_ticket",
            )
        ]

    def __str__(self) -> str:
        # No related lookups: the change log names a row while its ticket is being deleted.
        return f"{self.reference}: {self.rating}/5" if self.reference else f"{self.rating}/5"

    @property
    def ticket(self) -> models.Model | None:
        return self.incident if self.incident_id else self.request

    @property
    def ticket_reference(self) -> str:
        ticket = self.ticket
        return ticket.reference if ticket is not None else ""

    def clean(self) -> None:
        super().clean()
        if bool(self.incident_id) == bool(self.request_id):
            raise ValidationError({"incident": _("Give either an incident or a request.")})
