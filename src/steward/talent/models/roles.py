"""What the organisation needs: role profiles and career paths, people's roles, the skills
projects, configuration-item classes and services demand, and positions opened to fill gaps."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel, WorkflowMixin
from steward.talent.models.skills import level_field


class CareerPath(StewardModel):
    """A ladder of role profiles a person can climb (junior → senior → principal)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name", "id")
        verbose_name = _("career path")
        verbose_name_plural = _("career paths")

    def __str__(self) -> str:
        return self.name


class RoleProfile(StewardModel):
    """A role and the skills it requires at minimum levels; optionally a step on a career path."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    career_path = models.ForeignKey(
        CareerPath, on_delete=models.SET_NULL, null=True, blank=True, related_name="roles",
        verbose_name=_("career path"),
    )  # fmt: skip
    step = models.PositiveSmallIntegerField(
        _("step on the path"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("1 is the first rung."),
    )  # fmt: skip

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name", "id")
        verbose_name = _("role profile")
        verbose_name_plural = _("role profiles")
        constraints = [
            models.UniqueConstraint(
                fields=("career_path", "step"),
                condition=Q(career_path__isnull=False),
                name="talent_role_step_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.career_path_id and not self.step:
            raise ValidationError({"step": _("A role on a career path needs its step.")})
        if self.step and not self.career_path_id:
            raise ValidationError({"career_path": _("A step belongs to a career path.")})


class RoleRequirement(StewardModel):
    """A skill a role profile requires, at a minimum level."""

    role_profile = models.ForeignKey(
        RoleProfile, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("role profile")
    )
    skill = models.ForeignKey(
        "talent.Skill", on_delete=models.PROTECT, related_name="role_requirements", verbose_name=_("skill")
    )
    min_level = level_field(_("minimum level"))

    class Meta:
        ordering = ("role_profile", "skill", "id")
        verbose_name = _("role requirement")
        verbose_name_plural = _("role requirements")
        constraints = [
            models.UniqueConstraint(fields=("role_profile", "skill"), name="talent_rolerequirement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.role_profile}: {self.skill} ≥ {self.min_level}"


class RoleAssignment(StewardModel):
    """The role profile a person is measured against (one per person)."""

    person = models.OneToOneField(
        "org.Person", on_delete=models.CASCADE, related_name="role_assignment", verbose_name=_("person")
    )
    role_profile = models.ForeignKey(
        RoleProfile, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("role profile")
    )
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        ordering = ("person", "id")
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self) -> str:
        return f"{self.person} — {self.role_profile}"


class ProjectSkillDemand(StewardModel):
    """A project needs ``count`` people holding a skill at a minimum level."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="skill_demands", verbose_name=_("project")
    )
    skill = models.ForeignKey(
        "talent.Skill", on_delete=models.PROTECT, related_name="project_demands", verbose_name=_("skill")
    )
    min_level = level_field(_("minimum level"))
    count = models.PositiveSmallIntegerField(
        _("people needed"), default=1, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )

    class Meta:
        ordering = ("project", "skill", "id")
        verbose_name = _("project skill demand")
        verbose_name_plural = _("project skill demands")
        constraints = [
            models.UniqueConstraint(fields=("project", "skill"), name="talent_projectdemand_unique")
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.count} × {self.skill} ≥ {self.min_level}"


class EstateSkillRequirement(StewardModel):
    """A skill needed to support a class of configuration items or a service, at a minimum level.

    Exactly one of ``ci_class`` and ``service`` is set. The estate gap analysis counts, for
    each class and service, the people holding every skill it requires at the level.
    """

    ci_class = models.ForeignKey(
        "cmdb.CIClass", on_delete=models.CASCADE, null=True, blank=True, related_name="skill_requirements",
        verbose_name=_("configuration item class"),
    )  # fmt: skip
    service = models.ForeignKey(
        "itsm.Service", on_delete=models.CASCADE, null=True, blank=True, related_name="skill_requirements",
        verbose_name=_("service"),
    )  # fmt: skip
    skill = models.ForeignKey(
        "talent.Skill", on_delete=models.PROTECT, related_name="estate_requirements", verbose_name=_("skill")
    )
    min_level = level_field(_("minimum level"))
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ("service", "ci_class", "skill", "id")
        verbose_name = _("estate skill requirement")
        verbose_name_plural = _("estate skill requirements")
        constraints = [
            models.CheckConstraint(
                condition=Q(ci_class__isnull=True, service__isnull=False)
                | Q(ci_class__isnull=False, service__isnull=True),
                name="talent_estate_one_target",
            ),
            models.UniqueConstraint(
                fields=("ci_class", "skill"),
                condition=Q(ci_class__isnull=False),
                name="talent_estate_class_unique",
            ),
            models.UniqueConstraint(
                fields=("service", "skill"),
                condition=Q(service__isnull=False),
                name="talent_estate_service_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service or self.ci_class}: {self.skill} ≥ {self.min_level}"

    def clean(self) -> None:
        super().clean()
        if bool(self.ci_class_id) == bool(self.service_id):
            raise ValidationError(
                {"service": _("Name either a service or a configuration item class, not both.")}
            )


class OpenPosition(ReferenceMixin, WorkflowMixin, StewardModel):
    """A position to fill (hire, transfer or train), often raised from a skills gap."""

    reference_prefix = "POS"
    reference_digits = 5
    workflow = "talent.position"

    title = models.CharField(_("title"), max_length=200)
    role_profile = models.ForeignKey(
        RoleProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="positions",
        verbose_name=_("role profile"),
    )  # fmt: skip
    team = models.ForeignKey(
        "org.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="open_positions",
        verbose_name=_("team"),
    )  # fmt: skip
    project = models.ForeignKey(
        "projects.Project", on_delete=models.SET_NULL, null=True, blank=True, related_name="open_positions",
        verbose_name=_("project"),
    )  # fmt: skip
    reason = models.TextField(_("reason"), blank=True, help_text=_("The gap it closes."))
    filled_by = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="filled_positions",
        verbose_name=_("filled by"),
    )  # fmt: skip

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("-created", "id")
        verbose_name = _("open position")
        verbose_name_plural = _("open positions")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()


class PositionSkill(StewardModel):
    """A skill an open position requires, at a minimum level."""

    position = models.ForeignKey(
        OpenPosition, on_delete=models.CASCADE, related_name="skills", verbose_name=_("position")
    )
    skill = models.ForeignKey(
        "talent.Skill",
        on_delete=models.PROTECT,
        related_name="position_requirements",
        verbose_name=_("skill"),
    )
    min_level = level_field(_("minimum level"))

    class Meta:
        ordering = ("position", "skill", "id")
        verbose_name = _("position skill")
        verbose_name_plural = _("position skills")
        constraints = [
            models.UniqueConstraint(fields=("position", "skill"), name="talent_positionskill_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.skill} ≥ {self.min_level}"
