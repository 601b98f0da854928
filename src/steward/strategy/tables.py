from __future__ import annotations

import django_tables2 as tables

from steward.core.tables import ChoiceBadgeColumn, RowLinkColumn, StateColumn, StewardTable
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


class ObjectiveTable(StewardTable):
    reference = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    perspective = ChoiceBadgeColumn()
    status = ChoiceBadgeColumn()
    owner = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Objective
        fields = (
            "pk",
            "reference",
            "title",
            "parent",
            "perspective",
            "status",
            "owner",
            "period_start",
            "period_end",
        )
        default_columns = ("reference", "title", "perspective", "status", "owner", "period_end")


class KeyResultTable(StewardTable):
    title = tables.Column(linkify=True)
    objective = tables.Column(linkify=True)
    confidence = ChoiceBadgeColumn()
    progress = tables.Column(verbose_name="Progress %", orderable=False, accessor="progress")

    class Meta(StewardTable.Meta):
        model = KeyResult
        fields = (
            "pk",
            "title",
            "objective",
            "metric",
            "baseline",
            "target",
            "current",
            "confidence",
            "owner",
        )
        default_columns = ("title", "objective", "baseline", "target", "current", "progress", "confidence")


class KeyResultMeasurementTable(StewardTable):
    key_result = tables.Column(linkify=True)
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = KeyResultMeasurement
        fields = ("pk", "key_result", "date", "value", "note", "link")
        default_columns = ("key_result", "date", "value", "note", "link")


class InitiativeTable(StewardTable):
    reference = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    state = StateColumn()
    sponsor = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Initiative
        fields = (
            "pk", "reference", "title", "state", "sponsor", "department", "currency", "risk_score",
            "start_date", "end_date", "project",
        )  # fmt: skip
        default_columns = ("reference", "title", "state", "sponsor", "risk_score", "start_date", "end_date")


class InitiativeAlignmentTable(StewardTable):
    initiative = tables.Column(linkify=True)
    objective = tables.Column(linkify=True)
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = InitiativeAlignment
        fields = ("pk", "initiative", "objective", "score", "rationale", "link")
        default_columns = ("initiative", "objective", "score", "rationale", "link")


class BusinessCaseLineTable(StewardTable):
    initiative = tables.Column(linkify=True)
    kind = ChoiceBadgeColumn()
    category = ChoiceBadgeColumn()
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = BusinessCaseLine
        fields = (
            "pk",
            "initiative",
            "year",
            "kind",
            "category",
            "description",
            "planned",
            "realised",
            "link",
        )
        default_columns = ("initiative", "year", "kind", "category", "planned", "realised", "link")


class ScoringModelTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = ScoringModel
        fields = ("pk", "name", "description")
        default_columns = ("name", "description")


class ScoringCriterionTable(StewardTable):
    name = tables.Column(linkify=True)
    scoring_model = tables.Column(linkify=True)
    source = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = ScoringCriterion
        fields = ("pk", "scoring_model", "name", "weight", "source", "description")
        default_columns = ("scoring_model", "name", "weight", "source")


class CriterionScoreTable(StewardTable):
    initiative = tables.Column(linkify=True)
    criterion = tables.Column(linkify=True)
    link = RowLinkColumn()

    class Meta(StewardTable.Meta):
        model = CriterionScore
        fields = ("pk", "initiative", "criterion", "value", "comment", "link")
        default_columns = ("initiative", "criterion", "value", "comment", "link")


class PortfolioScenarioTable(StewardTable):
    name = tables.Column(linkify=True)
    scoring_model = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = PortfolioScenario
        fields = (
            "pk",
            "name",
            "scoring_model",
            "budget",
            "currency",
            "total_cost",
            "total_score",
            "computed",
        )
        default_columns = (
            "name",
            "scoring_model",
            "budget",
            "currency",
            "total_cost",
            "total_score",
            "computed",
        )
