"""The training catalogue (courses and the skills they develop) and people's enrolments."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel, WorkflowMixin
from steward.talent.models.skills import level_field
from steward.utilities.money import validate_currency


class Course(StewardModel):
    """A course people can take: who gives it, how long it lasts, what it costs and develops."""

    title = models.CharField(_("title"), max_length=200, unique=True)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    duration_hours = models.DecimalField(
        _("duration (hours)"), max_digits=7, decimal_places=1, default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )  # fmt: skip
    cost = models.DecimalField(
        _("cost"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR", validators=[validate_currency])

    natural_key_fields = ("title",)

    class Meta:
        ordering = ("title", "id")
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title


class CourseSkill(StewardModel):
    """A skill a course develops, up to a target level."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="skills", verbose_name=_("course")
    )
    skill = models.ForeignKey(
        "talent.Skill", on_delete=models.PROTECT, related_name="courses", verbose_name=_("skill")
    )
    target_level = level_field(_("target level"))

    class Meta:
        ordering = ("course", "skill", "id")
        verbose_name = _("course skill")
        verbose_name_plural = _("course skills")
        constraints = [models.UniqueConstraint(fields=("course", "skill"), name="talent_courseskill_unique")]

    def __str__(self) -> str:
        return f"{self.course} → {self.skill} {self.target_level}"


class Enrolment(WorkflowMixin, StewardModel):
    """A person on a course: planned → enrolled → completed (or cancelled).

    Once completed, a manager may validate it: the person's proficiency in each skill the
    course develops is raised to the course's target level.
    """

    workflow = "talent.enrolment"

    person = models.ForeignKey(
        "org.Person", on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("person")
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("course")
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    completion_date = models.DateField(_("completion date"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(
        _("score (%)"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    validated_by = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="validated_enrolments", verbose_name=_("validated by"),
    )  # fmt: skip
    validated_on = models.DateField(_("validated on"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ("-created", "id")
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self) -> str:
        return f"{self.person} — {self.course}"

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.completion_date and self.completion_date < self.start_date:
            raise ValidationError({"completion_date": _("A course cannot be completed before it starts.")})
