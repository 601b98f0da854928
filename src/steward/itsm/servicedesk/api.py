"""REST endpoints of the service desk models."""

from __future__ import annotations

from steward.core.api.serializers import StewardModelSerializer
from steward.core.api.viewsets import StewardModelViewSet
from steward.itsm.api.serializers import COMMON
from steward.itsm.models import AssignmentRule, CannedResponse, MailboxSettings, MailIntakeRule, MailMessage
from steward.itsm.servicedesk import filtersets


class AssignmentRuleSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = AssignmentRule
        fields = (*COMMON, "name", "enabled", "order", "category", "service", "priorities", "team", "method",
                  "required_skill", "required_level", "last_assignee", "description")  # fmt: skip
        read_only_fields = ("last_assignee",)
        brief_fields = ("id", "url", "display", "name")


class CannedResponseSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = CannedResponse
        fields = (*COMMON, "name", "kind", "team", "body")
        brief_fields = ("id", "url", "display", "name")


class MailMessageSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = MailMessage
        fields = (*COMMON, "incident", "service_request", "rule", "mailbox", "direction", "status", "reason", "message_id",
                  "in_reply_to", "references", "from_address", "to_addresses", "subject", "body_text", "sent_at",
                  "source")  # fmt: skip
        brief_fields = ("id", "url", "display", "subject")


class MailboxSettingsSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = MailboxSettings
        fields = (*COMMON, "name", "enabled", "host", "port", "use_ssl", "username", "password_env", "folder",
                  "address", "unknown_senders", "default_team")  # fmt: skip
        brief_fields = ("id", "url", "display", "name")


class AssignmentRuleViewSet(StewardModelViewSet):
    queryset = AssignmentRule.objects.all()
    serializer_class = AssignmentRuleSerializer
    filterset_class = filtersets.AssignmentRuleFilterSet


class CannedResponseViewSet(StewardModelViewSet):
    queryset = CannedResponse.objects.all()
    serializer_class = CannedResponseSerializer
    filterset_class = filtersets.CannedResponseFilterSet


class MailMessageViewSet(StewardModelViewSet):
    queryset = MailMessage.objects.all()
    serializer_class = MailMessageSerializer
    filterset_class = filtersets.MailMessageFilterSet


class MailIntakeRuleSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = MailIntakeRule
        fields = (*COMMON, "name", "enabled", "order", "mailbox", "recipient", "sender_domain", "subject_regex", "keywords",
                  "action", "category", "team", "catalogue_item", "body_field", "description")  # fmt: skip
        brief_fields = ("id", "url", "display", "name")


class MailIntakeRuleViewSet(StewardModelViewSet):
    queryset = MailIntakeRule.objects.all()
    serializer_class = MailIntakeRuleSerializer
    filterset_class = filtersets.MailIntakeRuleFilterSet


class MailboxSettingsViewSet(StewardModelViewSet):
    queryset = MailboxSettings.objects.all()
    serializer_class = MailboxSettingsSerializer
    filterset_class = filtersets.MailboxSettingsFilterSet
