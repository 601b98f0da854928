"""Choices of the ledger side of finance (cost centres, budgets, expenses, allocation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from steward.utilities.choices import ColourChoices


class CategoryKind(ColourChoices):
    """Whether spend in an account category is capitalised (and depreciated) or expensed."""

    CAPEX = "capex", _("Capital expenditure")
    OPEX = "opex", _("Operating expenditure")
    __colours__ = {"capex": "orange", "opex": "blue"}


class ExpenseSource(ColourChoices):
    """Where an expense line came from."""

    MANUAL = "manual", _("Entered")
    DEPRECIATION = "depreciation", _("Depreciation run")
    IMPORT = "import", _("Imported")
    INVOICE = "invoice", _("Vendor invoice")
    TRAINING = "training", _("Training")
    __colours__ = {"manual": "secondary", "depreciation": "orange", "import": "cyan", "invoice": "teal",
                   "training": "purple"}  # fmt: skip


class DepreciationMethod(ColourChoices):
    STRAIGHT_LINE = "straight_line", _("Straight line")
    DECLINING_BALANCE = "declining_balance", _("Declining balance")
    __colours__ = {"straight_line": "blue", "declining_balance": "purple"}


class AllocationDriver(ColourChoices):
    """How an allocation rule splits its pool."""

    FIXED = "fixed", _("Fixed percentages")
    HEADCOUNT = "headcount", _("Headcount (people per department)")
    INCIDENTS = "incidents", _("Incidents per service")
    TICKETS = "tickets", _("Incidents and requests per service")
    CONFIGURATION_ITEMS = "configuration_items", _("Configuration items per service")
    __colours__ = {
        "fixed": "secondary",
        "headcount": "green",
        "incidents": "red",
        "tickets": "orange",
        "configuration_items": "blue",
    }


class AllocationTarget(ColourChoices):
    SERVICE = "service", _("Services")
    DEPARTMENT = "department", _("Departments")
    __colours__ = {"service": "blue", "department": "green"}


#: The drivers that measure something per service, and the one per department.
SERVICE_DRIVERS = (AllocationDriver.INCIDENTS, AllocationDriver.TICKETS, AllocationDriver.CONFIGURATION_ITEMS)
DEPARTMENT_DRIVERS = (AllocationDriver.HEADCOUNT,)


class RollupDimension(ColourChoices):
    """What the budget-versus-actual report groups by."""

    COST_CENTRE = "cost_centre", _("Cost centre")
    CATEGORY = "category", _("Account category")
    PROJECT = "project", _("Project")
    SERVICE = "service", _("Service")
    __colours__ = {}
