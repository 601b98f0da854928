from django.utils.translation import gettext_lazy as _

from steward.utilities.choices import ColourChoices


class Severity(ColourChoices):
    """Qualitative severity, as CVSS names its score bands."""

    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
    NONE = "none", _("None")
    UNKNOWN = "unknown", _("Unknown")
    __colours__ = {
        "critical": "red",
        "high": "orange",
        "medium": "yellow",
        "low": "blue",
        "none": "secondary",
        "unknown": "secondary",
    }


#: Most severe first: the order of dashboards and of "the worse of two".
SEVERITY_ORDER = ("critical", "high", "medium", "low", "none", "unknown")


class AdvisorySource(ColourChoices):
    OSV = "osv", _("OSV")
    CVE = "cve", _("CVE record")
    MANUAL = "manual", _("Manual")
    __colours__ = {"osv": "blue", "cve": "purple", "manual": "secondary"}


class RangeType(ColourChoices):
    """OSV range types; GIT ranges name commits and are kept but not matched against versions."""

    ECOSYSTEM = "ECOSYSTEM", _("Ecosystem")
    SEMVER = "SEMVER", _("Semantic version")
    GIT = "GIT", _("Git commits")


class FindingState(ColourChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RISK_ACCEPTED = "risk_accepted", _("Risk accepted")
    FIXED = "fixed", _("Fixed")
    FALSE_POSITIVE = "false_positive", _("False positive")
    __colours__ = {
        "open": "red",
        "in_progress": "orange",
        "risk_accepted": "purple",
        "fixed": "green",
        "false_positive": "secondary",
    }


#: States in which a finding still needs someone's work.
ACTIVE_FINDING_STATES = ("open", "in_progress")
