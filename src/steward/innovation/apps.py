from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationConfig(AppConfig):
    name = "steward.innovation"
    label = "innovation"
    verbose_name = _("Innovation and change")

    def ready(self) -> None:
        """Register models, menus, workflows, jobs and demo data with the core registry."""
        from steward.core import notifications
        from steward.core.dashboards import register_widget
        from steward.core.registry import MenuItem, registry
        from steward.core.workflow import register_workflow
        from steward.innovation import dashboard, demo, events, jobs, search, services, views, workflows  # noqa: F401
        from steward.innovation import models as m
        from steward.innovation.api import views as api

        register_workflow("innovation.idea", workflows.IDEA, model=m.Idea)
        register_workflow("innovation.pilot", workflows.PILOT, model=m.Pilot)
        register_workflow("innovation.changeplan", workflows.CHANGE_PLAN, model=m.ChangePlan)
        registry.register_event_types(events.EVENT_TYPES)
        notifications.register_kind(notifications.NotificationKind(
            services.COMMUNICATION_NOTIFICATION, _("Change communications addressed to me"), email=False,
        ))  # fmt: skip
        registry.demo_loaders.append((80, demo.load))
        for widget in dashboard.WIDGETS:
            register_widget(widget)
        ideas, change, config = "Innovation", "Organisational change", "Innovation settings"
        registry.menu_group(ideas, icon="bulb", weight=70)
        registry.menu_group(change, icon="users-group", weight=71)
        registry.menu_group(config, icon="adjustments", weight=72)
        for model, view, viewset, menu, icon, spec in (
            (m.Idea, views.IdeaViews, api.IdeaViewSet, (ideas, "Ideas"), "bulb", search.IDEA),
            (m.Pilot, views.PilotViews, api.PilotViewSet, (ideas, "Pilots"), "flask", search.PILOT),
            (m.RadarEntry, views.RadarEntryViews, api.RadarEntryViewSet, (ideas, "Radar entries"), "radar",
             search.RADAR_ENTRY),
            (m.RadarEdition, views.RadarEditionViews, api.RadarEditionViewSet, (ideas, "Radar editions"), "history",
             None),
            (m.RadarMovement, views.RadarMovementViews, api.RadarMovementViewSet, None, "arrows-move", None),
            (m.IdeaVote, views.IdeaVoteViews, api.IdeaVoteViewSet, None, "thumb-up", None),
            (m.IdeaScore, views.IdeaScoreViews, api.IdeaScoreViewSet, None, "star", None),
            (m.SuccessCriterion, views.SuccessCriterionViews, api.SuccessCriterionViewSet, None, "checkbox", None),
            (m.ChangePlan, views.ChangePlanViews, api.ChangePlanViewSet, (change, "Change plans"), "route",
             search.CHANGE_PLAN),
            (m.StakeholderGroup, views.StakeholderGroupViews, api.StakeholderGroupViewSet,
             (change, "Stakeholder groups"), "users", None),
            (m.CommunicationMessage, views.CommunicationMessageViews, api.CommunicationMessageViewSet,
             (change, "Communications"), "mail", None),
            (m.TrainingItem, views.TrainingItemViews, api.TrainingItemViewSet, (change, "Training"), "school", None),
            (m.ReadinessSurvey, views.ReadinessSurveyViews, api.ReadinessSurveyViewSet, (change, "Readiness surveys"),
             "clipboard-list", None),
            (m.SurveyQuestion, views.SurveyQuestionViews, api.SurveyQuestionViewSet, None, "help", None),
            (m.SurveyAnswer, views.SurveyAnswerViews, api.SurveyAnswerViewSet, None, "message", None),
            (m.ReadinessItem, views.ReadinessItemViews, api.ReadinessItemViewSet, (change, "Go-live checklist"),
             "list-check", None),
            (m.AdoptionMetric, views.AdoptionMetricViews, api.AdoptionMetricViewSet, (change, "Adoption metrics"),
             "chart-line", None),
            (m.CriteriaSet, views.CriteriaSetViews, api.CriteriaSetViewSet, (config, "Criteria sets"),
             "list-numbers", None),
            (m.EvaluationCriterion, views.EvaluationCriterionViews, api.EvaluationCriterionViewSet,
             (config, "Evaluation criteria"), "list-check", None),
            (m.RadarQuadrant, views.RadarQuadrantViews, api.RadarQuadrantViewSet, (config, "Radar quadrants"),
             "layout-grid", None),
        ):  # fmt: skip
            registry.register(model, views=view, viewset=viewset, menu=menu, icon=icon, search=spec)
        registry.menu_group(ideas).items[:0] = [
            MenuItem("Idea funnel", "innovation:idea_funnel", "innovation.view_idea", "filter"),
            MenuItem(
                "Technology radar", "innovation:radarentry_radar", "innovation.view_radarentry", "radar-2"
            ),
        ]
