"""Change risk scoring from the configurable risk questions."""

from __future__ import annotations

from typing import Any

from steward.itsm.choices import RiskLevel

#: Score thresholds: below MEDIUM is low, from HIGH up is high.
MEDIUM_FROM = 5
HIGH_FROM = 10


def score_answers(answers: Any) -> tuple[int, str]:
    """The total score of ``answers`` (question key → option value) and its risk level."""
    from steward.itsm.models import RiskQuestion

    if not isinstance(answers, dict) or not answers:
        return 0, RiskLevel.LOW
    questions = {q.key: q for q in RiskQuestion.objects.filter(enabled=True, key__in=list(answers))}
    total = 0
    for key, value in answers.items():
        question = questions.get(key)
        score = question.score(value) if question else None
        total += max(score or 0, 0)
    level = (
        RiskLevel.HIGH if total >= HIGH_FROM else RiskLevel.MEDIUM if total >= MEDIUM_FROM else RiskLevel.LOW
    )
    return total, level
