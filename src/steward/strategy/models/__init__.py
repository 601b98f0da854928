from steward.strategy.models.initiatives import BusinessCaseLine, Initiative, InitiativeAlignment
from steward.strategy.models.objectives import KeyResult, KeyResultMeasurement, Objective
from steward.strategy.models.portfolio import (
    CriterionScore,
    PortfolioScenario,
    ScoringCriterion,
    ScoringModel,
)

__all__ = [
    "BusinessCaseLine",
    "CriterionScore",
    "Initiative",
    "InitiativeAlignment",
    "KeyResult",
    "KeyResultMeasurement",
    "Objective",
    "PortfolioScenario",
    "ScoringCriterion",
    "ScoringModel",
]
