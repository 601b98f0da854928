"""Lifecycle planning: the window event (once), the monthly report, its page, API and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from steward.cmdb import jobs, services
from steward.cmdb.models import CIClass, ConfigurationItem, LifecycleNotice
from steward.core import events
from steward.core.jobs import JobContext
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)


def make_ci(name: str, **dates) -> ConfigurationItem:
    return ConfigurationItem.objects.create(name=name, ci_class=CIClass.objects.get(slug="server"), **dates)


@pytest.fixture
def estate(db):
    return {
        "past": make_ci("old-01", warranty_end=TODAY - dt.timedelta(days=10)),
        "near": make_ci("near-01", end_of_life=TODAY + dt.timedelta(days=30), end_of_support=TODAY + dt.timedelta(days=200)),
        "far": make_ci("far-01", warranty_end=TODAY + dt.timedelta(days=150)),
        "retired": make_ci("gone-01", status="retired", warranty_end=TODAY - dt.timedelta(days=5)),
        "none": make_ci("plain-01"),
    }  # fmt: skip


@pytest.fixture
def emitted(monkeypatch):
    seen = []
    monkeypatch.setattr(events, "emit", lambda event: seen.append(event))
    return seen


def test_items_entering_the_window_raise_the_event_once(estate, emitted):
    notices = services.raise_lifecycle_events(today=TODAY, window_days=90)
    assert {(n.configuration_item.name, n.milestone) for n in notices} == {
        ("old-01", "warranty_end"), ("near-01", "end_of_life"),
    }  # fmt: skip
    assert {e.data["milestone"] for e in emitted} == {"warranty_end", "end_of_life"}
    event = next(e for e in emitted if e.data["milestone"] == "end_of_life")
    assert event.name == "cmdb.item.lifecycle_window" and event.data["days"] == 30
    assert event.object_id == estate["near"].pk and event.data["date"] == "2026-12-24"
    emitted.clear()
    assert services.raise_lifecycle_events(today=TODAY, window_days=90) == [] and emitted == []
    # Later, the end of support comes into the window too: only it is announced.
    later = services.raise_lifecycle_events(today=TODAY + dt.timedelta(days=115), window_days=90)
    assert [(n.configuration_item.name, n.milestone) for n in later] == [
        ("far-01", "warranty_end"),
        ("near-01", "end_of_support"),
    ]


def test_a_moved_date_is_announced_again(estate, emitted):
    services.raise_lifecycle_events(today=TODAY, window_days=90)
    near = estate["near"]
    near.end_of_life = TODAY + dt.timedelta(days=60)
    near.save()
    again = services.raise_lifecycle_events(today=TODAY, window_days=90)
    assert [(n.milestone, n.date) for n in again] == [("end_of_life", TODAY + dt.timedelta(days=60))]
    assert LifecycleNotice.objects.count() == 3


def test_the_event_type_is_registered_and_the_job_runs(estate, settings):
    from steward.core.registry import registry

    assert "cmdb.item.lifecycle_window" in registry.event_types
    settings.CMDB_LIFECYCLE_WINDOW_DAYS = 400
    jobs.lifecycle_window(JobContext(name="cmdb.lifecycle_window", payload={}))
    assert LifecycleNotice.objects.count() == 4  # every live milestone within 400 days


def test_by_month_counts_each_milestone_of_live_items(estate):
    rows = services.lifecycle_by_month(items=ConfigurationItem.objects.all(), today=TODAY, months=12)
    by_month = {r["month"]: r for r in rows}
    assert by_month["2026-11"]["warranty_end"] == 1 and by_month["2026-11"]["past"] is False
    assert by_month["2026-12"]["end_of_life"] == 1
    assert by_month["2027-04"]["warranty_end"] == 1
    assert by_month["2027-06"]["end_of_support"] == 1
    assert len(rows) == 12 and rows[-1]["month"] == "2027-10"
    assert sum(r["total"] for r in rows) == 4  # the retired item is left out


def test_lifecycle_page_api_and_csv(estate, admin_client, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY)
    url = reverse("cmdb:configurationitem_lifecycle_report")
    page = admin_client.get(url)
    html = page.content.decode()
    assert (
        page.status_code == 200
        and "old-01" in html
        and "near-01" in html
        and "far-01" not in html.split("lifecycle-due")[1]
    )
    assert 'data-chart="lifecycle-chart"' in html and "<script>" not in html
    assert admin_client.get(url + "?months=999").status_code == 200
    response = admin_client.get(url + "?months=12&export=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(r["name"], r["milestone"], r["state"]) for r in rows] == [
        ("old-01", "Warranty end", "past"), ("near-01", "End of life", "window"),
        ("far-01", "Warranty end", "later"), ("near-01", "End of support", "later"),
    ]  # fmt: skip
    api = admin_client.get("/api/cmdb/configuration-items/lifecycle-report/?months=6").json()
    assert api["window_days"] == 90 and len(api["months"]) == 6
    assert [(r["name"], r["status"]) for r in api["due"]] == [("old-01", "past"), ("near-01", "window")]
    assert admin_client.get("/api/cmdb/configuration-items/lifecycle-report/?months=0").status_code == 400


def test_lifecycle_report_respects_permissions(estate, client, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY)
    user = make_user("viewer")
    grant(user, ConfigurationItem, "view", constraints={"name": "near-01"})
    client.force_login(user)
    api = client.get("/api/cmdb/configuration-items/lifecycle-report/").json()
    assert [r["name"] for r in api["due"]] == ["near-01"]
    response = client.get(reverse("cmdb:configurationitem_lifecycle_report") + "?export=csv")
    assert "old-01" not in b"".join(response.streaming_content).decode()
    client.force_login(make_user("nobody"))
    assert client.get(reverse("cmdb:configurationitem_lifecycle_report")).status_code == 403
