from steward.core.models.auth import (
    STANDARD_ACTIONS,
    ObjectPermission,
    RoleSettings,
    Token,
    TOTPDevice,
    UserPreferences,
)
from steward.core.models.base import ReferenceMixin, RestrictedQuerySet, Sequence, StewardModel
from steward.core.models.changelog import ChangeAction, ChangeLogHead, ObjectChange
from steward.core.models.comments import Attachment, Comment
from steward.core.models.customfields import CustomField, CustomFieldType
from steward.core.models.search import SearchEntry
from steward.core.models.tags import Tag, TaggedItem

__all__ = [
    "STANDARD_ACTIONS",
    "Attachment",
    "ChangeAction",
    "ChangeLogHead",
    "Comment",
    "CustomField",
    "CustomFieldType",
    "ObjectChange",
    "ObjectPermission",
    "ReferenceMixin",
    "SearchEntry",
    "RestrictedQuerySet",
    "RoleSettings",
    "Sequence",
    "StewardModel",
    "TOTPDevice",
    "Tag",
    "TaggedItem",
    "Token",
    "UserPreferences",
]
