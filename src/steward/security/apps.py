from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "steward.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self) -> None:
        from steward.core.dashboards import register_widget
        from steward.core.registry import MenuItem, registry
        from steward.core.workflow import register_workflow
        from steward.security import dashboard, demo, events, jobs, search, views, workflows  # noqa: F401
        from steward.security.api import views as api
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

        register_workflow("security.finding", workflows.FINDING, model=Finding)
        register_workflow("security.incident", workflows.INCIDENT, model=SecurityIncident)
        register_workflow("security.access_review", workflows.ACCESS_REVIEW, model=AccessReview)
        registry.register_event_types(events.EVENT_TYPES)
        registry.demo_loaders.append((40, demo.load))
        for widget in dashboard.WIDGETS:
            register_widget(widget)
        group, config = "Security", "Security settings"
        registry.menu_group(group, icon="shield-lock", weight=40)
        registry.menu_group(config, icon="shield-cog", weight=41)
        for model, view, viewset, menu, icon, search_spec in (
            (Finding, views.FindingViews, api.FindingViewSet, (group, "Findings"), "bug", search.FINDING),
            (Advisory, views.AdvisoryViews, api.AdvisoryViewSet, (group, "Advisories"), "shield-exclamation",
             search.ADVISORY),
            (SecurityIncident, views.SecurityIncidentViews, api.SecurityIncidentViewSet, (group, "Security incidents"),
             "alert-octagon", search.INCIDENT),
            (AccessReview, views.AccessReviewViews, api.AccessReviewViewSet, (group, "Access reviews"), "user-check",
             None),
            (AccessDecision, views.AccessDecisionViews, api.AccessDecisionViewSet, None, "checkbox", None),
            (Entitlement, views.EntitlementViews, api.EntitlementViewSet, (group, "Entitlements"), "key", None),
            (AffectedPackage, views.AffectedPackageViews, api.AffectedPackageViewSet, None, "package", None),
            (SeverityPolicy, views.SeverityPolicyViews, api.SeverityPolicyViewSet, (config, "Severity policies"),
             "clock-exclamation", None),
        ):  # fmt: skip
            registry.register(model, views=view, viewset=viewset, menu=menu, icon=icon, search=search_spec)
        registry.menu_group(group).items.append(
            MenuItem("Import advisories", "security:advisory_upload", "security.add_advisory", "upload")
        )
