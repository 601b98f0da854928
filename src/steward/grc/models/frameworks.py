"""Frameworks (catalogues of requirements, imported from OSCAL or our YAML library format)
and the requirement tree each holds."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel
from steward.grc.choices import FrameworkSource, RequirementKind
from steward.utilities.choices import ChoiceField


class Framework(StewardModel):
    """A catalogue of requirements: NIST SP 800-53, a baseline of it, ISO 27001, our own.

    ``identifier`` stays the same across versions (the OSCAL title or the library URN), so a
    re-import of a newer version updates this row and its requirements in place.
    """

    name = models.CharField(_("name"), max_length=300)
    identifier = models.CharField(
        _("identifier"),
        max_length=300,
        unique=True,
        help_text=_("Stable across versions: the library URN, or the OSCAL document kind and title."),
    )
    version = models.CharField(_("version"), max_length=100, blank=True)
    source = ChoiceField(_("source"), choices_class=FrameworkSource, default=FrameworkSource.MANUAL)
    source_uuid = models.CharField(_("source UUID"), max_length=64, blank=True)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("based on"),
        help_text=_("The catalog a profile (baseline) selects its controls from."),
    )
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True, editable=False)

    natural_key_fields = ("identifier",)

    class Meta:
        ordering = ("name", "id")
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")

    def __str__(self) -> str:
        return f"{self.name} {self.version}".strip()

    def clean(self) -> None:
        super().clean()
        if self.based_on_id and self.pk and self.based_on_id == self.pk:
            raise ValidationError({"based_on": _("A framework cannot be based on itself.")})


class Requirement(StewardModel):
    """One node of a framework's tree: a group, a control or a control enhancement."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("framework")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    control_id = models.CharField(_("control id"), max_length=100)
    kind = ChoiceField(_("kind"), choices_class=RequirementKind, default=RequirementKind.CONTROL)
    label = models.CharField(_("label"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=500)
    statement = models.TextField(_("statement"), blank=True)
    guidance = models.TextField(_("guidance"), blank=True)
    parameters = models.JSONField(_("parameters"), default=list, blank=True)
    parts = models.JSONField(
        _("OSCAL parts"), default=list, blank=True, editable=False,
        help_text=_("The control's parts as the catalog wrote them, so profiles can alter them."),
    )  # fmt: skip
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    withdrawn = models.BooleanField(
        _("withdrawn"),
        default=False,
        db_index=True,
        help_text=_("No longer in the framework's current version."),
    )

    natural_key_fields = ("framework", "control_id")

    class Meta:
        ordering = ("framework", "sort_order", "id")
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        constraints = [
            models.UniqueConstraint(fields=("framework", "control_id"), name="grc_requirement_unique_id")
        ]

    def __str__(self) -> str:
        return f"{self.label or self.control_id} {self.title}"

    @property
    def assessable(self) -> bool:
        return self.kind != RequirementKind.GROUP

    def clean(self) -> None:
        super().clean()
        if self.parent_id and self.framework_id and self.parent.framework_id != self.framework_id:
            raise ValidationError({"parent": _("The parent must belong to the same framework.")})
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A requirement cannot be inside itself.")})
