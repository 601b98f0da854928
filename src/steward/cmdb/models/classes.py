"""Configuration item classes (a tree with inherited attribute schemas) and relationship types.

Both are catalogue content: the defaults ship as ``cmdb/data/classes.yaml`` and are loaded by
``services.load_classes``; people may add their own next to them.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from decimal import Decimal, InvalidOperation
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


def _check_value(spec: dict[str, Any], value: Any) -> str | None:  # noqa: C901 - one branch per type
    kind = spec["type"]
    if kind in ("string", "text", "choice", "ip_address", "date") and not isinstance(value, str):
        return "Expected text."
    if kind == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
        return "Expected a whole number."
    if kind == "number":
        if isinstance(value, bool):
            return "Expected a number."
        try:
            value = Decimal(str(value))
        except InvalidOperation:
            return "Expected a number."
        if not value.is_finite():
            return "Expected a number."
    if kind == "boolean" and not isinstance(value, bool):
        return "Expected true or false."
    if kind == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return "Expected a date (YYYY-MM-DD)."
    if kind == "ip_address":
        try:
            ipaddress.ip_address(value)
        except ValueError:
            return "Expected an IPv4 or IPv6 address."
    if kind == "choice" and value not in spec["choices"]:
        return f"Choose one of: {', '.join(map(str, spec['choices']))}."
    if "regex" in spec and isinstance(value, str) and not re.fullmatch(spec["regex"], value):
        return f"Does not match the pattern {spec['regex']}."
    size = len(value) if kind in ("string", "text") else value if kind in ("integer", "number") else None
    if size is not None:
        unit = " characters" if kind in ("string", "text") else ""
        if "min" in spec and size < spec["min"]:
            return f"Must be at least {spec['min']}{unit}."
        if "max" in spec and size > spec["max"]:
            return f"Must be at most {spec['max']}{unit}."
    return None


def validate_attributes(schema: dict[str, dict[str, Any]], data: Any, class_name: str = "") -> dict[str, str]:
    """Check ``data`` against an effective schema; errors keyed ``attributes.<name>``."""
    if not isinstance(data, dict):
        return {"attributes": "Expected an object of attribute name → value."}
    errors: dict[str, str] = {}
    for name, spec in schema.items():
        value = data.get(name)
        if value is None or value == "":
            if spec.get("required"):
                errors[f"attributes.{name}"] = "This attribute is required."
            continue
        problem = _check_value(spec, value)
        if problem:
            errors[f"attributes.{name}"] = problem
    for name in data:
        if name not in schema:
            errors[f"attributes.{name}"] = f"Unknown attribute for class {class_name or 'this class'}."
    return errors


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
