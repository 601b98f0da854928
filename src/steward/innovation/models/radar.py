"""The technology radar: quadrants (data), entries in rings, their movements and dated editions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel
from steward.innovation.choices import Ring
from steward.utilities.choices import ChoiceField


class RadarQuadrant(StewardModel):
    """One of the radar's four sectors; names are data (techniques, tools, platforms, languages…).

    Quadrants that share a position share its sector (their names are joined in the label).
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(
        _("position"), validators=[MaxValueValidator(3)],
        help_text=_("Sector: 0 top right, 1 top left, 2 bottom left, 3 bottom right."),
    )  # fmt: skip
    description = models.CharField(_("description"), max_length=300, blank=True)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("position", "name")
        verbose_name = _("radar quadrant")
        verbose_name_plural = _("radar quadrants")

    def __str__(self) -> str:
        return self.name


class RadarEntry(StewardModel):
    """A technology (blip) on the radar: its quadrant, its ring and who looks after it.

    The ring changes only through a ``RadarMovement`` (so every change carries a date and a
    rationale); the entry's form sets it once, on creation.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    quadrant = models.ForeignKey(
        RadarQuadrant, on_delete=models.PROTECT, related_name="entries", verbose_name=_("quadrant")
    )
    ring = ChoiceField(_("ring"), choices_class=Ring, default=Ring.ASSESS)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    owner = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="radar_entries",
        verbose_name=_("owner"),
    )  # fmt: skip
    software_products = models.ManyToManyField(
        "cmdb.SoftwareProduct", blank=True, related_name="radar_entries", verbose_name=_("software products"),
        help_text=_("CMDB products whose installations show how far the technology is actually adopted."),
    )  # fmt: skip

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("quadrant__position", "name")
        verbose_name = _("radar entry")
        verbose_name_plural = _("radar entries")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        loaded = getattr(self, "_loaded_values", {}).get("ring")
        if self.pk and loaded and loaded != self.ring and not getattr(self, "_moving", False):
            raise ValidationError(
                {"ring": _("Record a movement to change the ring, so its date and rationale are kept.")}
            )


class RadarMovement(StewardModel):
    """A ring change of an entry, dated and explained; saving one moves the entry."""

    entry = models.ForeignKey(
        RadarEntry, on_delete=models.CASCADE, related_name="movements", verbose_name=_("entry")
    )
    date = models.DateField(_("date"), default=dt.date.today)
    from_ring = ChoiceField(_("from ring"), choices_class=Ring, blank=True, editable=False)
    to_ring = ChoiceField(_("to ring"), choices_class=Ring)
    rationale = models.TextField(_("rationale"))

    class Meta:
        ordering = ("-date", "-id")
        verbose_name = _("radar movement")
        verbose_name_plural = _("radar movements")

    def __str__(self) -> str:
        return f"{self.entry}: {self.get_from_ring_display() or '—'} → {self.get_to_ring_display()} ({self.date})"

    def clean(self) -> None:
        super().clean()
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("A movement cannot be dated in the future.")})
        if self.entry_id and self.to_ring and self._state.adding and self.entry.ring == self.to_ring:
            raise ValidationError(
                {"to_ring": _("The entry is already in %(ring)s.") % {"ring": self.get_to_ring_display()}}
            )
        if not (self.rationale or "").strip():
            raise ValidationError({"rationale": _("Say why the entry moves.")})

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            if self._state.adding:
                entry = RadarEntry.objects.select_for_update().get(pk=self.entry_id)
                self.from_ring = entry.ring
                super().save(*args, **kwargs)
                if entry.ring != self.to_ring:
                    entry.ring, entry._moving = self.to_ring, True
                    entry.save()
            else:
                super().save(*args, **kwargs)


class RadarEdition(StewardModel):
    """The radar as published on a date: a frozen snapshot of every entry's quadrant and ring."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    date = models.DateField(_("date"), default=dt.date.today)
    notes = models.TextField(_("notes"), blank=True, help_text=_("Markdown."))
    snapshot = models.JSONField(_("snapshot"), default=list, blank=True, editable=False)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("-date", "name")
        verbose_name = _("radar edition")
        verbose_name_plural = _("radar editions")

    def __str__(self) -> str:
        return f"{self.name} ({self.date})"

    def save(self, *args, **kwargs) -> None:
        if self._state.adding and not self.snapshot:
            from steward.innovation.services import snapshot

            self.snapshot = snapshot(self.date)
        super().save(*args, **kwargs)
