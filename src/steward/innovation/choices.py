"""Choice sets of the innovation app, each value with the colour its badge shows."""

from django.utils.translation import gettext_lazy as _

from steward.utilities.choices import ColourChoices


class IdeaCategory(ColourChoices):
    """What kind of improvement an idea proposes."""

    PROCESS = "process", _("Process")
    SERVICE = "service", _("Service")
    TECHNOLOGY = "technology", _("Technology")
    COST = "cost", _("Cost saving")
    WORKPLACE = "workplace", _("Workplace")
    OTHER = "other", _("Other")
    __colours__ = {"process": "blue", "service": "cyan", "technology": "purple", "cost": "green",
                   "workplace": "orange", "other": "secondary"}  # fmt: skip


class Ring(ColourChoices):
    """Technology-radar rings, innermost (most recommended) first."""

    ADOPT = "adopt", _("Adopt")
    TRIAL = "trial", _("Trial")
    ASSESS = "assess", _("Assess")
    HOLD = "hold", _("Hold")
    __colours__ = {"adopt": "green", "trial": "blue", "assess": "yellow", "hold": "red"}


#: Ring order from the centre outwards; moving to a lower number is "moving in".
RING_ORDER = {Ring.ADOPT: 0, Ring.TRIAL: 1, Ring.ASSESS: 2, Ring.HOLD: 3}


class PilotDecision(ColourChoices):
    SCALE_UP = "scale_up", _("Scale up")
    ITERATE = "iterate", _("Iterate")
    STOP = "stop", _("Stop")
    __colours__ = {"scale_up": "green", "iterate": "yellow", "stop": "red"}


class Outcome(ColourChoices):
    """Whether a pilot's success criterion was met, once measured."""

    PENDING = "pending", _("Not measured")
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    __colours__ = {"pending": "secondary", "met": "green", "not_met": "red"}


class Level(ColourChoices):
    """Low/high, for the influence × interest grid."""

    LOW = "low", _("Low")
    HIGH = "high", _("High")
    __colours__ = {"low": "secondary", "high": "orange"}


class ImpactLevel(ColourChoices):
    NONE = "none", _("None")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    __colours__ = {"none": "secondary", "low": "green", "medium": "yellow", "high": "red"}


class AdkarStage(ColourChoices):
    """Prosci's ADKAR stages: where a group stands on its way through the change."""

    AWARENESS = "awareness", _("Awareness")
    DESIRE = "desire", _("Desire")
    KNOWLEDGE = "knowledge", _("Knowledge")
    ABILITY = "ability", _("Ability")
    REINFORCEMENT = "reinforcement", _("Reinforcement")
    __colours__ = {"awareness": "red", "desire": "orange", "knowledge": "yellow", "ability": "blue",
                   "reinforcement": "green"}  # fmt: skip


class Channel(ColourChoices):
    EMAIL = "email", _("Email")
    NOTIFICATION = "notification", _("In-app notification")
    __colours__ = {"email": "blue", "notification": "purple"}


class MetricKind(ColourChoices):
    """Where an adoption metric's figure comes from; each is computed by a query on platform data."""

    INSTALLATIONS = "installations", _("Installations of a software product (CMDB)")
    REQUESTS = "requests", _("Requests for a catalogue item (ITSM)")
    LOGINS = "logins", _("People who signed in")
    __colours__ = {"installations": "purple", "requests": "cyan", "logins": "blue"}
