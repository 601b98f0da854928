"""List tables of the innovation models."""

from __future__ import annotations

import django_tables2 as tables

from steward.core.tables import ChoiceBadgeColumn, RowLinkColumn, StateColumn, StewardTable
from steward.innovation import models as m


class CriteriaSetTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = m.CriteriaSet
        fields = ("pk", "name", "description")
        default_columns = ("name", "description")


class EvaluationCriterionTable(StewardTable):
    name = tables.Column(linkify=True)
    criteria_set = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = m.EvaluationCriterion
        fields = ("pk", "name", "criteria_set", "weight", "description")
        default_columns = ("name", "criteria_set", "weight", "description")


class IdeaTable(StewardTable):
    reference = tables.Column(linkify=True)
    state = StateColumn()
    category = ChoiceBadgeColumn()
    submitter = tables.Column(linkify=True)
    criteria_set = tables.Column(linkify=True)
    initiative = tables.Column(linkify=True)
    project = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = m.Idea
        fields = (
            "pk",
            "reference",
            "title",
            "state",
            "category",
            "submitter",
            "criteria_set",
            "initiative",
            "project",
            "created",
        )
        default_columns = (
            "reference",
            "title",
            "state",
            "category",
            "submitter",
            "criteria_set",
            "initiative",
            "project",
            "created",
        )


class IdeaVoteTable(StewardTable):
    link = RowLinkColumn()
    idea = tables.Column(linkify=True)
    voter = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = m.IdeaVote
        fields = ("pk", "link", "idea", "voter", "created")
        default_columns = ("link", "idea", "voter", "created")


class IdeaScoreTable(StewardTable):
    link = RowLinkColumn()
    idea = tables.Column(linkify=True)
    criterion = tables.Column(linkify=True)
    evaluator = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = m.IdeaScore
        fields = ("pk", "link", "idea", "criterion", "evaluator", "value", "comment")
        default_columns = ("link", "idea", "criterion", "evaluator", "value", "comment")


class RadarQuadrantTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = m.RadarQuadrant
        fields = ("pk", "name", "position", "description")
        default_columns = ("name", "position", "description")


class RadarEntryTable(StewardTable):
    name = tables.Column(linkify=True)
    quadrant = tables.Column(linkify=True)
    ring = ChoiceBadgeColumn()
    owner = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = m.RadarEntry
        fields = ("pk", "name", "quadrant", "ring", "owner", "last_updated")
        default_columns = ("name", "quadrant", "ring", "owner", "last_updated")


class RadarMovementTable(StewardTable):
    link = RowLinkColumn()
    entry = tables.Column(linkify=True)
    from_ring = ChoiceBadgeColumn()
    to_ring = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = m.RadarMovement
        fields = ("pk", "link", "entry", "date", "from_ring", "to_ring", "rationale")
        default_columns = ("link", "entry", "date", "from_ring", "to_ring", "rationale")


class RadarEditionTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = m.RadarEdition
        fields = ("pk", "name", "date")
        default_columns = ("name", "date")


class PilotTable(StewardTable):
    reference = tables.Column(linkify=True)
    state = StateColumn()
    idea = tables.Column(linkify=True)
    owner = tables.Column(linkify=True)
    decision = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = m.Pilot
        fields = ("pk", "reference", "title", "state", "idea", "owner", "start_date", "end_date", "decision")
        default_columns = (
            "reference",
            "title",
            "state",
            "idea",
            "owner",
            "start_date",
            "end_date",
            "decision",
        )


class SuccessCriterionTable(StewardTable):
    name = tables.Column(linkify=True)
    pilot = tables.Column(linkify=True)
    outcome = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = m.SuccessCriterion
        fields = ("pk", "name", "pilot", "target", "result", "outcome")
        default_columns = ("name", "pilot", "target", "result", "outcome")


class ChangePlanTable(StewardTable):
    reference = tables.Column(linkify=True)
    state = StateColumn()
    owner = tables.Column(linkify=True)
    project = tables.Column(linkify=True)
    change = tables.Column(linkify=True)
    pilot = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = m.ChangePlan
        fields = ("pk", "reference", "title", "state", "owner", "go_live", "project", "change", "pilot")
        default_columns = ("reference", "title", "state", "owner", "go_live", "project", "change", "pilot")


class StakeholderGroupTable(StewardTable):
    name = tables.Column(linkify=True)
    plan = tables.Column(linkify=True)
    influence = ChoiceBadgeColumn()
    interest = ChoiceBadgeColumn()
    impact_level = ChoiceBadgeColumn()
    adkar_stage = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = m.StakeholderGroup
        fields = ("pk", "name", "plan", "influence", "interest", "impact_level", "adkar_stage")
        default_columns = ("name", "plan", "influence", "interest", "impact_level", "adkar_stage")


class CommunicationMessageTable(StewardTable):
    subject = tables.Column(linkify=True)
    plan = tables.Column(linkify=True)
    channel = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = m.CommunicationMessage
        fields = ("pk", "subject", "plan", "channel", "send_on", "sent_at", "recipient_count")
        default_columns = ("subject", "plan", "channel", "send_on", "sent_at", "recipient_count")


class TrainingItemTable(StewardTable):
    title = tables.Column(linkify=True)
    plan = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = m.TrainingItem
        fields = ("pk", "title", "course", "plan", "date")
        default_columns = ("title", "course", "plan", "date")


class ReadinessSurveyTable(StewardTable):
    title = tables.Column(linkify=True)
    plan = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = m.ReadinessSurvey
        fields = ("pk", "title", "plan", "closes_at")
        default_columns = ("title", "plan", "closes_at")


class SurveyQuestionTable(StewardTable):
    text = tables.Column(linkify=True)
    survey = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = m.SurveyQuestion
        fields = ("pk", "text", "survey", "position")
        default_columns = ("text", "survey", "position")


class SurveyAnswerTable(StewardTable):
    link = RowLinkColumn()
    question = tables.Column(linkify=True)
    respondent = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = m.SurveyAnswer
        fields = ("pk", "link", "question", "respondent", "score", "comment")
        default_columns = ("link", "question", "respondent", "score", "comment")


class ReadinessItemTable(StewardTable):
    title = tables.Column(linkify=True)
    plan = tables.Column(linkify=True)
    owner = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = m.ReadinessItem
        fields = ("pk", "title", "plan", "owner", "due_date", "done")
        default_columns = ("title", "plan", "owner", "due_date", "done")


class AdoptionMetricTable(StewardTable):
    name = tables.Column(linkify=True)
    plan = tables.Column(linkify=True)
    kind = ChoiceBadgeColumn()
    software_product = tables.Column(linkify=True)
    catalogue_item = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = m.AdoptionMetric
        fields = ("pk", "name", "plan", "kind", "software_product", "catalogue_item", "target")
        default_columns = ("name", "plan", "kind", "software_product", "catalogue_item", "target")
