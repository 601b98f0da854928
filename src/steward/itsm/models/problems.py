"""Problems: the causes behind incidents, and the known errors recorded while they are fixed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel
from steward.core.models.workflow import WorkflowMixin
from steward.itsm.choices import Priority
from steward.utilities.choices import ChoiceField


class Problem(ReferenceMixin, WorkflowMixin, StewardModel):
    """The unknown cause of one or more incidents; a known error once a workaround exists."""

    reference_prefix = "PRB"
    workflow = "itsm.problem"

    short_description = models.CharField(_("short description"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    service = models.ForeignKey(
        "itsm.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problems",
        verbose_name=_("service"),
    )
    category = models.CharField(_("category"), max_length=100, blank=True)
    priority = ChoiceField(_("priority"), choices_class=Priority, default=Priority.MODERATE, max_length=1)
    assignment_team = models.ForeignKey(
        "org.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_problems",
        verbose_name=_("assignment team"),
    )
    assignee = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_problems",
        verbose_name=_("assignee"),
    )
    incidents = models.ManyToManyField(
        "itsm.Incident", blank=True, related_name="problems", verbose_name=_("incidents")
    )
    root_cause = models.TextField(_("root cause"), blank=True)
    workaround = models.TextField(_("workaround"), blank=True)
    fix = models.TextField(_("fix"), blank=True)
    known_error = models.BooleanField(
        _("known error"), default=False, db_index=True, help_text=_("Published so agents can apply the workaround.")
    )  # fmt: skip

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("-created", "-id")
        verbose_name = _("problem")
        verbose_name_plural = _("problems")

    def __str__(self) -> str:
        return f"{self.reference} {self.short_description}" if self.reference else self.short_description

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.known_error and not (self.workaround or "").strip():
            errors["workaround"] = _("A known error needs a workaround agents can apply.")
        if self.assignee_id and self.assignment_team_id:
            if not self.assignment_team.members.filter(pk=self.assignee_id).exists():
                errors["assignee"] = _("%(person)s is not a member of %(team)s.") % {
                    "person": self.assignee,
                    "team": self.assignment_team,
                }
        if errors:
            raise ValidationError(errors)
