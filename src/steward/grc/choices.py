"""Choices of the GRC app; each carries the colour its badge shows everywhere."""

from django.utils.translation import gettext_lazy as _

from steward.utilities.choices import ColourChoices


class FrameworkSource(ColourChoices):
    OSCAL_CATALOG = "oscal-catalog", _("OSCAL catalog")
    OSCAL_PROFILE = "oscal-profile", _("OSCAL profile")
    LIBRARY = "library", _("Steward library")
    MANUAL = "manual", _("Entered by hand")
    __colours__ = {
        "oscal-catalog": "blue",
        "oscal-profile": "indigo",
        "library": "purple",
        "manual": "secondary",
    }


class RequirementKind(ColourChoices):
    GROUP = "group", _("Group")
    CONTROL = "control", _("Control")
    ENHANCEMENT = "enhancement", _("Control enhancement")
    __colours__ = {"group": "secondary", "control": "blue", "enhancement": "cyan"}


class ResultStatus(ColourChoices):
    COMPLIANT = "compliant", _("Compliant")
    PARTIAL = "partially_compliant", _("Partially compliant")
    NON_COMPLIANT = "non_compliant", _("Non-compliant")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    NOT_ASSESSED = "not_assessed", _("Not assessed")
    __colours__ = {
        "compliant": "green",
        "partially_compliant": "yellow",
        "non_compliant": "red",
        "not_applicable": "secondary",
        "not_assessed": "muted",
    }


#: The score a result gets when the assessor gives none (percent).
DEFAULT_SCORES = {
    ResultStatus.COMPLIANT: 100,
    ResultStatus.PARTIAL: 50,
    ResultStatus.NON_COMPLIANT: 0,
}


class ImplementationStatus(ColourChoices):
    PLANNED = "planned", _("Planned")
    PARTIAL = "partially_implemented", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    __colours__ = {
        "planned": "blue",
        "partially_implemented": "yellow",
        "implemented": "green",
        "not_applicable": "secondary",
    }


class Severity(ColourChoices):
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")
    __colours__ = {"low": "secondary", "moderate": "yellow", "high": "orange", "critical": "red"}


class EvidenceKind(ColourChoices):
    FILE = "file", _("File")
    LINK = "link", _("Link")
    AUTOMATED = "automated", _("Automated (platform query)")
    __colours__ = {"file": "blue", "link": "cyan", "automated": "purple"}


class Treatment(ColourChoices):
    MITIGATE = "mitigate", _("Mitigate")
    ACCEPT = "accept", _("Accept")
    TRANSFER = "transfer", _("Transfer")
    AVOID = "avoid", _("Avoid")
    __colours__ = {"mitigate": "blue", "accept": "yellow", "transfer": "purple", "avoid": "orange"}


class PolicyType(ColourChoices):
    IT = "it", _("IT")
    SECURITY = "security", _("Information security")
    ACCEPTABLE_USE = "acceptable_use", _("Acceptable use")
    PRIVACY = "privacy", _("Privacy")
    OTHER = "other", _("Other")
    __colours__ = {"it": "blue", "security": "red", "acceptable_use": "cyan", "privacy": "purple"}


class Raci(ColourChoices):
    RESPONSIBLE = "R", _("Responsible")
    ACCOUNTABLE = "A", _("Accountable")
    CONSULTED = "C", _("Consulted")
    INFORMED = "I", _("Informed")
    __colours__ = {"R": "blue", "A": "red", "C": "yellow", "I": "secondary"}


class IndicatorKind(ColourChoices):
    KPI = "kpi", _("KPI (performance)")
    KRI = "kri", _("KRI (risk)")
    __colours__ = {"kpi": "blue", "kri": "orange"}


class Direction(ColourChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Frequency(ColourChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


class Rag(ColourChoices):
    GREEN = "green", _("Green")
    AMBER = "amber", _("Amber")
    RED = "red", _("Red")
    __colours__ = {"green": "green", "amber": "yellow", "red": "red"}
