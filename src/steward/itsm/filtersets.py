from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from steward.core.filtersets import StewardFilterSet
from steward.itsm import choices
from steward.itsm.models import (
    Alert,
    AlertIntakeSettings,
    Change,
    FreezeWindow,
    Incident,
    IncidentNote,
    PriorityMatrix,
    Problem,
    RiskQuestion,
    Service,
    ServiceOffering,
    SLAClock,
    SLAPolicy,
    TimeEntry,
)


def ref_filter(field_name: str, model: Any, *, distinct: bool = False) -> django_filters.Filter:
    """Filter by ids (``?incident=3,4``) or references (``?incident=INC0000003``) — never a select.

    Tickets number in the tens of thousands; a choice filter would render them all.
    """

    def method(queryset: QuerySet, name: str, value: str) -> QuerySet:
        items = [v.strip() for v in value.split(",") if v.strip()]
        ids = [int(v) for v in items if v.isdigit()]
        refs = [v.upper() for v in items if not v.isdigit()]
        q = Q(**{f"{field_name}__in": ids}) | Q(**{f"{field_name}__reference__in": refs})
        return (
            queryset.filter(q).distinct()
            if "__" in field_name or field_name.endswith("s")
            else queryset.filter(q)
        )

    label = str(model._meta.verbose_name).capitalize() if not isinstance(model, str) else model
    return django_filters.CharFilter(method=method, label=label)


class WorkflowStateFilter(django_filters.MultipleChoiceFilter):
    """The workflow states of a model as choices, read from the definition in force per request.

    Never a ``SELECT DISTINCT state`` over the whole table (what AllValuesMultipleFilter does),
    and no DISTINCT on the rows: ``state`` is a plain column.
    """

    def __init__(self, model: str, **kwargs: Any) -> None:
        self.workflow_model = model
        super().__init__(field_name="state", distinct=False, **kwargs)

    @property
    def field(self) -> Any:
        if not hasattr(self, "_field"):
            from django.apps import apps

            from steward.core.workflow import get_workflow

            states = get_workflow(apps.get_model(self.workflow_model)).states.values()
            self.extra["choices"] = [(s.name, s.label) for s in states]
        return super().field


def state_filter(model: str) -> WorkflowStateFilter:
    return WorkflowStateFilter(model)


class ServiceFilterSet(StewardFilterSet):
    search_fields = ("name", "description")
    kind = django_filters.MultipleChoiceFilter(choices=choices.ServiceKind.choices)
    criticality = django_filters.MultipleChoiceFilter(choices=choices.Criticality.choices)
    status = django_filters.MultipleChoiceFilter(choices=choices.LifecycleStatus.choices)
    configuration_item = ref_filter("configuration_items", "Configuration item", distinct=True)

    class Meta:
        model = Service
        fields = ("kind", "criticality", "status", "owner", "support_team", "default_sla_policy", "name")


class ServiceOfferingFilterSet(StewardFilterSet):
    search_fields = ("name", "description", "service__name")
    status = django_filters.MultipleChoiceFilter(choices=choices.LifecycleStatus.choices)

    class Meta:
        model = ServiceOffering
        fields = ("service", "status", "support_team", "default_sla_policy")


class PriorityMatrixFilterSet(StewardFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = PriorityMatrix
        fields = ("is_default", "name")


class IncidentFilterSet(StewardFilterSet):
    search_fields = (
        "reference",
        "short_description",
        "description",
        "category",
        "subcategory",
        "external_reference",
    )
    state = state_filter("itsm.Incident")
    priority = django_filters.MultipleChoiceFilter(choices=choices.Priority.choices, distinct=False)
    impact = django_filters.MultipleChoiceFilter(choices=choices.Impact.choices, distinct=False)
    urgency = django_filters.MultipleChoiceFilter(choices=choices.Urgency.choices, distinct=False)
    type = django_filters.MultipleChoiceFilter(choices=choices.IncidentType.choices, distinct=False)
    open = django_filters.BooleanFilter(method="filter_open", label="Open")
    unassigned = django_filters.BooleanFilter(field_name="assignee", lookup_expr="isnull", label="Unassigned")
    no_team = django_filters.BooleanFilter(
        field_name="assignment_team", lookup_expr="isnull", label="No team"
    )
    parent = ref_filter("parent", Incident)
    caused_by_change = ref_filter("caused_by_change", Change)
    configuration_item = ref_filter("configuration_item", "Affected configuration item")

    class Meta:
        model = Incident
        fields = (
            "reference", "state", "priority", "impact", "urgency", "type", "caller", "service", "service_offering",
            "category", "subcategory", "assignment_team", "assignee", "parent", "major_incident", "caused_by_change",
            "configuration_item", "external_reference",
        )  # fmt: skip

    def filter_open(self, queryset, name, value):  # noqa: ANN001, ANN201
        closed = ("resolved", "closed")
        return queryset.exclude(state__in=closed) if value else queryset.filter(state__in=closed)


class IncidentNoteFilterSet(StewardFilterSet):
    search_fields = ("body",)
    kind = django_filters.MultipleChoiceFilter(choices=choices.NoteKind.choices)
    incident = ref_filter("incident", Incident)

    class Meta:
        model = IncidentNote
        fields = ("incident", "kind", "author")


class TimeEntryFilterSet(StewardFilterSet):
    search_fields = ("note",)
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    incident = ref_filter("incident", Incident)

    class Meta:
        model = TimeEntry
        fields = ("incident", "person", "date")


class SLAPolicyFilterSet(StewardFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = SLAPolicy
        fields = ("enabled", "service", "incident_type", "calendar", "name")


class SLAClockFilterSet(StewardFilterSet):
    search_fields = ("incident__reference", "incident__short_description")
    kind = django_filters.MultipleChoiceFilter(choices=choices.ClockKind.choices)
    status = django_filters.MultipleChoiceFilter(choices=choices.ClockStatus.choices)
    due_before = django_filters.IsoDateTimeFilter(field_name="due_at", lookup_expr="lte")
    incident = ref_filter("incident", Incident)

    class Meta:
        model = SLAClock
        fields = ("incident", "policy", "kind", "status", "breached")


class ProblemFilterSet(StewardFilterSet):
    search_fields = ("reference", "short_description", "description", "root_cause", "workaround", "category")
    state = state_filter("itsm.Problem")
    priority = django_filters.MultipleChoiceFilter(choices=choices.Priority.choices)
    incident = ref_filter("incidents", Incident, distinct=True)

    class Meta:
        model = Problem
        fields = (
            "reference", "state", "priority", "service", "category", "assignment_team", "assignee", "known_error",
            "incident",
        )  # fmt: skip


class RiskQuestionFilterSet(StewardFilterSet):
    search_fields = ("key", "text")

    class Meta:
        model = RiskQuestion
        fields = ("enabled", "key")


class FreezeWindowFilterSet(StewardFilterSet):
    search_fields = ("name", "description")
    active_at = django_filters.IsoDateTimeFilter(method="filter_active_at", label="Active at")

    class Meta:
        model = FreezeWindow
        fields = ("services", "name")

    def filter_active_at(self, queryset, name, value):  # noqa: ANN001, ANN201
        return queryset.filter(start__lte=value, end__gt=value)


class ChangeFilterSet(StewardFilterSet):
    search_fields = ("reference", "short_description", "description")
    state = state_filter("itsm.Change")
    type = django_filters.MultipleChoiceFilter(choices=choices.ChangeType.choices)
    risk_level = django_filters.MultipleChoiceFilter(choices=choices.RiskLevel.choices)
    start_after = django_filters.IsoDateTimeFilter(field_name="planned_start", lookup_expr="gte")
    start_before = django_filters.IsoDateTimeFilter(field_name="planned_start", lookup_expr="lte")

    class Meta:
        model = Change
        fields = (
            "reference", "state", "type", "service", "requested_by", "assignment_team", "assignee", "risk_level",
            "has_conflicts",
        )  # fmt: skip


class AlertIntakeSettingsFilterSet(StewardFilterSet):
    search_fields = ("receiver", "category", "description")

    class Meta:
        model = AlertIntakeSettings
        fields = ("receiver", "service", "assignment_team", "resolve_on_clear")


class AlertFilterSet(StewardFilterSet):
    search_fields = ("fingerprint", "name", "host", "severity")
    status = django_filters.MultipleChoiceFilter(choices=choices.AlertStatus.choices)
    started_after = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    started_before = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lte")

    class Meta:
        model = Alert
        fields = ("fingerprint", "name", "severity", "receiver", "host", "incident", "configuration_item")
