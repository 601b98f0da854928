"""Edit forms of the innovation models (the generic views and importers use them)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from steward.core.forms import StewardModelForm
from steward.innovation import models as m


class CriteriaSetForm(StewardModelForm):
    class Meta:
        model = m.CriteriaSet
        fields = ("name", "description", "tags")


class EvaluationCriterionForm(StewardModelForm):
    class Meta:
        model = m.EvaluationCriterion
        fields = ("criteria_set", "name", "weight", "description", "tags")


class IdeaForm(StewardModelForm):
    class Meta:
        model = m.Idea
        fields = ("title", "category", "submitter", "description", "expected_benefit", "criteria_set", "tags")


class IdeaVoteForm(StewardModelForm):
    class Meta:
        model = m.IdeaVote
        fields = ("idea", "voter", "comment", "tags")


class IdeaScoreForm(StewardModelForm):
    class Meta:
        model = m.IdeaScore
        fields = ("idea", "criterion", "evaluator", "value", "comment", "tags")


class RadarQuadrantForm(StewardModelForm):
    class Meta:
        model = m.RadarQuadrant
        fields = ("name", "position", "description", "tags")


class RadarEntryForm(StewardModelForm):
    """The ring is set when an entry is created; afterwards it changes through a movement."""

    class Meta:
        model = m.RadarEntry
        fields = ("name", "quadrant", "ring", "owner", "software_products", "description", "tags")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["ring"].disabled = True
            self.fields["ring"].help_text = _("Record a movement to change the ring.")


class RadarMovementForm(StewardModelForm):
    class Meta:
        model = m.RadarMovement
        fields = ("entry", "date", "to_ring", "rationale", "tags")


class RadarEditionForm(StewardModelForm):
    class Meta:
        model = m.RadarEdition
        fields = ("name", "date", "notes", "tags")


class PilotForm(StewardModelForm):
    class Meta:
        model = m.Pilot
        fields = (
            "title",
            "idea",
            "hypothesis",
            "owner",
            "projects",
            "start_date",
            "end_date",
            "decision",
            "decision_rationale",
            "tags",
        )


class SuccessCriterionForm(StewardModelForm):
    class Meta:
        model = m.SuccessCriterion
        fields = ("pilot", "name", "target", "result", "outcome", "tags")


class ChangePlanForm(StewardModelForm):
    class Meta:
        model = m.ChangePlan
        fields = ("title", "owner", "go_live", "project", "change", "pilot", "description", "tags")


class StakeholderGroupForm(StewardModelForm):
    class Meta:
        model = m.StakeholderGroup
        fields = (
            "plan",
            "name",
            "influence",
            "interest",
            "impact_level",
            "impact_description",
            "adkar_stage",
            "teams",
            "departments",
            "people",
            "tags",
        )


class CommunicationMessageForm(StewardModelForm):
    class Meta:
        model = m.CommunicationMessage
        fields = ("plan", "audience", "channel", "send_on", "subject", "body", "tags")


class TrainingItemForm(StewardModelForm):
    class Meta:
        model = m.TrainingItem
        fields = ("plan", "course", "title", "date", "audience", "notes", "tags")


class ReadinessSurveyForm(StewardModelForm):
    class Meta:
        model = m.ReadinessSurvey
        fields = ("plan", "title", "closes_at", "tags")


class SurveyQuestionForm(StewardModelForm):
    class Meta:
        model = m.SurveyQuestion
        fields = ("survey", "text", "position", "tags")


class SurveyAnswerForm(StewardModelForm):
    class Meta:
        model = m.SurveyAnswer
        fields = ("question", "respondent", "score", "comment", "tags")


class ReadinessItemForm(StewardModelForm):
    class Meta:
        model = m.ReadinessItem
        fields = ("plan", "title", "owner", "due_date", "done", "tags")


class AdoptionMetricForm(StewardModelForm):
    class Meta:
        model = m.AdoptionMetric
        fields = ("plan", "name", "kind", "software_product", "catalogue_item", "target", "tags")
