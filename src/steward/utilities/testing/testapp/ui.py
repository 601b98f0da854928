"""Views, API and workflow of the test app: the same parts a domain app declares."""

from __future__ import annotations

import django_tables2 as tables

from steward.core.api.serializers import StewardModelSerializer
from steward.core.api.viewsets import StewardModelViewSet
from steward.core.filtersets import StewardFilterSet
from steward.core.forms import StewardModelForm
from steward.core.tables import StewardTable
from steward.core.views import ObjectViews, Panel
from steward.utilities.testing.testapp.models import Ticket

#: Side effects append here so tests can see whether (and when) they ran.
EFFECTS: list[tuple[str, int]] = []

TICKET_WORKFLOW = {
    "states": [
        {"name": "new", "label": "New", "colour": "blue"},
        {"name": "in_progress", "label": "In progress", "colour": "yellow"},
        {"name": "resolved", "label": "Resolved", "colour": "green"},
        {"name": "closed", "label": "Closed", "colour": "secondary"},
        {"name": "cancelled", "label": "Cancelled", "colour": "red"},
    ],
    "initial": "new",
    "terminal": ["closed", "cancelled"],
    "transitions": [
        {"name": "start", "label": "Start work", "from": "new", "to": "in_progress"},
        {
            "name": "resolve",
            "label": "Resolve",
            "from": ["new", "in_progress"],
            "to": "resolved",
            "required_fields": ["resolution_code"],
            "fields": ["priority"],
        },
        {"name": "reopen", "from": "resolved", "to": "in_progress"},
        {
            "name": "close",
            "from": "resolved",
            "to": "closed",
            "permission": "approve",
            "approvals": 2,
            "approver_roles": ["Approvers"],
            "side_effects": ["testapp_record"],
        },
        {
            "name": "cancel",
            "from": ["new", "in_progress"],
            "to": "cancelled",
            "roles": ["Managers"],
            "guards": ["testapp_not_frozen"],
            "side_effects": ["testapp_record"],
        },
        {"name": "escalate", "from": "in_progress", "to": "in_progress", "conditions": {"priority__lte": 2}},
    ],
}


def not_frozen(*, obj: Ticket, actor: object) -> bool | str:
    return "A frozen ticket cannot be cancelled." if obj.frozen else True


def record_effect(*, obj: Ticket, transition: object, actor: object, history: object) -> None:
    EFFECTS.append((transition.name, obj.pk))


class TicketFilterSet(StewardFilterSet):
    search_fields = ("title",)

    class Meta:
        model = Ticket
        fields = ("state", "priority")


class TicketForm(StewardModelForm):
    class Meta:
        model = Ticket
        fields = ("title", "priority", "resolution_code", "frozen", "tags")


class TicketTable(StewardTable):
    title = tables.Column(linkify=True)

    class Meta(StewardTable.Meta):
        model = Ticket
        fields = ("pk", "title", "state", "priority")
        default_columns = ("title", "state", "priority")


class TicketViews(ObjectViews):
    filterset = TicketFilterSet
    form = TicketForm
    table = TicketTable
    panels = (Panel("Ticket", ("title", "state", "priority", "resolution_code", "frozen")),)


class TicketSerializer(StewardModelSerializer):
    class Meta(StewardModelSerializer.Meta):
        model = Ticket
        fields = ("id", "url", "display", "title", "state", "priority", "resolution_code", "frozen")


class TicketViewSet(StewardModelViewSet):
    queryset = Ticket.objects.all()
    serializer_class = TicketSerializer
    filterset_class = TicketFilterSet
