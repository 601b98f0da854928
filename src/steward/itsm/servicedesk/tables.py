from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from steward.core.tables import ChoiceBadgeColumn, StewardTable
from steward.itsm.models import AssignmentRule, CannedResponse, MailboxSettings, MailIntakeRule, MailMessage


class AssignmentRuleTable(StewardTable):
    name = tables.Column(linkify=True)
    team = tables.Column(linkify=True)
    method = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = AssignmentRule
        fields = ("pk", "order", "name", "enabled", "category", "service", "priorities", "team", "method",
                  "required_skill", "required_level", "last_assignee")  # fmt: skip
        default_columns = ("order", "name", "enabled", "category", "service", "priorities", "team", "method")


class CannedResponseTable(StewardTable):
    name = tables.Column(linkify=True)
    kind = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = CannedResponse
        fields = ("pk", "name", "kind", "team", "last_updated")
        default_columns = ("name", "kind", "team")


class MailMessageTable(StewardTable):
    subject = tables.Column(linkify=True, empty_values=())
    incident = tables.Column(linkify=True)
    service_request = tables.Column(linkify=True)
    direction = ChoiceBadgeColumn()
    status = ChoiceBadgeColumn()

    class Meta(StewardTable.Meta):
        model = MailMessage
        fields = ("pk", "created", "direction", "status", "from_address", "subject", "incident", "service_request",
                  "rule", "reason", "message_id", "source")  # fmt: skip
        default_columns = ("created", "direction", "status", "from_address", "subject", "incident", "reason")

    def render_subject(self, value: str) -> str:
        return value or str(_("(no subject)"))


class MailboxSettingsTable(StewardTable):
    name = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = MailboxSettings
        fields = ("pk", "name", "enabled", "host", "port", "username", "folder", "address", "unknown_senders")
        default_columns = ("name", "enabled", "host", "username", "folder", "address")


class MailIntakeRuleTable(StewardTable):
    name = tables.Column(linkify=True)
    action = ChoiceBadgeColumn()
    catalogue_item = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = MailIntakeRule
        fields = ("pk", "order", "name", "enabled", "mailbox", "recipient", "sender_domain", "subject_regex", "keywords",
                  "action", "category", "team", "catalogue_item", "body_field")  # fmt: skip
        default_columns = ("order", "name", "enabled", "mailbox", "recipient", "sender_domain", "subject_regex", "keywords",
                           "action", "team", "catalogue_item")  # fmt: skip
