"""Security incidents: generic UI/API, NIST phases, the 72-hour breach clock and the custody log."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from steward.core import workflow as wf
from steward.core.models import Token
from steward.security import services
from steward.security.models import EvidenceEntry, SecurityIncident
from steward.security.tests.factories import item
from steward.utilities.testing import grant, make_user
from steward.utilities.testing.api import APITestCases
from steward.utilities.testing.views import ViewTestCases


class SecurityIncidentData:
    model = SecurityIncident
    csv_data = (
        "title,category,severity,personal_data_breach",
        "Phishing wave,phishing,medium,",
        "Stolen laptop,lost_device,high,true",
        "Web shell on intranet,web_attack,critical,",
    )
    bulk_edit_data = {"severity": "low"}
    invalid_data = {"category": "gremlins"}
    field_constraint = {"category": "malware"}
    move_out_data = {"category": "other"}
    create_data = {"title": "Ransomware on file server", "category": "malware", "severity": "critical",
                   "detected_at": "2026-11-20 08:00"}  # fmt: skip
    api_create_data = [
        {"title": "Credential stuffing", "category": "unauthorised_access", "severity": "high"},
        {"title": "DDoS", "category": "denial_of_service"},
        {"title": "Leaked export", "category": "data_exfiltration", "personal_data_breach": True},
    ]

    @classmethod
    def setUpTestData(cls) -> None:
        for title in ("Emotet", "Qakbot", "Cryptominer"):
            SecurityIncident.objects.create(title=title, category="malware")


class SecurityIncidentViewTest(SecurityIncidentData, ViewTestCases.ObjectViewTestCase):
    pass


class SecurityIncidentAPITest(SecurityIncidentData, APITestCases.APIViewTestCase):
    pass


def test_nist_phases_run_on_the_workflow_engine(db):
    boss = make_user("ciso", superuser=True)
    incident = services.open_incident(actor=boss, title="Web shell", affected_items=[item("web-01")])
    assert incident.state == "detection"
    with pytest.raises(ValidationError) as error:
        wf.transition(obj=incident, name="contain", actor=boss)  # classify before containing
    assert "category" in error.value.message_dict
    wf.transition(obj=incident, name="contain", actor=boss, data={"category": "web_attack"})
    for name in ("eradicate", "recover", "review"):
        wf.transition(obj=incident, name=name, actor=boss)
    with pytest.raises(ValidationError):
        wf.transition(obj=incident, name="close", actor=boss)
    wf.transition(obj=incident, name="close", actor=boss, data={"lessons_learned": "Patch the CMS monthly."})
    incident.refresh_from_db()
    assert (incident.state, incident.closed_at is not None) == ("closed", True)
    assert [h.to_state for h in wf.history(incident).order_by("pk")] == [
        "containment", "eradication", "recovery", "post_incident", "closed",
    ]  # fmt: skip


def test_a_personal_data_breach_starts_the_72_hour_clock(db):
    aware = timezone.now() - dt.timedelta(hours=10)
    incident = services.open_incident(actor=None, title="Leak", personal_data_breach=True, aware_at=aware)
    assert incident.notification_due == aware + dt.timedelta(hours=72)
    assert incident.notification_status == "pending"
    services.record_regulator_notification(incident=incident, actor=None)
    assert incident.notification_status == "notified"
    plain = services.open_incident(actor=None, title="Scan", regulator_notified_at=None)
    assert plain.notification_due is None and plain.notification_status == ""
    with pytest.raises(ValidationError) as error:
        services.record_regulator_notification(incident=plain, actor=None)
    assert "regulator_notified_at" in error.value.message_dict


def test_breach_clock_events_fire_once_when_at_risk_and_when_overdue(
    db, django_capture_on_commit_callbacks, monkeypatch
):
    fired = []
    monkeypatch.setattr(
        "steward.core.events.dispatch",
        lambda e, **kw: e.name.startswith("security.") and fired.append(e) or 0,
    )
    now = timezone.now()
    at_risk = services.open_incident(actor=None, title="A", personal_data_breach=True,
                                     aware_at=now - dt.timedelta(hours=60))  # fmt: skip
    late = services.open_incident(actor=None, title="B", personal_data_breach=True,
                                  aware_at=now - dt.timedelta(hours=80))  # fmt: skip
    services.open_incident(actor=None, title="C", personal_data_breach=True, aware_at=now)  # 72 h left
    with django_capture_on_commit_callbacks(execute=True):
        result = services.check_breach_notifications(now=now)
        assert (result.at_risk, result.overdue) == ([at_risk.pk], [late.pk])
        again = services.check_breach_notifications(now=now)
        assert (again.at_risk, again.overdue) == ([], [])
    assert sorted(e.name for e in fired) == [
        "security.breach.notification_at_risk", "security.breach.notification_overdue",
    ]  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert services.check_breach_notifications(now=now + dt.timedelta(hours=13)).overdue == [at_risk.pk]


def test_evidence_log_is_append_only_hash_chained_and_verifies_files(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    analyst = make_user("analyst")
    incident = services.open_incident(actor=analyst, title="Exfiltration")
    image = SimpleUploadedFile("memory.txt", b"volatile memory strings", content_type="text/plain")
    first = services.add_evidence(incident=incident, actor=analyst, description="Memory capture of web-01",
                                  custodian="A. Analyst", upload=image)  # fmt: skip
    second = services.add_evidence(incident=incident, actor=analyst, action="transferred",
                                   description="Handed to forensics", custodian="Forensics lab")  # fmt: skip
    assert (first.sequence, second.sequence) == (1, 2)
    assert second.previous_hash == first.entry_hash
    assert first.file_sha256 == hashlib.sha256(b"volatile memory strings").hexdigest()
    assert first.recorded_by_name == "analyst"
    assert services.verify_evidence(incident=incident) == []
    with pytest.raises(ValidationError):
        first.description = "edited"
        first.save()
    with pytest.raises(ValidationError):
        second.delete()
    EvidenceEntry.objects.filter(pk=first.pk).update(description="tampered")  # bypassing the model
    assert services.verify_evidence(incident=incident) == ["#1: changed after it was recorded"]
    EvidenceEntry.objects.filter(pk=first.pk).update(description="Memory capture of web-01")
    with first.attachment.file.open("wb") as handle:
        handle.write(b"swapped")
    assert services.verify_evidence(incident=incident) == ["#1: the file memory.txt has changed"]


def test_bad_evidence_is_refused_naming_the_field(db):
    incident = services.open_incident(actor=None, title="X")
    with pytest.raises(ValidationError) as error:
        services.add_evidence(incident=incident, actor=None, description=" ", action="juggled")
    assert set(error.value.message_dict) == {"description", "action"}
    bad = SimpleUploadedFile("tool.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as error:
        services.add_evidence(incident=incident, actor=None, description="Dropper", upload=bad)
    assert "file" in error.value.message_dict
    assert not EvidenceEntry.objects.exists()


def test_evidence_through_ui_and_api_needs_change_permission(db, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    incident = services.open_incident(actor=None, title="Phish")
    user = make_user("responder")
    grant(user, SecurityIncident, "view")
    client.force_login(user)
    url = reverse("security:securityincident_evidence", args=[incident.pk])
    assert client.post(url, {"action": "collected", "description": "Mail headers"}).status_code == 403
    grant(user, SecurityIncident, "change")
    response = client.post(url, {"action": "collected", "description": "Mail headers",
                                 "file": SimpleUploadedFile("headers.txt", b"Received: x")})  # fmt: skip
    assert response.status_code == 302
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Mail headers" in page and "data-chain-verified" in page
    _token, key = Token.issue(user=user, write_enabled=True)
    api_url = reverse("api:security-securityincident-evidence", args=[incident.pk])
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    created = client.post(api_url, {"description": "Sandbox report", "action": "analysed"}, **headers)
    assert created.status_code == 201, created.content
    assert created.json()["sequence"] == 2
    assert [e["sequence"] for e in client.get(api_url, **headers).json()] == [1, 2]
    bad = client.post(api_url, {"description": "", "action": "analysed"}, **headers)
    assert bad.status_code == 400 and "description" in bad.json()


def test_incidents_link_affected_assets_and_itsm_incidents(db):
    from steward.itsm.models import Incident

    ticket = Incident.objects.create(short_description="Users report odd emails")
    incident = services.open_incident(actor=None, title="Phishing", affected_items=[item("mail-01")])
    incident.related_incidents.add(ticket)
    assert list(ticket.security_incidents.all()) == [incident]
    assert incident.affected_items.get().name == "mail-01"
