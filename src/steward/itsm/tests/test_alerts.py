"""Alert intake: payload checks, deduplication, clears, settings, token scope, generic UI/API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from rest_framework.test import APIClient

from steward.cmdb.models import CIClass, ConfigurationItem
from steward.core.models import Token
from steward.itsm import alerts, services
from steward.itsm.models import Alert, AlertIntakeSettings, Incident, IncidentNote, Service
from steward.org.models import Team
from steward.utilities.testing import grant, make_user
from steward.utilities.testing.api import APITestCases
from steward.utilities.testing.views import ViewTestCases

URL = "/api/itsm/alerts/alertmanager/"
T0 = "2026-11-24T10:00:00.123456789Z"


def raw_alert(fingerprint: str = "a1b2c3d4e5f60718", status: str = "firing", **labels: str) -> dict[str, Any]:
    return {
        "status": status,
        "labels": {"alertname": "NodeDown", "instance": "web-01.example.org:9100", "severity": "critical",
                   **labels},
        "annotations": {"summary": "Node exporter is down", "description": "No scrape for 5 minutes."},
        "startsAt": T0,
        "endsAt": "2026-11-24T10:30:00Z" if status == "resolved" else "0001-01-01T00:00:00Z",
        "generatorURL": "http://prometheus:9090/graph?g0.expr=up",
        "fingerprint": fingerprint,
    }  # fmt: skip


def payload(*items: dict[str, Any], receiver: str = "steward") -> dict[str, Any]:
    return {"version": "4", "receiver": receiver, "status": items[0]["status"], "alerts": list(items),
            "groupKey": "{}:{}", "commonLabels": {}, "groupLabels": {}, "externalURL": "http://am"}  # fmt: skip


@pytest.fixture
def intake_user(db):
    user = make_user("alertmanager")
    user.groups.add(Group.objects.get_or_create(name="Incident managers")[0])
    grant(user, Incident, "view", "add", "change")
    grant(user, Alert, "view", "add", "change")
    grant(user, IncidentNote, "view", "add")
    return user


@pytest.fixture
def intake_client(intake_user):
    _token, key = Token.issue(user=intake_user, scope=alerts.TOKEN_SCOPE)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def web01(db):
    cls = CIClass.objects.filter(abstract=False).order_by("pk").first()
    return ConfigurationItem.objects.create(name="web-01", ci_class=cls)


def ingest(body: dict[str, Any], actor: Any) -> services.AlertIntakeResult:
    return services.ingest_alerts(notification=alerts.parse_notification(body), actor=actor)


# --- parsing ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("label", "host"),
    [
        ("node1:9100", "node1"),
        ("web-01.example.org:9100", "web-01.example.org"),
        ("[2001:db8::1]:9100", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("http://user@web:8080/metrics", "web"),
        ("10.0.0.5", "10.0.0.5"),
        ("", ""),
    ],
)
def test_host_from_label_strips_scheme_path_and_port(label, host):
    assert alerts.host_from_label(label) == host


def test_parse_reads_go_timestamps_and_zero_end():
    parsed = alerts.parse_notification(payload(raw_alert())).alerts[0]
    assert parsed.starts_at == dt.datetime(2026, 11, 24, 10, 0, 0, 123456, tzinfo=dt.UTC)
    assert parsed.ends_at is None and parsed.host == "web-01.example.org" and parsed.severity == "critical"


def _without(key: str) -> dict[str, Any]:
    item = raw_alert()
    del item[key]
    return item


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ([], "body"),
        ({"version": "3", "alerts": [raw_alert()]}, "version"),
        ({"alerts": []}, "alerts"),
        ({"alerts": "x"}, "alerts"),
        (payload(raw_alert(), {**raw_alert("b"), "status": "pending"}), "alerts[1].status"),
        (payload({**raw_alert(), "labels": {"instance": "x"}}), "alerts[0].labels.alertname"),
        (payload({**raw_alert(), "labels": {"alertname": "X", "n": 5}}), "alerts[0].labels.n"),
        (payload(_without("fingerprint")), "alerts[0].fingerprint"),
        (payload({**raw_alert(), "startsAt": "yesterday"}), "alerts[0].startsAt"),
        (payload({**raw_alert(), "startsAt": "2026-11-24T10:00:00"}), "alerts[0].startsAt"),
        (payload({**raw_alert(status="resolved"), "endsAt": "0001-01-01T00:00:00Z"}), "alerts[0].endsAt"),
        (payload({**raw_alert(status="resolved"), "endsAt": "2020-01-01T00:00:00Z"}), "alerts[0].endsAt"),
        (payload({**raw_alert(), "annotations": ["x"]}), "alerts[0].annotations"),
        ({"alerts": ["not an alert"]}, "alerts[0]"),
    ],
)
def test_malformed_payload_names_the_field(body, field):
    with pytest.raises(alerts.PayloadError) as exc:
        alerts.parse_notification(body)
    assert exc.value.field == field


# --- the rules --------------------------------------------------------------------------------
def test_firing_opens_one_incident_on_the_named_item_and_dedupes(intake_user, web01):
    result = ingest(payload(raw_alert()), intake_user)
    incident = Incident.objects.get()
    assert result.opened == [incident.reference]
    assert incident.configuration_item == web01
    assert (incident.impact, incident.urgency, incident.priority) == ("1", "1", "1")
    assert incident.short_description == "NodeDown on web-01.example.org: Node exporter is down"
    assert "| severity | critical |" in incident.description
    again = ingest(payload(raw_alert()), intake_user)
    assert again.updated == [incident.reference] and again.opened == []
    assert Incident.objects.count() == 1 and Alert.objects.count() == 1
    assert not incident.notes.exists()


def test_item_found_by_hostname_attribute_ip_and_short_name(intake_user, db):
    cls = CIClass.objects.get(slug="server")
    by_attr = ConfigurationItem.objects.create(name="Billing server", ci_class=cls,
                                               attributes={"hostname": "bill-01.example.org"})  # fmt: skip
    by_ip = ConfigurationItem.objects.create(name="Mail", ci_class=cls, attributes={"ip_address": "10.1.2.3"})
    short = ConfigurationItem.objects.create(name="db-07", ci_class=cls)
    ConfigurationItem.objects.create(name="old-01", ci_class=cls, status="retired")
    from steward.cmdb.services import find_item_for_host

    assert find_item_for_host(host="BILL-01.example.org") == by_attr
    assert find_item_for_host(host="10.1.2.3") == by_ip
    assert find_item_for_host(host="db-07.prod.example.org") == short
    assert find_item_for_host(host="old-01") is None
    assert find_item_for_host(host="") is None


def test_resolved_adds_a_note_and_resolves_when_configured(intake_user, web01):
    ingest(payload(raw_alert()), intake_user)
    result = ingest(payload(raw_alert(status="resolved")), intake_user)
    incident = Incident.objects.get()
    assert result.noted == [incident.reference] and result.resolved == [incident.reference]
    assert incident.state == "resolved" and incident.resolution_code == "solved"
    note = incident.notes.get()
    assert "resolved at 2026-11-24 10:30 UTC" in note.body and note.author == intake_user
    assert Alert.objects.get().status == "resolved"
    # Alertmanager repeats the resolved notification: nothing more happens.
    ingest(payload(raw_alert(status="resolved")), intake_user)
    assert incident.notes.count() == 1


def test_resolved_only_notes_when_resolve_on_clear_is_off(intake_user, web01):
    AlertIntakeSettings.objects.create(receiver="*", resolve_on_clear=False)
    ingest(payload(raw_alert()), intake_user)
    result = ingest(payload(raw_alert(status="resolved")), intake_user)
    incident = Incident.objects.get()
    assert result.resolved == [] and incident.state == "new" and incident.notes.count() == 1


def test_incident_stays_open_while_another_of_its_alerts_fires(intake_user, web01):
    ingest(payload(raw_alert("f1")), intake_user)
    incident = Incident.objects.get()
    Alert.objects.create(fingerprint="f2", name="Other", starts_at=incident.created, incident=incident)
    ingest(payload(raw_alert("f1", status="resolved")), intake_user)
    incident.refresh_from_db()
    assert incident.state == "new"


def test_firing_again_reopens_a_resolved_incident_and_a_closed_one_gets_a_successor(intake_user, web01):
    ingest(payload(raw_alert()), intake_user)
    ingest(payload(raw_alert(status="resolved")), intake_user)
    incident = Incident.objects.get()
    result = ingest(payload(raw_alert()), intake_user)
    incident.refresh_from_db()
    assert result.updated == [incident.reference] and incident.state == "in_progress"
    assert "fired again" in incident.notes.order_by("-pk").first().body
    Incident.objects.filter(pk=incident.pk).update(state="closed")
    result = ingest(payload(raw_alert()), intake_user)
    assert len(result.opened) == 1 and Incident.objects.count() == 2
    assert Alert.objects.get().incident.reference == result.opened[0]


def test_receiver_settings_map_severity_and_route(intake_user, web01):
    team = Team.objects.create(name="Ops", slug="ops")
    svc = Service.objects.create(name="Web shop")
    AlertIntakeSettings.objects.create(receiver="*", default_impact="3", default_urgency="3")
    AlertIntakeSettings.objects.create(
        receiver="shop", service=svc, assignment_team=team, category="shop",
        severity_map={"page": {"impact": "1", "urgency": "2"}},
    )  # fmt: skip
    ingest(payload(raw_alert("s1", severity="page"), receiver="shop"), intake_user)
    ingest(payload(raw_alert("s2", severity="unknown"), receiver="other"), intake_user)
    shop, other = Incident.objects.order_by("pk")
    assert (shop.service, shop.assignment_team, shop.category, shop.impact, shop.urgency) == (
        svc, team, "shop", "1", "2",
    )  # fmt: skip
    assert (other.service, other.impact, other.urgency) == (None, "3", "3")


def test_severity_map_is_validated(db):
    conf = AlertIntakeSettings(receiver="x", severity_map={"critical": {"impact": "9"}})
    with pytest.raises(Exception) as exc:
        conf.full_clean()
    assert "severity_map" in exc.value.message_dict


def test_a_clear_for_an_unknown_alert_writes_nothing(intake_user):
    result = ingest(payload(raw_alert(status="resolved")), intake_user)
    assert result.as_dict() == {"opened": [], "updated": [], "resolved": [], "noted": []}
    assert not Alert.objects.exists() and not Incident.objects.exists()


# --- the endpoint -----------------------------------------------------------------------------
def test_endpoint_opens_and_resolves(intake_client, web01):
    response = intake_client.post(URL, payload(raw_alert()), format="json")
    assert response.status_code == 200, response.content
    assert response.json()["received"] == 1 and len(response.json()["opened"]) == 1
    response = intake_client.post(URL, payload(raw_alert(status="resolved")), format="json")
    assert response.status_code == 200 and response.json()["resolved"] == response.json()["noted"]
    assert Incident.objects.get().state == "resolved"


def test_endpoint_refuses_malformed_payload_naming_the_field_and_writes_nothing(intake_client, web01):
    good, bad = raw_alert("g1"), {**raw_alert("g2"), "labels": {"severity": "critical"}}
    response = intake_client.post(URL, payload(good, bad), format="json")
    assert response.status_code == 400
    assert "alerts[1].labels.alertname" in response.json()
    response = intake_client.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert not Incident.objects.exists() and not Alert.objects.exists()


def test_endpoint_needs_an_alert_scoped_token(intake_user, web01):
    client = APIClient()
    assert client.post(URL, payload(raw_alert()), format="json").status_code in (401, 403)
    _token, api_key = Token.issue(user=intake_user, write_enabled=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key}")
    assert client.post(URL, payload(raw_alert()), format="json").status_code == 401
    _token, alert_key = Token.issue(user=intake_user, scope=alerts.TOKEN_SCOPE)
    client.credentials(HTTP_AUTHORIZATION=f"Token {alert_key}")
    # ...and the alert token opens nothing else of the API.
    assert client.get("/api/itsm/incidents/").status_code == 401
    assert client.post(URL, payload(raw_alert()), format="json").status_code == 200
    assert Incident.objects.count() == 1


def test_endpoint_needs_a_user_allowed_to_open_incidents(db):
    _token, key = Token.issue(user=make_user("weak"), scope=alerts.TOKEN_SCOPE)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.post(URL, payload(raw_alert()), format="json").status_code == 403
    assert not Incident.objects.exists()


def test_profile_issues_scoped_tokens_and_refuses_unknown_scopes(client, db):
    user = make_user("owner")
    client.force_login(user)
    page = client.get(reverse("profile"))
    assert alerts.TOKEN_SCOPE in page.content.decode()
    client.post(
        reverse("token_create"), {"description": "am", "expires_days": "30", "scope": alerts.TOKEN_SCOPE}
    )
    assert Token.objects.get(user=user).scope == alerts.TOKEN_SCOPE
    client.post(reverse("token_create"), {"description": "x", "expires_days": "30", "scope": "root"})
    assert Token.objects.filter(user=user).count() == 1


# --- generic UI and API -----------------------------------------------------------------------
class AlertIntakeSettingsData:
    model = AlertIntakeSettings
    csv_data = (
        "receiver,category,default_impact,default_urgency,resolve_on_clear",
        "team-a,infra,1,2,true",
        "team-b,network,2,2,false",
        "team-c,,3,3,true",
    )
    bulk_edit_data = {"category": "bulk"}
    invalid_data = {"severity_map": '{"critical": {"impact": "9"}}'}
    field_constraint = {"resolve_on_clear": True}
    move_out_data = {"resolve_on_clear": False}
    create_data = {
        "receiver": "new", "category": "monitoring", "default_impact": "2", "default_urgency": "2",
        "severity_map": '{"critical": {"impact": "1", "urgency": "1"}}', "resolve_on_clear": "on",
        "resolution_code": "solved",
    }  # fmt: skip
    api_create_data = [
        {"receiver": "x1", "default_impact": "1", "resolution_code": "solved"},
        {"receiver": "x2", "severity_map": {"warning": {"urgency": "3"}}},
        {"receiver": "x3", "resolve_on_clear": False},
    ]
    api_invalid_data = {"severity_map": {"critical": {"impact": "9"}}}

    @classmethod
    def setUpTestData(cls) -> None:
        for name in ("*", "ops", "db"):
            AlertIntakeSettings.objects.create(receiver=name)


class AlertIntakeSettingsViewTest(AlertIntakeSettingsData, ViewTestCases.ObjectViewTestCase):
    pass


class AlertIntakeSettingsAPITest(AlertIntakeSettingsData, APITestCases.APIViewTestCase):
    pass


class AlertData:
    model = Alert
    csv_data = (
        "fingerprint,name,status,severity,host,starts_at",
        "c1,DiskFull,firing,warning,db-01,2026-11-20T10:00:00Z",
        "c2,HighLoad,resolved,info,app-01,2026-11-20T11:00:00Z",
        "c3,NodeDown,firing,critical,,2026-11-20T12:00:00Z",
    )
    bulk_edit_data = {"severity": "warning"}
    invalid_data = {"labels": '{"n": 5}'}
    field_constraint = {"status": "firing"}
    move_out_data = {"status": "resolved"}
    create_data = {"fingerprint": "new1", "name": "NodeDown", "status": "firing", "starts_at": "2026-11-20T10:00",
                   "labels": '{"alertname": "NodeDown"}', "annotations": "{}"}  # fmt: skip
    api_create_data = [
        {"fingerprint": "n1", "name": "A", "starts_at": "2026-11-20T10:00:00Z"},
        {"fingerprint": "n2", "name": "B", "starts_at": "2026-11-20T10:00:00Z", "labels": {"x": "y"}},
        {"fingerprint": "n3", "name": "C", "status": "resolved", "starts_at": "2026-11-20T10:00:00Z",
         "ends_at": "2026-11-20T11:00:00Z"},
    ]  # fmt: skip
    api_invalid_data = {"labels": {"n": 5}}

    @classmethod
    def setUpTestData(cls) -> None:
        start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
        for n in (1, 2, 3):
            Alert.objects.create(fingerprint=f"f{n}", name=f"Alert {n}", starts_at=start, host=f"h{n}")


class AlertViewTest(AlertData, ViewTestCases.ObjectViewTestCase):
    pass


class AlertAPITest(AlertData, APITestCases.APIViewTestCase):
    pass
