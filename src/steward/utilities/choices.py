"""Choices that carry a colour, and a field that remembers its choices class.

A status badge then looks the same in tables, detail panels and filters::

    class Status(ColourChoices):
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")
        __colours__ = {"active": "green", "retired": "secondary"}
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class ColourChoices(models.TextChoices):
    @classmethod
    def colour(cls, value: Any) -> str:
        return getattr(cls, "__colours__", {}).get(value, "secondary")


class Criticality(ColourChoices):
    """How much the business depends on something (a service, a configuration item): one
    scale across domains, so the same word means the same thing in the CMDB and the desk."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")
    __colours__ = {"low": "secondary", "medium": "blue", "high": "orange", "critical": "red"}


class ChoiceField(models.CharField):
    """A CharField bound to a ColourChoices class; migrations see a plain CharField."""

    def __init__(self, *args: Any, choices_class: type[ColourChoices] | None = None, **kwargs: Any) -> None:
        self.choices_class = choices_class
        if choices_class is not None:
            kwargs.setdefault("choices", choices_class.choices)
        kwargs.setdefault("max_length", 30)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs
