"""Risk register: the shipped matrix, scores, appetite, heat map, acceptance expiry, reviews."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from steward.core import workflow as wf
from steward.core.jobs import JobContext
from steward.grc import jobs, services
from steward.grc.catalogs import CatalogError
from steward.grc.models import Risk, RiskMatrix
from steward.org.models import Person
from steward.utilities.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def matrix() -> RiskMatrix:
    return services.default_matrix() or services.load_matrix()


@pytest.fixture
def person() -> Person:
    return Person.objects.create(first_name="Rita", last_name="Risk", email="rita@example.org")


def test_the_shipped_5x5_matrix_is_loaded_by_the_migration(matrix):
    assert matrix.is_default and len(matrix.likelihood) == 5 and len(matrix.impact) == 5
    assert [lv["label"] for lv in matrix.levels] == ["Low", "Medium", "High", "Critical"]
    assert matrix.level(25)["colour"] == "red" and matrix.level(4)["label"] == "Low"
    assert services.load_matrix().pk == matrix.pk  # loading again updates in place


def test_bad_matrices_are_refused_naming_the_field():
    with pytest.raises(CatalogError, match=r"matrix\.levels"):
        services.load_matrix(text="matrix:\n  name: bad\n  likelihood: [{value: 1, label: a}, {value: 2, label: b}]\n"
                                  "  impact: [{value: 1, label: a}, {value: 2, label: b}]\n"
                                  "  levels: [{label: L, colour: green, max_score: 2}]\n")  # fmt: skip
    m = RiskMatrix(name="x", likelihood=[{"value": 2, "label": "a"}], impact=[], levels=[])
    with pytest.raises(ValidationError) as exc:
        m.full_clean()
    assert {"likelihood", "impact", "levels"} <= set(exc.value.message_dict)


def test_scores_levels_and_appetite(matrix):
    risk = Risk.objects.create(title="Ransomware", matrix=matrix, inherent_likelihood=4, inherent_impact=5)
    assert risk.inherent_score == 20 and risk.residual_score is None and risk.level["label"] == "Critical"
    assert risk.exceeds_appetite
    risk.residual_likelihood, risk.residual_impact = 2, 3
    risk.save()
    assert risk.residual_score == 6 and risk.level["label"] == "Medium" and not risk.exceeds_appetite
    bad = Risk(title="x", matrix=matrix, inherent_likelihood=6)
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert "inherent_likelihood" in exc.value.message_dict


def test_heat_map_counts_cells(admin_client, matrix):
    for lk, im in ((5, 5), (5, 5), (1, 2)):
        Risk.objects.create(title="r", matrix=matrix, inherent_likelihood=lk, inherent_impact=im)
    grid = services.heat_map(Risk.objects.all(), matrix)
    assert grid[0]["likelihood"]["value"] == 5 and grid[0]["cells"][4]["count"] == 2
    assert grid[0]["cells"][4]["colour"] == "red" and grid[0]["cells"][4]["over_appetite"]
    assert grid[4]["cells"][1]["count"] == 1 and not grid[4]["cells"][1]["over_appetite"]
    page = admin_client.get("/grc/risks/heat-map/")
    assert page.status_code == 200 and b"Risks above appetite" in page.content
    assert admin_client.get("/grc/risks/heat-map/?stage=residual").status_code == 200


def test_acceptance_needs_a_risk_manager_approver_and_expiry(matrix, person):
    user = make_user("owner")
    risk = Risk.objects.create(title="Legacy ERP", matrix=matrix, inherent_likelihood=4, inherent_impact=3)
    boss = make_user("boss", superuser=True)
    wf.transition(obj=risk, name="assess", actor=boss)
    with pytest.raises(wf.TransitionNotAllowed):
        wf.transition(obj=risk, name="accept", actor=boss)  # treatment is not "accept"
    Risk.objects.filter(pk=risk.pk).update(treatment="accept")
    with pytest.raises(wf.TransitionForbidden):
        wf.transition(obj=risk, name="accept", actor=user)
    with pytest.raises(ValidationError) as exc:
        wf.transition(obj=risk, name="accept", actor=boss)
    assert {"accepted_by", "acceptance_expires"} <= set(exc.value.message_dict)
    wf.transition(obj=risk, name="accept", actor=boss,
                  data={"accepted_by": person.pk, "acceptance_expires": dt.date(2030, 1, 1)})  # fmt: skip
    risk.refresh_from_db()
    assert risk.state == "accepted"


def test_an_acceptance_that_ran_out_raises_its_event_once(
    matrix, person, events, django_capture_on_commit_callbacks
):
    today = dt.date(2026, 6, 10)
    risk = Risk.objects.create(title="Legacy ERP", matrix=matrix, treatment="accept", accepted_by=person,
                               acceptance_expires=today - dt.timedelta(days=1), state="accepted")  # fmt: skip
    Risk.objects.create(title="Still fine", matrix=matrix, treatment="accept", accepted_by=person,
                        acceptance_expires=today + dt.timedelta(days=30), state="accepted")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert services.raise_expired_acceptances(today=today) == [risk]
    assert [e.name for e in events] == ["grc.risk.acceptance_expired"]
    assert events[0].object_id == risk.pk and events[0].data["expired"] == "2026-06-09"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.raise_expired_acceptances(today=today + dt.timedelta(days=3)) == []
    assert len(events) == 1
    # Renewed, then expired again: raised again, once.
    risk.acceptance_expires = today + dt.timedelta(days=10)
    risk.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.raise_expired_acceptances(today=today + dt.timedelta(days=11))
        services.raise_expired_acceptances(today=today + dt.timedelta(days=12))
    assert len(events) == 2


def test_the_periodic_job_uses_today(matrix, person, events, django_capture_on_commit_callbacks):
    Risk.objects.create(title="Old", matrix=matrix, treatment="accept", accepted_by=person,
                        acceptance_expires=dt.date(2020, 1, 1), state="accepted")  # fmt: skip
    ctx = JobContext(name="grc.risk_acceptance_expiry", payload={})
    with django_capture_on_commit_callbacks(execute=True):
        jobs.risk_acceptance_expiry(ctx)
    assert [e.name for e in events] == ["grc.risk.acceptance_expired"]


def test_reviews_due(matrix, events, django_capture_on_commit_callbacks):
    due = Risk.objects.create(
        title="Due", matrix=matrix, review_every_days=30, last_reviewed=dt.date(2026, 1, 1)
    )
    Risk.objects.create(
        title="Fresh", matrix=matrix, review_every_days=30, last_reviewed=dt.date(2026, 1, 25)
    )
    assert services.risks_due_for_review(today=dt.date(2026, 2, 5)) == [due]
    services.review_risk(risk=due, actor=None, residual_likelihood=2, residual_impact=2)
    due.refresh_from_db()
    assert due.residual_score == 4 and due.last_reviewed is not None


def test_review_due_is_raised_once_per_due_date(matrix, events, django_capture_on_commit_callbacks):
    risk = Risk.objects.create(
        title="Due", matrix=matrix, review_every_days=30, last_reviewed=dt.date(2026, 1, 1)
    )
    Risk.objects.create(
        title="Fresh", matrix=matrix, review_every_days=365, last_reviewed=dt.date(2026, 1, 25)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.announce_risk_reviews(today=dt.date(2026, 2, 5)) == [risk]
        # The next days: still overdue, but already announced for this due date.
        assert services.announce_risk_reviews(today=dt.date(2026, 2, 6)) == []
        assert services.announce_risk_reviews(today=dt.date(2026, 3, 1)) == []
    assert [e.name for e in events] == ["grc.risk.review_due"]
    assert events[0].data["due"] == "2026-01-31"
    risk.refresh_from_db()
    assert risk.review_due_raised == dt.date(2026, 1, 31)
    # Reviewed late, then not again: the new due date raises the event once more.
    Risk.objects.filter(pk=risk.pk).update(last_reviewed=dt.date(2026, 3, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.announce_risk_reviews(today=dt.date(2026, 3, 30)) == []
        assert services.announce_risk_reviews(today=dt.date(2026, 3, 31)) == [risk]
        assert services.announce_risk_reviews(today=dt.date(2026, 4, 1)) == []
    assert [e.data["due"] for e in events] == ["2026-01-31", "2026-03-31"]


def test_the_daily_job_announces_a_due_review_once(matrix, events, django_capture_on_commit_callbacks):
    Risk.objects.create(title="Due", matrix=matrix, review_every_days=1, last_reviewed=dt.date(2020, 1, 1))
    for _day in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            jobs.reviews_due(JobContext(name="grc.reviews_due", payload={}))
    assert [e.name for e in events] == ["grc.risk.review_due"]


def test_grc_import_loads_a_matrix_file(tmp_path):
    from steward.grc.services import MATRIX_FILE

    text = (
        MATRIX_FILE.read_text()
        .replace('name: "5×5 default"', 'name: "Copy"')
        .replace("default: true", "default: false")
    )
    (tmp_path / "m.yaml").write_text(text)
    call_command("grc-import", str(tmp_path / "m.yaml"))
    assert RiskMatrix.objects.get(name="Copy").appetite == 9
