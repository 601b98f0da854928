"""Base classes every Steward model is built from.

``StewardModel`` composes the features one registration relies on: timestamps, change
logging (through the before-state kept at load time), custom fields in one JSON column, tags,
comments and attachments, and a queryset that can be restricted to what a user may see.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class RestrictedQuerySet(models.QuerySet):
    """A queryset that can be narrowed to the rows a user holds a permission on."""

    def restrict(self, user: Any, action: str = "view") -> RestrictedQuerySet:
        from steward.core.permissions import restrict_queryset

        return restrict_queryset(self, user, action)


class StewardModel(models.Model):
    """Abstract base: timestamps, change log, custom fields, tags, comments, attachments."""

    created = models.DateTimeField(_("created"), auto_now_add=True, editable=False)
    last_updated = models.DateTimeField(_("last updated"), auto_now=True, editable=False)
    custom_field_data = models.JSONField(
        _("custom fields"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    tagged_items = GenericRelation("core.TaggedItem")
    comments = GenericRelation("core.Comment")
    attachments = GenericRelation("core.Attachment")

    objects = RestrictedQuerySet.as_manager()

    #: Fields that identify a row to people and importers (upsert key); set per model.
    natural_key_fields: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db: str, field_names: list[str], values: list[Any], **kwargs: Any) -> StewardModel:
        instance = super().from_db(db, field_names, values, **kwargs)
        # The before-image for the change log; kept raw (no conversion) so loading stays cheap.
        instance._loaded_values = dict(zip(field_names, values, strict=True))
        return instance

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic():
            super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        meta = self._meta
        return reverse(f"{meta.app_label}:{meta.model_name}_detail", kwargs={"pk": self.pk})

    @property
    def tags(self) -> list[Any]:
        return [item.tag for item in self.tagged_items.all()]

    def clean(self) -> None:
        super().clean()
        from steward.core.models.customfields import CustomField

        errors = CustomField.objects.validate_data(type(self), self.custom_field_data)
        if errors:
            raise ValidationError(errors)


class Sequence(models.Model):
    """A named counter that hands out human reference numbers without races."""

    name = models.CharField(max_length=64, primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        ordering = ("name",)
        verbose_name = _("sequence")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"

    @classmethod
    def take(cls, name: str, count: int = 1) -> int:
        """Reserve ``count`` numbers; return the last. One atomic upsert … RETURNING on both engines."""
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (name, value) VALUES (%s, %s) "  # noqa: S608 - own quoted table name  # nosec B608
                f"ON CONFLICT (name) DO UPDATE SET value = {table}.value + excluded.value RETURNING value",
                [name, count],
            )
            return int(cursor.fetchone()[0])


class ConfigVersion(models.Model):
    """One row: a random token replaced whenever a row of cached configuration changes.

    ``steward.core.configcache`` tags what each process memoised with the token it read it
    under; a different token means "read again".
    """

    token = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("configuration version")


class ReferenceMixin(models.Model):
    """Gives a model a human reference such as ``INC0000042`` allocated from a Sequence."""

    reference = models.CharField(_("reference"), max_length=32, unique=True, editable=False, blank=True)

    reference_prefix: ClassVar[str] = ""
    reference_digits: ClassVar[int] = 7

    class Meta:
        abstract = True

    @classmethod
    def format_reference(cls, number: int) -> str:
        return f"{cls.reference_prefix}{number:0{cls.reference_digits}d}"

    @classmethod
    def allocate_references(cls, count: int) -> list[str]:
        last = Sequence.take(cls._meta.label_lower, count)
        return [cls.format_reference(n) for n in range(last - count + 1, last + 1)]

    def validate_unique(self, exclude: Any = None) -> None:
        if not self.reference:  # allocated on save from the sequence: a blank one never clashes
            exclude = {*(exclude or ()), "reference"}
        super().validate_unique(exclude=exclude)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.reference:
            with transaction.atomic(savepoint=False):
                self.reference = self.allocate_references(1)[0]
                super().save(*args, **kwargs)
            return
        super().save(*args, **kwargs)
