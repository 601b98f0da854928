from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from steward.cmdb.choices import Ecosystem
from steward.cmdb.models import ConfigurationItem
from steward.core.filtersets import StewardFilterSet
from steward.core.forms import RemoteSelect
from steward.security.choices import (
    AccessDecisionChoice,
    AdvisorySource,
    FindingState,
    IncidentCategory,
    Severity,
)
from steward.security.forms import ITEMS_URL
from steward.security.models import (
    AccessDecision,
    AccessReview,
    Advisory,
    AffectedPackage,
    Entitlement,
    Finding,
    SecurityIncident,
    SeverityPolicy,
)


class AdvisoryFilterSet(StewardFilterSet):
    search_fields = ("identifier", "summary")
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices)
    source = django_filters.MultipleChoiceFilter(choices=AdvisorySource.choices)
    alias = django_filters.CharFilter(method="filter_alias", label="Identifier or alias")
    package = django_filters.CharFilter(field_name="affected_packages__name", distinct=True)

    class Meta:
        model = Advisory
        fields = ("identifier", "severity", "source", "known_exploited")

    def filter_alias(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Aliases are a JSON list; a contains lookup is not portable to SQLite, the text form is.
        value = value.strip()
        return queryset.filter(Q(identifier=value) | Q(aliases__icontains=f'"{value}"'))


class AffectedPackageFilterSet(StewardFilterSet):
    search_fields = ("name", "advisory__identifier")
    ecosystem = django_filters.MultipleChoiceFilter(choices=Ecosystem.choices)

    class Meta:
        model = AffectedPackage
        fields = ("advisory", "ecosystem", "name", "osv_ecosystem")


class SeverityPolicyFilterSet(StewardFilterSet):
    search_fields = ("severity", "description")

    class Meta:
        model = SeverityPolicy
        fields = ("severity",)


class FindingFilterSet(StewardFilterSet):
    search_fields = ("reference", "advisory__identifier", "configuration_item__name", "product__name")
    state = django_filters.MultipleChoiceFilter(choices=FindingState.choices)
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices)
    configuration_item = django_filters.ModelChoiceFilter(
        queryset=ConfigurationItem.objects.all(), widget=RemoteSelect(ITEMS_URL)
    )
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lt")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Overdue")

    class Meta:
        model = Finding
        fields = ("reference", "state", "severity", "advisory", "product", "assignee", "configuration_item")

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        from django.utils import timezone

        if value is None:
            return queryset
        late = Q(state__in=("open", "in_progress"), due_date__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class SecurityIncidentFilterSet(StewardFilterSet):
    search_fields = ("reference", "title", "description")
    category = django_filters.MultipleChoiceFilter(choices=IncidentCategory.choices)
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices)

    class Meta:
        model = SecurityIncident
        fields = ("reference", "state", "category", "severity", "personal_data_breach", "handler")


class EntitlementFilterSet(StewardFilterSet):
    search_fields = ("role", "person__last_name", "person__email", "system__name")
    system = django_filters.ModelChoiceFilter(
        queryset=ConfigurationItem.objects.all(), widget=RemoteSelect(ITEMS_URL)
    )

    class Meta:
        model = Entitlement
        fields = ("person", "system", "role", "active")


class AccessReviewFilterSet(StewardFilterSet):
    search_fields = ("reference", "name")

    class Meta:
        model = AccessReview
        fields = ("reference", "state", "reviewer_rule")


class AccessDecisionFilterSet(StewardFilterSet):
    search_fields = ("role", "person__last_name", "system__name", "comment")
    decision = django_filters.MultipleChoiceFilter(choices=AccessDecisionChoice.choices)

    class Meta:
        model = AccessDecision
        fields = ("review", "decision", "reviewer", "person", "role")
