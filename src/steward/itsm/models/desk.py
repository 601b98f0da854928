"""Service desk configuration: assignment rules that route new incidents, canned responses."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel
from steward.itsm.choices import AssignmentMethod, NoteKind, Priority
from steward.utilities.choices import ChoiceField

#: What a canned response may quote: ``{{ incident.reference }}``, ``{{ caller.first_name }}``…
PLACEHOLDER_ROOTS = ("incident", "caller", "agent", "team")
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_]\w*(?:\.\w+)*)\s*\}\}")


class AssignmentRule(StewardModel):
    """Routes a new incident to a team (and one of its members) when its conditions match.

    Conditions left empty match anything; the enabled rule with the lowest ``order`` that
    matches wins. ``method`` picks the assignee among the team's active members — only those
    holding ``required_skill`` at ``required_level`` or above when the rule names a skill.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    order = models.PositiveIntegerField(_("order"), default=100, help_text=_("Lower runs first."))
    category = models.CharField(
        _("category"), max_length=100, blank=True, help_text=_("Matches the incident's category (any case).")
    )
    service = models.ForeignKey(
        "itsm.Service",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignment_rules",
        verbose_name=_("service"),
    )
    priorities = models.JSONField(
        _("priorities"), default=list, blank=True, help_text=_('e.g. ["1", "2"]; empty matches any.')
    )
    team = models.ForeignKey(
        "org.Team", on_delete=models.CASCADE, related_name="assignment_rules", verbose_name=_("team")
    )
    method = ChoiceField(_("assignee"), choices_class=AssignmentMethod, default=AssignmentMethod.TEAM)
    required_skill = models.ForeignKey(
        "talent.Skill",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignment_rules",
        verbose_name=_("required skill"),
        help_text=_("Only team members holding this skill at the required level are picked."),
    )
    required_level = models.PositiveSmallIntegerField(
        _("required level"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, _("The level must be between 1 and 7.")),
            MaxValueValidator(7, _("The level must be between 1 and 7.")),
        ],
        help_text=_("1 (aware) to 7 (sets direction)."),
    )
    last_assignee = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("last assignee"),
    )
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("order", "name")
        verbose_name = _("assignment rule")
        verbose_name_plural = _("assignment rules")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.priorities in (None, ""):  # a form's empty JSON field
            self.priorities = []
        if not isinstance(self.priorities, list) or any(
            str(p) not in Priority.values for p in self.priorities
        ):
            raise ValidationError({"priorities": _('A list of priorities among 1-5, e.g. ["1", "2"].')})
        self.priorities = sorted({str(p) for p in self.priorities})
        self.category = self.category.strip()
        if self.required_skill_id and not self.required_level:
            raise ValidationError({"required_level": _("Give the level the required skill is needed at.")})
        if self.required_level and not self.required_skill_id:
            raise ValidationError({"required_skill": _("A required level needs a required skill.")})
        if self.required_skill_id and self.method == AssignmentMethod.TEAM:
            raise ValidationError(
                {"method": _("Routing by skill picks a member: choose least loaded or round-robin.")}
            )

    def matches(self, incident: models.Model) -> bool:
        if self.category and self.category.casefold() != (incident.category or "").casefold():
            return False
        if self.service_id and self.service_id != incident.service_id:
            return False
        return not self.priorities or incident.priority in self.priorities


class CannedResponse(StewardModel):
    """A reusable note text; ``{{ incident.reference }}`` and similar placeholders are filled in."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = ChoiceField(_("kind"), choices_class=NoteKind, default=NoteKind.COMMENT)
    team = models.ForeignKey(
        "org.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="canned_responses",
        verbose_name=_("team"),
        help_text=_("Offered to this team's incidents only; empty for everyone."),
    )
    body = models.TextField(
        _("text"),
        help_text=_(
            "Markdown. Placeholders: {{ incident.reference }}, {{ incident.short_description }}, "
            "{{ caller.first_name }}, {{ agent.name }}, {{ team.name }}…"
        ),
    )

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("canned response")
        verbose_name_plural = _("canned responses")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        text = self.body or ""
        for match in _PLACEHOLDER.finditer(text):
            if match.group(1).split(".", 1)[0] not in PLACEHOLDER_ROOTS:
                raise ValidationError(
                    {"body": _("Unknown placeholder “%(p)s”; start with one of: %(roots)s.")
                     % {"p": match.group(1), "roots": ", ".join(PLACEHOLDER_ROOTS)}}
                )  # fmt: skip
        rest = _PLACEHOLDER.sub("", text)
        if "{{" in rest or "}}" in rest:
            raise ValidationError({"body": _("Write placeholders as {{ incident.reference }}.")})
