"""Discovery: agent payload validation, reconciliation rules, drift, the endpoint and its token scope."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steward.cmdb import discovery, services
from steward.cmdb.models import (
    CIClass,
    ConfigurationItem,
    Drift,
    NetworkInterface,
    SoftwareInstallation,
    SoftwareProduct,
)
from steward.core.models import ObjectChange, Token
from steward.utilities.testing import grant, make_user
from steward.utilities.testing.api import APITestCases
from steward.utilities.testing.views import ViewTestCases

DISCOVER_URL = "/api/cmdb/configuration-items/discover/"


def make_item(name: str, cls: str = "server", **extra) -> ConfigurationItem:
    item = ConfigurationItem(name=name, ci_class=CIClass.objects.get(slug=cls), **extra)
    item.full_clean()
    item.save()
    return item


def payload(**overrides) -> dict:
    data = {
        "version": 1,
        "agent": {"name": "steward-agent", "version": "1.0"},
        "collected_at": "2026-11-24T10:00:00+00:00",
        "hostname": "web-01",
        "fqdn": "web-01.example.org",
        "os": {"id": "debian", "name": "Debian GNU/Linux", "version": "12", "pretty_name": "Debian 12"},
        "kernel": {"name": "Linux", "release": "6.1.0-26-amd64", "version": "#1 SMP"},
        "architecture": "x86_64",
        "cpu": {"model": "AMD EPYC 7443", "count": 8},
        "memory_bytes": 32 * 2**30,
        "disks": [{"name": "sda", "size_bytes": 480 * 10**9, "model": "SSD"}],
        "interfaces": [{"name": "eth0", "mac": "52:54:00:AA:BB:01", "addresses": ["10.0.0.11", "fe80::1"]}],
        "uptime_seconds": 3600,
        "serial_number": "SN-0001",
        "vendor": "Dell Inc.",
        "model": "PowerEdge R650",
        "virtualization": "",
        "packages": [
            {"ecosystem": "deb", "name": "openssl", "version": "3.0.15-1~deb12u1", "architecture": "amd64"},
            {"ecosystem": "deb", "name": "bash", "version": "5.2.15-2+b7", "architecture": "amd64"},
            {"ecosystem": "pypi", "name": "Django", "version": "6.1"},
        ],
    }
    data.update(overrides)
    return data


def ingest(data: dict, actor=None) -> discovery.ReconcileResult:
    return discovery.ingest_agent_payload(data=data, actor=actor)


# --- generic UI and API of the new models ---------------------------------------------------------
class NetworkInterfaceData:
    model = NetworkInterface
    bulk_edit_data = {"source": "manual"}
    invalid_data = {"mac_address": "not-a-mac"}
    field_constraint = {"source": "agent"}
    move_out_data = {"source": "manual"}

    @classmethod
    def setUpTestData(cls) -> None:
        host, other = make_item("nic-host"), make_item("nic-other")
        for i in range(3):
            NetworkInterface.objects.create(
                configuration_item=host, name=f"eth{i}", mac_address=f"52:54:00:00:00:0{i}", source="agent"
            )
        cls.csv_data = (
            "configuration_item,name,mac_address,ip_addresses,source",
            f"{other.reference},eno1,52:54:00:00:01:01,10.1.0.1,agent",
            f"{other.reference},eno2,52-54-00-00-01-02,,agent",
            f"{other.reference},eno3,,fd00::3,manual",
        )
        cls.create_data = {
            "configuration_item": other.pk,
            "name": "bond0",
            "mac_address": "52:54:00:00:02:01",
            "source": "agent",
        }
        cls.api_create_data = [
            {"configuration_item": other.pk, "name": "ens1", "mac_address": "52:54:00:00:03:01"},
            {
                "configuration_item": other.pk,
                "name": "ens2",
                "ip_addresses": "10.2.0.2, 10.2.0.3",
                "source": "agent",
            },
            {"configuration_item": other.pk, "name": "ens3"},
        ]


class NetworkInterfaceViewTest(NetworkInterfaceData, ViewTestCases.ObjectViewTestCase):
    pass


class NetworkInterfaceAPITest(NetworkInterfaceData, APITestCases.APIViewTestCase):
    pass


class DriftData:
    model = Drift
    bulk_edit_data = {"source": "fusioninventory"}
    invalid_data = {"field": "name"}
    field_constraint = {"source": "agent"}
    move_out_data = {"source": "nmap"}

    @classmethod
    def setUpTestData(cls) -> None:
        host, other = make_item("drift-host"), make_item("drift-other")
        for name in ("os", "os_version", "cpu_model"):
            Drift.objects.create(
                configuration_item=host,
                field=f"attributes.{name}",
                manual_value="a",
                discovered_value="b",
                source="agent",
            )
        cls.csv_data = (
            "configuration_item,field,manual_value,discovered_value,source",
            f"{other.reference},serial_number,SN1,SN2,agent",
            f"{other.reference},attributes.os,Debian,Ubuntu,agent",
            f"{other.reference},attributes.cpu_count,4,8,nmap",
        )
        cls.create_data = {
            "configuration_item": other.pk,
            "field": "attributes.memory_gb",
            "manual_value": "16",
            "discovered_value": "32",
            "source": "agent",
        }
        cls.api_create_data = [
            {
                "configuration_item": other.pk,
                "field": "attributes.hostname",
                "manual_value": "a",
                "discovered_value": "b",
            },
            {
                "configuration_item": other.pk,
                "field": "attributes.ip_address",
                "discovered_value": "10.0.0.1",
            },
            {
                "configuration_item": other.pk,
                "field": "attributes.vcpus",
                "manual_value": "2",
                "source": "agent",
            },
        ]


class DriftViewTest(DriftData, ViewTestCases.ObjectViewTestCase):
    pass


class DriftAPITest(DriftData, APITestCases.APIViewTestCase):
    pass


# --- validation: malformed payloads name the field and change nothing -----------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"hostname": ""}, "hostname"),
        ({"hostname": 42}, "hostname"),
        ({"version": 2}, "version"),
        ({"cpu": {"model": "x", "count": "eight"}}, "cpu.count"),
        ({"memory_bytes": -1}, "memory_bytes"),
        ({"interfaces": [{"name": "eth0", "mac": "zz:zz"}]}, "interfaces[0].mac"),
        ({"interfaces": [{"name": "eth0", "addresses": ["300.1.1.1"]}]}, "interfaces[0].addresses[0]"),
        ({"interfaces": "eth0"}, "interfaces"),
        (
            {"packages": [{"ecosystem": "deb", "name": "a"}, {"ecosystem": "cobol", "name": "b"}]},
            "packages[1].ecosystem",
        ),
        ({"packages": [{"ecosystem": "deb", "name": "a", "version": "x" * 101}]}, "packages[0].version"),
        ({"packages": [{"ecosystem": "deb"}]}, "packages[0].name"),
    ],
)
def test_malformed_payload_is_refused_naming_the_path(change, path):
    before = (
        ConfigurationItem.objects.count(),
        ObjectChange.objects.count(),
        SoftwareProduct.objects.count(),
    )
    with pytest.raises(discovery.DiscoveryError) as error:
        ingest(payload(**change))
    assert path in error.value.message_dict
    after = (ConfigurationItem.objects.count(), ObjectChange.objects.count(), SoftwareProduct.objects.count())
    assert before == after


@pytest.mark.django_db
def test_class_schema_violation_is_refused_and_writes_nothing():
    with pytest.raises(discovery.DiscoveryError) as error:
        ingest(payload(hostname="bad_host_name!", cpu={"model": "x", "count": 0}))
    assert set(error.value.message_dict) == {"hostname", "cpu.count"}
    assert "attributes.cpu_count" in error.value.message_dict["cpu.count"][0]
    assert not ConfigurationItem.objects.exists()
    assert not SoftwareProduct.objects.exists()


@pytest.mark.django_db
def test_not_an_object():
    with pytest.raises(discovery.DiscoveryError):
        ingest(["hostname"])


# --- reconciliation ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_first_run_creates_the_item_with_attributes_interfaces_and_installations():
    actor = make_user("agent")
    result = ingest(payload(), actor)
    item = result.item
    assert result.created
    assert (item.name, item.ci_class.slug, item.serial_number) == ("web-01", "server", "SN-0001")
    assert item.attributes == {
        "hostname": "web-01.example.org",
        "os": "Debian GNU/Linux",
        "os_version": "12",
        "cpu_model": "AMD EPYC 7443",
        "cpu_count": 8,
        "memory_gb": 32.0,
        "ip_address": "10.0.0.11",
    }
    assert item.last_discovered is not None
    assert item.discovery["sources"]["agent"]["facts"]["kernel"]["release"] == "6.1.0-26-amd64"
    nic = item.interfaces.get()
    assert (nic.name, nic.mac_address, nic.ip_addresses, nic.source) == (
        "eth0",
        "52:54:00:aa:bb:01",
        "10.0.0.11, fe80::1",
        "agent",
    )
    installs = {(i.product.purl, i.version, i.source) for i in item.installations.select_related("product")}
    assert installs == {
        ("pkg:deb/debian/openssl", "3.0.15-1~deb12u1", "agent"),
        ("pkg:deb/debian/bash", "5.2.15-2+b7", "agent"),
        ("pkg:pypi/django", "6.1", "agent"),
    }
    history = ObjectChange.objects.filter(changed_object_id=item.pk, action="create")
    assert history.filter(user=actor).exists()


@pytest.mark.django_db
def test_second_identical_run_changes_nothing_and_writes_no_history():
    first = ingest(payload())
    rows = ObjectChange.objects.count()
    later = timezone.now() + dt.timedelta(hours=1)
    result = discovery.reconcile(host=discovery.parse_agent_payload(payload()), actor=None, now=later)
    assert result.item.pk == first.item.pk
    assert not result.changed
    assert ObjectChange.objects.count() == rows
    assert set(SoftwareInstallation.objects.values_list("last_seen", flat=True)) == {later}
    assert ConfigurationItem.objects.get().last_discovered == later


@pytest.mark.django_db
def test_new_and_removed_packages_are_added_and_retired():
    first = ingest(payload())
    manual = SoftwareInstallation.objects.create(
        configuration_item=first.item,
        product=SoftwareProduct.objects.create(ecosystem="generic", vendor="acme", name="Acme Backup"),
        version="9",
        source="manual",
    )
    changed = payload()
    changed["packages"] = [
        {"ecosystem": "deb", "name": "openssl", "version": "3.0.16-1~deb12u1", "architecture": "amd64"},
        {"ecosystem": "deb", "name": "bash", "version": "5.2.15-2+b7", "architecture": "amd64"},
    ]
    result = ingest(changed)
    assert (result.installations_added, result.installations_retired) == (1, 2)
    versions = set(first.item.installations.values_list("product__name", "version"))
    assert versions == {("openssl", "3.0.16-1~deb12u1"), ("bash", "5.2.15-2+b7"), ("Acme Backup", "9")}
    assert SoftwareInstallation.objects.filter(pk=manual.pk).exists(), "other sources' rows are left alone"
    deleted = ObjectChange.objects.filter(action="delete", object_repr__startswith="openssl 3.0.15")
    assert deleted.count() == 1


@pytest.mark.django_db
def test_identity_by_serial_then_mac_then_hostname():
    by_serial = make_item("renamed-host", serial_number="SN-0001")
    assert ingest(payload()).item.pk == by_serial.pk
    by_mac = make_item("other-name")
    NetworkInterface.objects.create(configuration_item=by_mac, name="nic", mac_address="52:54:00:aa:bb:99")
    data = payload(
        serial_number="", hostname="x1", fqdn="", interfaces=[{"name": "e", "mac": "52:54:00:AA:BB:99"}]
    )
    assert ingest(data).item.pk == by_mac.pk
    by_name = make_item("DB-07")
    data = payload(serial_number="", hostname="db-07", fqdn="", interfaces=[])
    assert ingest(data).item.pk == by_name.pk


@pytest.mark.django_db
def test_placeholder_serials_identify_nothing():
    make_item("one", serial_number="To Be Filled By O.E.M.")
    result = ingest(payload(serial_number="To Be Filled By O.E.M.", hostname="fresh", fqdn=""))
    assert result.created


@pytest.mark.django_db
def test_two_matching_items_are_a_conflict_and_nothing_changes():
    make_item("a", serial_number="SN-0001")
    make_item("b", serial_number="SN-0001")
    with pytest.raises(discovery.IdentityConflict) as error:
        ingest(payload())
    assert "identity" in error.value.message_dict
    assert ConfigurationItem.objects.count() == 2
    assert not SoftwareInstallation.objects.exists()


@pytest.mark.django_db
def test_a_hypervisor_guest_becomes_a_virtual_machine():
    item = ingest(payload(virtualization="kvm", serial_number="")).item
    assert item.ci_class.slug == "virtual-machine"
    assert item.attributes["vcpus"] == 8
    assert item.attributes["platform"] == "kvm"
    assert "cpu_count" not in item.attributes


# --- drift ---------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_manual_value_is_kept_and_drift_raised_once():
    item = make_item("web-01", attributes={"os": "Windows Server 2022", "cpu_count": 4})
    result = ingest(payload())
    item.refresh_from_db()
    assert item.attributes["os"] == "Windows Server 2022"
    assert item.attributes["cpu_count"] == 4
    assert sorted(result.drifts) == ["attributes.cpu_count", "attributes.os"]
    drift = Drift.objects.get(field="attributes.os")
    assert (drift.state, drift.manual_value, drift.discovered_value) == (
        "open",
        "Windows Server 2022",
        "Debian GNU/Linux",
    )
    assert item.attributes["os_version"] == "12", "empty fields are filled"
    rows = ObjectChange.objects.count()
    again = ingest(payload())
    assert not again.changed
    assert Drift.objects.count() == 2
    assert ObjectChange.objects.count() == rows


@pytest.mark.django_db
def test_values_discovery_set_follow_later_reports_without_drift():
    ingest(payload())
    result = ingest(payload(cpu={"model": "AMD EPYC 7443", "count": 16}))
    assert result.changed_fields == ["attributes.cpu_count"]
    assert ConfigurationItem.objects.get().attributes["cpu_count"] == 16
    assert not Drift.objects.exists()


@pytest.mark.django_db
def test_serial_number_drift_when_matched_by_mac():
    item = make_item("web-01", serial_number="ASSET-SN")
    NetworkInterface.objects.create(configuration_item=item, name="eth0", mac_address="52:54:00:aa:bb:01")
    result = ingest(payload(serial_number="SN-NEW"))
    assert result.item.pk == item.pk
    assert "serial_number" in result.drifts
    item.refresh_from_db()
    assert item.serial_number == "ASSET-SN"


@pytest.mark.django_db
def test_accepting_keeps_the_manual_value_and_silences_the_same_report():
    admin = make_user("admin", superuser=True)
    make_item("web-01", attributes={"os": "Windows"})
    ingest(payload())
    drift = Drift.objects.get(field="attributes.os")
    services.resolve_drift(drift=drift, actor=admin, decision="accept")
    drift.refresh_from_db()
    assert drift.state == "accepted"
    ingest(payload())
    assert Drift.objects.filter(field="attributes.os").count() == 1
    ingest(payload(os={"id": "debian", "name": "Debian 13", "version": "13"}))
    assert Drift.objects.filter(field="attributes.os", state="open").count() == 1


@pytest.mark.django_db
def test_overwriting_applies_the_discovered_value():
    admin = make_user("admin", superuser=True)
    item = make_item("web-01", attributes={"cpu_count": 4})
    ingest(payload())
    drift = Drift.objects.get(field="attributes.cpu_count")
    services.resolve_drift(drift=drift, actor=admin, decision="overwrite")
    item.refresh_from_db()
    assert item.attributes["cpu_count"] == 8
    drift.refresh_from_db()
    assert drift.state == "overwritten"
    assert not ingest(payload()).changed


@pytest.mark.django_db
def test_resolve_drift_refuses_an_unknown_decision():
    make_item("web-01", attributes={"os": "Windows"})
    ingest(payload())
    with pytest.raises(ValidationError):
        services.resolve_drift(
            drift=Drift.objects.get(), actor=make_user("x", superuser=True), decision="ignore"
        )


@pytest.mark.django_db
def test_drift_field_must_be_one_discovery_maintains():
    item = make_item("h")
    with pytest.raises(ValidationError) as error:
        Drift(configuration_item=item, field="name").full_clean()
    assert "field" in error.value.message_dict


# --- the endpoint and the token scope ------------------------------------------------------------
def _token(user, scope="discovery", write=True) -> str:
    return Token.issue(user=user, scope=scope, write_enabled=write)[1]


def _post(client: Client, key: str, data) -> object:
    return client.post(
        DISCOVER_URL, data=data, content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}"
    )


@pytest.mark.django_db
def test_endpoint_reconciles_with_a_discovery_token():
    user = make_user("agent")
    grant(user, ConfigurationItem, "view", "add", "change")
    key = _token(user)
    client = Client()
    first = _post(client, key, payload())
    assert first.status_code == 201, first.content
    assert first.json()["created"] is True
    second = _post(client, key, payload())
    assert second.status_code == 200
    assert second.json()["changed"] is False
    assert "unchanged" in second.json()["summary"]


@pytest.mark.django_db
def test_endpoint_refuses_bad_payload_with_400_naming_the_field():
    user = make_user("agent")
    grant(user, ConfigurationItem, "view", "add", "change")
    response = _post(Client(), _token(user), payload(cpu={"count": -3, "model": "x"}))
    assert response.status_code == 400
    assert "cpu.count" in response.json()
    assert not ConfigurationItem.objects.exists()
    response = _post(Client(), _token(user), "{not json")
    assert response.status_code == 400


@pytest.mark.django_db
def test_endpoint_conflict_is_409():
    user = make_user("agent")
    grant(user, ConfigurationItem, "view", "add", "change")
    make_item("a", serial_number="SN-0001")
    make_item("b", serial_number="SN-0001")
    response = _post(Client(), _token(user), payload())
    assert response.status_code == 409
    assert "identity" in response.json()


@pytest.mark.django_db
def test_discovery_token_may_not_use_the_rest_of_the_api():
    user = make_user("agent")
    grant(user, ConfigurationItem, "view", "add", "change")
    key = _token(user)
    response = Client().get("/api/cmdb/configuration-items/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401  # not valid for this endpoint: refused at authentication


@pytest.mark.django_db
def test_endpoint_needs_add_and_change_rights_and_a_write_token():
    viewer = make_user("viewer")
    grant(viewer, ConfigurationItem, "view", "add")
    assert _post(Client(), _token(viewer), payload()).status_code == 403
    writer = make_user("writer")
    grant(writer, ConfigurationItem, "view", "add", "change")
    assert _post(Client(), _token(writer, write=False), payload()).status_code == 403
    other_scope = _token(writer, scope="alerts")
    assert _post(Client(), other_scope, payload()).status_code == 401
    assert Client().post(DISCOVER_URL, data=payload(), content_type="application/json").status_code in (
        401,
        403,
    )
    assert not ConfigurationItem.objects.exists()


@pytest.mark.django_db
def test_unscoped_write_token_may_post_too():
    user = make_user("ops")
    grant(user, ConfigurationItem, "view", "add", "change")
    assert _post(Client(), _token(user, scope=""), payload()).status_code == 201


# --- pages, filters and widgets ------------------------------------------------------------------
@pytest.mark.django_db
def test_software_tab_stale_filter_and_widgets(client):
    admin = make_user("admin", superuser=True)
    client.force_login(admin)
    item = ingest(payload()).item
    make_item("web-01-manual", attributes={"os": "Windows"})
    ingest(payload(serial_number="", hostname="web-01-manual", fqdn="", interfaces=[]))
    page = client.get(reverse("cmdb:configurationitem_software", args=[item.pk]))
    assert page.status_code == 200
    assert b"openssl" in page.content and b"52:54:00:aa:bb:01" in page.content
    ConfigurationItem.objects.filter(pk=item.pk).update(
        last_discovered=timezone.now() - dt.timedelta(days=30)
    )
    stale = client.get(reverse("cmdb:configurationitem_list") + "?discovery_stale=true")
    assert b"web-01" in stale.content and b"web-01-manual" not in stale.content
    fresh = client.get(reverse("cmdb:configurationitem_list") + "?discovery_stale=false")
    assert b"web-01-manual" in fresh.content
    api = client.get("/api/cmdb/configuration-items/?discovery_stale=true")
    assert [r["name"] for r in api.json()["results"]] == ["web-01"]
    from steward.cmdb import dashboard

    assert dashboard.stale_discovery(admin)["rows"][0][0].endswith("web-01")
    assert dashboard.open_drift(admin)["value"] == 1
    drifts = client.get(reverse("cmdb:drift_list") + "?state=open")
    assert b"Windows" in drifts.content


@pytest.mark.django_db
def test_payload_objects_are_not_mutated():
    data = payload()
    snapshot = copy.deepcopy(data)
    ingest(data)
    assert data == snapshot


@pytest.mark.django_db
def test_overwrite_through_the_workflow_applies_the_value_after_commit(django_capture_on_commit_callbacks):
    from steward.core import workflow

    admin = make_user("admin", superuser=True)
    item = make_item("web-01", attributes={"os": "Windows"})
    ingest(payload())
    drift = Drift.objects.get(field="attributes.os")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(obj=drift, name="overwrite", actor=admin)
    item.refresh_from_db()
    assert item.attributes["os"] == "Debian GNU/Linux"


@pytest.mark.django_db
def test_a_changing_report_emits_one_event_and_an_unchanged_one_none(
    django_capture_on_commit_callbacks, monkeypatch
):
    from steward.core import events

    seen = []
    monkeypatch.setattr(events, "dispatch", lambda event, **kw: seen.append(event.name))
    with django_capture_on_commit_callbacks(execute=True):
        ingest(payload())
    with django_capture_on_commit_callbacks(execute=True):
        ingest(payload())
    assert seen.count("cmdb.discovery.reconciled") == 1


@pytest.mark.django_db
def test_profile_page_issues_a_scoped_token(client):
    user = make_user("owner")
    client.force_login(user)
    assert b"discovery" in client.get(reverse("profile")).content
    response = client.post(
        reverse("token_create"), {"description": "agent", "write_enabled": "on", "scope": "discovery"}
    )
    assert response.status_code == 200
    assert Token.objects.get(user=user).scope == "discovery"
    client.post(reverse("token_create"), {"description": "x", "scope": "everything"})
    assert Token.objects.filter(user=user).count() == 1
