"""The innovation models (one module per aggregate, re-exported here)."""

from steward.innovation.models.change import (
    AdoptionMetric,
    ChangePlan,
    CommunicationMessage,
    ReadinessItem,
    ReadinessSurvey,
    StakeholderGroup,
    SurveyAnswer,
    SurveyQuestion,
    TrainingItem,
)
from steward.innovation.models.ideas import CriteriaSet, EvaluationCriterion, Idea, IdeaScore, IdeaVote
from steward.innovation.models.pilots import Pilot, SuccessCriterion
from steward.innovation.models.radar import RadarEdition, RadarEntry, RadarMovement, RadarQuadrant

__all__ = [
    "AdoptionMetric", "ChangePlan", "CommunicationMessage", "CriteriaSet", "EvaluationCriterion", "Idea",
    "IdeaScore", "IdeaVote", "Pilot", "RadarEdition", "RadarEntry", "RadarMovement", "RadarQuadrant",
    "ReadinessItem", "ReadinessSurvey", "StakeholderGroup", "SuccessCriterion", "SurveyAnswer",
    "SurveyQuestion", "TrainingItem",
]  # fmt: skip
