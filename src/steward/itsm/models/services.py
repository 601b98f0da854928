"""The service catalogue's backbone: business and technical services and their offerings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel
from steward.itsm.choices import Criticality, LifecycleStatus, ServiceKind
from steward.utilities.choices import ChoiceField


class Service(StewardModel):
    """A service IT provides: what incidents, problems and changes are about.

    ``configuration_items`` are the CMDB items the service runs on (its service map's roots).
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = ChoiceField(_("kind"), choices_class=ServiceKind, default=ServiceKind.BUSINESS)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_services",
        verbose_name=_("owner"),
    )
    support_team = models.ForeignKey(
        "org.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supported_services",
        verbose_name=_("support team"),
    )
    criticality = ChoiceField(_("criticality"), choices_class=Criticality, default=Criticality.MEDIUM)
    status = ChoiceField(_("lifecycle status"), choices_class=LifecycleStatus, default=LifecycleStatus.LIVE)
    default_sla_policy = models.ForeignKey(
        "itsm.SLAPolicy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="default_for_services",
        verbose_name=_("default SLA policy"),
    )
    business_calendar = models.ForeignKey(
        "org.BusinessCalendar",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("business calendar"),
    )
    configuration_items = models.ManyToManyField(
        "cmdb.ConfigurationItem", blank=True, related_name="services", verbose_name=_("configuration items")
    )

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name


class ServiceOffering(StewardModel):
    """A packaged variant of a service (e.g. "Email – standard mailbox") with its own support."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="offerings", verbose_name=_("service")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = ChoiceField(_("lifecycle status"), choices_class=LifecycleStatus, default=LifecycleStatus.LIVE)
    support_team = models.ForeignKey(
        "org.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supported_offerings",
        verbose_name=_("support team"),
    )
    default_sla_policy = models.ForeignKey(
        "itsm.SLAPolicy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="default_for_offerings",
        verbose_name=_("default SLA policy"),
    )

    natural_key_fields = ("service", "name")

    class Meta:
        ordering = ("service__name", "name", "id")
        verbose_name = _("service offering")
        verbose_name_plural = _("service offerings")
        constraints = [models.UniqueConstraint(fields=("service", "name"), name="itsm_offering_unique")]

    def __str__(self) -> str:
        return f"{self.service} – {self.name}"
