from steward.itsm.models.alerts import Alert, AlertIntakeSettings
from steward.itsm.models.catalogue import (
    ApprovalDelegation,
    ApprovalStep,
    CatalogueCategory,
    CatalogueItem,
    FulfilmentTask,
    FulfilmentTaskTemplate,
    RequestApproval,
    ServiceRequest,
)
from steward.itsm.models.changes import Change, FreezeWindow, RiskQuestion
from steward.itsm.models.desk import AssignmentRule, CannedResponse
from steward.itsm.models.incidents import Incident, IncidentNote, PriorityMatrix, TimeEntry, priority_for
from steward.itsm.models.knowledge import ArticleFeedback, ArticleVersion, KnowledgeArticle, KnowledgeCategory
from steward.itsm.models.mail import MailboxSettings, MailIntakeRule, MailMessage
from steward.itsm.models.problems import Problem
from steward.itsm.models.services import Service, ServiceOffering
from steward.itsm.models.slas import SLAClock, SLAPolicy
from steward.itsm.models.surveys import SurveyResponse

__all__ = [
    "Alert",
    "AlertIntakeSettings",
    "AssignmentRule",
    "CannedResponse",
    "MailIntakeRule",
    "MailMessage",
    "MailboxSettings",
    "SurveyResponse",
    "ArticleFeedback",
    "ArticleVersion",
    "KnowledgeArticle",
    "KnowledgeCategory",
    "ApprovalDelegation",
    "ApprovalStep",
    "CatalogueCategory",
    "CatalogueItem",
    "FulfilmentTask",
    "FulfilmentTaskTemplate",
    "RequestApproval",
    "ServiceRequest",
    "Change",
    "FreezeWindow",
    "Incident",
    "IncidentNote",
    "PriorityMatrix",
    "Problem",
    "RiskQuestion",
    "SLAClock",
    "SLAPolicy",
    "Service",
    "ServiceOffering",
    "TimeEntry",
    "priority_for",
]
