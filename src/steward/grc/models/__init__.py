from steward.grc.models.assessments import Assessment, AssessmentResult, Finding, RemediationTask
from steward.grc.models.controls import Control, Evidence, Scoping
from steward.grc.models.frameworks import Framework, Requirement
from steward.grc.models.governance import (
    Acknowledgement,
    AcknowledgementCampaign,
    Indicator,
    Measurement,
    Policy,
    PolicyVersion,
    RaciAssignment,
    RaciMatrix,
)
from steward.grc.models.risks import Risk, RiskMatrix

__all__ = [
    "Acknowledgement",
    "AcknowledgementCampaign",
    "Assessment",
    "AssessmentResult",
    "Control",
    "Evidence",
    "Finding",
    "Framework",
    "Indicator",
    "Measurement",
    "Policy",
    "PolicyVersion",
    "RaciAssignment",
    "RaciMatrix",
    "RemediationTask",
    "Requirement",
    "Risk",
    "RiskMatrix",
    "Scoping",
]
