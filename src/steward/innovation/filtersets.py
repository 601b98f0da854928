from __future__ import annotations

import django_filters

from steward.core.filtersets import StewardFilterSet
from steward.innovation import models as m
from steward.innovation.choices import (
    AdkarStage,
    Channel,
    IdeaCategory,
    ImpactLevel,
    Level,
    MetricKind,
    PilotDecision,
    Ring,
)


class CriteriaSetFilterSet(StewardFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = m.CriteriaSet
        fields = ("name",)


class EvaluationCriterionFilterSet(StewardFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = m.EvaluationCriterion
        fields = ("criteria_set", "name")


class IdeaFilterSet(StewardFilterSet):
    search_fields = ("reference", "title", "description", "expected_benefit")
    category = django_filters.MultipleChoiceFilter(choices=IdeaCategory.choices)

    class Meta:
        model = m.Idea
        fields = ("reference", "state", "category", "submitter", "criteria_set", "initiative", "project")


class IdeaVoteFilterSet(StewardFilterSet):
    class Meta:
        model = m.IdeaVote
        fields = ("idea", "voter")


class IdeaScoreFilterSet(StewardFilterSet):
    search_fields = ("comment",)

    class Meta:
        model = m.IdeaScore
        fields = ("idea", "criterion", "evaluator")


class RadarQuadrantFilterSet(StewardFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = m.RadarQuadrant
        fields = ("name", "position")


class RadarEntryFilterSet(StewardFilterSet):
    search_fields = ("name", "description")
    ring = django_filters.MultipleChoiceFilter(choices=Ring.choices)

    class Meta:
        model = m.RadarEntry
        fields = ("name", "quadrant", "ring", "owner", "software_products")


class RadarMovementFilterSet(StewardFilterSet):
    search_fields = ("rationale",)
    to_ring = django_filters.MultipleChoiceFilter(choices=Ring.choices)

    class Meta:
        model = m.RadarMovement
        fields = ("entry", "date", "from_ring", "to_ring")


class RadarEditionFilterSet(StewardFilterSet):
    search_fields = ("name", "notes")

    class Meta:
        model = m.RadarEdition
        fields = ("name", "date")


class PilotFilterSet(StewardFilterSet):
    search_fields = ("reference", "title", "hypothesis")
    decision = django_filters.MultipleChoiceFilter(choices=PilotDecision.choices)

    class Meta:
        model = m.Pilot
        fields = ("reference", "state", "idea", "owner", "decision", "projects")


class SuccessCriterionFilterSet(StewardFilterSet):
    search_fields = ("name", "target", "result")

    class Meta:
        model = m.SuccessCriterion
        fields = ("pilot", "outcome")


class ChangePlanFilterSet(StewardFilterSet):
    search_fields = ("reference", "title", "description")

    class Meta:
        model = m.ChangePlan
        fields = ("reference", "state", "owner", "project", "change", "pilot")


class StakeholderGroupFilterSet(StewardFilterSet):
    search_fields = ("name", "impact_description")
    influence = django_filters.MultipleChoiceFilter(choices=Level.choices)
    interest = django_filters.MultipleChoiceFilter(choices=Level.choices)
    impact_level = django_filters.MultipleChoiceFilter(choices=ImpactLevel.choices)
    adkar_stage = django_filters.MultipleChoiceFilter(choices=AdkarStage.choices)

    class Meta:
        model = m.StakeholderGroup
        fields = ("plan", "influence", "interest", "impact_level", "adkar_stage")


class CommunicationMessageFilterSet(StewardFilterSet):
    search_fields = ("subject", "body")
    channel = django_filters.MultipleChoiceFilter(choices=Channel.choices)
    sent = django_filters.BooleanFilter(
        field_name="sent_at", lookup_expr="isnull", exclude=True, label="Sent"
    )

    class Meta:
        model = m.CommunicationMessage
        fields = ("plan", "channel", "send_on", "audience")


class TrainingItemFilterSet(StewardFilterSet):
    search_fields = ("title", "notes")

    class Meta:
        model = m.TrainingItem
        fields = ("plan", "course", "date", "audience")


class ReadinessSurveyFilterSet(StewardFilterSet):
    search_fields = ("title",)

    class Meta:
        model = m.ReadinessSurvey
        fields = ("plan",)


class SurveyQuestionFilterSet(StewardFilterSet):
    search_fields = ("text",)

    class Meta:
        model = m.SurveyQuestion
        fields = ("survey",)


class SurveyAnswerFilterSet(StewardFilterSet):
    search_fields = ("comment",)

    class Meta:
        model = m.SurveyAnswer
        fields = ("question", "respondent", "score")


class ReadinessItemFilterSet(StewardFilterSet):
    search_fields = ("title",)

    class Meta:
        model = m.ReadinessItem
        fields = ("plan", "owner", "done", "due_date")


class AdoptionMetricFilterSet(StewardFilterSet):
    search_fields = ("name",)
    kind = django_filters.MultipleChoiceFilter(choices=MetricKind.choices)

    class Meta:
        model = m.AdoptionMetric
        fields = ("plan", "kind", "software_product", "catalogue_item")
