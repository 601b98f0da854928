"""Ideas: submission, votes, weighted evaluation and promotion to an initiative or a project."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel, WorkflowMixin
from steward.innovation.choices import IdeaCategory
from steward.utilities.choices import ChoiceField


class CriteriaSet(StewardModel):
    """A named set of weighted criteria that evaluators score ideas against (data, not code)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")

    def __str__(self) -> str:
        return self.name


class EvaluationCriterion(StewardModel):
    """One criterion of a set: its weight and what a 0–10 score on it means."""

    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("criteria set")
    )
    name = models.CharField(_("name"), max_length=100)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )  # fmt: skip
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ("criteria_set", "-weight", "name", "id")
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        constraints = [
            models.UniqueConstraint(fields=("criteria_set", "name"), name="innovation_criterion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.criteria_set}: {self.name} ×{self.weight}"


class Idea(ReferenceMixin, WorkflowMixin, StewardModel):
    """An improvement someone proposes; it runs the funnel new → evaluating → pilot → adopted."""

    reference_prefix = "IDEA"
    reference_digits = 5
    workflow = "innovation.idea"

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    submitter = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="ideas",
        verbose_name=_("submitter"),
    )  # fmt: skip
    category = ChoiceField(_("category"), choices_class=IdeaCategory, default=IdeaCategory.OTHER)
    expected_benefit = models.TextField(_("expected benefit"), blank=True)
    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.PROTECT, null=True, blank=True, related_name="ideas",
        verbose_name=_("criteria set"), help_text=_("The criteria evaluators score this idea against."),
    )  # fmt: skip
    initiative = models.ForeignKey(
        "strategy.Initiative", on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="ideas", verbose_name=_("initiative"),
    )  # fmt: skip
    project = models.ForeignKey(
        "projects.Project", on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="ideas", verbose_name=_("project"),
    )  # fmt: skip

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("-created", "-id")
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()


class IdeaVote(StewardModel):
    """One person's support for an idea; a person votes at most once per idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes", verbose_name=_("idea"))
    voter = models.ForeignKey(
        "org.Person", on_delete=models.CASCADE, related_name="idea_votes", verbose_name=_("voter")
    )
    comment = models.CharField(_("comment"), max_length=300, blank=True, help_text=_("Why I support it."))

    class Meta:
        ordering = ("idea", "voter", "id")
        verbose_name = _("idea vote")
        verbose_name_plural = _("idea votes")
        constraints = [models.UniqueConstraint(fields=("idea", "voter"), name="innovation_vote_unique")]

    def __str__(self) -> str:
        return f"{self.voter} → {self.idea.reference}"

    def validate_unique(self, exclude: object = None) -> None:
        # A clearer message than the constraint's generic one.
        qs = IdeaVote.objects.filter(idea_id=self.idea_id, voter_id=self.voter_id).exclude(pk=self.pk)
        if self.idea_id and self.voter_id and qs.exists():
            raise ValidationError(
                {"voter": _("%(voter)s has already voted for this idea.") % {"voter": self.voter}}
            )
        super().validate_unique(exclude=exclude)


class IdeaScore(StewardModel):
    """The 0–10 score an evaluator gave an idea on one criterion of its set."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="scores", verbose_name=_("idea"))
    criterion = models.ForeignKey(
        EvaluationCriterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    evaluator = models.ForeignKey(
        "org.Person", on_delete=models.CASCADE, related_name="idea_scores", verbose_name=_("evaluator")
    )
    value = models.DecimalField(
        _("score"), max_digits=4, decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(10))],
    )  # fmt: skip
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        ordering = ("idea", "criterion", "evaluator", "id")
        verbose_name = _("idea score")
        verbose_name_plural = _("idea scores")
        constraints = [
            models.UniqueConstraint(
                fields=("idea", "criterion", "evaluator"), name="innovation_score_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idea.reference} {self.criterion.name}: {self.value}"

    def clean(self) -> None:
        super().clean()
        if self.idea_id and self.criterion_id:
            if self.idea.criteria_set_id is None:
                raise ValidationError({"idea": _("Choose a criteria set for the idea before scoring it.")})
            if self.criterion.criteria_set_id != self.idea.criteria_set_id:
                raise ValidationError(
                    {"criterion": _("The criterion is not in the idea's criteria set (%(set)s).")
                     % {"set": self.idea.criteria_set}}
                )  # fmt: skip
