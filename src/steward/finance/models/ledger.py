"""The ledger: cost centres, account categories, fiscal years and periods, exchange rates, expenses."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel
from steward.finance.choices_ledger import CategoryKind, ExpenseSource
from steward.utilities.choices import ChoiceField
from steward.utilities.money import validate_currency

ZERO = Decimal(0)


def base_currency() -> str:
    """The currency every report is expressed in (``STEWARD_BASE_CURRENCY``)."""
    return settings.BASE_CURRENCY


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, clamped to the end of the target month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class CostCentre(StewardModel):
    """A unit that budgets and carries cost, in a tree (a group's centres roll up to it)."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    owner = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_cost_centres",
        verbose_name=_("owner"),
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cost_centres",
        verbose_name=_("department"),
    )
    active = models.BooleanField(_("active"), default=True)
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("code",)

    class Meta:
        ordering = ("code", "id")
        verbose_name = _("cost centre")
        verbose_name_plural = _("cost centres")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        super().clean()
        node, seen = self.parent, set()
        while node is not None and node.pk not in seen:
            if self.pk is not None and node.pk == self.pk:
                raise ValidationError({"parent": _("A cost centre cannot be inside itself.")})
            seen.add(node.pk)
            node = node.parent


class AccountCategory(StewardModel):
    """A kind of spend (hardware, licences, cloud, staff…), capitalised or expensed."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = ChoiceField(_("kind"), choices_class=CategoryKind, default=CategoryKind.OPEX)
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("code",)

    class Meta:
        ordering = ("code", "id")
        verbose_name = _("account category")
        verbose_name_plural = _("account categories")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class FiscalYear(StewardModel):
    """Twelve monthly periods starting on the first day of any month.

    Its periods are created with it (they are part of the year, derived from its start), so an
    expense dated inside the year always finds its period.
    """

    name = models.CharField(_("name"), max_length=50, unique=True, help_text=_("e.g. FY2027"))
    start_date = models.DateField(_("start"), help_text=_("The first day of a month."))
    end_date = models.DateField(_("end"), editable=False)
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("-start_date", "id")
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.start_date is None:
            return
        if self.start_date.day != 1:
            raise ValidationError({"start_date": _("A fiscal year starts on the first day of a month.")})
        before = getattr(self, "_loaded_values", {}).get("start_date")
        if self.pk and before is not None and before != self.start_date and self.in_use():
            raise ValidationError(
                {"start_date": _("Expenses or budgets are booked in this year: its start cannot move.")}
            )
        self.end_date = add_months(self.start_date, 12) - dt.timedelta(days=1)
        overlap = FiscalYear.objects.filter(start_date__lte=self.end_date, end_date__gte=self.start_date)
        if overlap.exclude(pk=self.pk).exists():
            raise ValidationError({"start_date": _("These dates overlap another fiscal year.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.end_date = add_months(self.start_date, 12) - dt.timedelta(days=1)
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.ensure_periods()

    def in_use(self) -> bool:
        from steward.finance.models.budgets import BudgetLine

        return (
            Expense.objects.filter(period__fiscal_year=self).exists()
            or BudgetLine.objects.filter(period__fiscal_year=self).exists()
        )

    def ensure_periods(self) -> None:
        """Create the missing monthly periods and align existing ones with the start (idempotent).

        Bulk imports create years without calling ``save``; the first use of such a year (booking,
        the roll-up) creates its periods.
        """
        existing = {p.number: p for p in self.periods.all()}
        for number in range(1, 13):
            period = existing.get(number) or FiscalPeriod(fiscal_year=self, number=number)
            start = period.start_date
            period.fiscal_year = self
            period.derive_dates()
            if period.pk is None or period.start_date != start:
                period.save()


class FiscalPeriod(StewardModel):
    """One month of a fiscal year. A closed period takes no new or changed expenses."""

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="periods", verbose_name=_("fiscal year")
    )
    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    start_date = models.DateField(_("start"), editable=False, db_index=True)
    end_date = models.DateField(_("end"), editable=False)
    closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        ordering = ("start_date", "id")
        verbose_name = _("fiscal period")
        verbose_name_plural = _("fiscal periods")
        constraints = [
            models.UniqueConstraint(fields=("fiscal_year", "number"), name="finance_period_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year.name} P{self.number:02d} ({self.start_date:%b %Y})"

    def derive_dates(self) -> None:
        self.start_date = add_months(self.fiscal_year.start_date, self.number - 1)
        self.end_date = add_months(self.start_date, 1) - dt.timedelta(days=1)

    def clean(self) -> None:
        super().clean()
        if self.fiscal_year_id and self.number and 1 <= self.number <= 12:
            self.derive_dates()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.derive_dates()
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return f"{self.start_date:%Y-%m}"


class ExchangeRate(StewardModel):
    """One unit of ``from_currency`` is worth ``rate`` units of ``to_currency`` from ``valid_from`` on."""

    from_currency = models.CharField(_("from"), max_length=3, validators=[validate_currency])
    to_currency = models.CharField(_("to"), max_length=3, validators=[validate_currency])
    rate = models.DecimalField(
        _("rate"), max_digits=18, decimal_places=8, validators=[MinValueValidator(Decimal("0.00000001"))]
    )
    valid_from = models.DateField(_("valid from"))

    class Meta:
        ordering = ("from_currency", "to_currency", "-valid_from", "id")
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(
                fields=("from_currency", "to_currency", "valid_from"), name="finance_rate_unique_day"
            ),
        ]
        indexes = [models.Index(fields=("from_currency", "to_currency", "valid_from"))]

    def __str__(self) -> str:
        return f"1 {self.from_currency} = {self.rate} {self.to_currency} ({self.valid_from})"

    def clean(self) -> None:
        super().clean()
        self.from_currency = (self.from_currency or "").strip().upper()
        self.to_currency = (self.to_currency or "").strip().upper()
        if self.from_currency and self.from_currency == self.to_currency:
            raise ValidationError({"to_currency": _("A rate converts between two different currencies.")})


def period_for(day: dt.date) -> FiscalPeriod:
    """The fiscal period containing ``day``; a clear error when no fiscal year covers it."""
    period = FiscalPeriod.objects.select_related("fiscal_year").filter(start_date__lte=day, end_date__gte=day)
    found = period.first()
    if found is None:
        year = FiscalYear.objects.filter(start_date__lte=day, end_date__gte=day).first()
        if year is not None:  # imported without its periods: make them now
            year.ensure_periods()
            found = period.first()
    if found is None:
        raise ValidationError(
            {"date": _("No fiscal period covers %(date)s; create its fiscal year first.") % {"date": day}}
        )
    return found


class Expense(ReferenceMixin, StewardModel):
    """An actual cost line, booked into the fiscal period of its date.

    ``base_amount`` is the amount in the base currency at the rate in force on the expense date,
    fixed at booking so a later rate never rewrites history. Reports sum it.
    An expense may name the vendor's invoice it books (``book_invoice``), the purchase order and
    the contract it comes from.
    """

    reference_prefix = "EXP"
    reference_digits = 8

    date = models.DateField(_("date"))
    period = models.ForeignKey(
        FiscalPeriod,
        on_delete=models.PROTECT,
        related_name="expenses",
        editable=False,
        verbose_name=_("period"),
    )
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    base_amount = models.DecimalField(
        _("amount in base currency"), max_digits=16, decimal_places=2, editable=False
    )
    cost_centre = models.ForeignKey(
        CostCentre, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("cost centre")
    )
    category = models.ForeignKey(
        AccountCategory, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("category")
    )
    budget_line = models.ForeignKey(
        "finance.BudgetLine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expenses",
        verbose_name=_("budget line"),
    )
    configuration_item = models.ForeignKey(
        "cmdb.ConfigurationItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expenses",
        verbose_name=_("configuration item"),
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expenses",
        verbose_name=_("project"),
    )
    service = models.ForeignKey(
        "itsm.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expenses",
        verbose_name=_("service"),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    supplier_name = models.CharField(_("supplier"), max_length=200, blank=True)
    vendor = models.ForeignKey(
        "finance.Vendor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expenses",
        verbose_name=_("vendor"),
    )
    invoice = models.ForeignKey(
        "finance.Invoice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expenses",
        verbose_name=_("invoice"),
    )
    purchase_order = models.ForeignKey(
        "finance.PurchaseOrder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expenses",
        verbose_name=_("purchase order"),
    )
    contract = models.ForeignKey(
        "finance.Contract",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expenses",
        verbose_name=_("contract"),
    )
    source = ChoiceField(
        _("source"), choices_class=ExpenseSource, default=ExpenseSource.MANUAL, editable=False
    )
    depreciation = models.ForeignKey(
        "finance.AssetDepreciation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="expenses",
        verbose_name=_("depreciation schedule"),
    )

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("-date", "-id")
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        constraints = [
            models.UniqueConstraint(
                fields=("depreciation", "period"),
                condition=models.Q(depreciation__isnull=False),
                name="finance_expense_one_depreciation_per_period",
            ),
        ]
        indexes = [
            models.Index(fields=("period", "cost_centre")),
            models.Index(fields=("period", "category")),
            models.Index(fields=("project", "date")),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount} {self.currency}"

    def clean(self) -> None:
        super().clean()
        self.currency = (self.currency or "").strip().upper()
        before = getattr(self, "_loaded_values", {}).get("period_id")
        if self.pk and before is not None:
            old = FiscalPeriod.objects.filter(pk=before, closed=True).first()
            if old is not None:
                raise ValidationError(
                    {
                        "date": _("The period %(period)s is closed; its expenses cannot change.")
                        % {"period": old}
                    }
                )
        if self.date is None:
            return
        self.derive(force=True)
        if self.period.closed:
            raise ValidationError(
                {"date": _("The period %(period)s is closed; book the expense in an open period.")
                 % {"period": self.period}}
            )  # fmt: skip
        if self.budget_line_id and self.budget_line.period.fiscal_year_id != self.period.fiscal_year_id:
            raise ValidationError({"budget_line": _("The budget line belongs to another fiscal year.")})
        if self.invoice_id:
            if self.vendor_id is None:
                self.vendor_id = self.invoice.vendor_id
            elif self.vendor_id != self.invoice.vendor_id:
                raise ValidationError({"vendor": _("The vendor is not the invoice's vendor.")})
            if self.currency != self.invoice.currency:
                raise ValidationError({"currency": _("The currency is not the invoice's currency.")})
            booked = self.invoice.expenses.exclude(pk=self.pk).aggregate(total=models.Sum("amount"))["total"]
            if (booked or 0) + (self.amount or 0) > self.invoice.amount:
                raise ValidationError(
                    {"amount": _("The invoice %(invoice)s has %(left)s %(currency)s left to book.")
                     % {"invoice": self.invoice, "left": self.invoice.amount - (booked or 0),
                        "currency": self.invoice.currency}}
                )  # fmt: skip

    def derive(self, *, force: bool = False) -> None:
        """Set the period from the date and the base amount at the date's rate.

        The base amount is fixed at booking: it is worked out again only when the amount, the
        currency or the date change, never because a rate was entered later.
        """
        from steward.finance.currency import ConversionError, convert

        loaded = getattr(self, "_loaded_values", {})
        moved = any(loaded.get(f) != getattr(self, f) for f in ("amount", "currency", "date"))
        if self.period_id is None or moved or (force and self.pk is None):
            self.period = period_for(self.date)
        if self.amount is not None and self.currency and (self.base_amount is None or moved):
            try:
                self.base_amount = convert(self.amount, self.currency, base_currency(), self.date)
            except ConversionError as exc:
                raise ValidationError({"currency": str(exc)}) from None

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.date is not None and (self.period_id is None or self.base_amount is None):
            self.derive()
        super().save(*args, **kwargs)
