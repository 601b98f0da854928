from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "steward.talent"
    label = "talent"
    verbose_name = _("Skills and talent")

    def ready(self) -> None:
        """Register models, menus, workflows and demo data with the core registry."""
        from steward.core import notifications
        from steward.core.dashboards import register_widget
        from steward.core.registry import MenuItem, registry
        from steward.core.workflow import register_workflow
        from steward.talent import dashboard, demo, events, jobs, search, services, views, workflows  # noqa: F401
        from steward.talent import models as m
        from steward.talent.api import views as api

        register_workflow("talent.enrolment", workflows.ENROLMENT, model=m.Enrolment)
        register_workflow("talent.position", workflows.POSITION, model=m.OpenPosition)
        registry.register_event_types(events.EVENT_TYPES)
        notifications.register_kind(
            notifications.NotificationKind(
                services.CERTIFICATION_NOTIFICATION,
                _("A certification of mine is about to expire"),
                email=True,
            )
        )
        registry.demo_loaders.append((60, demo.load))
        for widget in dashboard.WIDGETS:
            register_widget(widget)
        people, catalogue = "Talent", "Skills catalogue"
        registry.menu_group(people, icon="users-group", weight=60)
        registry.menu_group(catalogue, icon="books", weight=61)
        for model, view, viewset, menu, icon, spec in (
            (m.Proficiency, views.ProficiencyViews, api.ProficiencyViewSet, (people, "Proficiencies"), "stars", None),
            (m.CertificationHolding, views.CertificationHoldingViews, api.CertificationHoldingViewSet,
             (people, "Certifications held"), "certificate", None),
            (m.Enrolment, views.EnrolmentViews, api.EnrolmentViewSet, (people, "Enrolments"), "school", None),
            (m.RoleAssignment, views.RoleAssignmentViews, api.RoleAssignmentViewSet, (people, "Roles of people"),
             "user-check", None),
            (m.DevelopmentPlan, views.DevelopmentPlanViews, api.DevelopmentPlanViewSet, (people, "Development plans"),
             "trending-up", None),
            (m.DevelopmentAction, views.DevelopmentActionViews, api.DevelopmentActionViewSet, None, "checkbox", None),
            (m.OpenPosition, views.OpenPositionViews, api.OpenPositionViewSet, (people, "Open positions"),
             "user-plus", search.POSITION),
            (m.PositionSkill, views.PositionSkillViews, api.PositionSkillViewSet, None, "list-check", None),
            (m.ProjectSkillDemand, views.ProjectSkillDemandViews, api.ProjectSkillDemandViewSet,
             (people, "Project skill demand"), "briefcase", None),
            (m.EstateSkillRequirement, views.EstateSkillRequirementViews, api.EstateSkillRequirementViewSet,
             (people, "Estate skill requirements"), "server", None),
            (m.Skill, views.SkillViews, api.SkillViewSet, (catalogue, "Skills"), "bulb", search.SKILL),
            (m.SkillCategory, views.SkillCategoryViews, api.SkillCategoryViewSet, (catalogue, "Skill categories"),
             "folders", None),
            (m.ProficiencyLevel, views.ProficiencyLevelViews, api.ProficiencyLevelViewSet,
             (catalogue, "Proficiency levels"), "stairs", None),
            (m.SkillLibrary, views.SkillLibraryViews, api.SkillLibraryViewSet, (catalogue, "Skills libraries"),
             "books", None),
            (m.Certification, views.CertificationViews, api.CertificationViewSet, (catalogue, "Certifications"),
             "certificate-2", search.CERTIFICATION),
            (m.Course, views.CourseViews, api.CourseViewSet, (catalogue, "Courses"), "school", search.COURSE),
            (m.CourseSkill, views.CourseSkillViews, api.CourseSkillViewSet, None, "target", None),
            (m.RoleProfile, views.RoleProfileViews, api.RoleProfileViewSet, (catalogue, "Role profiles"), "id-badge",
             search.ROLE),
            (m.RoleRequirement, views.RoleRequirementViews, api.RoleRequirementViewSet, None, "list-numbers", None),
            (m.CareerPath, views.CareerPathViews, api.CareerPathViewSet, (catalogue, "Career paths"), "stairs-up",
             None),
        ):  # fmt: skip
            registry.register(model, views=view, viewset=viewset, menu=menu, icon=icon, search=spec)
        registry.menu_group(people).items.extend(
            [
                MenuItem("Key-person risk", "talent:estateskillrequirement_coverage",
                         "talent.view_estateskillrequirement", "alert-triangle"),
                MenuItem("Team against project", "talent:projectskilldemand_gap", "talent.view_projectskilldemand",
                         "arrows-diff"),
                MenuItem("Workload", "talent:roleassignment_workload", "talent.view_roleassignment", "scale"),
            ]
        )  # fmt: skip
