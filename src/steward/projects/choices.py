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


class ItemKind(ColourChoices):
    """What a product backlog item is."""

    STORY = "story", _("User story")
    BUG = "bug", _("Bug")
    SPIKE = "spike", _("Spike")
    CHORE = "chore", _("Chore")
    __colours__ = {"story": "green", "bug": "red", "spike": "purple", "chore": "secondary"}


class ItemStatus(ColourChoices):
    """The columns of the board; the workflow ``projects.backlogitem`` decides which moves are allowed."""

    BACKLOG = "backlog", _("Backlog")
    READY = "ready", _("Ready")
    IN_PROGRESS = "in_progress", _("In progress")
    REVIEW = "review", _("Review")
    DONE = "done", _("Done")
    __colours__ = {"backlog": "secondary", "ready": "blue", "in_progress": "orange", "review": "purple",
                   "done": "green"}  # fmt: skip


#: Story points a backlog item may carry (a Fibonacci-like planning-poker scale).
STORY_POINTS = (0, 1, 2, 3, 5, 8, 13, 20, 40, 100)

#: The order in which a project moves through its statuses; a stage gate opens one of them.
STATUS_ORDER = ("proposed", "planning", "executing", "closing", "closed")


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
