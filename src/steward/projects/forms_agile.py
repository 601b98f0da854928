from __future__ import annotations

from steward.core.forms import StewardModelForm
from steward.projects.models import BacklogItem, GateCriterion, GateTemplate, Sprint, StageGate, WipLimit


class SprintForm(StewardModelForm):
    class Meta:
        model = Sprint
        fields = ("project", "name", "goal", "start_date", "end_date", "tags")


class BacklogItemForm(StewardModelForm):
    class Meta:
        model = BacklogItem
        fields = ("project", "kind", "title", "description", "story_points", "rank", "sprint", "epic", "assignee",
                  "tags")  # fmt: skip


class WipLimitForm(StewardModelForm):
    class Meta:
        model = WipLimit
        fields = ("project", "status", "limit", "tags")


class GateTemplateForm(StewardModelForm):
    class Meta:
        model = GateTemplate
        fields = ("name", "methodology", "description", "stages", "tags")


class StageGateForm(StewardModelForm):
    class Meta:
        model = StageGate
        fields = ("project", "name", "order", "opens", "approvers", "description", "tags")


class GateCriterionForm(StewardModelForm):
    class Meta:
        model = GateCriterion
        fields = ("gate", "text", "order", "met", "evidence", "tags")
