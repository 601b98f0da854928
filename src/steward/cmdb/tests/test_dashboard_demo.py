"""The CMDB's home-page widgets and the capacity demo data."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from steward.cmdb import demo, services
from steward.cmdb.models import CapacityThreshold, CIClass, ConfigurationItem, MetricSample
from steward.core.dashboards import render_widgets
from steward.org import demo as org_demo
from steward.utilities.testing import make_user

pytestmark = pytest.mark.django_db


def test_widgets_render_status_capacity_risks_and_lifecycle(admin_client):
    from django.utils import timezone

    server = CIClass.objects.get(slug="server")
    full = ConfigurationItem.objects.create(name="full-01", ci_class=server,
                                            warranty_end=timezone.localdate() + dt.timedelta(days=40))  # fmt: skip
    ConfigurationItem.objects.create(name="spare-01", ci_class=server, status="in_stock")
    now = timezone.now()
    MetricSample.objects.bulk_create(
        [MetricSample(configuration_item=full, metric="disk", value=90 + h / 10, timestamp=now - dt.timedelta(hours=h))
         for h in range(0, 48, 4)]
    )  # fmt: skip
    CapacityThreshold.objects.create(name="Disks", metric="disk", value=85)
    admin = make_user("boss", superuser=True)
    widgets = {w["widget"].name: w for w in render_widgets(admin) if w["widget"].name.startswith("cmdb.")}
    assert not any(w["error"] for w in widgets.values()), [w["error"] for w in widgets.values()]
    status = widgets["cmdb.items_by_status"]["data"]
    assert dict(zip(status["labels"], status["datasets"][0]["data"], strict=True))["In stock"] == 1
    assert widgets["cmdb.capacity_risks"]["data"]["rows"][0][0].endswith("full-01")
    assert sum(sum(d["data"]) for d in widgets["cmdb.lifecycle_timeline"]["data"]["datasets"]) == 1
    assert not [w for w in render_widgets(make_user("nobody")) if w["widget"].name.startswith("cmdb.")]
    assert admin_client.get("/").status_code == 200


def test_capacity_demo_gives_thresholds_samples_and_some_risks():
    rng = random.Random(3)
    org_demo.load(rng=rng, scale=0.05)
    demo.load(rng=rng, scale=0.05)
    summary = demo.load_capacity(rng=rng, scale=0.25)
    assert "metric samples" in summary
    assert CapacityThreshold.objects.count() == 5 and MetricSample.objects.count() > 1000
    everything = services.capacity_forecast(items=ConfigurationItem.objects.all(), horizon_days=None)
    assert {r.metric for r in everything} == {"cpu", "memory", "disk", "network"}
    assert services.lifecycle_by_month(items=ConfigurationItem.objects.all(),
                                       today=dt.date.today(), months=12)  # fmt: skip
    demo.load_capacity(rng=rng, scale=0.25)  # again: thresholds are not duplicated
    assert CapacityThreshold.objects.count() == 5
