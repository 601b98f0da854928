from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrcConfig(AppConfig):
    name = "steward.grc"
    label = "grc"
    verbose_name = _("Governance, risk and compliance")

    def ready(self) -> None:
        from steward.core import notifications
        from steward.core.dashboards import register_widget
        from steward.core.registry import MenuItem, registry
        from steward.core.workflow import register_workflow
        from steward.grc import dashboard, demo, events, jobs, search, services, views, workflows  # noqa: F401
        from steward.grc import models as m
        from steward.grc.api import views as api

        register_workflow("grc.assessment", workflows.ASSESSMENT, model=m.Assessment)
        register_workflow("grc.finding", workflows.FINDING, model=m.Finding)
        register_workflow("grc.risk", workflows.RISK, model=m.Risk)
        register_workflow("grc.policy", workflows.POLICY, model=m.Policy)
        registry.register_event_types(events.EVENT_TYPES)
        for kind, label in (
            (services.POLICY_REVIEW_NOTIFICATION, _("A policy I own is due for review")),
            (services.ACK_NOTIFICATION, _("I am asked to acknowledge a policy")),
        ):
            notifications.register_kind(notifications.NotificationKind(kind, label, email=True))
        registry.demo_loaders.append((50, demo.load))
        for widget in dashboard.WIDGETS:
            register_widget(widget)

        comp, risk, gov = "Compliance", "Risk", "Governance"
        registry.menu_group(comp, icon="certificate", weight=40)
        registry.menu_group(risk, icon="alert-octagon", weight=41)
        registry.menu_group(gov, icon="building-bank", weight=42)
        for model, view, viewset, menu, icon, spec in (
            (m.Framework, views.FrameworkViews, api.FrameworkViewSet, (comp, "Frameworks"), "books", search.FRAMEWORK),
            (m.Requirement, views.RequirementViews, api.RequirementViewSet, (comp, "Requirements"), "list-check",
             search.REQUIREMENT),
            (m.Control, views.ControlViews, api.ControlViewSet, (comp, "Controls"), "shield-check", search.CONTROL),
            (m.Scoping, views.ScopingViews, api.ScopingViewSet, (comp, "Scoping"), "target", None),
            (m.Evidence, views.EvidenceViews, api.EvidenceViewSet, (comp, "Evidence"), "file-certificate",
             search.EVIDENCE),
            (m.Assessment, views.AssessmentViews, api.AssessmentViewSet, (comp, "Assessments"), "clipboard-check",
             search.ASSESSMENT),
            (m.AssessmentResult, views.AssessmentResultViews, api.AssessmentResultViewSet, None, "checkbox", None),
            (m.Finding, views.FindingViews, api.FindingViewSet, (comp, "Findings"), "flag", search.FINDING),
            (m.RemediationTask, views.RemediationTaskViews, api.RemediationTaskViewSet, (comp, "Remediation tasks"),
             "checklist", None),
            (m.Risk, views.RiskViews, api.RiskViewSet, (risk, "Risk register"), "alert-octagon", search.RISK),
            (m.RiskMatrix, views.RiskMatrixViews, api.RiskMatrixViewSet, (risk, "Risk matrices"), "grid-dots", None),
            (m.Policy, views.PolicyViews, api.PolicyViewSet, (gov, "Policies"), "file-text", search.POLICY),
            (m.PolicyVersion, views.PolicyVersionViews, api.PolicyVersionViewSet, None, "versions", None),
            (m.AcknowledgementCampaign, views.AcknowledgementCampaignViews, api.AcknowledgementCampaignViewSet,
             (gov, "Acknowledgement campaigns"), "signature", None),
            (m.Acknowledgement, views.AcknowledgementViews, api.AcknowledgementViewSet, None, "check", None),
            (m.RaciMatrix, views.RaciMatrixViews, api.RaciMatrixViewSet, (gov, "RACI matrices"), "table", None),
            (m.RaciAssignment, views.RaciAssignmentViews, api.RaciAssignmentViewSet, None, "user-check", None),
            (m.Indicator, views.IndicatorViews, api.IndicatorViewSet, (gov, "KPIs and KRIs"), "gauge",
             search.INDICATOR),
            (m.Measurement, views.MeasurementViews, api.MeasurementViewSet, None, "chart-line", None),
        ):  # fmt: skip
            registry.register(model, views=view, viewset=viewset, menu=menu, icon=icon, search=spec)
        registry.menu_group(comp).items.append(
            MenuItem("Import a framework", "grc:framework_upload", "grc.add_framework", "upload")
        )
        registry.menu_group(risk).items.append(
            MenuItem("Heat map", "grc:risk_heat_map", "grc.view_risk", "flame")
        )
        registry.menu_group(gov).items.append(
            MenuItem("Scorecard", "grc:indicator_scorecard", "grc.view_indicator", "report-analytics")
        )
