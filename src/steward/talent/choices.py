from django.utils.translation import gettext_lazy as _

from steward.utilities.choices import ColourChoices

#: The proficiency scale: seven levels, 1 (aware) to 7 (sets direction). The shipped library names them.
MIN_LEVEL, MAX_LEVEL = 1, 7


class Assessment(ColourChoices):
    """Who vouches for a proficiency: the person themselves, or their manager."""

    SELF = "self", _("Self-assessed")
    VALIDATED = "validated", _("Validated by manager")
    __colours__ = {"self": "yellow", "validated": "green"}


class PlanStatus(ColourChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    ABANDONED = "abandoned", _("Abandoned")
    __colours__ = {"active": "blue", "completed": "green", "abandoned": "secondary"}


class ActionStatus(ColourChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")
    __colours__ = {"planned": "secondary", "in_progress": "cyan", "done": "green", "dropped": "dark"}
