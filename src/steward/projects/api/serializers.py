from __future__ import annotations

from rest_framework import serializers

from steward.core.api.serializers import StewardModelSerializer
from steward.projects.models import Baseline, Portfolio, Programme, Project, Task, TaskDependency

COMMON = ("id", "url", "display", "tags", "custom_fields", "created", "last_updated")


class PortfolioSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Portfolio
        fields = (*COMMON, "name", "owner", "description")
        brief_fields = ("id", "url", "display", "name")


class ProgrammeSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Programme
        fields = (*COMMON, "portfolio", "name", "manager", "description")
        brief_fields = ("id", "url", "display", "name")


class ProjectSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Project
        fields = (*COMMON, "reference", "name", "programme", "initiative", "objectives", "methodology", "status", "health",
                  "sponsor", "manager", "start_date", "end_date", "budget", "currency", "description")  # fmt: skip
        read_only_fields = ("end_date",)
        brief_fields = ("id", "url", "display", "reference")


class TaskSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Task
        fields = (*COMMON, "project", "parent", "wbs", "name", "duration", "assignee", "allocation",
                  "estimate_hours", "budget", "actual_cost", "percent_complete", "start_date", "finish_date",
                  "early_start", "early_finish", "late_start", "late_finish", "slack", "is_critical")  # fmt: skip
        read_only_fields = ("start_date", "finish_date", "early_start", "early_finish", "late_start", "late_finish",
                            "slack", "is_critical")  # fmt: skip
        brief_fields = ("id", "url", "display", "wbs")


class TaskDependencySerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = TaskDependency
        fields = (*COMMON, "predecessor", "successor", "type", "lag")
        brief_fields = ("id", "url", "display")


class BaselineSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Baseline
        fields = (*COMMON, "project", "name", "is_current", "tasks")
        read_only_fields = ("tasks",)
        brief_fields = ("id", "url", "display", "name")


class EarnedValueSerializer(serializers.Serializer):
    status_date = serializers.DateField()
    bac = serializers.DecimalField(max_digits=18, decimal_places=2)
    pv = serializers.DecimalField(max_digits=18, decimal_places=2)
    ev = serializers.DecimalField(max_digits=18, decimal_places=2)
    ac = serializers.DecimalField(max_digits=18, decimal_places=2)
    cpi = serializers.DecimalField(max_digits=10, decimal_places=3, allow_null=True)
    spi = serializers.DecimalField(max_digits=10, decimal_places=3, allow_null=True)
    eac = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    etc = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    vac = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    cv = serializers.DecimalField(max_digits=18, decimal_places=2)
    sv = serializers.DecimalField(max_digits=18, decimal_places=2)
