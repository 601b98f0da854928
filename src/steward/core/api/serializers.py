"""Base serializer: custom fields, tags, display text, brief form; Model.clean() enforced."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import (
    ManyRelatedField,
    PKOnlyObject,
    PrimaryKeyRelatedField,
    RelatedField,
    SlugRelatedField,
)
from rest_framework.settings import ISO_8601, api_settings

from steward.core.api.exceptions import validation_detail
from steward.core.forms import set_tags
from steward.core.models import CustomField, Tag


class StewardModelSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    display = serializers.SerializerMethodField()
    custom_fields = serializers.JSONField(source="custom_field_data", required=False)
    tags = serializers.SlugRelatedField(
        many=True, slug_field="slug", queryset=Tag.objects.all(), required=False, source="tag_list"
    )

    class Meta:
        model: type[models.Model]
        fields: Any = "__all__"
        brief_fields: tuple[str, ...] = ("id", "url", "display")
        read_only_fields = ("created", "last_updated")

    def get_fields(self) -> dict[str, serializers.Field]:
        """Fresh copies of the fields built for this class once.

        ModelSerializer otherwise introspects the model and builds every field again on each
        instantiation, a large part of a small request's time.
        """
        return {name: _fresh(field) for name, field in _prototypes(type(self)).items()}

    def build_prototypes(self) -> dict[str, serializers.Field]:
        return super().get_fields()

    def get_validators(self) -> list[Any]:
        """The unique-together and unique-for-date validators, built once per class.

        DRF derives them from the model's constraints and the fields on every instantiation;
        they hold no per-request state (each call is given the serializer).
        """
        validators = _VALIDATORS.get(type(self))
        if validators is None:
            validators = _VALIDATORS[type(self)] = super().get_validators()
        return list(validators)

    def get_url(self, obj: models.Model) -> str | None:
        meta = obj._meta
        view_name = f"api:{meta.app_label}-{meta.model_name}-detail"
        template = _detail_path(view_name, get_urlconf(), get_script_prefix())
        path = template.replace(_PK, str(obj.pk)) if template else reverse(view_name, kwargs={"pk": obj.pk})
        request = self.context.get("request")
        if request is None:
            return path
        origin = self.context.get("_origin")
        if origin is None:
            # Once per response, not per row: the host check behind it is not free.
            origin = self.context["_origin"] = request.build_absolute_uri("/")[:-1]
        return origin + path

    def include_extra_kwargs(self, kwargs: dict[str, Any], extra_kwargs: dict[str, Any]) -> dict[str, Any]:
        keep_blank = bool(extra_kwargs.get("read_only") and kwargs.get("allow_blank") and "choices" in kwargs)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if keep_blank:
            # A read-only choice can still be empty; say so, or the schema's enum forbids "".
            kwargs["allow_blank"] = True
        return kwargs

    def to_internal_value(self, data: Any) -> Any:
        where = _nul_in(data)
        if where is not None:
            # PostgreSQL cannot store NUL in text; refuse it as bad input, naming the field.
            raise serializers.ValidationError({where: ["NUL characters are not allowed."]})
        return super().to_internal_value(data)

    def get_display(self, obj: models.Model) -> str:
        return str(obj)

    #: Use the representation plan (``_plan``); the generic DRF path when False (tests compare).
    fast_representation = True

    def to_representation(self, instance: models.Model) -> dict[str, Any]:
        if "tags" in self.fields and not hasattr(instance, "tag_list"):
            items = getattr(instance, "prefetched_tagged_items", None)
            if items is None:
                items = instance.tagged_items.all()
            instance.tag_list = [item.tag for item in items]
        if not self.fast_representation:
            return super().to_representation(instance)
        plan = self.__dict__.get("_plan")
        if plan is None:
            plan = self.__dict__["_plan"] = _plan(self)
        ret: dict[str, Any] = {}
        zone: Any = _UNSET
        for name, kind, attr, field in plan:
            if kind is _VALUE:
                value = getattr(instance, attr)
                ret[name] = value if value is None else field(value)
            elif kind is _METHOD:
                ret[name] = attr(instance)
            elif kind is _DATETIME:
                value = getattr(instance, attr)
                if value is None:
                    ret[name] = None
                    continue
                if zone is _UNSET:  # DRF's default_timezone(), once per row
                    zone = timezone.get_current_timezone() if settings.USE_TZ else None
                ret[name] = _datetime(field, value, zone)
            elif kind is _SLUGS:
                if instance.pk is None:  # as DRF: an unsaved row has no relations
                    ret[name] = []
                    continue
                related = getattr(instance, attr)
                if hasattr(related, "all"):
                    related = related.all()
                ret[name] = [getattr(item, field) for item in related]
            else:  # anything else: DRF's own per-field steps
                try:
                    attribute = field.get_attribute(instance)
                except SkipField:
                    continue
                check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
                ret[name] = None if check is None else field.to_representation(attribute)
        return ret

    def validate_custom_fields(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise serializers.ValidationError("Expected an object of custom field values.")
        model = self.Meta.model
        definitions = {cf.name: cf for cf in CustomField.objects.for_model(model)}
        if self.instance is None:
            # A new record gets the defaults of the fields the request leaves out.
            merged = {name: cf.default for name, cf in definitions.items() if cf.default is not None}
        else:
            merged = dict(self.instance.custom_field_data or {})
        merged.update(value)
        errors = CustomField.objects.validate_data(model, merged)
        if errors:
            raise serializers.ValidationError(errors)
        return {
            k: definitions[k].to_python(v) for k, v in merged.items() if v is not None and k in definitions
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        model = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        m2m = {f.name for f in model._meta.many_to_many}
        for key, value in attrs.items():
            if key in m2m or key == "tag_list":
                continue
            setattr(instance, key, value)
        if "custom_field_data" not in attrs and self.instance is None:
            defaults = {
                cf.name: cf.default for cf in CustomField.objects.for_model(model) if cf.default is not None
            }
            instance.custom_field_data = defaults
            if defaults:
                attrs["custom_field_data"] = defaults
        self.before_clean(instance, attrs)
        try:
            instance.full_clean(exclude=list(m2m))
        except DjangoValidationError as exc:
            errors: dict[str, list[str]] = {}
            for key, messages in validation_detail(exc).items():
                errors.setdefault("custom_fields" if key.startswith("cf_") else key, []).extend(messages)
            raise serializers.ValidationError(errors) from None
        return attrs

    def before_clean(self, instance: models.Model, attrs: dict[str, Any]) -> None:
        """Hook: prepare the unsaved copy ``validate`` cleans (e.g. with many-to-many values)."""

    def create(self, validated_data: dict[str, Any]) -> models.Model:
        tags = validated_data.pop("tag_list", None)
        with transaction.atomic(savepoint=False):  # the record and its tags, all or nothing
            instance = super().create(validated_data)
            if tags:
                set_tags(instance, tags)
        if not tags:
            instance.tag_list = []  # a new record without tags: no query to show none
        return instance

    def update(self, instance: models.Model, validated_data: dict[str, Any]) -> models.Model:
        tags = validated_data.pop("tag_list", None)
        with transaction.atomic():
            instance = super().update(instance, validated_data)
            if tags is not None:
                set_tags(instance, tags)
        return instance


# --- the representation plan ------------------------------------------------------------------
# DRF turns a row into JSON field by field: ``get_attribute`` then ``to_representation``, each a
# few method calls and checks, for every field of every row of a page (50 rows × 30 fields). For
# the field classes whose steps are known — a plain model column shown as it is or through
# ``str``/``int``/a choice lookup, a foreign key shown as its id, a method field, a date-time in
# ISO 8601, tags as slugs — the plan reads the attribute directly and applies the same
# conversion; every other field (nested serializers, dotted sources, custom fields) still takes
# DRF's path. ``test_list_representation_matches_drf`` (generic API tests) checks the output is
# identical for every registered model.
_VALUE, _METHOD, _DATETIME, _SLUGS, _GENERIC = "value", "method", "datetime", "slugs", "generic"
_UNSET = object()


def _choice(field: serializers.ChoiceField) -> Callable[[Any], Any]:
    lookup = field.choice_strings_to_values

    def convert(value: Any) -> Any:
        if value == "":
            return value
        return lookup.get(str(value), value)

    return convert


def _identity(value: Any) -> Any:
    return value


def _plan_field(serializer: StewardModelSerializer, field: serializers.Field) -> tuple[str, Any, Any]:
    cls = type(field)
    if (
        isinstance(field, serializers.SerializerMethodField)
        and cls.to_representation is serializers.SerializerMethodField.to_representation
        and cls.get_attribute is serializers.Field.get_attribute
    ):
        return _METHOD, getattr(serializer, field.method_name), None
    if field.source == "*" or "." in field.source or cls.get_attribute not in _PLAIN_GETTERS:
        return _GENERIC, None, field
    model = serializer.Meta.model
    try:
        model_field = model._meta.get_field(field.source)
    except FieldDoesNotExist:
        model_field = None
    if isinstance(field, ManyRelatedField):
        child = field.child_relation
        if type(child) is SlugRelatedField and "__" not in child.slug_field:
            return _SLUGS, field.source, child.slug_field
        return _GENERIC, None, field
    if model_field is None or not model_field.concrete:
        return _GENERIC, None, field
    if isinstance(field, PrimaryKeyRelatedField):
        if (
            cls.to_representation is PrimaryKeyRelatedField.to_representation
            and field.pk_field is None
            and model_field.many_to_one
        ):
            return _VALUE, model_field.attname, _identity
        return _GENERIC, None, field
    if model_field.is_relation:
        return _GENERIC, None, field
    convert = _CONVERTERS.get(cls.to_representation)
    if convert is not None:
        if cls.to_representation is serializers.JSONField.to_representation and field.binary:
            return _GENERIC, None, field
        if cls.to_representation is serializers.BigIntegerField.to_representation and getattr(
            field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING
        ):
            return _GENERIC, None, field
        return _VALUE, model_field.attname, convert
    if cls.to_representation is serializers.ChoiceField.to_representation:
        return _VALUE, model_field.attname, _choice(field)
    if cls.to_representation is serializers.BooleanField.to_representation:
        generic = field.to_representation
        return _VALUE, model_field.attname, lambda value: value if type(value) is bool else generic(value)
    if cls.to_representation is serializers.DateTimeField.to_representation and getattr(
        field, "format", api_settings.DATETIME_FORMAT
    ) in (ISO_8601, "iso-8601"):
        return _DATETIME, model_field.attname, field
    return _GENERIC, None, field


_PLANS: dict[tuple[type, tuple[str, ...]], list[tuple[str, str, Any, Any]]] = {}


def _plan(serializer: StewardModelSerializer) -> list[tuple[str, str, Any, Any]]:
    """The serializer's plan: what each field's kind is is worked out once per class (and set
    of fields); only what belongs to this instance (its bound fields, its methods) is filled in."""
    fields = list(serializer._readable_fields)
    key = (type(serializer), tuple(f.field_name for f in fields))
    template = _PLANS.get(key)
    if template is None:
        template = _PLANS[key] = [(f.field_name, *_plan_field(serializer, f)) for f in fields]
    plan = []
    for (name, kind, attr, how), field in zip(template, fields, strict=True):
        if kind is _METHOD:
            plan.append((name, kind, getattr(serializer, field.method_name), None))
        elif kind is _GENERIC or kind is _DATETIME:
            plan.append((name, kind, attr, field))
        else:
            plan.append((name, kind, attr, how))
    return plan


def _datetime(field: serializers.DateTimeField, value: Any, zone: Any) -> Any:
    """DRF's ISO 8601 output of an aware date-time, in the field's time zone or ``zone``."""
    if type(value) is not datetime.datetime or value.tzinfo is None:
        return field.to_representation(value)
    tz = field.timezone if hasattr(field, "timezone") else zone
    if tz is None:
        return field.to_representation(value)
    try:
        text = value.astimezone(tz).isoformat()
    except OverflowError:
        return field.to_representation(value)  # DRF's own error
    return text[:-6] + "Z" if text.endswith("+00:00") else text


_PLAIN_GETTERS = (serializers.Field.get_attribute, RelatedField.get_attribute, ManyRelatedField.get_attribute)
_CONVERTERS: dict[Any, Callable[[Any], Any]] = {
    serializers.CharField.to_representation: str,
    serializers.IntegerField.to_representation: int,
    serializers.BigIntegerField.to_representation: int,
    serializers.JSONField.to_representation: _identity,
    serializers.ReadOnlyField.to_representation: _identity,
}

_PROTOTYPES: dict[type, dict[str, serializers.Field]] = {}
_VALIDATORS: dict[type, list[Any]] = {}
_PK = "steward-pk"


def _prototypes(cls: type[StewardModelSerializer]) -> dict[str, serializers.Field]:
    """The fields of a serializer class, built once (never bound; only copies are used)."""
    fields = _PROTOTYPES.get(cls)
    if fields is None:
        fields = _PROTOTYPES[cls] = cls.__new__(cls).build_prototypes()
    return fields


def field_names(cls: type[serializers.Serializer]) -> frozenset[str]:
    """The names of the fields a serializer class has, without building a serializer."""
    if issubclass(cls, StewardModelSerializer):
        return frozenset(_prototypes(cls))
    return frozenset(cls().fields)


def _fresh(field: serializers.Field) -> serializers.Field:
    """A copy of a prototype field that a serializer can bind and change as its own."""
    if isinstance(field, serializers.BaseSerializer):
        return copy.deepcopy(field)  # nested: its own fields are bound below it
    new = object.__new__(type(field))  # copy.copy, without its pickle-protocol detour
    new.__dict__.update(field.__dict__)
    new.error_messages = dict(field.error_messages)
    if "_validators" in field.__dict__:
        new._validators = list(field._validators)
    for attr in ("child_relation", "child") if isinstance(field, ManyRelatedField) else ("child",):
        child = getattr(field, attr, None)
        if isinstance(child, serializers.Field):
            child = _fresh(child)
            child.source = child._kwargs.get("source")  # unbound again, as __init__ left it
            child.bind(field_name="", parent=new)
            setattr(new, attr, child)
            break
    return new


@cache
def brief_serializer(cls: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The ``?brief=1`` form of a serializer class: its brief fields only (one class per class)."""
    brief_fields = getattr(cls.Meta, "brief_fields", ("id", "url", "display"))
    meta = type("Meta", (cls.Meta,), {"fields": brief_fields})
    return type(f"Brief{cls.__name__}", (cls,), {"Meta": meta})


@cache
def _detail_path(view_name: str, urlconf: Any, prefix: str) -> str | None:
    """The detail path of a view with a placeholder for the key (one reverse per model)."""
    try:
        return reverse(view_name, kwargs={"pk": _PK}, urlconf=urlconf)
    except NoReverseMatch:
        return None


def _nul_in(data: Any, path: str = "") -> str | None:
    """The first field (dotted path) of a request body holding a NUL character, if any."""
    if isinstance(data, str):
        return (path or "non_field_errors") if "\x00" in data else None
    if hasattr(data, "lists"):  # QueryDict from a form or multipart body
        data = {k: v for k, v in data.lists()}
    if isinstance(data, dict):
        for key, value in data.items():
            found = _nul_in(value, path or str(key))
            if found is not None:
                return found
    elif isinstance(data, list):
        for value in data:
            found = _nul_in(value, path)
            if found is not None:
                return found
    return None
