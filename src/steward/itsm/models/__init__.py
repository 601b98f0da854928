from steward.itsm.models.alerts import Alert, AlertIntakeSettings
from steward.itsm.models.changes import Change, FreezeWindow, RiskQuestion
from steward.itsm.models.desk import AssignmentRule, CannedResponse
from steward.itsm.models.incidents import Incident, IncidentNote, PriorityMatrix, TimeEntry, priority_for
from steward.itsm.models.mail import MailboxSettings, MailMessage
from steward.itsm.models.problems import Problem
from steward.itsm.models.services import Service, ServiceOffering
from steward.itsm.models.slas import SLAClock, SLAPolicy

__all__ = [
    "Alert",
    "AlertIntakeSettings",
    "AssignmentRule",
    "CannedResponse",
    "MailMessage",
    "MailboxSettings",
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
