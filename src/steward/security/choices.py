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


class IncidentCategory(ColourChoices):
    """Classification of a security incident (broadly the attack vectors of NIST SP 800-61)."""

    MALWARE = "malware", _("Malware")
    PHISHING = "phishing", _("Phishing / social engineering")
    UNAUTHORISED_ACCESS = "unauthorised_access", _("Unauthorised access")
    DENIAL_OF_SERVICE = "denial_of_service", _("Denial of service")
    DATA_EXFILTRATION = "data_exfiltration", _("Data exfiltration")
    WEB_ATTACK = "web_attack", _("Web application attack")
    IMPROPER_USAGE = "improper_usage", _("Improper usage / insider")
    LOST_DEVICE = "lost_device", _("Loss or theft of equipment")
    VULNERABILITY_EXPLOIT = "vulnerability_exploit", _("Exploited vulnerability")
    OTHER = "other", _("Other")


class EvidenceAction(ColourChoices):
    """What happened to a piece of evidence, as a chain-of-custody log records it."""

    COLLECTED = "collected", _("Collected")
    TRANSFERRED = "transferred", _("Transferred")
    ANALYSED = "analysed", _("Analysed")
    STORED = "stored", _("Stored")
    RETURNED = "returned", _("Returned")
    DESTROYED = "destroyed", _("Destroyed")
    NOTE = "note", _("Note")
    __colours__ = {"collected": "blue", "transferred": "orange", "analysed": "purple", "stored": "green",
                   "returned": "cyan", "destroyed": "red", "note": "secondary"}  # fmt: skip


#: The GDPR article 33 window: notify the supervisory authority within 72 hours of awareness.
BREACH_NOTIFICATION_HOURS = 72
#: Raise "at risk" this long before the deadline.
BREACH_AT_RISK_HOURS = 24


class ReviewerRule(ColourChoices):
    """Who reviews an entitlement in an access review."""

    MANAGER = "manager", _("The person's manager")
    SYSTEM_OWNER = "system_owner", _("The system's owner")


class AccessDecisionChoice(ColourChoices):
    PENDING = "pending", _("Pending")
    KEEP = "keep", _("Keep")
    REVOKE = "revoke", _("Revoke")
    MODIFY = "modify", _("Modify")
    __colours__ = {"pending": "secondary", "keep": "green", "revoke": "red", "modify": "orange"}
