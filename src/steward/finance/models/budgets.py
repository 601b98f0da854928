"""Budgets in versions (draft → submitted → approved → superseded), their lines and forecasts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core.models import Sequence, StewardModel, WorkflowMixin
from steward.finance.models.ledger import base_currency
from steward.utilities.money import validate_currency

ZERO = Decimal(0)
#: Versions in these states are frozen: their lines are what was approved.
READ_ONLY_STATES = ("approved", "superseded")
#: Lines can be added, changed or removed only while the version is a draft.
EDITABLE_STATES = ("draft",)


def _default_currency() -> str:
    return base_currency()


class Budget(StewardModel):
    """A named budget for one fiscal year (e.g. "IT run budget"), planned in versions."""

    name = models.CharField(_("name"), max_length=200)
    fiscal_year = models.ForeignKey(
        "finance.FiscalYear", on_delete=models.PROTECT, related_name="budgets", verbose_name=_("fiscal year")
    )
    owner = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_budgets",
        verbose_name=_("owner"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ("fiscal_year__start_date", "name", "id")
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint(fields=("fiscal_year", "name"), name="finance_budget_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.fiscal_year}" if self.fiscal_year_id else self.name

    @property
    def approved_version(self) -> BudgetVersion | None:
        return self.versions.filter(state="approved").first()


class BudgetVersion(WorkflowMixin, StewardModel):
    """One version of a budget. Approving it supersedes the previously approved one.

    Approved and superseded versions are read-only; to change an approved budget, make a new
    version (it copies the lines) and take it through approval.
    """

    workflow = "finance.budgetversion"

    budget = models.ForeignKey(
        Budget, on_delete=models.CASCADE, related_name="versions", verbose_name=_("budget")
    )
    number = models.PositiveIntegerField(_("version"), editable=False)
    label = models.CharField(
        _("label"), max_length=100, blank=True, help_text=_("e.g. Original, Re-forecast Q2")
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ("budget", "-number", "id")
        verbose_name = _("budget version")
        verbose_name_plural = _("budget versions")
        constraints = [
            models.UniqueConstraint(fields=("budget", "number"), name="finance_budget_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.budget} v{self.number}" + (f" {self.label}" if self.label else "")

    @property
    def editable(self) -> bool:
        return self.state in EDITABLE_STATES or not self.state

    def assign_number(self) -> None:
        """Take the next version number of the budget (numbers rise; a refused row may leave a gap)."""
        if self.number is None and self.budget_id:
            self.number = Sequence.take(f"finance.budgetversion.{self.budget_id}")
        if not self.state:
            from steward.core.workflow import get_workflow

            self.state = get_workflow(type(self)).initial

    def clean(self) -> None:
        super().clean()
        self.assign_number()
        loaded = getattr(self, "_loaded_values", {})
        if self.pk and loaded.get("state") in READ_ONLY_STATES:
            changed = [f for f in ("label", "notes", "budget_id") if loaded.get(f) != getattr(self, f)]
            if changed:
                raise ValidationError(
                    {changed[0].removesuffix("_id"): _("An approved budget version is read-only.")}
                )

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.assign_number()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.state in READ_ONLY_STATES:
            raise ProtectedError(_("An approved budget version cannot be deleted."), {self})
        return super().delete(*args, **kwargs)


class BudgetLine(StewardModel):
    """Planned spend of one cost centre and category (optionally project, service) in one period.

    ``base_amount`` is fixed when the line is saved, at the rate on the first day of its period.
    """

    version = models.ForeignKey(
        BudgetVersion, on_delete=models.CASCADE, related_name="lines", verbose_name=_("version")
    )
    cost_centre = models.ForeignKey(
        "finance.CostCentre",
        on_delete=models.PROTECT,
        related_name="budget_lines",
        verbose_name=_("cost centre"),
    )
    category = models.ForeignKey(
        "finance.AccountCategory",
        on_delete=models.PROTECT,
        related_name="budget_lines",
        verbose_name=_("category"),
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("project"),
    )
    service = models.ForeignKey(
        "itsm.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("service"),
    )
    period = models.ForeignKey(
        "finance.FiscalPeriod",
        on_delete=models.PROTECT,
        related_name="budget_lines",
        verbose_name=_("period"),
    )
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(
        _("currency"), max_length=3, default=_default_currency, validators=[validate_currency]
    )
    base_amount = models.DecimalField(
        _("amount in base currency"), max_digits=16, decimal_places=2, editable=False
    )
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ("version", "period__start_date", "cost_centre__code", "category__code", "id")
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        indexes = [models.Index(fields=("version", "period"))]

    def __str__(self) -> str:
        return (
            f"{self.cost_centre.code}/{self.category.code} {self.period.label}: {self.amount} {self.currency}"
        )

    def clean(self) -> None:
        from steward.finance.currency import ConversionError, convert

        super().clean()
        self.currency = (self.currency or "").strip().upper()
        if self.amount is not None and self.amount < 0:
            raise ValidationError({"amount": _("A budget amount cannot be negative.")})
        if self.version_id:
            loaded_version = getattr(self, "_loaded_values", {}).get("version_id")
            for version_id in {self.version_id, loaded_version} - {None}:
                version = BudgetVersion.objects.filter(pk=version_id).first()
                if version is not None and not version.editable:
                    raise ValidationError(
                        {"version": _("%(version)s is %(state)s: its lines are read-only; make a new version.")
                         % {"version": version, "state": version.workflow_state.label}}
                    )  # fmt: skip
            if self.period_id and self.period.fiscal_year_id != self.version.budget.fiscal_year_id:
                raise ValidationError({"period": _("The period is not in the budget's fiscal year.")})
        if self.period_id and self.amount is not None and self.currency:
            try:
                self.base_amount = convert(
                    self.amount, self.currency, base_currency(), self.period.start_date
                )
            except ConversionError as exc:
                raise ValidationError({"currency": str(exc)}) from None

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.base_amount is None and self.period_id and self.amount is not None:
            from steward.finance.currency import convert

            self.base_amount = convert(self.amount, self.currency, base_currency(), self.period.start_date)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if not self.version.editable:
            raise ProtectedError(
                _("Lines of a submitted or approved budget version cannot be deleted."), {self}
            )
        return super().delete(*args, **kwargs)


class Forecast(StewardModel):
    """The latest estimate of what a budget line's period will really cost.

    One per line, updated in place (the change log keeps earlier estimates). Forecasts may be
    revised on approved versions: that is what they are for.
    """

    budget_line = models.OneToOneField(
        BudgetLine, on_delete=models.CASCADE, related_name="forecast", verbose_name=_("budget line")
    )
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    base_amount = models.DecimalField(
        _("amount in base currency"), max_digits=16, decimal_places=2, editable=False
    )
    estimated_on = models.DateField(_("estimated on"), default=timezone.localdate)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ("budget_line", "id")
        verbose_name = _("forecast")
        verbose_name_plural = _("forecasts")

    def __str__(self) -> str:
        return f"{_('Forecast')} {self.budget_line}: {self.amount}"

    def clean(self) -> None:
        from steward.finance.currency import ConversionError, convert

        super().clean()
        if self.amount is not None and self.amount < 0:
            raise ValidationError({"amount": _("A forecast cannot be negative.")})
        if self.budget_line_id and self.amount is not None:
            line = self.budget_line
            try:
                self.base_amount = convert(
                    self.amount, line.currency, base_currency(), line.period.start_date
                )
            except ConversionError as exc:
                raise ValidationError({"amount": str(exc)}) from None

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.base_amount is None and self.budget_line_id and self.amount is not None:
            from steward.finance.currency import convert

            line = self.budget_line
            self.base_amount = convert(self.amount, line.currency, base_currency(), line.period.start_date)
        super().save(*args, **kwargs)
