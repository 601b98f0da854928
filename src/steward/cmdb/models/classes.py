"""Configuration item classes (a tree with inherited attribute schemas) and relationship types.

Both are catalogue content: the defaults ship as ``cmdb/data/classes.yaml`` and are loaded by
``services.load_classes``; people may add their own next to them.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel

ATTRIBUTE_TYPES = ("string", "text", "integer", "number", "boolean", "date", "choice", "ip_address")
SPEC_KEYS = {"type", "label", "required", "choices", "regex", "min", "max", "help"}
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


def check_schema(schema: Any) -> list[str]:
    """Problems with an attribute schema definition (empty when it is well formed)."""
    if not isinstance(schema, dict):
        return ["The schema must be an object of attribute name → definition."]
    problems = []
    for name, spec in schema.items():
        if not NAME_RE.match(str(name)):
            problems.append(f"{name}: names are lower-case letters, digits and _ (at most 50).")
            continue
        if not isinstance(spec, dict):
            problems.append(f"{name}: the definition must be an object.")
            continue
        unknown = set(spec) - SPEC_KEYS
        if unknown:
            problems.append(f"{name}: unknown keys {', '.join(sorted(unknown))}.")
        kind = spec.get("type")
        if kind not in ATTRIBUTE_TYPES:
            problems.append(f"{name}: type must be one of {', '.join(ATTRIBUTE_TYPES)}.")
        if kind == "choice" and not (
            isinstance(spec.get("choices"), list) and spec["choices"] and all(spec["choices"])
        ):
            problems.append(f"{name}: a choice attribute needs a non-empty list of choices.")
        if "regex" in spec:
            try:
                re.compile(spec["regex"])
            except (re.error, TypeError):
                problems.append(f"{name}: the regex does not compile.")
        for bound in ("min", "max"):
            if bound in spec and (isinstance(spec[bound], bool) or not isinstance(spec[bound], int | float)):
                problems.append(f"{name}: {bound} must be a number.")
        if "required" in spec and not isinstance(spec["required"], bool):
            problems.append(f"{name}: required must be true or false.")
    return problems


TEXT_KINDS = frozenset({"string", "text", "choice", "ip_address", "date"})


def _expect_text(value: Any) -> str | None:
    return None if isinstance(value, str) else "Expected text."


def _expect_integer(value: Any) -> str | None:
    return "Expected a whole number." if isinstance(value, bool) or not isinstance(value, int) else None


def _as_number(value: Any) -> Decimal | None:
    """``value`` as a finite Decimal (a number or its text), None when it is not one."""
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _expect_number(value: Any) -> str | None:
    return None if _as_number(value) is not None else "Expected a number."


def _expect_boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "Expected true or false."


def _expect_date(value: str) -> str | None:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return "Expected a date (YYYY-MM-DD)."
    return None


def _expect_ip(value: str) -> str | None:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return "Expected an IPv4 or IPv6 address."
    return None


_TYPE_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "integer": _expect_integer,
    "number": _expect_number,
    "boolean": _expect_boolean,
}


def _value_check(spec: dict[str, Any]) -> Callable[[Any], str | None]:  # noqa: C901 - one step per rule
    """One attribute's definition compiled into its checks, in the order the rules are told.

    The value is known to be neither None nor "" (the caller handles required). The result is
    the first rule's message that the value breaks, or None.
    """
    kind = spec["type"]
    steps: list[Callable[[Any], str | None]] = []
    if kind in TEXT_KINDS:
        steps.append(_expect_text)
    if kind in _TYPE_CHECKS:
        steps.append(_TYPE_CHECKS[kind])
    if kind == "date":
        steps.append(_expect_date)
    elif kind == "ip_address":
        steps.append(_expect_ip)
    elif kind == "choice":
        choices, told = spec["choices"], f"Choose one of: {', '.join(map(str, spec['choices']))}."
        steps.append(lambda value: None if value in choices else told)
    if "regex" in spec:
        try:
            fullmatch = re.compile(spec["regex"]).fullmatch
        except (re.error, TypeError):  # a schema saved unchecked: fails when a value meets it, as before
            fullmatch = partial(re.fullmatch, spec["regex"])
        told_pattern = f"Does not match the pattern {spec['regex']}."
        steps.append(lambda value: told_pattern if isinstance(value, str) and not fullmatch(value) else None)
    size: Callable[[Any], Any] | None = {
        "string": len,
        "text": len,
        "integer": int,
        "number": _as_number,
    }.get(kind)
    if size is not None and ("min" in spec or "max" in spec):
        unit = " characters" if kind in ("string", "text") else ""
        has_low, has_high, low, high = "min" in spec, "max" in spec, spec.get("min"), spec.get("max")
        too_low, too_high = f"Must be at least {low}{unit}.", f"Must be at most {high}{unit}."

        def within(value: Any) -> str | None:
            measure = size(value)
            if has_low and measure < low:
                return too_low
            if has_high and measure > high:
                return too_high
            return None

        steps.append(within)
    if len(steps) == 1:
        return steps[0]

    def check(value: Any) -> str | None:
        for step in steps:
            problem = step(value)
            if problem:
                return problem
        return None

    return check


class AttributeRules:
    """An effective attribute schema compiled once: ``check(data)`` names what breaks it.

    Saving one item checks its attributes once, but an importer checks thousands of rows of the
    same few classes: each definition is turned into its list of checks (type, format, choice,
    pattern, bounds) up front instead of being read again, key by key, for every value.
    """

    def __init__(self, schema: dict[str, dict[str, Any]], class_name: str = "") -> None:
        self.names = frozenset(schema)
        self.unknown = f"Unknown attribute for class {class_name or 'this class'}."
        self.checks = tuple(
            (name, f"attributes.{name}", bool(spec.get("required")), _value_check(spec))
            for name, spec in schema.items()
        )

    def check(self, data: Any) -> dict[str, str]:
        """Errors keyed ``attributes.<name>`` (``attributes`` when ``data`` is not an object)."""
        if not isinstance(data, dict):
            return {"attributes": "Expected an object of attribute name → value."}
        errors: dict[str, str] = {}
        for name, key, required, check in self.checks:
            value = data.get(name)
            if value is None or value == "":
                if required:
                    errors[key] = "This attribute is required."
                continue
            problem = check(value)
            if problem:
                errors[key] = problem
        if not self.names.issuperset(data):
            for name in data:
                if name not in self.names:
                    errors[f"attributes.{name}"] = self.unknown
        return errors


def validate_attributes(schema: dict[str, dict[str, Any]], data: Any, class_name: str = "") -> dict[str, str]:
    """Check ``data`` against an effective schema; errors keyed ``attributes.<name>``."""
    return AttributeRules(schema, class_name).check(data)


class CIClass(StewardModel):
    """A kind of configuration item (server, database…), inheriting its parent's attributes."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    abstract = models.BooleanField(
        _("abstract"), default=False, help_text=_("Groups other classes; no item can be of this class.")
    )
    icon = models.CharField(_("icon"), max_length=50, blank=True, help_text=_("A Tabler icon name."))
    attribute_schema = models.JSONField(
        _("attribute schema"),
        default=dict,
        blank=True,
        help_text=_(
            'Attributes this class adds: {"os": {"type": "string", "required": true}}. Types: '
            "string, text, integer, number, boolean, date, choice (with choices), ip_address; "
            "optional regex, min and max."
        ),
    )
    builtin = models.BooleanField(
        _("built in"),
        default=False,
        editable=False,
        help_text=_("Shipped with Steward; updated by the loader."),
    )
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("slug",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("CI class")
        verbose_name_plural = _("CI classes")

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[CIClass]:
        """Root first, without this class; stops at a cycle rather than looping."""
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return list(reversed(chain))

    def effective_schema(self) -> dict[str, dict[str, Any]]:
        """Own attributes over inherited ones (a subclass may redefine an attribute)."""
        schema: dict[str, dict[str, Any]] = {}
        for cls in [*self.ancestors(), self]:
            schema.update(cls.attribute_schema or {})
        return schema

    def attribute_rules(self) -> AttributeRules:
        """The effective schema compiled for checking item attributes (see ``AttributeRules``)."""
        return AttributeRules(self.effective_schema(), str(self))

    def clean(self) -> None:
        super().clean()
        problems = check_schema(self.attribute_schema)
        if problems:
            raise ValidationError({"attribute_schema": problems})
        node, seen = self.parent, set()
        while node is not None and node.pk not in seen:
            if self.pk is not None and node.pk == self.pk:
                raise ValidationError({"parent": _("A class cannot be inside itself.")})
            seen.add(node.pk)
            node = node.parent


class RelationshipType(StewardModel):
    """A directed kind of link between items, read forwards ("runs on") and backwards ("runs")."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_('Forward label: "runs on".'))
    reverse_name = models.CharField(_("reverse name"), max_length=100, help_text=_('Backward label: "runs".'))
    builtin = models.BooleanField(_("built in"), default=False, editable=False)
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("slug",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("relationship type")
        verbose_name_plural = _("relationship types")

    def __str__(self) -> str:
        return self.name
