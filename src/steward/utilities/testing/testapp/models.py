from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel, WorkflowMixin


class Ticket(WorkflowMixin, StewardModel):
    """A test-only record that follows the ``testapp.ticket`` workflow."""

    title = models.CharField(_("title"), max_length=200)
    priority = models.PositiveSmallIntegerField(_("priority"), default=3)
    resolution_code = models.CharField(_("resolution code"), max_length=50, blank=True)
    frozen = models.BooleanField(_("frozen"), default=False)

    workflow = "testapp.ticket"

    class Meta:
        ordering = ("id",)
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")

    def __str__(self) -> str:
        return self.title
