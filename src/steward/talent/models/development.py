"""Personal development plans: goals and the dated actions that reach them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel
from steward.talent.choices import ActionStatus, PlanStatus
from steward.utilities.choices import ChoiceField


class DevelopmentPlan(StewardModel):
    """A person's development plan for a period, agreed with their manager."""

    person = models.ForeignKey(
        "org.Person", on_delete=models.CASCADE, related_name="development_plans", verbose_name=_("person")
    )
    title = models.CharField(_("title"), max_length=200)
    goals = models.TextField(
        _("goals"), blank=True, help_text=_("What the person wants to reach (Markdown).")
    )
    target_role = models.ForeignKey(
        "talent.RoleProfile", on_delete=models.SET_NULL, null=True, blank=True, related_name="development_plans",
        verbose_name=_("target role"),
    )  # fmt: skip
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = ChoiceField(_("status"), choices_class=PlanStatus, default=PlanStatus.ACTIVE)

    class Meta:
        ordering = ("person", "-start_date", "id")
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")

    def __str__(self) -> str:
        return f"{self.person}: {self.title}"

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The plan cannot end before it starts.")})


class DevelopmentAction(StewardModel):
    """One dated step of a plan: a course, a stretch assignment, mentoring…"""

    plan = models.ForeignKey(
        DevelopmentPlan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("plan")
    )
    description = models.CharField(_("description"), max_length=300)
    skill = models.ForeignKey(
        "talent.Skill", on_delete=models.SET_NULL, null=True, blank=True, related_name="development_actions",
        verbose_name=_("skill"),
    )  # fmt: skip
    course = models.ForeignKey(
        "talent.Course", on_delete=models.SET_NULL, null=True, blank=True, related_name="development_actions",
        verbose_name=_("course"),
    )  # fmt: skip
    due_date = models.DateField(_("due date"))
    status = ChoiceField(_("status"), choices_class=ActionStatus, default=ActionStatus.PLANNED)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ("plan", "due_date", "id")
        verbose_name = _("development action")
        verbose_name_plural = _("development actions")

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        super().clean()
        if self.status == ActionStatus.DONE and not self.done_on:
            raise ValidationError({"done_on": _("Say when a done action was done.")})
        if self.done_on and self.status != ActionStatus.DONE:
            raise ValidationError({"done_on": _("Only a done action has a done date.")})
