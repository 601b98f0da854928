"""Lifecycle notices: which item milestone has already raised its lifecycle-window event."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.cmdb.choices import Milestone
from steward.utilities.choices import ChoiceField


class LifecycleNotice(models.Model):
    """Bookkeeping of ``cmdb.item.lifecycle_window``: one row per item, milestone and date.

    The periodic job raises the event only for milestones without a row, so it is idempotent;
    a moved date (a warranty extended) is a new milestone and is announced again when it nears.
    """

    configuration_item = models.ForeignKey(
        "cmdb.ConfigurationItem",
        on_delete=models.CASCADE,
        related_name="lifecycle_notices",
        verbose_name=_("configuration item"),
    )
    milestone = ChoiceField(_("milestone"), choices_class=Milestone, max_length=20)
    date = models.DateField(_("date"))
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True)

    class Meta:
        ordering = ("date", "id")
        verbose_name = _("lifecycle notice")
        verbose_name_plural = _("lifecycle notices")
        constraints = [
            models.UniqueConstraint(
                fields=("configuration_item", "milestone", "date"), name="cmdb_lifecycle_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_milestone_display()} {self.date} of {self.configuration_item_id}"
