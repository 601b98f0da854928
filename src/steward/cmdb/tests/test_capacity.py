"""Capacity: sample batches, downsampling and retention, thresholds, trend forecast, report, chart."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from steward.cmdb import capacity, jobs, services
from steward.cmdb.models import CapacityThreshold, CIClass, ConfigurationItem, MetricSample
from steward.core.jobs import JobContext
from steward.core.models import Token
from steward.utilities.testing import grant, make_user
from steward.utilities.testing.api import APITestCases
from steward.utilities.testing.views import ViewTestCases

pytestmark = pytest.mark.django_db
URL = "/api/cmdb/configuration-items/metrics/"
NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def make_ci(name: str, cls: str = "server") -> ConfigurationItem:
    return ConfigurationItem.objects.create(name=name, ci_class=CIClass.objects.get(slug=cls))


def series(item, metric, start_value, per_day, days=30, every_hours=6, noise=0.0, now=NOW):
    rng = random.Random(7)
    rows = []
    for i in range(int(days * 24 / every_hours) + 1):
        when = now - dt.timedelta(hours=i * every_hours)
        age = (now - when).total_seconds() / 86400
        value = start_value - per_day * age + rng.uniform(-noise, noise)
        rows.append(
            MetricSample(configuration_item=item, metric=metric, value=value, unit="%", timestamp=when)
        )
    MetricSample.objects.bulk_create(rows)


@pytest.fixture
def writer(db):
    user = make_user("collector")
    grant(user, MetricSample, "add")
    grant(user, ConfigurationItem, "view")
    _token, key = Token.issue(user=user, write_enabled=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def sample(ci, **over):
    return {
        "item": ci,
        "metric": "cpu",
        "value": 42.5,
        "unit": "%",
        "timestamp": "2026-11-24T10:00:00Z",
        **over,
    }


# --- the least-squares line ---------------------------------------------------------------------
def test_fit_recovers_an_exact_line_and_weights_count_as_samples():
    item = make_ci("fit-01")
    series(item, "disk", 50, 1.0, days=10)
    (row,) = capacity.regression_sums(MetricSample.objects.all(), origin=NOW - dt.timedelta(days=10))
    trend = capacity.fit(row)
    assert trend.slope == pytest.approx(1.0, abs=1e-6) and trend.at(10) == pytest.approx(50, abs=1e-6)
    assert capacity.days_to_cross(trend, 80, now_days=10) == pytest.approx(30, abs=1e-4)
    assert capacity.days_to_cross(trend, 40, now_days=10) == 0
    falling = capacity.Trend(slope=-1, intercept=50, points=3, first=0, last=2)
    assert capacity.days_to_cross(falling, 80, now_days=0) is None
    # One hourly row averaging 60 samples weighs what 60 raw samples at that time would.
    other = make_ci("fit-02")
    MetricSample.objects.bulk_create([
        MetricSample(configuration_item=other, metric="cpu", value=10, timestamp=NOW - dt.timedelta(days=2), samples=60,
                     resolution="hour"),
        *[MetricSample(configuration_item=other, metric="cpu", value=v, timestamp=NOW - dt.timedelta(days=d))
          for v, d in ((20, 1), (20, 1), (30, 0))],
    ])  # fmt: skip
    rows = {
        r["configuration_item_id"]: r
        for r in capacity.regression_sums(MetricSample.objects.all(), origin=NOW)
    }
    assert rows[other.pk]["sw"] == 63 and capacity.fit(rows[other.pk]).slope > 0


def test_fit_needs_three_rows_over_an_hour():
    assert capacity.fit({"rows": 2, "sw": 2}) is None
    assert (
        capacity.fit({"rows": 3, "sw": 3, "swt": 0, "swv": 3, "swtt": 0, "swtv": 0, "tmin": 0, "tmax": 0})
        is None
    )


# --- ingestion ----------------------------------------------------------------------------------
def test_batch_is_stored_with_ids_or_references(writer):
    a, b = make_ci("a-01"), make_ci("b-01")
    body = {"samples": [sample(a.pk), sample(b.reference, metric="memory", value=3, unit="GiB")]}
    response = writer.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json() == {"created": 2}
    stored = MetricSample.objects.get(configuration_item=b)
    assert (stored.metric, stored.value, stored.unit, stored.timestamp) == (
        "memory", 3.0, "GiB", dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"value": "high"}, "samples[1].value"),
        ({"value": True}, "samples[1].value"),
        ({"metric": "gpu"}, "samples[1].metric"),
        ({"item": 999999}, "samples[1].item"),
        ({"item": True}, "samples[1].item"),
        ({"item": "CI9999999"}, "samples[1].item"),
        ({"timestamp": "2026-11-24T10:00:00"}, "samples[1].timestamp"),
        ({"timestamp": "yesterday"}, "samples[1].timestamp"),
        ({"timestamp": "2999-01-01T00:00:00Z"}, "samples[1].timestamp"),
        ({"unit": "x" * 30}, "samples[1].unit"),
        ({"colour": "red"}, "samples[1].colour"),
    ],
)
def test_a_bad_sample_is_named_and_nothing_is_written(writer, bad, field):
    item = make_ci("c-01")
    response = writer.post(URL, {"samples": [sample(item.pk), sample(item.pk, **bad)]}, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not MetricSample.objects.exists()


@pytest.mark.parametrize("body", [[], {"samples": []}, {"samples": "x"}, {"samples": ["x"]}])
def test_malformed_batches_are_refused(writer, body):
    response = writer.post(URL, body, format="json")
    assert response.status_code == 400
    infinite = (
        '{"samples": [{"item": 1, "metric": "cpu", "value": Infinity, "timestamp": "2026-11-24T10:00:00Z"}]}'
    )
    response = writer.post(URL, infinite, content_type="application/json")
    assert response.status_code == 400
    assert not MetricSample.objects.exists()


def test_ingest_needs_permission_a_write_token_and_visible_items(db):
    item, hidden = make_ci("d-01"), make_ci("d-02")
    user = make_user("reader")
    grant(user, ConfigurationItem, "view", constraints={"name": "d-01"})
    client = APIClient()
    _t, key = Token.issue(user=user, write_enabled=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.post(URL, {"samples": [sample(item.pk)]}, format="json").status_code == 403
    grant(user, MetricSample, "add")
    assert client.post(URL, {"samples": [sample(hidden.pk)]}, format="json").status_code == 400
    assert client.post(URL, {"samples": [sample(item.pk)]}, format="json").status_code == 201
    _t, read_key = Token.issue(user=user, write_enabled=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {read_key}")
    assert client.post(URL, {"samples": [sample(item.pk)]}, format="json").status_code == 403
    assert MetricSample.objects.count() == 1


def test_a_large_batch_is_a_handful_of_queries(writer):
    items = [make_ci(f"bulk-{n:02d}") for n in range(20)]
    base = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    body = {"samples": [sample(items[i % 20].pk, value=i % 100, timestamp=(base + dt.timedelta(seconds=i)).isoformat())
                        for i in range(5000)]}  # fmt: skip
    with CaptureQueriesContext(connection) as ctx:
        response = writer.post(URL, body, format="json")
    assert response.status_code == 201 and MetricSample.objects.count() == 5000
    assert len(ctx.captured_queries) < 20, len(ctx.captured_queries)


# --- downsampling and retention -----------------------------------------------------------------
def test_downsampling_rolls_raw_to_hourly_to_daily_and_drops_expired():
    item = make_ci("e-01")
    old = NOW - dt.timedelta(days=10)
    hour = old.replace(minute=0)
    MetricSample.objects.bulk_create(
        [MetricSample(configuration_item=item, metric="cpu", value=v, unit="%", timestamp=hour + dt.timedelta(minutes=m))
         for v, m in ((10, 1), (20, 2), (60, 3))]
        + [MetricSample(configuration_item=item, metric="cpu", value=99, timestamp=NOW - dt.timedelta(hours=1))]
        + [MetricSample(configuration_item=item, metric="cpu", value=5, timestamp=NOW - dt.timedelta(days=100, hours=h),
                        resolution="hour", samples=60, max_value=9) for h in (1, 2)]
        + [MetricSample(configuration_item=item, metric="cpu", value=1, timestamp=NOW - dt.timedelta(days=800),
                        resolution="day", samples=1440)]
    )  # fmt: skip
    result = services.downsample_metrics(now=NOW, raw_days=7, hourly_days=90, daily_days=730)
    assert (result.hourly, result.raw_removed, result.daily, result.hourly_removed, result.daily_removed) == (
        1, 3, 1, 2, 1,
    )  # fmt: skip
    hourly = MetricSample.objects.get(resolution="hour")
    assert (hourly.timestamp, hourly.value, hourly.max_value, hourly.samples, hourly.unit) == (
        hour,
        30,
        60,
        3,
        "%",
    )
    daily = MetricSample.objects.get(resolution="day")
    assert (daily.value, daily.samples, daily.max_value) == (5, 120, 9)
    assert MetricSample.objects.filter(resolution="raw").count() == 1  # the recent one stays
    again = services.downsample_metrics(now=NOW, raw_days=7, hourly_days=90, daily_days=730)
    assert again.hourly == again.raw_removed == again.daily == 0


def test_late_samples_merge_into_an_existing_bucket():
    item = make_ci("f-01")
    hour = (NOW - dt.timedelta(days=10)).replace(minute=0)
    MetricSample.objects.create(configuration_item=item, metric="cpu", value=10, timestamp=hour, resolution="hour",
                                samples=2, max_value=12)  # fmt: skip
    MetricSample.objects.create(
        configuration_item=item, metric="cpu", value=40, timestamp=hour + dt.timedelta(minutes=5)
    )
    services.downsample_metrics(now=NOW, raw_days=7, hourly_days=90, daily_days=730)
    merged = MetricSample.objects.get()
    assert (merged.value, merged.samples, merged.max_value) == (20, 3, 40)


def test_the_periodic_job_uses_the_retention_settings(settings):
    item = make_ci("g-01")
    MetricSample.objects.create(
        configuration_item=item, metric="cpu", value=1, timestamp=timezone.now() - dt.timedelta(days=3)
    )
    settings.CMDB_METRICS_RAW_DAYS = 1
    ctx = JobContext(name="cmdb.downsample_metrics", payload={})
    jobs.downsample_metrics.__wrapped__(ctx) if hasattr(
        jobs.downsample_metrics, "__wrapped__"
    ) else jobs.downsample_metrics(ctx)
    assert MetricSample.objects.get().resolution == "hour"


# --- thresholds ---------------------------------------------------------------------------------
def test_the_most_specific_threshold_wins():
    server = CIClass.objects.get(slug="server")
    hardware = server.parent
    item, other = make_ci("h-01"), make_ci("h-02", "database")
    default = CapacityThreshold.objects.create(name="t1", metric="disk", value=95)
    by_parent = CapacityThreshold.objects.create(name="t2", metric="disk", value=90, ci_class=hardware)
    lookup = services.ThresholdLookup()
    assert lookup.get(item.pk, server.pk, "disk") == by_parent
    assert lookup.get(other.pk, other.ci_class_id, "disk") == default
    by_class = CapacityThreshold.objects.create(name="t3", metric="disk", value=85, ci_class=server)
    by_item = CapacityThreshold.objects.create(name="t4", metric="disk", value=70, configuration_item=item)
    lookup = services.ThresholdLookup()
    assert lookup.get(item.pk, server.pk, "disk") == by_item
    assert lookup.get(make_ci("h-03").pk, server.pk, "disk") == by_class
    assert lookup.get(item.pk, server.pk, "cpu") is None


def test_threshold_rules():
    item = make_ci("i-01")
    both = CapacityThreshold(
        name="t12", metric="cpu", value=80, configuration_item=item, ci_class=item.ci_class
    )
    with pytest.raises(ValidationError) as exc:
        both.full_clean()
    assert "configuration_item" in exc.value.message_dict
    CapacityThreshold.objects.create(name="t5", metric="cpu", value=80)
    with pytest.raises(ValidationError) as exc:
        CapacityThreshold(name="t13", metric="cpu", value=70).full_clean()
    assert "metric" in exc.value.message_dict


# --- forecast, report, chart ----------------------------------------------------------------------
@pytest.fixture
def estate(db):
    filling, full, draining, flat = (
        make_ci("disk-fill"),
        make_ci("disk-full"),
        make_ci("disk-drain"),
        make_ci("cpu-flat"),
    )
    series(filling, "disk", 50, 1.0, noise=0.5)  # 50 % now, +1 %/day → 80 % in ~30 days
    series(full, "disk", 97, 0.1)  # over 95 already
    series(draining, "disk", 70, -0.5)  # falling
    series(flat, "cpu", 40, 0.0, noise=2)
    CapacityThreshold.objects.create(
        name="t6", metric="disk", value=80, unit="%", ci_class=CIClass.objects.get(slug="server")
    )
    CapacityThreshold.objects.create(name="t7", metric="disk", value=95, unit="%", configuration_item=full)
    CapacityThreshold.objects.create(name="t8", metric="cpu", value=90, unit="%")
    return {"filling": filling, "full": full, "draining": draining, "flat": flat}  # fmt: skip


def test_forecast_lists_the_items_crossing_within_the_horizon(estate):
    risks = services.capacity_forecast(items=ConfigurationItem.objects.all(), now=NOW, horizon_days=90)
    assert [(r.item.name, r.metric) for r in risks] == [("disk-full", "disk"), ("disk-fill", "disk")]
    full, filling = risks
    assert full.days == 0 and filling.days == pytest.approx(30, abs=1.5)
    assert filling.crossing == (NOW + dt.timedelta(days=filling.days)).date() and filling.unit == "%"
    soon = services.capacity_forecast(items=ConfigurationItem.objects.all(), now=NOW, horizon_days=10)
    assert [r.item.name for r in soon] == ["disk-full"]
    everything = services.capacity_forecast(items=ConfigurationItem.objects.all(), now=NOW, horizon_days=None)
    assert {r.item.name for r in everything} == {"disk-full", "disk-fill", "disk-drain", "cpu-flat"}


def test_report_api_and_page(estate, admin_client, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    response = admin_client.get("/api/cmdb/configuration-items/capacity-report/?days=90")
    assert response.status_code == 200
    body = response.json()
    assert [r["name"] for r in body] == ["disk-full", "disk-fill"] and body[1]["threshold"] == 80
    assert admin_client.get("/api/cmdb/configuration-items/capacity-report/?days=0").status_code == 400
    filtered = admin_client.get("/api/cmdb/configuration-items/capacity-report/?q=disk-fill").json()
    assert [r["name"] for r in filtered] == ["disk-fill"]
    page = admin_client.get(reverse("cmdb:configurationitem_capacity_report"))
    assert page.status_code == 200 and "disk-fill" in page.content.decode()
    assert admin_client.get(reverse("cmdb:configurationitem_capacity_report") + "?days=x").status_code == 200


def test_report_respects_item_permissions(estate, client, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    user = make_user("viewer")
    grant(user, ConfigurationItem, "view", constraints={"name": "disk-fill"})
    client.force_login(user)
    body = client.get("/api/cmdb/configuration-items/capacity-report/").json()
    assert [r["name"] for r in body] == ["disk-fill"]
    assert "disk-full" not in client.get(reverse("cmdb:configurationitem_capacity_report")).content.decode()
    client.force_login(make_user("nobody"))
    assert client.get(reverse("cmdb:configurationitem_capacity_report")).status_code == 403


def test_item_capacity_tab_draws_charts_from_json_without_inline_script(estate, admin_client, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    item = estate["filling"]
    page = admin_client.get(reverse("cmdb:configurationitem_capacity", args=[item.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-chart="capacity-disk"' in html and 'id="capacity-disk" type="application/json"' in html
    assert "<script>" not in html and "crosses" in html
    series_api = admin_client.get(f"/api/cmdb/configuration-items/{item.pk}/metrics/?metric=disk").json()
    assert series_api["metric"] == "disk" and len(series_api["points"]) > 100
    assert admin_client.get(f"/api/cmdb/configuration-items/{item.pk}/metrics/?metric=gpu").status_code == 400
    empty = admin_client.get(reverse("cmdb:configurationitem_capacity", args=[estate["flat"].pk]))
    assert empty.status_code == 200


# --- generic UI and API ---------------------------------------------------------------------------
class CapacityThresholdData:
    model = CapacityThreshold
    csv_data = ("name,metric,value,unit", "Memory,memory,90,%", "Links,network,900,Mbit/s", "Disks,disk,85,%")
    bulk_edit_data = {"description": "Changed in bulk"}
    invalid_data = {"value": "lots"}
    field_constraint = {"unit": "%"}
    move_out_data = {"unit": "GiB"}

    @classmethod
    def setUpTestData(cls) -> None:
        server = CIClass.objects.get(slug="server")
        item = ConfigurationItem.objects.create(name="t-01", ci_class=server)
        CapacityThreshold.objects.create(name="t9", metric="cpu", value=90, unit="%")
        CapacityThreshold.objects.create(name="t10", metric="cpu", value=85, unit="%", ci_class=server)
        CapacityThreshold.objects.create(
            name="t11", metric="cpu", value=80, unit="%", configuration_item=item
        )
        cls.create_data = {
            "name": "Server disks",
            "metric": "disk",
            "value": "80.5",
            "unit": "%",
            "ci_class": server.pk,
        }
        cls.api_create_data = [
            {"name": "a1", "metric": "disk", "value": 80, "unit": "%"},
            {"name": "a2", "metric": "memory", "value": 95, "ci_class": server.pk},
            {
                "name": "a3",
                "metric": "network",
                "value": 800,
                "unit": "Mbit/s",
                "configuration_item": item.pk,
            },
        ]


class CapacityThresholdViewTest(CapacityThresholdData, ViewTestCases.ObjectViewTestCase):
    pass


class CapacityThresholdAPITest(CapacityThresholdData, APITestCases.APIViewTestCase):
    pass
