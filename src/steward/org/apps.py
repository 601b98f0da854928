from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _person_id(user):  # noqa: ANN001, ANN202
    person = getattr(user, "person", None) if user.is_authenticated else None
    return person.pk if person else None


def _team_ids(user):  # noqa: ANN001, ANN202
    from steward.org.models import Team

    return list(Team.objects.filter(members__user=user).values_list("pk", flat=True))


class OrgConfig(AppConfig):
    name = "steward.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from steward.core.dashboards import register_widget
        from steward.core.registry import registry
        from steward.org import dashboard, demo, search, views
        from steward.org.api import views as api
        from steward.org.models import (
            BusinessCalendar,
            CalendarDate,
            Department,
            Location,
            Organisation,
            Person,
            Team,
        )

        registry.demo_loaders.append((10, demo.load))
        for widget in dashboard.WIDGETS:
            register_widget(widget)
        registry.constraint_tokens["person"] = _person_id
        registry.constraint_tokens["teams"] = _team_ids
        group = "Organisation"
        registry.menu_group(group, icon="building-community", weight=10)
        registry.register(
            Person,
            views=views.PersonViews,
            viewset=api.PersonViewSet,
            menu=(group, "People"),
            icon="user",
            search=search.PERSON,
        )
        registry.register(
            Team,
            views=views.TeamViews,
            viewset=api.TeamViewSet,
            menu=(group, "Teams"),
            icon="users",
            search=search.TEAM,
        )
        registry.register(
            Department,
            views=views.DepartmentViews,
            viewset=api.DepartmentViewSet,
            menu=(group, "Departments"),
            icon="sitemap",
            search=search.DEPARTMENT,
        )
        registry.register(
            Location,
            views=views.LocationViews,
            viewset=api.LocationViewSet,
            menu=(group, "Locations"),
            icon="map-pin",
            search=search.LOCATION,
        )
        registry.register(
            Organisation,
            views=views.OrganisationViews,
            viewset=api.OrganisationViewSet,
            menu=(group, "Organisations"),
            icon="building",
            search=search.ORGANISATION,
        )
        registry.register(
            BusinessCalendar,
            views=views.BusinessCalendarViews,
            viewset=api.BusinessCalendarViewSet,
            menu=(group, "Business calendars"),
            icon="calendar",
        )
        registry.register(
            CalendarDate,
            views=views.CalendarDateViews,
            viewset=api.CalendarDateViewSet,
            menu=(group, "Calendar dates"),
            icon="calendar-event",
        )
