"""Organisations, their departments and locations (both trees)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel
from steward.org.choices import LocationType
from steward.utilities.choices import ChoiceField


class TreeMixin(models.Model):
    """Adjacency-list tree with a cycle check; subclasses declare ``parent``."""

    class Meta:
        abstract = True

    def ancestors(self) -> list:
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return list(reversed(chain))

    def clean(self) -> None:
        super().clean()
        node, seen = self.parent, set()
        while node is not None:
            if self.pk is not None and node.pk == self.pk:
                raise ValidationError({"parent": _("A record cannot be inside itself.")})
            if node.pk in seen:
                break
            seen.add(node.pk)
            node = node.parent


class Organisation(StewardModel):
    """A legal entity or business unit that owns departments, locations and people."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("slug",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Department(TreeMixin, StewardModel):
    """A department in an organisation's hierarchy."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="departments", verbose_name=_("organisation")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    head = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_departments",
        verbose_name=_("head"),
    )
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("code",)

    class Meta:
        ordering = ("organisation__name", "name", "id")
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.parent_id and self.organisation_id and self.parent.organisation_id != self.organisation_id:
            raise ValidationError({"parent": _("The parent belongs to another organisation.")})


class Location(TreeMixin, StewardModel):
    """A region, site, building or room."""

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    type = ChoiceField(_("type"), choices_class=LocationType, default=LocationType.SITE)
    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="locations",
        verbose_name=_("organisation"),
    )
    address = models.TextField(_("address"), blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)

    natural_key_fields = ("code",)

    class Meta:
        ordering = ("name", "id")
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        order = [LocationType.REGION, LocationType.SITE, LocationType.BUILDING, LocationType.ROOM]
        if self.parent_id and order.index(self.parent.type) > order.index(self.type):
            raise ValidationError(
                {
                    "parent": _("A %(child)s cannot be inside a %(parent)s.")
                    % {
                        "child": self.get_type_display().lower(),
                        "parent": self.parent.get_type_display().lower(),
                    }
                }
            )
        if self.time_zone:
            import zoneinfo

            if self.time_zone not in zoneinfo.available_timezones():
                raise ValidationError({"time_zone": _("Unknown IANA time zone.")})
