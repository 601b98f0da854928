import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from steward.core.jobs import JobContext, claim, cron_error, execute_job, job, periodic, tick
from steward.core.models import JobRun, JobSchedule

CALLS: list[str] = []


@periodic(every=datetime.timedelta(minutes=5), name="tests.heartbeat")
def heartbeat(ctx: JobContext) -> None:
    CALLS.append("beat")
    ctx.log("beat")


@job(name="tests.flaky", max_attempts=3)
def flaky(ctx: JobContext) -> None:
    if ctx.attempt < 3:
        raise RuntimeError(f"flaky attempt {ctx.attempt}")
    ctx.log("finally")


@job(name="tests.broken", max_attempts=2)
def broken(ctx: JobContext) -> None:
    raise RuntimeError("always")


@pytest.fixture(autouse=True)
def _clear_calls():
    CALLS.clear()


@pytest.mark.django_db
def test_declared_periodic_job_is_scheduled_then_runs_when_due_and_is_recorded():
    now = timezone.now()
    tick(now)
    schedule = JobSchedule.objects.get(job_name="tests.heartbeat")
    assert schedule.interval == datetime.timedelta(minutes=5)
    assert schedule.next_run == now + datetime.timedelta(minutes=5)
    assert "tests.heartbeat" not in tick(now + datetime.timedelta(minutes=1))  # not due yet
    assert CALLS == []
    later = now + datetime.timedelta(minutes=5, seconds=1)
    assert "tests.heartbeat" in tick(later)
    assert CALLS == ["beat"]
    run = JobRun.objects.get(job_name="tests.heartbeat")
    assert run.status == "succeeded" and run.trigger == "schedule" and run.schedule_id == schedule.pk
    assert "beat" in run.log and run.finished is not None and run.attempt == 1
    schedule.refresh_from_db()
    assert schedule.next_run == now + datetime.timedelta(minutes=10)
    assert "tests.heartbeat" not in tick(later)  # the same period is not run twice


@pytest.mark.django_db
def test_disabled_schedule_does_not_run():
    tick(timezone.now())
    JobSchedule.objects.filter(job_name="tests.heartbeat").update(enabled=False)
    assert "tests.heartbeat" not in tick(timezone.now() + datetime.timedelta(hours=1))
    assert CALLS == []


@pytest.mark.django_db
def test_failing_job_is_retried_and_every_attempt_recorded():
    assert execute_job("tests.flaky", trigger="test") == "retrying"
    runs = list(JobRun.objects.filter(job_name="tests.flaky").order_by("attempt"))
    assert [(r.attempt, r.status) for r in runs] == [(1, "retrying"), (2, "retrying"), (3, "succeeded")]
    assert "flaky attempt 1" in runs[0].error and "finally" in runs[2].log
    execute_job("tests.broken")
    assert list(
        JobRun.objects.filter(job_name="tests.broken").order_by("attempt").values_list("status", flat=True)
    ) == [
        "retrying",
        "failed",
    ]


@pytest.mark.parametrize(
    "expression", ["* * * *", "61 * * * *", "*/0 * * * *", "every minute", "* * * * * *"]
)
def test_bad_cron_is_explained(expression):
    assert cron_error(expression)


def test_good_cron_passes():
    assert cron_error("*/15 8-18 * * mon-fri") == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"cron": "61 * * * *"}, "cron"),
        ({"interval": datetime.timedelta(seconds=1)}, "interval"),
        ({"interval": datetime.timedelta(seconds=-60)}, "interval"),
        ({}, "interval"),
        ({"interval": datetime.timedelta(minutes=1), "cron": "* * * * *"}, "cron"),
        ({"job_name": "no.such.job", "cron": "* * * * *"}, "job_name"),
    ],
)
def test_bad_schedule_is_refused_naming_the_field(values, field):
    schedule = JobSchedule(**{"job_name": "tests.heartbeat", **values})
    with pytest.raises(ValidationError) as exc:
        schedule.full_clean()
    assert field in exc.value.message_dict


@pytest.mark.django_db
def test_api_refuses_bad_cron_and_changes_nothing(admin_client):
    tick(timezone.now())
    schedule = JobSchedule.objects.get(job_name="tests.heartbeat")
    url = reverse("api:core-jobschedule-detail", kwargs={"pk": schedule.pk})
    response = admin_client.patch(
        url, {"interval": None, "cron": "75 * * * *"}, content_type="application/json"
    )
    assert response.status_code == 400 and "cron" in response.json()
    schedule.refresh_from_db()
    assert schedule.cron == "" and schedule.interval == datetime.timedelta(minutes=5)
    response = admin_client.patch(
        url, {"interval": None, "cron": "0 3 * * *"}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    schedule.refresh_from_db()
    assert schedule.cron == "0 3 * * *" and schedule.next_run is None  # restarts at its next period


@pytest.mark.django_db
def test_schedule_pages_list_runs(admin_client):
    tick(timezone.now())
    schedule = JobSchedule.objects.get(job_name="tests.heartbeat")
    execute_job("tests.heartbeat", schedule_id=schedule.pk, trigger="manual")
    page = admin_client.get(reverse("core:jobschedule_detail", kwargs={"pk": schedule.pk})).content.decode()
    assert "manual" in page and "beat" in page
    assert admin_client.get(reverse("core:jobschedule_list")).status_code == 200
    runs = admin_client.get(reverse("api:core-jobschedule-runs", kwargs={"pk": schedule.pk})).json()
    assert [r["trigger"] for r in runs] == ["manual"]


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_claim_a_due_run_exactly_once():
    now = timezone.now()
    schedule = JobSchedule.objects.create(
        job_name="tests.heartbeat",
        interval=datetime.timedelta(minutes=5),
        next_run=now - datetime.timedelta(seconds=1),
    )
    for _round in range(5):
        barrier = threading.Barrier(2)
        results: list[bool] = []
        errors: list[BaseException] = []

        def worker(barrier=barrier, results=results, errors=errors):
            try:
                mine = JobSchedule.objects.get(pk=schedule.pk)  # each thread reads on its own connection
                barrier.wait(5)
                results.append(claim(mine, now))
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert errors == []
        assert sorted(results) == [False, True]
        # Make it due again for the next round.
        JobSchedule.objects.filter(pk=schedule.pk).update(next_run=now - datetime.timedelta(seconds=1))
