"""Choices of the service catalogue, requests, knowledge base and surveys (badge colours included)."""

from django.utils.translation import gettext_lazy as _

from steward.utilities.choices import ColourChoices


class FieldType(ColourChoices):
    TEXT = "text", _("Text")
    LONG_TEXT = "long_text", _("Long text")
    CHOICE = "choice", _("Choice")
    DATE = "date", _("Date")
    NUMBER = "number", _("Number")
    PERSON = "person", _("Person")
    CONFIGURATION_ITEM = "configuration_item", _("Configuration item")
    ATTACHMENT = "attachment", _("Attachment")
    __colours__ = {}


class ApproverType(ColourChoices):
    MANAGER = "manager", _("Requester's manager")
    PEOPLE = "people", _("Named people")
    TEAM = "team", _("A team")
    __colours__ = {"manager": "blue", "people": "purple", "team": "cyan"}


class ApprovalRule(ColourChoices):
    ALL = "all", _("All must approve")
    ANY = "any", _("Any one approves")
    __colours__ = {"all": "orange", "any": "green"}


class ApprovalStatus(ColourChoices):
    WAITING = "waiting", _("Waiting for an earlier step")
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SKIPPED = "skipped", _("Not needed")
    __colours__ = {
        "waiting": "secondary",
        "pending": "yellow",
        "approved": "green",
        "rejected": "red",
        "skipped": "secondary",
    }


class ArticleFeedbackValue(ColourChoices):
    HELPFUL = "helpful", _("Helpful")
    NOT_HELPFUL = "not_helpful", _("Not helpful")
    __colours__ = {"helpful": "green", "not_helpful": "red"}
