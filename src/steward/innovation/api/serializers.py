"""REST serializers of the innovation models."""

from __future__ import annotations

from steward.core.api.serializers import StewardModelSerializer
from steward.innovation import models as m

COMMON = ("id", "url", "display", "tags", "custom_fields", "created", "last_updated")


class CriteriaSetSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.CriteriaSet
        fields = (*COMMON, "name", "description")
        brief_fields = ("id", "url", "display")


class EvaluationCriterionSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.EvaluationCriterion
        fields = (*COMMON, "criteria_set", "name", "weight", "description")
        brief_fields = ("id", "url", "display")


class IdeaSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.Idea
        fields = (
            *COMMON,
            "reference",
            "state",
            "title",
            "category",
            "submitter",
            "description",
            "expected_benefit",
            "criteria_set",
            "initiative",
            "project",
        )
        read_only_fields = ("initiative", "project")
        brief_fields = ("id", "url", "display", "reference")


class IdeaVoteSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.IdeaVote
        fields = (*COMMON, "idea", "voter", "comment")
        brief_fields = ("id", "url", "display")


class IdeaScoreSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.IdeaScore
        fields = (*COMMON, "idea", "criterion", "evaluator", "value", "comment")
        brief_fields = ("id", "url", "display")


class RadarQuadrantSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.RadarQuadrant
        fields = (*COMMON, "name", "position", "description")
        brief_fields = ("id", "url", "display")


class RadarEntrySerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.RadarEntry
        fields = (*COMMON, "name", "quadrant", "ring", "owner", "software_products", "description")
        brief_fields = ("id", "url", "display")


class RadarMovementSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.RadarMovement
        fields = (*COMMON, "entry", "date", "to_ring", "rationale", "from_ring")
        read_only_fields = ("from_ring",)
        brief_fields = ("id", "url", "display")


class RadarEditionSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.RadarEdition
        fields = (*COMMON, "name", "date", "notes", "snapshot")
        read_only_fields = ("snapshot",)
        brief_fields = ("id", "url", "display")


class PilotSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.Pilot
        fields = (
            *COMMON,
            "reference",
            "state",
            "title",
            "idea",
            "hypothesis",
            "owner",
            "projects",
            "start_date",
            "end_date",
            "decision",
            "decision_rationale",
        )
        brief_fields = ("id", "url", "display", "reference")


class SuccessCriterionSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.SuccessCriterion
        fields = (*COMMON, "pilot", "name", "target", "result", "outcome")
        brief_fields = ("id", "url", "display")


class ChangePlanSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.ChangePlan
        fields = (
            *COMMON,
            "reference",
            "state",
            "title",
            "owner",
            "go_live",
            "project",
            "change",
            "pilot",
            "description",
        )
        brief_fields = ("id", "url", "display", "reference")


class StakeholderGroupSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.StakeholderGroup
        fields = (
            *COMMON,
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
        )
        brief_fields = ("id", "url", "display")


class CommunicationMessageSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.CommunicationMessage
        fields = (
            *COMMON,
            "plan",
            "audience",
            "channel",
            "send_on",
            "subject",
            "body",
            "sent_at",
            "recipient_count",
        )
        read_only_fields = ("sent_at", "recipient_count")
        brief_fields = ("id", "url", "display")


class TrainingItemSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.TrainingItem
        fields = (*COMMON, "plan", "course", "title", "date", "audience", "notes")
        brief_fields = ("id", "url", "display")


class ReadinessSurveySerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.ReadinessSurvey
        fields = (*COMMON, "plan", "title", "closes_at")
        brief_fields = ("id", "url", "display")


class SurveyQuestionSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.SurveyQuestion
        fields = (*COMMON, "survey", "text", "position")
        brief_fields = ("id", "url", "display")


class SurveyAnswerSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.SurveyAnswer
        fields = (*COMMON, "question", "respondent", "score", "comment")
        brief_fields = ("id", "url", "display")


class ReadinessItemSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.ReadinessItem
        fields = (*COMMON, "plan", "title", "owner", "due_date", "done")
        brief_fields = ("id", "url", "display")


class AdoptionMetricSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = m.AdoptionMetric
        fields = (*COMMON, "plan", "name", "kind", "software_product", "catalogue_item", "target")
        brief_fields = ("id", "url", "display")
