from django.utils.translation import gettext_lazy as _

from steward.utilities.choices import ColourChoices


class Perspective(ColourChoices):
    """Balanced-scorecard perspectives an objective belongs to."""

    FINANCIAL = "financial", _("Financial")
    CUSTOMER = "customer", _("Customer")
    INTERNAL = "internal", _("Internal process")
    LEARNING = "learning", _("Learning and growth")
    __colours__ = {"financial": "green", "customer": "blue", "internal": "orange", "learning": "purple"}


class ObjectiveStatus(ColourChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    ACHIEVED = "achieved", _("Achieved")
    MISSED = "missed", _("Missed")
    DROPPED = "dropped", _("Dropped")
    __colours__ = {
        "draft": "secondary",
        "active": "blue",
        "achieved": "green",
        "missed": "red",
        "dropped": "dark",
    }


class Confidence(ColourChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
    __colours__ = {"high": "green", "medium": "yellow", "low": "red"}


class CashFlowKind(ColourChoices):
    """A business-case line is money out (cost) or money in or saved (benefit)."""

    COST = "cost", _("Cost")
    BENEFIT = "benefit", _("Benefit")
    __colours__ = {"cost": "red", "benefit": "green"}


class CashFlowCategory(ColourChoices):
    CAPEX = "capex", _("Capital expenditure")
    OPEX = "opex", _("Operating expenditure")
    REVENUE = "revenue", _("Revenue")
    SAVING = "saving", _("Cost saving")
    AVOIDANCE = "avoidance", _("Cost avoidance")
    __colours__ = {
        "capex": "orange",
        "opex": "yellow",
        "revenue": "green",
        "saving": "teal",
        "avoidance": "cyan",
    }


class CriterionSource(ColourChoices):
    """Where a scoring criterion's value comes from: typed in, or computed from the initiative."""

    MANUAL = "manual", _("Entered per initiative")
    STRATEGIC_FIT = "strategic_fit", _("Strategic fit (alignment scores)")
    NPV = "npv", _("Net present value")
    ROI = "roi", _("Return on investment")
    RISK = "risk", _("Risk score (lower is better)")
    __colours__ = {
        "manual": "secondary",
        "strategic_fit": "purple",
        "npv": "green",
        "roi": "teal",
        "risk": "red",
    }
