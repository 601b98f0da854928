from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "steward.strategy"
    label = "strategy"
    verbose_name = _("Strategy and portfolio")

    def ready(self) -> None:
        from steward.core.dashboards import register_widget
        from steward.core.registry import MenuItem, registry
        from steward.core.workflow import register_workflow
        from steward.strategy import dashboard, demo, search, views, workflows
        from steward.strategy.api import views as api
        from steward.strategy.models import (
            BusinessCaseLine,
            CriterionScore,
            Initiative,
            InitiativeAlignment,
            KeyResult,
            KeyResultMeasurement,
            Objective,
            PortfolioScenario,
            ScoringCriterion,
            ScoringModel,
        )

        register_workflow("strategy.initiative", workflows.INITIATIVE, model=Initiative)
        registry.demo_loaders.append((15, demo.load))
        for widget in dashboard.WIDGETS:
            register_widget(widget)
        group, config = "Strategy", "Strategy settings"
        registry.menu_group(group, icon="target-arrow", weight=5)
        registry.menu_group(config, icon="adjustments", weight=6)
        for model, view, viewset, menu, icon, spec in (
            (Objective, views.ObjectiveViews, api.ObjectiveViewSet, (group, "Objectives"), "target", search.OBJECTIVE),
            (KeyResult, views.KeyResultViews, api.KeyResultViewSet, (group, "Key results"), "chart-line", None),
            (Initiative, views.InitiativeViews, api.InitiativeViewSet, (group, "Initiatives"), "bulb",
             search.INITIATIVE),
            (PortfolioScenario, views.PortfolioScenarioViews, api.PortfolioScenarioViewSet, (group, "Scenarios"),
             "scale", None),
            (ScoringModel, views.ScoringModelViews, api.ScoringModelViewSet, (config, "Scoring models"), "list-numbers",
             None),
            (ScoringCriterion, views.ScoringCriterionViews, api.ScoringCriterionViewSet, (config, "Scoring criteria"),
             "list-check", None),
            (KeyResultMeasurement, views.KeyResultMeasurementViews, api.KeyResultMeasurementViewSet, None, "ruler",
             None),
            (InitiativeAlignment, views.InitiativeAlignmentViews, api.InitiativeAlignmentViewSet, None, "link", None),
            (BusinessCaseLine, views.BusinessCaseLineViews, api.BusinessCaseLineViewSet, None, "cash", None),
            (CriterionScore, views.CriterionScoreViews, api.CriterionScoreViewSet, None, "star", None),
        ):  # fmt: skip
            registry.register(model, views=view, viewset=viewset, menu=menu, icon=icon, search=spec)
        registry.menu_group(group).items.extend(
            [
                MenuItem(
                    "Alignment matrix", "strategy:objective_alignment", "strategy.view_objective", "grid-dots"
                ),
                MenuItem("Roadmap", "strategy:initiative_roadmap", "strategy.view_initiative", "timeline"),
                MenuItem("Submit a demand", "strategy:initiative_intake", "strategy.add_initiative", "send"),
                MenuItem(
                    "Compare scenarios",
                    "strategy:portfolioscenario_compare",
                    "strategy.view_portfolioscenario",
                    "columns",
                ),
            ]
        )
