from django.utils.translation import gettext_lazy as _

from steward.utilities.choices import ColourChoices


class LocationType(ColourChoices):
    REGION = "region", _("Region")
    SITE = "site", _("Site")
    BUILDING = "building", _("Building")
    ROOM = "room", _("Room")
    __colours__ = {"region": "purple", "site": "blue", "building": "cyan", "room": "teal"}


class PersonStatus(ColourChoices):
    ACTIVE = "active", _("Active")
    ON_LEAVE = "on_leave", _("On leave")
    LEFT = "left", _("Left")
    __colours__ = {"active": "green", "on_leave": "yellow", "left": "secondary"}


class CalendarDateKind(ColourChoices):
    CLOSED = "closed", _("Closed")
    OPEN = "open", _("Open")
    __colours__ = {"closed": "red", "open": "green"}
