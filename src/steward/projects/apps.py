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
        from steward.projects.registration_resources import register_resources

        register_resources()
