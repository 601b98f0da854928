"""Custom fields: extra attributes defined by administrators, stored in one JSON column."""

from __future__ import annotations

import datetime
import decimal
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from steward.core.models.base import RestrictedQuerySet, StewardModel


class CustomFieldType(models.TextChoices):
    TEXT = "text", _("Text")
    LONGTEXT = "longtext", _("Long text")
    INTEGER = "integer", _("Integer")
    DECIMAL = "decimal", _("Decimal")
    BOOLEAN = "boolean", _("Boolean")
    DATE = "date", _("Date")
    DATETIME = "datetime", _("Date and time")
    SELECT = "select", _("Choice")
    MULTISELECT = "multiselect", _("Multiple choice")
    URL = "url", _("URL")
    OBJECT = "object", _("Reference to an object")


name_validator = RegexValidator(r"^[a-z][a-z0-9_]*$", _("Use lower-case letters, digits and underscores."))


_definitions: ContextVar[dict[type[models.Model], list[CustomField]] | None] = ContextVar(
    "steward_custom_field_definitions", default=None
)


class CustomFieldManager(models.Manager.from_queryset(RestrictedQuerySet)):  # type: ignore[misc]
    def for_model(self, model: type[models.Model]) -> list[CustomField]:
        cache = _definitions.get()
        if cache is not None and model in cache:
            return list(cache[model])
        from steward.core import configcache

        def load() -> list[CustomField]:
            content_type = ContentType.objects.get_for_model(model)
            return list(self.filter(object_types=content_type).select_related("related_object_type"))

        fields = configcache.copies(configcache.cached(("core.customfields", model._meta.label_lower), load))
        if cache is not None:
            cache[model] = fields
        return list(fields)

    @contextmanager
    def cached_definitions(self) -> Iterator[None]:
        """Read each model's definitions once inside the block (a bulk import validates thousands
        of rows against the same definitions); nested blocks share the outer cache."""
        token = _definitions.set({}) if _definitions.get() is None else None
        try:
            yield
        finally:
            if token is not None:
                _definitions.reset(token)

    def validate_data(self, model: type[models.Model], data: dict[str, Any]) -> dict[str, str]:
        """Check ``data`` against the model's definitions; return errors keyed ``cf_<name>``."""
        fields = {cf.name: cf for cf in self.for_model(model)}
        errors: dict[str, str] = {}
        for key in data:
            if key not in fields:
                errors[f"cf_{key}"] = str(_("Unknown custom field."))
        for name, cf in fields.items():
            try:
                cf.validate(data.get(name))
            except ValidationError as exc:
                errors[f"cf_{name}"] = "; ".join(exc.messages)
        return errors


class CustomField(StewardModel):
    """The definition of one custom field, attached to one or more models."""

    object_types = models.ManyToManyField(ContentType, related_name="custom_fields", verbose_name=_("models"))
    name = models.CharField(_("name"), max_length=50, unique=True, validators=[name_validator])
    label = models.CharField(_("label"), max_length=100, blank=True)
    type = models.CharField(
        _("type"), max_length=20, choices=CustomFieldType.choices, default=CustomFieldType.TEXT
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    required = models.BooleanField(_("required"), default=False)
    default = models.JSONField(_("default"), null=True, blank=True)
    validation_regex = models.CharField(_("validation regex"), max_length=500, blank=True)
    validation_minimum = models.DecimalField(
        _("minimum"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    validation_maximum = models.DecimalField(
        _("maximum"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    choices = models.JSONField(_("choices"), default=list, blank=True)
    related_object_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referenced model"),
    )
    weight = models.PositiveSmallIntegerField(_("weight"), default=100)

    objects = CustomFieldManager()
    natural_key_fields = ("name",)

    class Meta:
        ordering = ("weight", "name")
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")

    def __str__(self) -> str:
        return self.label or self.name

    def clean(self) -> None:
        super().clean()
        if self.validation_regex:
            try:
                re.compile(self.validation_regex)
            except re.error as exc:
                raise ValidationError(
                    {"validation_regex": _("Invalid regular expression: %s") % exc}
                ) from None
        if self.type in (CustomFieldType.SELECT, CustomFieldType.MULTISELECT):
            if not isinstance(self.choices, list) or not self.choices:
                raise ValidationError({"choices": _("A choice field needs a list of choices.")})
        if self.type == CustomFieldType.OBJECT and not self.related_object_type_id:
            raise ValidationError({"related_object_type": _("Name the model this field refers to.")})
        if self.default is not None:
            try:
                self.validate(self.default)
            except ValidationError as exc:
                raise ValidationError({"default": exc.messages}) from None

    # --- values -----------------------------------------------------------------------------
    def to_python(self, value: Any) -> Any:
        """Convert a raw value (from a form, import cell or API body) to its JSON-stored form."""
        if value in (None, "", []):
            return None
        t = self.type
        try:
            if t == CustomFieldType.INTEGER:
                if isinstance(value, bool):
                    raise ValueError
                number = decimal.Decimal(str(value).strip())
                if number != number.to_integral_value():
                    raise ValueError  # 2.5 is not a whole number; int() would silently drop the .5
                return int(number)
            if t == CustomFieldType.DECIMAL:
                return str(decimal.Decimal(str(value)))
            if t == CustomFieldType.BOOLEAN:
                if isinstance(value, bool):
                    return value
                if str(value).lower() in {"1", "true", "yes", "on"}:
                    return True
                if str(value).lower() in {"0", "false", "no", "off"}:
                    return False
                raise ValueError
            if t == CustomFieldType.DATE:
                if isinstance(value, datetime.date):
                    return value.isoformat()
                parsed = parse_date(str(value))
                if parsed is None:
                    raise ValueError
                return parsed.isoformat()
            if t == CustomFieldType.DATETIME:
                if isinstance(value, datetime.datetime):
                    return value.isoformat()
                parsed_dt = parse_datetime(str(value))
                if parsed_dt is None:
                    raise ValueError
                return parsed_dt.isoformat()
            if t == CustomFieldType.MULTISELECT:
                if isinstance(value, str):
                    value = [v.strip() for v in value.split(",") if v.strip()]
                return list(value)
            if t == CustomFieldType.OBJECT:
                if hasattr(value, "pk"):
                    return value.pk
                return int(value)
        except (ValueError, TypeError, decimal.InvalidOperation):
            raise ValidationError(
                _("“%(value)s” is not a valid %(type)s.") % {"value": value, "type": self.get_type_display()}
            ) from None
        return str(value)

    def validate(self, value: Any) -> None:
        if value in (None, "", []):
            if self.required:
                raise ValidationError(_("This field is required."))
            return
        value = self.to_python(value)
        t = self.type
        if t in (CustomFieldType.INTEGER, CustomFieldType.DECIMAL):
            number = decimal.Decimal(str(value))
            if self.validation_minimum is not None and number < self.validation_minimum:
                raise ValidationError(_("Must be at least %s.") % self.validation_minimum)
            if self.validation_maximum is not None and number > self.validation_maximum:
                raise ValidationError(_("Must be at most %s.") % self.validation_maximum)
        if (
            t in (CustomFieldType.TEXT, CustomFieldType.LONGTEXT, CustomFieldType.URL)
            and self.validation_regex
        ):
            if not re.search(self.validation_regex, value):
                raise ValidationError(_("Must match %s.") % self.validation_regex)
        if t == CustomFieldType.URL:
            URLValidator(schemes=["http", "https"])(value)
        if t == CustomFieldType.SELECT and value not in self.choices:
            raise ValidationError(_("“%s” is not one of the choices.") % value)
        if t == CustomFieldType.MULTISELECT:
            unknown = [v for v in value if v not in self.choices]
            if unknown:
                raise ValidationError(_("Not among the choices: %s.") % ", ".join(unknown))
        if t == CustomFieldType.OBJECT:
            model = self.related_object_type.model_class() if self.related_object_type else None
            if model is None or not model._default_manager.filter(pk=value).exists():
                raise ValidationError(_("No such object: %s.") % value)

    def form_field(self, *, for_filter: bool = False) -> forms.Field:
        required = self.required and not for_filter
        label = self.label or self.name.replace("_", " ").capitalize()
        common: dict[str, Any] = {"required": required, "label": label, "help_text": self.description}
        t = self.type
        if t == CustomFieldType.LONGTEXT and not for_filter:
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
        if t == CustomFieldType.INTEGER:
            return forms.IntegerField(**common)
        if t == CustomFieldType.DECIMAL:
            return forms.DecimalField(**common)
        if t == CustomFieldType.BOOLEAN:
            if for_filter:
                return forms.NullBooleanField(**common)
            return forms.BooleanField(**{**common, "required": False})
        if t == CustomFieldType.DATE:
            return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        if t == CustomFieldType.DATETIME:
            return forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **common)
        if t == CustomFieldType.SELECT:
            return forms.ChoiceField(choices=[("", "---------")] + [(c, c) for c in self.choices], **common)
        if t == CustomFieldType.MULTISELECT:
            return forms.MultipleChoiceField(choices=[(c, c) for c in self.choices], **common)
        if t == CustomFieldType.URL:
            return forms.URLField(assume_scheme="https", **common)
        if t == CustomFieldType.OBJECT and self.related_object_type:
            model = self.related_object_type.model_class()
            return forms.ModelChoiceField(queryset=model._default_manager.all(), **common)
        return forms.CharField(**common)
