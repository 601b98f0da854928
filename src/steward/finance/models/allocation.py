"""Depreciation of CMDB hardware and showback allocation of cost pools to services and departments."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel
from steward.finance.choices_ledger import (
    DEPARTMENT_DRIVERS,
    SERVICE_DRIVERS,
    AllocationDriver,
    AllocationTarget,
    DepreciationMethod,
)
from steward.utilities.choices import ChoiceField

ZERO = Decimal(0)


class AssetDepreciation(StewardModel):
    """How a configuration item's purchase cost is written off, month by month.

    The cost, currency and (by default) the start come from the item's purchase fields in the
    CMDB; the schedule is computed, not stored. The monthly job books each month once as an
    expense of ``cost_centre`` and ``category``.
    """

    configuration_item = models.OneToOneField(
        "cmdb.ConfigurationItem",
        on_delete=models.CASCADE,
        related_name="depreciation",
        verbose_name=_("configuration item"),
    )
    method = ChoiceField(
        _("method"), choices_class=DepreciationMethod, default=DepreciationMethod.STRAIGHT_LINE
    )
    useful_life_months = models.PositiveSmallIntegerField(
        _("useful life (months)"), default=36, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    salvage_value = models.DecimalField(
        _("salvage value"),
        max_digits=14,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    annual_rate = models.DecimalField(
        _("declining-balance rate (% a year)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
        help_text=_("Empty: double the straight-line rate (200 % / life in years)."),
    )
    start_date = models.DateField(
        _("depreciation start"), null=True, blank=True, help_text=_("Empty: the item's purchase date.")
    )
    cost_centre = models.ForeignKey(
        "finance.CostCentre",
        on_delete=models.PROTECT,
        related_name="depreciations",
        verbose_name=_("cost centre"),
    )
    category = models.ForeignKey(
        "finance.AccountCategory",
        on_delete=models.PROTECT,
        related_name="depreciations",
        verbose_name=_("category"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ("configuration_item__name", "id")
        verbose_name = _("asset depreciation")
        verbose_name_plural = _("asset depreciations")

    def __str__(self) -> str:
        return f"{_('Depreciation of')} {self.configuration_item}"

    def clean(self) -> None:
        super().clean()
        if not self.configuration_item_id:
            return
        item = self.configuration_item
        if item.purchase_cost is None or not item.currency:
            raise ValidationError(
                {
                    "configuration_item": _("%(item)s has no purchase cost and currency in the CMDB.")
                    % {"item": item}
                }
            )
        if self.start_date is None and item.purchase_date is None:
            raise ValidationError(
                {
                    "start_date": _("%(item)s has no purchase date: give the depreciation start.")
                    % {"item": item}
                }
            )
        if self.salvage_value is not None and self.salvage_value > item.purchase_cost:
            raise ValidationError({"salvage_value": _("The salvage value cannot exceed the purchase cost.")})

    @property
    def starts(self):  # noqa: ANN201 - a date
        return self.start_date or self.configuration_item.purchase_date


class AllocationRule(StewardModel):
    """Spreads a pool — the cost of a cost centre (optionally one category) in a period — by a driver."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    pool_cost_centre = models.ForeignKey(
        "finance.CostCentre",
        on_delete=models.PROTECT,
        related_name="allocation_rules",
        verbose_name=_("pool cost centre"),
    )
    pool_category = models.ForeignKey(
        "finance.AccountCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocation_rules",
        verbose_name=_("pool category"),
        help_text=_("Empty: every category of the cost centre."),
    )
    include_children = models.BooleanField(
        _("include child cost centres"), default=True, help_text=_("The pool also takes their costs.")
    )
    driver = ChoiceField(_("driver"), choices_class=AllocationDriver, default=AllocationDriver.FIXED)
    target = ChoiceField(_("allocated to"), choices_class=AllocationTarget, default=AllocationTarget.SERVICE)
    active = models.BooleanField(_("active"), default=True)
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name", "id")
        verbose_name = _("allocation rule")
        verbose_name_plural = _("allocation rules")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.driver in SERVICE_DRIVERS and self.target != AllocationTarget.SERVICE:
            raise ValidationError({"target": _("This driver measures services: allocate to services.")})
        if self.driver in DEPARTMENT_DRIVERS and self.target != AllocationTarget.DEPARTMENT:
            raise ValidationError(
                {"target": _("Headcount is counted per department: allocate to departments.")}
            )


class AllocationShare(StewardModel):
    """A fixed percentage of a rule's pool for one service or department."""

    rule = models.ForeignKey(
        AllocationRule, on_delete=models.CASCADE, related_name="shares", verbose_name=_("rule")
    )
    service = models.ForeignKey(
        "itsm.Service",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="allocation_shares",
        verbose_name=_("service"),
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="allocation_shares",
        verbose_name=_("department"),
    )
    percent = models.DecimalField(
        _("share (%)"),
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal(100))],
    )

    class Meta:
        ordering = ("rule", "-percent", "id")
        verbose_name = _("allocation share")
        verbose_name_plural = _("allocation shares")
        constraints = [
            models.UniqueConstraint(fields=("rule", "service"), name="finance_share_unique_service"),
            models.UniqueConstraint(fields=("rule", "department"), name="finance_share_unique_department"),
        ]

    def __str__(self) -> str:
        return f"{self.rule}: {self.service or self.department} {self.percent} %"

    def clean(self) -> None:
        super().clean()
        if self.percent is not None and self.percent < 0:
            raise ValidationError({"percent": _("A share cannot be negative.")})
        if bool(self.service_id) == bool(self.department_id):
            raise ValidationError({"service": _("Give either a service or a department.")})
        if self.rule_id:
            wants_service = self.rule.target == AllocationTarget.SERVICE
            if wants_service and not self.service_id:
                raise ValidationError({"service": _("The rule allocates to services.")})
            if not wants_service and not self.department_id:
                raise ValidationError({"department": _("The rule allocates to departments.")})


class AllocationResult(StewardModel):
    """What one run of a rule gave one service or department in one period (in base currency).

    Written only by ``run_allocation``, which replaces a rule's results for the period as a whole.
    """

    rule = models.ForeignKey(
        AllocationRule, on_delete=models.CASCADE, related_name="results", verbose_name=_("rule")
    )
    period = models.ForeignKey(
        "finance.FiscalPeriod",
        on_delete=models.CASCADE,
        related_name="allocation_results",
        verbose_name=_("period"),
    )
    service = models.ForeignKey(
        "itsm.Service",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="allocation_results",
        verbose_name=_("service"),
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="allocation_results",
        verbose_name=_("department"),
    )
    driver_value = models.DecimalField(_("driver value"), max_digits=16, decimal_places=3, default=ZERO)
    share = models.DecimalField(_("share (%)"), max_digits=7, decimal_places=3, default=ZERO)
    amount = models.DecimalField(
        _("allocated amount"), max_digits=16, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    tickets = models.PositiveIntegerField(_("tickets in the period"), default=0)
    cost_per_ticket = models.DecimalField(
        _("cost per ticket"), max_digits=16, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ("period__start_date", "rule", "-amount", "id")
        verbose_name = _("allocation result")
        verbose_name_plural = _("allocation results")

    def __str__(self) -> str:
        return f"{self.rule} {self.period.label}: {self.service or self.department} {self.amount}"

    def clean(self) -> None:
        super().clean()
        if self.amount is not None and self.amount < 0:
            raise ValidationError({"amount": _("An allocation cannot be negative.")})
        if bool(self.service_id) == bool(self.department_id):
            raise ValidationError({"service": _("Give either a service or a department.")})
