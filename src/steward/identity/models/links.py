"""The link between a Steward record and its counterpart in an external directory."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel
from steward.identity.choices import IdentitySource
from steward.utilities.choices import ChoiceField


class ExternalIdentity(StewardModel):
    """One person, team or department as known to SCIM, a directory or an OpenID provider.

    ``subject`` is the counterpart's stable key (an LDAP DN, an OpenID ``sub``); SCIM records
    are keyed by their Steward record and keep the client's ``externalId``. ``attributes``
    holds what the source sent beyond the mapped columns (all e-mail addresses with their
    types, phone numbers…), so a SCIM client reads back exactly what it wrote.
    """

    source = ChoiceField(_("source"), choices_class=IdentitySource)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    external_id = models.CharField(_("external id"), max_length=500, blank=True)
    person = models.ForeignKey(
        "org.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="external_identities",
        verbose_name=_("person"),
    )
    team = models.ForeignKey(
        "org.Team",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="external_identities",
        verbose_name=_("team"),
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="external_identities",
        verbose_name=_("department"),
    )
    directory = models.ForeignKey(
        "identity.LDAPDirectory",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="identities",
        verbose_name=_("directory"),
    )
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    disabled = models.BooleanField(_("disabled at the source"), default=False)
    last_seen = models.DateTimeField(_("last seen"), null=True, blank=True)

    class Meta:
        ordering = ("source", "subject", "id")
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(
                fields=("source", "directory", "subject"),
                condition=~Q(subject=""),
                name="identity_unique_subject",
            ),
            models.UniqueConstraint(
                fields=("source", "person"), condition=Q(source="scim"), name="identity_one_scim_person"
            ),
            models.UniqueConstraint(
                fields=("source", "team"), condition=Q(source="scim"), name="identity_one_scim_team"
            ),
        ]
        indexes = [models.Index(fields=("source", "external_id"))]

    def __str__(self) -> str:
        target = self.person or self.team or self.department
        return f"{self.get_source_display()}: {self.subject or self.external_id or target}"

    def clean(self) -> None:
        super().clean()
        targets = [t for t in (self.person_id, self.team_id, self.department_id) if t]
        if len(targets) != 1:
            raise ValidationError(_("An external identity links exactly one person, team or department."))
