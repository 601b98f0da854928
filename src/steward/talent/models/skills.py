"""The skills catalogue (imported from a versioned library) and people's proficiencies in it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel
from steward.talent.choices import MAX_LEVEL, MIN_LEVEL, Assessment
from steward.utilities.choices import ChoiceField

LEVEL_MESSAGE = _("The level must be between 1 and 7.")


def level_field(verbose_name: str, **kwargs: object) -> models.PositiveSmallIntegerField:
    """A proficiency level on the 1–7 scale; anything outside is refused with one clear message."""
    return models.PositiveSmallIntegerField(
        verbose_name,
        validators=[MinValueValidator(MIN_LEVEL, LEVEL_MESSAGE), MaxValueValidator(MAX_LEVEL, LEVEL_MESSAGE)],
        help_text=_("1 (aware) to 7 (sets direction)."),
        **kwargs,
    )


def urn_field() -> models.CharField:
    return models.CharField(
        _("URN"), max_length=200, blank=True, help_text=_("Identity in the library it was imported from.")
    )


class SkillLibrary(StewardModel):
    """An imported skills library file: its identity (URN) and the version last imported."""

    urn = models.CharField(_("URN"), max_length=200, unique=True)
    name = models.CharField(_("name"), max_length=200)
    version = models.CharField(_("version"), max_length=50)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("urn",)

    class Meta:
        ordering = ("name", "id")
        verbose_name = _("skills library")
        verbose_name_plural = _("skills libraries")

    def __str__(self) -> str:
        return f"{self.name} {self.version}"

    def clean(self) -> None:
        super().clean()
        if not self.urn.startswith("urn:"):
            raise ValidationError({"urn": _("A URN starts with 'urn:'.")})


class ProficiencyLevel(StewardModel):
    """One of the seven steps of the proficiency scale, with what it means in practice."""

    level = level_field(_("level"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    urn = urn_field()
    library = models.ForeignKey(
        SkillLibrary, on_delete=models.SET_NULL, null=True, blank=True, related_name="levels",
        verbose_name=_("library"),
    )  # fmt: skip

    natural_key_fields = ("level",)

    class Meta:
        ordering = ("level",)
        verbose_name = _("proficiency level")
        verbose_name_plural = _("proficiency levels")

    def __str__(self) -> str:
        return f"{self.level} {self.name}"


class SkillCategory(StewardModel):
    """A family of skills (infrastructure, security, delivery…)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    urn = urn_field()
    library = models.ForeignKey(
        SkillLibrary, on_delete=models.SET_NULL, null=True, blank=True, related_name="categories",
        verbose_name=_("library"),
    )  # fmt: skip

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name", "id")
        verbose_name = _("skill category")
        verbose_name_plural = _("skill categories")
        constraints = [
            models.UniqueConstraint(fields=("urn",), condition=~Q(urn=""), name="talent_category_urn_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Skill(StewardModel):
    """A skill people hold at a level and that roles, services, classes and courses refer to."""

    category = models.ForeignKey(
        SkillCategory, on_delete=models.PROTECT, related_name="skills", verbose_name=_("category")
    )
    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.CharField(_("code"), max_length=20, blank=True)
    description = models.TextField(_("description"), blank=True)
    urn = urn_field()
    library = models.ForeignKey(
        SkillLibrary, on_delete=models.SET_NULL, null=True, blank=True, related_name="skills",
        verbose_name=_("library"),
    )  # fmt: skip
    withdrawn = models.BooleanField(
        _("withdrawn"), default=False, help_text=_("No longer in the library; kept for history.")
    )

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name", "id")
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [
            models.UniqueConstraint(fields=("urn",), condition=~Q(urn=""), name="talent_skill_urn_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Proficiency(StewardModel):
    """How well a person masters a skill (1–7), self-assessed or validated by their manager.

    One row per person and skill; every change is in the change log, which is the history.
    """

    person = models.ForeignKey(
        "org.Person", on_delete=models.CASCADE, related_name="skill_proficiencies", verbose_name=_("person")
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, related_name="proficiencies", verbose_name=_("skill")
    )
    level = level_field(_("level"))
    assessment = ChoiceField(_("assessment"), choices_class=Assessment, default=Assessment.SELF)
    validated_by = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="validated_proficiencies",
        verbose_name=_("validated by"),
    )  # fmt: skip
    validated_on = models.DateField(_("validated on"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ("person", "skill", "id")
        verbose_name = _("proficiency")
        verbose_name_plural = _("proficiencies")
        constraints = [
            models.UniqueConstraint(fields=("person", "skill"), name="talent_proficiency_unique"),
        ]
        indexes = [models.Index(fields=("skill", "level"))]

    def __str__(self) -> str:
        return f"{self.person} — {self.skill} {self.level}"

    def clean(self) -> None:
        super().clean()
        if self.assessment == Assessment.VALIDATED:
            if not self.validated_by_id:
                raise ValidationError({"validated_by": _("A validated proficiency names who validated it.")})
            if not self.validated_on:
                raise ValidationError({"validated_on": _("A validated proficiency has a validation date.")})
        if self.validated_by_id and self.validated_by_id == self.person_id:
            raise ValidationError({"validated_by": _("Nobody validates their own proficiency.")})
