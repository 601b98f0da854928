"""Choices of the sourcing records (vendors, contracts, licences, purchasing), with badge colours."""

from django.utils.translation import gettext_lazy as _

from steward.utilities.choices import ColourChoices


class VendorKind(ColourChoices):
    MANUFACTURER = "manufacturer", _("Manufacturer")
    RESELLER = "reseller", _("Reseller")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    CLOUD = "cloud", _("Cloud provider")
    __colours__ = {"manufacturer": "blue", "reseller": "cyan", "service_provider": "purple", "cloud": "teal"}


class VendorStatus(ColourChoices):
    PROSPECT = "prospect", _("Prospect")
    ACTIVE = "active", _("Active")
    ON_HOLD = "on_hold", _("On hold")
    RETIRED = "retired", _("Retired")
    __colours__ = {"prospect": "secondary", "active": "green", "on_hold": "orange", "retired": "dark"}


class RiskTier(ColourChoices):
    """How much the organisation depends on a vendor, from vendor risk assessment."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")
    __colours__ = {"low": "green", "medium": "yellow", "high": "orange", "critical": "red"}


class ContractKind(ColourChoices):
    SUPPORT = "support", _("Support and maintenance")
    LICENCE = "licence", _("Software licence")
    LEASE = "lease", _("Lease")
    SAAS = "saas", _("SaaS subscription")
    SERVICE = "service", _("Service")
    __colours__ = {
        "support": "blue",
        "licence": "purple",
        "lease": "orange",
        "saas": "teal",
        "service": "cyan",
    }


class NoticeKind(ColourChoices):
    """Which contract date a renewal event announced."""

    NOTICE = "notice", _("Notice deadline")
    EXPIRY = "expiry", _("Expiry")
    __colours__ = {"notice": "orange", "expiry": "red"}


class LicenceMetric(ColourChoices):
    """What one licence unit entitles: a named user, a device, a processor core, a subscription seat."""

    USER = "user", _("Per user")
    DEVICE = "device", _("Per device")
    CORE = "core", _("Per core")
    SUBSCRIPTION = "subscription", _("Subscription (per user seat)")
    __colours__ = {"user": "blue", "device": "cyan", "core": "purple", "subscription": "teal"}


class LicencePosition(ColourChoices):
    COMPLIANT = "compliant", _("Compliant")
    UNDER = "under", _("Under-licensed")
    OVER = "over", _("Over-licensed")
    __colours__ = {"compliant": "green", "under": "red", "over": "yellow"}
