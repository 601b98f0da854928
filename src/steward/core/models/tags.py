from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models.base import StewardModel

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #rrggbb."))


class Tag(StewardModel):
    """A free label that can be put on any record, shown as a coloured badge."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    colour = models.CharField(_("colour"), max_length=7, default="#206bc4", validators=[colour_validator])
    description = models.CharField(_("description"), max_length=200, blank=True)

    natural_key_fields = ("slug",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class TaggedItem(models.Model):
    """One tag on one record of any model."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="items")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")

    class Meta:
        ordering = ("tag__name",)
        verbose_name = _("tagged item")
        constraints = [
            models.UniqueConstraint(
                fields=("tag", "content_type", "object_id"), name="core_taggeditem_unique"
            )
        ]
        indexes = [models.Index(fields=("content_type", "object_id"))]

    def __str__(self) -> str:
        return f"{self.tag} on {self.content_type_id}:{self.object_id}"
