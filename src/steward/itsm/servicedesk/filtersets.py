from __future__ import annotations

import django_filters

from steward.core.filtersets import StewardFilterSet
from steward.itsm import choices
from steward.itsm.filtersets import ref_filter
from steward.itsm.models import (
    AssignmentRule,
    CannedResponse,
    Incident,
    MailboxSettings,
    MailIntakeRule,
    MailMessage,
)


class AssignmentRuleFilterSet(StewardFilterSet):
    search_fields = ("name", "category", "description")
    method = django_filters.MultipleChoiceFilter(choices=choices.AssignmentMethod.choices)

    class Meta:
        model = AssignmentRule
        fields = ("name", "enabled", "service", "team", "method", "category", "required_skill")


class CannedResponseFilterSet(StewardFilterSet):
    search_fields = ("name", "body")
    kind = django_filters.MultipleChoiceFilter(choices=choices.NoteKind.choices)

    class Meta:
        model = CannedResponse
        fields = ("name", "kind", "team")


class MailMessageFilterSet(StewardFilterSet):
    search_fields = ("subject", "from_address", "message_id")
    direction = django_filters.MultipleChoiceFilter(choices=choices.MailDirection.choices)
    status = django_filters.MultipleChoiceFilter(choices=choices.MailStatus.choices)
    incident = ref_filter("incident", Incident)

    class Meta:
        model = MailMessage
        fields = ("incident", "service_request", "rule", "direction", "status", "message_id", "from_address")


class MailboxSettingsFilterSet(StewardFilterSet):
    search_fields = ("name", "host", "username", "address")

    class Meta:
        model = MailboxSettings
        fields = ("name", "enabled", "host")


class MailIntakeRuleFilterSet(StewardFilterSet):
    search_fields = ("name", "recipient", "sender_domain", "subject_regex", "keywords", "description")
    action = django_filters.MultipleChoiceFilter(choices=choices.MailIntakeAction.choices)

    class Meta:
        model = MailIntakeRule
        fields = ("name", "enabled", "mailbox", "action", "team", "catalogue_item")
