"""Choices of the ITSM app; each carries the colour its badge shows everywhere."""

from django.utils.translation import gettext_lazy as _

from steward.utilities.choices import ColourChoices, Criticality  # noqa: F401 - shared scale, re-exported


class ServiceKind(ColourChoices):
    BUSINESS = "business", _("Business service")
    TECHNICAL = "technical", _("Technical service")
    __colours__ = {"business": "blue", "technical": "purple"}


class LifecycleStatus(ColourChoices):
    PIPELINE = "pipeline", _("Pipeline")
    LIVE = "live", _("Live")
    RETIRING = "retiring", _("Retiring")
    RETIRED = "retired", _("Retired")
    __colours__ = {"pipeline": "cyan", "live": "green", "retiring": "yellow", "retired": "secondary"}


class Impact(ColourChoices):
    HIGH = "1", _("1 - High")
    MEDIUM = "2", _("2 - Medium")
    LOW = "3", _("3 - Low")
    __colours__ = {"1": "red", "2": "orange", "3": "secondary"}


class Urgency(ColourChoices):
    HIGH = "1", _("1 - High")
    MEDIUM = "2", _("2 - Medium")
    LOW = "3", _("3 - Low")
    __colours__ = {"1": "red", "2": "orange", "3": "secondary"}


class Priority(ColourChoices):
    CRITICAL = "1", _("1 - Critical")
    HIGH = "2", _("2 - High")
    MODERATE = "3", _("3 - Moderate")
    LOW = "4", _("4 - Low")
    PLANNING = "5", _("5 - Planning")
    __colours__ = {"1": "red", "2": "orange", "3": "yellow", "4": "blue", "5": "secondary"}


class IncidentType(ColourChoices):
    FAILURE = "failure", _("Failure")
    DEGRADATION = "degradation", _("Degradation")
    QUESTION = "question", _("Question")
    SECURITY = "security", _("Security")
    __colours__ = {"failure": "red", "degradation": "orange", "question": "blue", "security": "purple"}


class HoldReason(ColourChoices):
    AWAITING_CALLER = "awaiting_caller", _("Awaiting caller")
    AWAITING_VENDOR = "awaiting_vendor", _("Awaiting vendor")
    AWAITING_CHANGE = "awaiting_change", _("Awaiting change")
    __colours__ = {"awaiting_caller": "yellow", "awaiting_vendor": "orange", "awaiting_change": "purple"}


class ResolutionCode(ColourChoices):
    SOLVED = "solved", _("Solved (permanently)")
    WORKAROUND = "workaround", _("Solved (workaround)")
    NOT_REPRODUCIBLE = "not_reproducible", _("Not reproducible")
    DUPLICATE = "duplicate", _("Duplicate")
    CANCELLED = "cancelled", _("Cancelled by caller")
    __colours__ = {
        "solved": "green",
        "workaround": "lime",
        "not_reproducible": "secondary",
        "duplicate": "secondary",
        "cancelled": "secondary",
    }


class NoteKind(ColourChoices):
    WORK_NOTE = "work_note", _("Work note (internal)")
    COMMENT = "comment", _("Comment (visible to the caller)")
    __colours__ = {"work_note": "yellow", "comment": "blue"}


class ClockKind(ColourChoices):
    RESPONSE = "response", _("First response")
    RESOLUTION = "resolution", _("Resolution")
    __colours__ = {"response": "cyan", "resolution": "blue"}


class ClockStatus(ColourChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    STOPPED = "stopped", _("Stopped")
    CANCELLED = "cancelled", _("Cancelled")
    __colours__ = {"running": "green", "paused": "yellow", "stopped": "secondary", "cancelled": "secondary"}


class ChangeType(ColourChoices):
    STANDARD = "standard", _("Standard")
    NORMAL = "normal", _("Normal")
    EMERGENCY = "emergency", _("Emergency")
    __colours__ = {"standard": "green", "normal": "blue", "emergency": "red"}


class RiskLevel(ColourChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    __colours__ = {"low": "green", "medium": "yellow", "high": "red"}


class AlertStatus(ColourChoices):
    FIRING = "firing", _("Firing")
    RESOLVED = "resolved", _("Resolved")
    __colours__ = {"firing": "red", "resolved": "green"}


# --- service desk ---------------------------------------------------------------------------
class AssignmentMethod(ColourChoices):
    TEAM = "team", _("Team only (nobody in particular)")
    ROUND_ROBIN = "round_robin", _("Round-robin among members")
    LEAST_LOADED = "least_loaded", _("Member with the fewest open incidents")
    __colours__ = {"team": "secondary", "round_robin": "blue", "least_loaded": "green"}


class MailDirection(ColourChoices):
    INBOUND = "in", _("Received")
    OUTBOUND = "out", _("Sent")
    __colours__ = {"in": "blue", "out": "green"}


class MailStatus(ColourChoices):
    PROCESSED = "processed", _("Processed")
    IGNORED = "ignored", _("Ignored")
    REJECTED = "rejected", _("Rejected")
    __colours__ = {"processed": "green", "ignored": "secondary", "rejected": "red"}


class MailIntakeAction(ColourChoices):
    INCIDENT = "incident", _("Open an incident")
    REQUEST = "request", _("Open a catalogue request")
    IGNORE = "ignore", _("Ignore the message")
    __colours__ = {"incident": "red", "request": "blue", "ignore": "secondary"}


class UnknownSender(ColourChoices):
    CREATE_PERSON = "create_person", _("Open the incident and add the sender as a person")
    ACCEPT = "accept", _("Open the incident without a caller")
    REJECT = "reject", _("Ignore the message")
    __colours__ = {"create_person": "green", "accept": "blue", "reject": "red"}
