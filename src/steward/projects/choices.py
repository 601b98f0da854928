from django.utils.translation import gettext_lazy as _

from steward.utilities.choices import ColourChoices


class Methodology(ColourChoices):
    WATERFALL = "waterfall", _("Waterfall")
    AGILE = "agile", _("Agile")
    HYBRID = "hybrid", _("Hybrid")
    __colours__ = {"waterfall": "blue", "agile": "purple", "hybrid": "cyan"}


class Health(ColourChoices):
    """Red/amber/green status the project manager reports."""

    GREEN = "green", _("On track")
    AMBER = "amber", _("At risk")
    RED = "red", _("Off track")
    __colours__ = {"green": "green", "amber": "yellow", "red": "red"}


class ProjectStatus(ColourChoices):
    PROPOSED = "proposed", _("Proposed")
    PLANNING = "planning", _("Planning")
    EXECUTING = "executing", _("Executing")
    CLOSING = "closing", _("Closing")
    CLOSED = "closed", _("Closed")
    ON_HOLD = "on_hold", _("On hold")
    CANCELLED = "cancelled", _("Cancelled")
    __colours__ = {
        "proposed": "secondary", "planning": "blue", "executing": "orange", "closing": "cyan", "closed": "green",
        "on_hold": "yellow", "cancelled": "dark",
    }  # fmt: skip


class DependencyType(ColourChoices):
    """How a successor hangs on its predecessor (with a lag in days, negative for a lead)."""

    FS = "fs", _("Finish to start")
    SS = "ss", _("Start to start")
    FF = "ff", _("Finish to finish")
    SF = "sf", _("Start to finish")
    __colours__ = {"fs": "blue", "ss": "cyan", "ff": "purple", "sf": "orange"}


class RaidType(ColourChoices):
    """The four kinds of entry in a project's RAID log."""

    RISK = "risk", _("Risk")
    ASSUMPTION = "assumption", _("Assumption")
    ISSUE = "issue", _("Issue")
    DECISION = "decision", _("Decision")
    __colours__ = {"risk": "orange", "assumption": "cyan", "issue": "red", "decision": "purple"}


class RaidStatus(ColourChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")
    __colours__ = {"open": "blue", "in_progress": "orange", "closed": "green"}
