from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.core.forms import StewardModelForm
from steward.org.models import Department, Person
from steward.strategy.choices import CashFlowCategory
from steward.strategy.models import (
    BusinessCaseLine,
    CriterionScore,
    Initiative,
    InitiativeAlignment,
    KeyResult,
    KeyResultMeasurement,
    Objective,
    PortfolioScenario,
    ScoringCriterion,
    ScoringModel,
)


class ObjectiveForm(StewardModelForm):
    class Meta:
        model = Objective
        fields = (
            "title", "parent", "perspective", "status", "owner", "period_start", "period_end", "description", "tags",
        )  # fmt: skip


class KeyResultForm(StewardModelForm):
    class Meta:
        model = KeyResult
        fields = ("objective", "title", "metric", "unit", "baseline", "target", "confidence", "owner", "tags")


class KeyResultMeasurementForm(StewardModelForm):
    class Meta:
        model = KeyResultMeasurement
        fields = ("key_result", "date", "value", "note", "tags")


class InitiativeForm(StewardModelForm):
    class Meta:
        model = Initiative
        fields = (
            "title", "summary", "sponsor", "department", "currency", "discount_rate", "risk_score",
            "start_date", "end_date", "project", "tags",
        )  # fmt: skip


class InitiativeAlignmentForm(StewardModelForm):
    class Meta:
        model = InitiativeAlignment
        fields = ("initiative", "objective", "score", "rationale", "tags")


class BusinessCaseLineForm(StewardModelForm):
    class Meta:
        model = BusinessCaseLine
        fields = ("initiative", "year", "kind", "category", "description", "planned", "realised", "tags")


class ScoringModelForm(StewardModelForm):
    class Meta:
        model = ScoringModel
        fields = ("name", "description", "tags")


class ScoringCriterionForm(StewardModelForm):
    class Meta:
        model = ScoringCriterion
        fields = ("scoring_model", "name", "weight", "source", "description", "tags")


class CriterionScoreForm(StewardModelForm):
    class Meta:
        model = CriterionScore
        fields = ("initiative", "criterion", "value", "comment", "tags")


class PortfolioScenarioForm(StewardModelForm):
    class Meta:
        model = PortfolioScenario
        fields = (
            "name", "scoring_model", "budget", "currency", "candidate_states", "mandatory", "description", "tags",
        )  # fmt: skip


class DateInput(forms.DateInput):
    input_type = "date"


class DemandIntakeForm(forms.Form):
    """A demand in one page: what, who asks, which objectives it serves and a first business case.

    ``strategy.services.submit_demand`` turns it into an initiative, its alignments and its
    business-case lines (the form only parses; the rules live in the service).
    """

    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Problem and proposed answer"), widget=forms.Textarea(attrs={"rows": 4}),
                              required=False)  # fmt: skip
    sponsor = forms.ModelChoiceField(Person.objects.all(), label=_("Sponsor"), required=False)
    department = forms.ModelChoiceField(Department.objects.all(), label=_("Requesting department"),
                                        required=False)  # fmt: skip
    objectives = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Objectives it serves"), required=False
    )
    fit_score = forms.IntegerField(label=_("Fit with those objectives (0–5)"), initial=3)
    start_date = forms.DateField(label=_("Planned start"), required=False, widget=DateInput)
    end_date = forms.DateField(label=_("Planned end"), required=False, widget=DateInput)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="EUR")
    investment = forms.DecimalField(label=_("Investment (year 0)"), max_digits=16, decimal_places=2,
                                    initial=Decimal(0))  # fmt: skip
    investment_category = forms.ChoiceField(
        label=_("Investment is"), initial=CashFlowCategory.CAPEX,
        choices=[(c.value, c.label) for c in (CashFlowCategory.CAPEX, CashFlowCategory.OPEX)],
    )  # fmt: skip
    running_cost = forms.DecimalField(label=_("Running cost per year"), max_digits=16, decimal_places=2,
                                      initial=Decimal(0))  # fmt: skip
    yearly_benefit = forms.DecimalField(label=_("Expected benefit per year"), max_digits=16, decimal_places=2,
                                        initial=Decimal(0))  # fmt: skip
    benefit_category = forms.ChoiceField(
        label=_("Benefit is"), initial=CashFlowCategory.SAVING,
        choices=[(c.value, c.label) for c in (CashFlowCategory.REVENUE, CashFlowCategory.SAVING,
                                              CashFlowCategory.AVOIDANCE)],
    )  # fmt: skip
    years = forms.IntegerField(label=_("Years of running cost and benefit"), initial=3)
    risk_score = forms.IntegerField(label=_("Risk score (1–25)"), initial=5,
                                    help_text=_("Likelihood × impact, 1 (negligible) to 25 (severe)."))  # fmt: skip
    propose = forms.BooleanField(label=_("Propose it to the portfolio board now"), required=False,
                                 help_text=_("Needs a sponsor and a planned start."))  # fmt: skip

    def __init__(self, *args: object, objectives: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objectives"].queryset = objectives if objectives is not None else Objective.objects.all()
