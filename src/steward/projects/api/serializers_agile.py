from __future__ import annotations

from rest_framework import serializers

from steward.core.api.serializers import StewardModelSerializer
from steward.projects.models import BacklogItem, GateCriterion, GateTemplate, Sprint, StageGate, WipLimit

COMMON = ("id", "url", "display", "tags", "custom_fields", "created", "last_updated")


class SprintSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Sprint
        fields = (*COMMON, "project", "name", "goal", "start_date", "end_date", "state", "carry_over_to",
                  "committed_points", "completed_points")  # fmt: skip
        read_only_fields = ("state", "carry_over_to", "committed_points", "completed_points")
        brief_fields = ("id", "url", "display", "name", "state")


class BacklogItemSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = BacklogItem
        fields = (*COMMON, "reference", "project", "kind", "title", "description", "story_points", "rank", "state",
                  "sprint", "epic", "assignee")  # fmt: skip
        read_only_fields = ("state",)
        brief_fields = ("id", "url", "display", "reference", "state")


class WipLimitSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = WipLimit
        fields = (*COMMON, "project", "status", "limit")
        brief_fields = ("id", "url", "display", "status", "limit")


class GateTemplateSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = GateTemplate
        fields = (*COMMON, "name", "methodology", "description", "stages")
        brief_fields = ("id", "url", "display", "name")


class StageGateSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = StageGate
        fields = (*COMMON, "project", "name", "order", "opens", "state", "approvers", "description")
        read_only_fields = ("state",)
        brief_fields = ("id", "url", "display", "name", "state")


class GateCriterionSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = GateCriterion
        fields = (*COMMON, "gate", "text", "order", "met", "evidence")
        brief_fields = ("id", "url", "display", "text", "met")


class MoveSerializer(serializers.Serializer):
    state = serializers.CharField(help_text="The board column (workflow state) to move the item to.")


class RankSerializer(serializers.Serializer):
    order = serializers.ListField(
        child=serializers.IntegerField(), help_text="Item ids, most important first."
    )


class BurndownSerializer(serializers.Serializer):
    labels = serializers.ListField(child=serializers.CharField())
    ideal = serializers.ListField(child=serializers.FloatField())
    remaining = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    committed = serializers.IntegerField()


class VelocitySerializer(serializers.Serializer):
    labels = serializers.ListField(child=serializers.CharField())
    completed = serializers.ListField(child=serializers.IntegerField())
    committed = serializers.ListField(child=serializers.IntegerField())
    mean = serializers.FloatField(allow_null=True)
