from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ItsmConfig(AppConfig):
    name = "steward.itsm"
    label = "itsm"
    verbose_name = _("IT service management")

    def ready(self) -> None:
        from steward.core import configcache, notifications
        from steward.itsm.models import AssignmentRule, PriorityMatrix, SLAPolicy

        configcache.watch(AssignmentRule, PriorityMatrix, SLAPolicy)
        from steward.core.dashboards import register_widget
        from steward.core.registry import registry
        from steward.core.workflow import register_workflow
        from steward.itsm import (  # noqa: F401
            alerts,
            dashboard,
            demo,
            events,
            jobs,
            services,
            services_surveys,  # noqa: F401 - registers the survey side effect
            views,
            workflows,
        )
        from steward.itsm.api import views as api
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

        register_workflow("itsm.incident", workflows.INCIDENT, model=Incident)
        register_workflow("itsm.problem", workflows.PROBLEM, model=Problem)
        register_workflow("itsm.change", workflows.CHANGE, model=Change)
        registry.register_event_types(events.EVENT_TYPES)
        notifications.register_kind(
            notifications.NotificationKind(
                services.SLA_NOTIFICATION,
                _("An SLA of an incident I work on is at risk or breached"),
                email=True,
            )
        )
        registry.token_scopes[alerts.TOKEN_SCOPE] = _("Alert intake (Prometheus Alertmanager webhook)")
        registry.demo_loaders.append((30, demo.load))
        # Catalogue, requests, knowledge base and surveys register themselves in one place.
        from steward.itsm import registration_catalogue

        registration_catalogue.register()
        for widget in dashboard.WIDGETS:
            register_widget(widget)

        registry.menu_group("Service management", icon="headset", weight=30)
        desk, config = "Service management", "Service management settings"
        registry.menu_group(config, icon="adjustments", weight=31)
        for model, view, viewset, menu, icon in (
            (Incident, views.IncidentViews, api.IncidentViewSet, (desk, "Incidents"), "alert-triangle"),
            (Problem, views.ProblemViews, api.ProblemViewSet, (desk, "Problems"), "bug"),
            (Change, views.ChangeViews, api.ChangeViewSet, (desk, "Changes"), "git-pull-request"),
            (Service, views.ServiceViews, api.ServiceViewSet, (desk, "Services"), "server-cog"),
            (ServiceOffering, views.ServiceOfferingViews, api.ServiceOfferingViewSet, (config, "Service offerings"),
             "package"),
            (SLAPolicy, views.SLAPolicyViews, api.SLAPolicyViewSet, (config, "SLA policies"), "clock"),
            (PriorityMatrix, views.PriorityMatrixViews, api.PriorityMatrixViewSet, (config, "Priority matrices"),
             "grid-dots"),
            (RiskQuestion, views.RiskQuestionViews, api.RiskQuestionViewSet, (config, "Risk questions"), "scale"),
            (FreezeWindow, views.FreezeWindowViews, api.FreezeWindowViewSet, (config, "Freeze windows"), "snowflake"),
            (Alert, views.AlertViews, api.AlertViewSet, (desk, "Alerts"), "bell-ringing"),
            (AlertIntakeSettings, views.AlertIntakeSettingsViews, api.AlertIntakeSettingsViewSet,
             (config, "Alert intake"), "bell-cog"),
            (IncidentNote, views.IncidentNoteViews, api.IncidentNoteViewSet, None, "notes"),
            (TimeEntry, views.TimeEntryViews, api.TimeEntryViewSet, None, "clock-hour-4"),
            (SLAClock, None, api.SLAClockViewSet, None, "clock"),
        ):  # fmt: skip
            registry.register(model, views=view, viewset=viewset, menu=menu, icon=icon)

        # --- service desk: queues, routing, canned responses, mail (steward.itsm.servicedesk) ---
        from steward.itsm.servicedesk import registration as desk_registration

        desk_registration.ready()
