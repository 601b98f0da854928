"""Advisories (CVE, GHSA, OSV…) and the package versions they affect."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.cmdb.choices import Ecosystem
from steward.core.models import StewardModel
from steward.security import ranges as osv_ranges
from steward.security import scoring as cvss_scoring
from steward.security.choices import SEVERITY_ORDER, AdvisorySource, Severity
from steward.utilities.choices import ChoiceField


class Advisory(StewardModel):
    """A published vulnerability: its identifiers, description, scores and references.

    ``identifier`` is the id the record was published under (``PYSEC-2023-192``,
    ``CVE-2024-3094``, ``GHSA-…``); ``aliases`` are the same vulnerability's other ids, so a
    re-import under any of them updates this row instead of duplicating it.
    """

    identifier = models.CharField(_("identifier"), max_length=100, unique=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    source = ChoiceField(_("source"), choices_class=AdvisorySource, default=AdvisorySource.MANUAL, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    details = models.TextField(_("details"), blank=True)
    severity = ChoiceField(
        _("severity"),
        choices_class=Severity,
        default=Severity.UNKNOWN,
        blank=True,
        db_index=True,
        help_text=_("Derived from the CVSS scores when a vector is given."),
    )
    cvss3_vector = models.CharField(_("CVSS 3.1 vector"), max_length=200, blank=True)
    cvss3_score = models.DecimalField(
        _("CVSS 3.1 base score"), max_digits=3, decimal_places=1, null=True, blank=True, editable=False
    )
    cvss4_vector = models.CharField(_("CVSS 4.0 vector"), max_length=300, blank=True)
    cvss4_score = models.DecimalField(
        _("CVSS 4.0 base score"), max_digits=3, decimal_places=1, null=True, blank=True, editable=False
    )
    known_exploited = models.BooleanField(
        _("known exploited"), default=False, db_index=True, help_text=_("Exploited in the wild (e.g. KEV).")
    )
    published = models.DateTimeField(_("published"), null=True, blank=True)
    modified = models.DateTimeField(_("modified"), null=True, blank=True)
    withdrawn = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    references = models.JSONField(
        _("references"), default=list, blank=True, help_text=_('A list of {"type": …, "url": …}.')
    )

    natural_key_fields = ("identifier",)

    class Meta:
        ordering = ("-published", "identifier")
        verbose_name = _("advisory")
        verbose_name_plural = _("advisories")

    def __str__(self) -> str:
        return f"{self.identifier} {self.summary}".strip()[:200]

    @property
    def score(self) -> Decimal | None:
        """The score that sets the severity: CVSS 4.0 when given, else 3.1."""
        return self.cvss4_score if self.cvss4_score is not None else self.cvss3_score

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        self.identifier = (self.identifier or "").strip()
        self.source = self.source or AdvisorySource.MANUAL
        self.severity = self.severity or Severity.UNKNOWN
        aliases = self.aliases if self.aliases not in (None, "") else []
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            errors["aliases"] = _("Give a list of identifiers.")
        else:
            self.aliases = sorted({a.strip() for a in aliases} - {self.identifier})
        self.references = self.references if self.references not in (None, "") else []
        refs = self.references if self.references not in (None, "") else []
        if not isinstance(refs, list):
            errors["references"] = _('Give a list of {"type": …, "url": …}.')
        else:
            for i, ref in enumerate(refs):
                if not isinstance(ref, dict) or not str(ref.get("url", "")).startswith(
                    ("http://", "https://")
                ):
                    errors["references"] = _("references[%(i)s]: needs an http(s) url.") % {"i": i}
                    break
        for fname, version in (("cvss3_vector", "3"), ("cvss4_vector", "4")):
            vector = (getattr(self, fname) or "").strip()
            setattr(self, fname, vector)
            if vector:
                try:
                    cvss_scoring.score(vector, expect=version)
                except cvss_scoring.CVSSError as exc:
                    errors[fname] = str(exc)
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.derive_scores()
        super().save(*args, **kwargs)

    def derive_scores(self) -> None:
        """Scores and the severity follow the vectors on every path (form, API, import, service)."""
        self.cvss3_score = cvss_scoring.score(self.cvss3_vector, expect="3")[0] if self.cvss3_vector else None
        self.cvss4_score = cvss_scoring.score(self.cvss4_vector, expect="4")[0] if self.cvss4_vector else None
        if self.score is not None:
            self.severity = cvss_scoring.severity_for(self.score)


class AffectedPackage(StewardModel):
    """One package an advisory affects, with OSV version ranges and/or explicit versions.

    ``ranges`` keeps the OSV form (``[{"type": "ECOSYSTEM", "events": [{"introduced": "0"},
    {"fixed": "1.2.5"}]}]``); ``intervals`` is derived from it on save with the ecosystem's
    version order, and is what matching reads.
    """

    advisory = models.ForeignKey(
        Advisory, on_delete=models.CASCADE, related_name="affected_packages", verbose_name=_("advisory")
    )
    ecosystem = ChoiceField(_("ecosystem"), choices_class=Ecosystem, default=Ecosystem.GENERIC)
    osv_ecosystem = models.CharField(
        _("OSV ecosystem"), max_length=100, blank=True, help_text=_("As published, e.g. Debian:12 or PyPI.")
    )
    name = models.CharField(_("package name"), max_length=200)
    purl = models.CharField(_("package URL"), max_length=300, blank=True)
    ranges = models.JSONField(_("ranges"), default=list, blank=True)
    versions = models.JSONField(_("affected versions"), default=list, blank=True)
    intervals = models.JSONField(_("intervals"), default=list, blank=True, editable=False)

    class Meta:
        ordering = ("advisory", "ecosystem", "name", "id")
        verbose_name = _("affected package")
        verbose_name_plural = _("affected packages")
        indexes = [models.Index(fields=("ecosystem", "name"), name="security_affected_eco_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.osv_ecosystem or self.get_ecosystem_display()})"

    @property
    def matchable(self) -> bool:
        """Whether installations can be matched: a generic entry only when typed in by hand."""
        return self.ecosystem != Ecosystem.GENERIC or not self.osv_ecosystem

    @property
    def fixed_versions(self) -> list[str]:
        return [i[2] for i in self.intervals or [] if i[2]]

    def clean(self) -> None:
        super().clean()
        from steward.security.versions import normalise_name

        self.name = normalise_name(self.ecosystem, self.name or "")
        self.ranges = self.ranges if self.ranges not in (None, "") else []
        self.versions = self.versions if self.versions not in (None, "") else []
        if not self.name:
            raise ValidationError({"name": _("Name the package.")})
        try:
            self.intervals = osv_ranges.intervals(self.ecosystem, self.ranges, self.versions)
        except osv_ranges.RangeError as exc:
            raise ValidationError({exc.field: str(exc)}) from None

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.intervals and self.ranges:
            self.intervals = osv_ranges.intervals(self.ecosystem, self.ranges, self.versions)
        super().save(*args, **kwargs)


def worse(a: str, b: str) -> str:
    """The more severe of two severities."""
    return a if SEVERITY_ORDER.index(a) <= SEVERITY_ORDER.index(b) else b
