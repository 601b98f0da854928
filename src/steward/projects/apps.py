from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "steward.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from steward.core.registry import registry
        from steward.core.search import SearchSpec
        from steward.projects import demo, views
        from steward.projects.api import views as api
        from steward.projects.models import Baseline, Portfolio, Programme, Project, Task, TaskDependency

        registry.demo_loaders.append((40, demo.load))
        group = "Projects"
        registry.menu_group(group, icon="briefcase", weight=20)
        project_search = SearchSpec(
            fields={"reference": 3, "name": 3, "description": 1}, summary="description"
        )
        for model, view, viewset, menu, icon, spec in (
            (
                Project,
                views.ProjectViews,
                api.ProjectViewSet,
                (group, "Projects"),
                "briefcase",
                project_search,
            ),
            (Task, views.TaskViews, api.TaskViewSet, (group, "Tasks"), "checklist", None),
            (Programme, views.ProgrammeViews, api.ProgrammeViewSet, (group, "Programmes"), "stack-2", None),
            (Portfolio, views.PortfolioViews, api.PortfolioViewSet, (group, "Portfolios"), "folders", None),
            (TaskDependency, views.TaskDependencyViews, api.TaskDependencyViewSet, None, "arrow-right", None),
            (Baseline, views.BaselineViews, api.BaselineViewSet, None, "bookmark", None),
        ):
            registry.register(model, views=view, viewset=viewset, menu=menu, icon=icon, search=spec)
        register_agile()
        from steward.projects.registration_resources import register_resources

        register_resources()


def register_agile() -> None:
    """Sprints, backlog items, WIP limits and stage gates: models, workflows, demo data."""
    from steward.core.registry import registry
    from steward.core.search import SearchSpec
    from steward.core.workflow import register_workflow
    from steward.projects import demo_agile, services_agile, services_governance, views_agile, workflows
    from steward.projects.api import views_agile as api
    from steward.projects.models import BacklogItem, GateCriterion, GateTemplate, Sprint, StageGate, WipLimit

    del services_agile, services_governance  # imported for their guards, actions and approver policy
    register_workflow("projects.sprint", workflows.SPRINT, model=Sprint)
    register_workflow("projects.backlogitem", workflows.BACKLOG_ITEM, model=BacklogItem)
    register_workflow("projects.stagegate", workflows.STAGE_GATE, model=StageGate)
    registry.demo_loaders.append((41, demo_agile.load))
    group, config = "Projects", "Project settings"
    registry.menu_group(config, icon="adjustments", weight=21)
    item_search = SearchSpec(fields={"reference": 3, "title": 3, "description": 1}, summary="description")
    for model, view, viewset, menu, icon, spec in (
        (BacklogItem, views_agile.BacklogItemViews, api.BacklogItemViewSet, (group, "Backlog items"), "list-details",
         item_search),
        (Sprint, views_agile.SprintViews, api.SprintViewSet, (group, "Sprints"), "run", None),
        (StageGate, views_agile.StageGateViews, api.StageGateViewSet, (group, "Stage gates"), "door-enter", None),
        (GateCriterion, views_agile.GateCriterionViews, api.GateCriterionViewSet, None, "list-check", None),
        (WipLimit, views_agile.WipLimitViews, api.WipLimitViewSet, (config, "WIP limits"), "gauge", None),
        (GateTemplate, views_agile.GateTemplateViews, api.GateTemplateViewSet, (config, "Gate templates"),
         "template", None),
    ):  # fmt: skip
        registry.register(model, views=view, viewset=viewset, menu=menu, icon=icon, search=spec)
