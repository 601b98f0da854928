"""The organisation's own controls (test once, comply many), their scoping and evidence."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel
from steward.grc.choices import EvidenceKind, ImplementationStatus, ResultStatus
from steward.utilities.choices import ChoiceField


class Control(ReferenceMixin, StewardModel):
    """A control the organisation operates, mapped to requirements of any number of frameworks.

    Its scope (organisations, departments, services) says where it applies; empty means
    everywhere. A tested control's result is inherited by every requirement it maps to in
    an assessment whose scope it covers.
    """

    reference_prefix = "CTL-"
    reference_digits = 4

    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_controls",
        verbose_name=_("owner"),
    )
    implementation_status = ChoiceField(
        _("implementation status"), choices_class=ImplementationStatus, default=ImplementationStatus.PLANNED
    )
    requirements = models.ManyToManyField(
        "grc.Requirement", blank=True, related_name="controls", verbose_name=_("requirements")
    )
    organisations = models.ManyToManyField(
        "org.Organisation", blank=True, related_name="grc_controls", verbose_name=_("organisations")
    )
    departments = models.ManyToManyField(
        "org.Department", blank=True, related_name="grc_controls", verbose_name=_("departments")
    )
    services = models.ManyToManyField(
        "itsm.Service", blank=True, related_name="grc_controls", verbose_name=_("services")
    )
    test_result = ChoiceField(
        _("last test result"), choices_class=ResultStatus, default=ResultStatus.NOT_ASSESSED
    )
    tested_on = models.DateField(_("tested on"), null=True, blank=True)
    test_notes = models.TextField(_("test notes"), blank=True)

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("reference", "id")
        verbose_name = _("control")
        verbose_name_plural = _("controls")

    def __str__(self) -> str:
        return f"{self.reference} {self.name}" if self.reference else self.name

    def clean(self) -> None:
        super().clean()
        if self.test_result != ResultStatus.NOT_ASSESSED and not self.tested_on:
            raise ValidationError({"tested_on": _("Give the date the control was tested.")})


class Scoping(StewardModel):
    """A statement of applicability: a requirement does (not) apply to a unit or service."""

    requirement = models.ForeignKey(
        "grc.Requirement", on_delete=models.CASCADE, related_name="scopings", verbose_name=_("requirement")
    )
    organisation = models.ForeignKey(
        "org.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="grc_scopings",
        verbose_name=_("organisation"),
    )  # fmt: skip
    department = models.ForeignKey(
        "org.Department", on_delete=models.CASCADE, null=True, blank=True, related_name="grc_scopings",
        verbose_name=_("department"),
    )  # fmt: skip
    service = models.ForeignKey(
        "itsm.Service", on_delete=models.CASCADE, null=True, blank=True, related_name="grc_scopings",
        verbose_name=_("service"),
    )  # fmt: skip
    applicable = models.BooleanField(_("applicable"), default=False)
    justification = models.TextField(_("justification"), blank=True)

    class Meta:
        ordering = ("requirement", "id")
        verbose_name = _("scoping decision")
        verbose_name_plural = _("scoping decisions")

    def __str__(self) -> str:
        where = self.organisation or self.department or self.service or _("everywhere")
        verdict = _("applies to") if self.applicable else _("does not apply to")
        return f"{self.requirement.control_id} {verdict} {where}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if sum(1 for v in (self.organisation_id, self.department_id, self.service_id) if v) != 1:
            errors["organisation"] = _("Choose exactly one organisation, department or service.")
        if not self.applicable and not (self.justification or "").strip():
            errors["justification"] = _("Say why the requirement does not apply.")
        if errors:
            raise ValidationError(errors)


class Evidence(StewardModel):
    """Proof that controls work: an attached file, a link, or a captured platform query."""

    name = models.CharField(_("name"), max_length=300)
    kind = ChoiceField(_("kind"), choices_class=EvidenceKind, default=EvidenceKind.LINK)
    link = models.URLField(_("link"), max_length=1000, blank=True)
    query = models.CharField(
        _("query"),
        max_length=100,
        blank=True,
        help_text=_("A registered platform query (automated evidence)."),
    )
    description = models.TextField(_("description"), blank=True)
    controls = models.ManyToManyField(
        Control, blank=True, related_name="evidence", verbose_name=_("controls")
    )
    collected_at = models.DateTimeField(_("collected at"), null=True, blank=True, editable=False)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True, editable=False)
    data = models.JSONField(_("captured data"), default=dict, blank=True, editable=False)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name", "id")
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        from steward.grc.queries import QUERIES

        if self.kind == EvidenceKind.LINK and not self.link:
            raise ValidationError({"link": _("A link needs its URL.")})
        if self.kind == EvidenceKind.AUTOMATED and self.query not in QUERIES:
            raise ValidationError(
                {"query": _("Choose one of the registered queries: %s.") % ", ".join(sorted(QUERIES))}
            )
        if self.kind != EvidenceKind.AUTOMATED and self.query:
            raise ValidationError({"query": _("Only automated evidence runs a query.")})
