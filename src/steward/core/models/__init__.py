from steward.core.models.auth import (
    STANDARD_ACTIONS,
    ObjectPermission,
    RoleSettings,
    Token,
    TokenScope,
    TOTPDevice,
    UserPreferences,
)
from steward.core.models.base import ConfigVersion, ReferenceMixin, RestrictedQuerySet, Sequence, StewardModel
from steward.core.models.changelog import ChangeAction, ChangeLogHead, ObjectChange
from steward.core.models.comments import Attachment, Comment
from steward.core.models.customfields import CustomField, CustomFieldType
from steward.core.models.events import (
    DeliveryStatus,
    EventRule,
    HttpMethod,
    RuleAction,
    Webhook,
    WebhookDelivery,
)
from steward.core.models.jobs import JobRun, JobRunStatus, JobSchedule, JobWorker
from steward.core.models.notifications import Notification, Subscription
from steward.core.models.search import SearchEntry
from steward.core.models.tags import Tag, TaggedItem
from steward.core.models.workflow import (
    WorkflowApproval,
    WorkflowDefinition,
    WorkflowHistory,
    WorkflowMixin,
)

__all__ = [
    "STANDARD_ACTIONS",
    "Attachment",
    "ChangeAction",
    "ChangeLogHead",
    "ConfigVersion",
    "Comment",
    "CustomField",
    "CustomFieldType",
    "DeliveryStatus",
    "EventRule",
    "HttpMethod",
    "JobRun",
    "JobRunStatus",
    "JobSchedule",
    "JobWorker",
    "ObjectChange",
    "ObjectPermission",
    "ReferenceMixin",
    "SearchEntry",
    "RestrictedQuerySet",
    "RuleAction",
    "RoleSettings",
    "Sequence",
    "StewardModel",
    "TOTPDevice",
    "Tag",
    "TaggedItem",
    "Token",
    "TokenScope",
    "UserPreferences",
    "Webhook",
    "WebhookDelivery",
    "Notification",
    "Subscription",
    "WorkflowApproval",
    "WorkflowDefinition",
    "WorkflowHistory",
    "WorkflowMixin",
]
