"""People and the teams they work in."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel
from steward.org.choices import PersonStatus
from steward.utilities.choices import ChoiceField


class Person(StewardModel):
    """Someone in the organisation, with or without a user account."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"), unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    status = ChoiceField(_("status"), choices_class=PersonStatus, default=PersonStatus.ACTIVE)
    manager = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("manager"),
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("department"),
    )
    location = models.ForeignKey(
        "org.Location",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("location"),
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    employee_id = models.CharField(_("employee id"), max_length=50, blank=True)

    natural_key_fields = ("email",)

    class Meta:
        ordering = ("last_name", "first_name", "id")
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=("last_name", "first_name"))]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self) -> None:
        super().clean()
        if self.manager_id and self.manager_id == self.pk:
            raise ValidationError({"manager": _("A person cannot be their own manager.")})
        self.email = (self.email or "").strip().lower()


class Team(StewardModel):
    """A group of people that work is assigned to."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    lead = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name=_("lead"),
    )
    members = models.ManyToManyField(Person, blank=True, related_name="teams", verbose_name=_("members"))
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teams",
        verbose_name=_("department"),
    )

    natural_key_fields = ("slug",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name
