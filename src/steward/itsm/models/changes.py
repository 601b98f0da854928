"""Changes: planned modifications, their risk assessment, freeze windows and conflicts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel
from steward.core.models.workflow import WorkflowMixin
from steward.itsm.choices import ChangeType, RiskLevel
from steward.utilities.choices import ChoiceField


class RiskQuestion(StewardModel):
    """One question of the change risk assessment; each answer adds its score to the change's risk.

    ``options`` is a list of ``{"value": "...", "label": "...", "score": n}``.
    """

    key = models.SlugField(_("key"), max_length=50, unique=True)
    text = models.CharField(_("question"), max_length=300)
    options = models.JSONField(_("options"), default=list)
    order = models.PositiveIntegerField(_("order"), default=100)
    enabled = models.BooleanField(_("enabled"), default=True)

    natural_key_fields = ("key",)

    class Meta:
        ordering = ("order", "key")
        verbose_name = _("risk question")
        verbose_name_plural = _("risk questions")

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        super().clean()
        ok = isinstance(self.options, list) and self.options
        values = set()
        for option in self.options if ok else []:
            if not (
                isinstance(option, dict)
                and isinstance(option.get("value"), str)
                and option["value"]
                and isinstance(option.get("score"), int)
                and not isinstance(option.get("score"), bool)
                and option["value"] not in values
            ):
                ok = False
                break
            values.add(option["value"])
        if not ok:
            raise ValidationError(
                {"options": _('A list of distinct {"value": "…", "label": "…", "score": <whole number>} objects.')}
            )  # fmt: skip

    def score(self, value: str) -> int | None:
        for option in self.options:
            if option["value"] == value:
                return int(option["score"])
        return None


class FreezeWindow(StewardModel):
    """A period in which changes should not be implemented (all services, or the listed ones)."""

    name = models.CharField(_("name"), max_length=200)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    services = models.ManyToManyField(
        "itsm.Service",
        blank=True,
        related_name="freeze_windows",
        verbose_name=_("services"),
        help_text=_("Empty: the freeze applies to every service."),
    )
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("name", "start")

    class Meta:
        ordering = ("start", "id")
        verbose_name = _("freeze window")
        verbose_name_plural = _("freeze windows")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})


class Change(ReferenceMixin, WorkflowMixin, StewardModel):
    """A planned addition, modification or removal that could affect a service."""

    reference_prefix = "CHG"
    workflow = "itsm.change"

    short_description = models.CharField(_("short description"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    type = ChoiceField(_("type"), choices_class=ChangeType, default=ChangeType.NORMAL)
    service = models.ForeignKey(
        "itsm.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("service"),
    )
    requested_by = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requested_changes",
        verbose_name=_("requested by"),
    )
    assignment_team = models.ForeignKey(
        "org.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_changes",
        verbose_name=_("assignment team"),
    )
    assignee = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_changes",
        verbose_name=_("assignee"),
    )
    planned_start = models.DateTimeField(_("planned start"), null=True, blank=True, db_index=True)
    planned_end = models.DateTimeField(_("planned end"), null=True, blank=True)
    actual_start = models.DateTimeField(_("actual start"), null=True, blank=True)
    actual_end = models.DateTimeField(_("actual end"), null=True, blank=True)
    implementation_plan = models.TextField(_("implementation plan"), blank=True)
    backout_plan = models.TextField(_("back-out plan"), blank=True)
    test_plan = models.TextField(_("test plan"), blank=True)
    risk_answers = models.JSONField(
        _("risk answers"), default=dict, blank=True, help_text=_("Question key → chosen option value.")
    )
    risk_score = models.PositiveIntegerField(_("risk score"), default=0, editable=False)
    risk_level = ChoiceField(_("risk level"), choices_class=RiskLevel, default=RiskLevel.LOW, editable=False)
    review_notes = models.TextField(_("post-implementation review"), blank=True)
    conflicts = models.JSONField(
        _("conflicts"), default=list, blank=True, editable=False, encoder=DjangoJSONEncoder
    )
    has_conflicts = models.BooleanField(_("has conflicts"), default=False, editable=False, db_index=True)

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("-created", "-id")
        verbose_name = _("change")
        verbose_name_plural = _("changes")

    def __str__(self) -> str:
        return f"{self.reference} {self.short_description}" if self.reference else self.short_description

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.planned_start and self.planned_end and self.planned_end <= self.planned_start:
            errors["planned_end"] = _("The planned end must be after the planned start.")
        if bool(self.planned_start) != bool(self.planned_end):
            errors["planned_end" if self.planned_start else "planned_start"] = _(
                "Give both the planned start and end."
            )
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = _("The actual end cannot be before the actual start.")
        if self.assignee_id and self.assignment_team_id:
            if not self.assignment_team.members.filter(pk=self.assignee_id).exists():
                errors["assignee"] = _("%(person)s is not a member of %(team)s.") % {
                    "person": self.assignee,
                    "team": self.assignment_team,
                }
        if not isinstance(self.risk_answers, dict):
            errors["risk_answers"] = _("An object of question key → option value.")
        else:
            questions = {q.key: q for q in RiskQuestion.objects.filter(enabled=True)}
            bad = [
                f"{k}={v}" for k, v in self.risk_answers.items() if k not in questions or questions[k].score(v) is None
            ]  # fmt: skip
            if bad:
                errors["risk_answers"] = _("Unknown question or option: %s.") % ", ".join(bad)
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        from steward.itsm.risk import score_answers

        self.risk_score, self.risk_level = score_answers(self.risk_answers)
        if self.state == "implement" and not self.actual_start:
            self.actual_start = timezone.now()
        if self.state == "review" and not self.actual_end:
            self.actual_end = timezone.now()
        # The stored list names every change this one overlapped, which may need clearing now.
        previous = (
            Change.objects.filter(pk=self.pk).values_list("conflicts", flat=True).first() if self.pk else None
        ) or []
        with transaction.atomic():
            super().save(*args, **kwargs)
            from steward.itsm.services import refresh_conflicts

            refresh_conflicts(change=self, previous=previous if isinstance(previous, list) else [])
