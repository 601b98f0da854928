import json
import re

import pytest

from steward.core.dashboards import Widget, register_widget
from steward.core.registry import registry
from steward.org.models import Department, Organisation, Person
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    org = Organisation.objects.create(name="Acme", slug="acme")
    it = Department.objects.create(organisation=org, name="IT", code="IT")
    Person.objects.create(first_name="Ada", last_name="L", email="ada@example.org", department=it)
    Person.objects.create(first_name="Alan", last_name="T", email="alan@example.org", department=it)
    Person.objects.create(first_name="Grace", last_name="H", email="grace@example.org")


def chart_data(html, name):
    match = re.search(
        rf'<script id="widget-{re.escape(name)}-data" type="application/json">(.*?)</script>', html
    )
    assert match, f"no chart data for {name}"
    return json.loads(match.group(1))


def test_home_renders_org_widgets_for_a_user_who_may_see_people(client, people):
    user = make_user("hr")
    grant(user, Person, "view")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert 'data-widget="org.people"' in html and 'data-widget="org.newest_people"' in html
    assert 'data-widget="org.teams"' not in html  # no permission on teams
    data = chart_data(html, "org.people_by_department")
    assert dict(zip(data["labels"], data["datasets"][0]["data"], strict=True)) == {
        "IT": 2,
        "No department": 1,
    }
    assert "dist/chartjs/chart.umd.min.js" in html and "steward/dashboard.js" in html
    assert "<script>" not in html  # no inline script: the CSP forbids it


def test_widget_data_is_restricted_to_rows_the_user_may_see(client, people):
    user = make_user("it")
    grant(user, Person, "view", constraints={"department__code": "IT"})
    client.force_login(user)
    html = client.get("/").content.decode()
    data = chart_data(html, "org.people_by_department")
    assert data["labels"] == ["IT"] and data["datasets"][0]["data"] == [2]
    assert "Grace" not in html


def test_user_without_permissions_sees_no_org_widgets_and_no_chart_script(client, people):
    client.force_login(make_user("nobody"))
    html = client.get("/").content.decode()
    assert 'data-widget="org.' not in html
    assert 'data-widget="core.unread"' in html
    assert "chart.umd.min.js" not in html


def test_a_failing_widget_shows_an_error_not_a_broken_page(client):
    def boom(user):
        raise RuntimeError("nope")

    widget = register_widget(Widget("test.boom", "Boom", "counter", boom))
    try:
        client.force_login(make_user("u"))
        response = client.get("/")
        assert response.status_code == 200
        assert "could not be loaded" in response.content.decode()
    finally:
        registry.dashboard_widgets.remove(widget)


def test_widget_definitions_are_checked():
    with pytest.raises(ValueError, match="kind must be one of"):
        Widget("x", "X", "pie", lambda user: {})
    with pytest.raises(ValueError, match="registered twice"):
        register_widget(Widget("org.people", "Again", "counter", lambda user: {}))
