"""Contracts: invariants, the daily renewal job (notice and expiry once each, auto-renewal), renewals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from steward.core import events
from steward.core.jobs import JobContext
from steward.core.registry import registry
from steward.core.workflow import transition
from steward.finance import jobs_sourcing, services_sourcing
from steward.finance.models import Contract, ContractNotice, ContractRenewal
from steward.finance.models.sourcing import add_months
from steward.finance.tests import sourcing_builders as b
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db
SOURCING_EVENTS = {"finance.contract.notice_deadline", "finance.contract.expired", "finance.contract.renewed"}


@pytest.fixture
def emitted(monkeypatch):
    class Seen(list):
        def names(self) -> list[str]:
            return [e.name for e in self if e.name in registry.event_types and e.name in SOURCING_EVENTS]

    seen = Seen()
    monkeypatch.setattr(events, "emit", seen.append)
    return seen


@pytest.fixture
def admin(db):
    return make_user("boss", superuser=True)


def active(admin, **fields) -> Contract:
    owner = b.person()
    contract = b.contract(owner=owner, **fields)
    transition(obj=contract, name="activate", actor=admin)
    contract.refresh_from_db()
    return contract


# --- invariants -------------------------------------------------------------------------------
def test_end_before_start_is_refused_naming_the_field(db):
    with pytest.raises(ValidationError) as exc:
        b.contract(days_left=10, term=-5)
    assert "end_date" in exc.value.message_dict
    assert not Contract.objects.exists()


def test_notice_longer_than_the_term_is_refused(db):
    with pytest.raises(ValidationError) as exc:
        b.contract(term=30, notice_days=31)
    assert "notice_days" in exc.value.message_dict
    assert "longer than the term" in exc.value.message_dict["notice_days"][0]


def test_auto_renewal_needs_a_term_and_currency_must_be_iso(db):
    with pytest.raises(ValidationError) as exc:
        b.contract(auto_renew=True, currency="EURO")
    assert {"renewal_months", "currency"} <= set(exc.value.message_dict)


def test_add_months_clamps_to_the_month_end():
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 11, 30), 3) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2027, 5, 15), 12) == dt.date(2028, 5, 15)


def test_event_types_are_registered():
    for name in ("finance.contract.notice_deadline", "finance.contract.expired", "finance.contract.renewed"):
        assert name in registry.event_types


# --- the renewal job --------------------------------------------------------------------------
def test_notice_deadline_is_announced_once_and_flags_the_contract(admin, emitted):
    contract = active(admin, days_left=20, notice_days=30)
    far = active(admin, days_left=200, notice_days=30)
    run = services_sourcing.process_contract_dates()
    assert run.notices == [contract.reference]
    assert emitted.names() == ["finance.contract.notice_deadline"]
    contract.refresh_from_db()
    far.refresh_from_db()
    assert contract.state == "expiring" and far.state == "active"
    # The next day (and the one after) nothing is raised again.
    emitted.clear()
    assert services_sourcing.process_contract_dates(today=b.today() + dt.timedelta(days=1)).notices == []
    assert services_sourcing.process_contract_dates().notices == []
    assert emitted.names() == []
    assert ContractNotice.objects.filter(contract=contract).count() == 1


def test_expiry_is_announced_once_and_the_contract_expires(admin, emitted):
    contract = active(admin, days_left=-1, notice_days=0)
    run = services_sourcing.process_contract_dates()
    assert run.expired == [contract.reference]
    assert "finance.contract.expired" in emitted.names()
    contract.refresh_from_db()
    assert contract.state == "expired"
    emitted.clear()
    services_sourcing.process_contract_dates()
    assert emitted.names() == []


def test_expiry_on_the_end_date_is_raised_that_day_and_expires_the_next(admin, emitted):
    contract = active(admin, days_left=0, notice_days=0)
    services_sourcing.process_contract_dates()
    contract.refresh_from_db()
    assert emitted.names().count("finance.contract.expired") == 1
    assert contract.state in ("active", "expiring")  # still valid through its last day


def test_auto_renewal_on_the_end_date_adds_a_term_and_a_history_row(admin, emitted):
    contract = active(admin, days_left=0, notice_days=10, auto_renew=True, renewal_months=12)
    end = contract.end_date
    run = services_sourcing.process_contract_dates()
    contract.refresh_from_db()
    assert run.renewed == [contract.reference] and run.expired == []
    assert contract.end_date == add_months(end, 12) and contract.state == "active"
    renewal = ContractRenewal.objects.get(contract=contract)
    assert renewal.automatic and renewal.previous_end == end and renewal.new_end == contract.end_date
    assert "finance.contract.renewed" in emitted.names()
    assert "finance.contract.expired" not in emitted.names()
    # Once renewed, running again changes nothing.
    services_sourcing.process_contract_dates()
    assert ContractRenewal.objects.filter(contract=contract).count() == 1


def test_auto_renewal_after_the_notice_returns_the_contract_to_active(admin, emitted):
    contract = active(admin, days_left=5, notice_days=10, auto_renew=True, renewal_months=1)
    services_sourcing.process_contract_dates()
    contract.refresh_from_db()
    assert contract.state == "expiring"
    # A missed week: the job catches up with as many terms as needed, one history row each.
    Contract.objects.filter(pk=contract.pk).update(end_date=b.today() - dt.timedelta(days=40))
    services_sourcing.process_contract_dates()
    contract.refresh_from_db()
    assert contract.state == "active" and contract.end_date > b.today()
    assert ContractRenewal.objects.filter(contract=contract, automatic=True).count() == 2


def test_a_renewed_contract_is_announced_again_for_its_new_term(admin, emitted):
    contract = active(admin, days_left=5, notice_days=10, auto_renew=True, renewal_months=12)
    services_sourcing.process_contract_dates()
    services_sourcing.renew_contract(contract=contract, actor=admin)
    emitted.clear()
    new_deadline = contract.end_date - dt.timedelta(days=10)
    services_sourcing.process_contract_dates(today=new_deadline)
    assert emitted.names() == ["finance.contract.notice_deadline"]
    assert ContractNotice.objects.filter(contract=contract, kind="notice").count() == 2


def test_draft_and_terminated_contracts_are_left_alone(admin, emitted):
    draft = b.contract(days_left=-3)
    ended = active(admin, days_left=5, notice_days=10)
    transition(obj=ended, name="terminate", actor=admin)
    run = services_sourcing.process_contract_dates()
    assert run.notices == run.expired == run.renewed == []
    draft.refresh_from_db()
    assert draft.state == "draft" and emitted.names() == []


def test_the_job_runs_as_the_automation_account(admin, emitted):
    contract = active(admin, days_left=3, notice_days=10)
    lines = []
    ctx = JobContext(name="finance.contract_renewals", payload={})
    ctx.log = lines.append
    jobs_sourcing.contract_renewals(ctx)
    contract.refresh_from_db()
    assert contract.state == "expiring"
    assert "1 notice deadlines" in lines[0]
    from steward.core.workflow import history

    assert history(contract).first().actor_name == services_sourcing.AUTOMATION_USERNAME


# --- manual renewal ---------------------------------------------------------------------------
def test_renewing_an_expired_contract_makes_it_active(admin):
    contract = active(admin, days_left=-2, notice_days=0)
    services_sourcing.process_contract_dates()
    contract.refresh_from_db()
    assert contract.state == "expired"
    renewal = services_sourcing.renew_contract(contract=contract, actor=admin, months=6, value=Decimal("900"))
    assert contract.state == "active" and contract.end_date > b.today()
    assert not renewal.automatic and contract.value == Decimal("900")


def test_renewal_without_a_term_or_of_a_terminated_contract_is_refused(admin):
    contract = active(admin)
    with pytest.raises(ValidationError) as exc:
        services_sourcing.renew_contract(contract=contract, actor=admin)
    assert "renewal_months" in exc.value.message_dict
    transition(obj=contract, name="terminate", actor=admin)
    with pytest.raises(ValidationError) as exc:
        services_sourcing.renew_contract(contract=contract, actor=admin, months=12)
    assert "state" in exc.value.message_dict
    assert not ContractRenewal.objects.exists()


def test_renew_endpoint_needs_change_permission(admin):
    contract = active(admin, renewal_months=12)
    url = reverse("api:finance-contract-renew", kwargs={"pk": contract.pk})
    viewer = make_user("viewer")
    grant(viewer, Contract, "view")
    client = APIClient()
    client.force_authenticate(viewer)
    assert client.post(url, {}, format="json").status_code == 403
    editor = make_user("editor")
    grant(editor, Contract, "view", "change")
    client.force_authenticate(editor)
    response = client.post(url, {"months": 0}, format="json")
    assert response.status_code == 400 and "months" in response.json()
    response = client.post(url, {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["new_end"] == add_months(contract.end_date, 12).isoformat()
    assert ContractRenewal.objects.filter(contract=contract).count() == 1


def test_expiring_widget_lists_contracts_ending_within_90_days(admin):
    from steward.finance import dashboard_sourcing

    soon = active(admin, days_left=30, notice_days=10)
    active(admin, days_left=120)
    data = dashboard_sourcing.contracts_expiring(admin)
    assert [row[0] for row in data["rows"]] == [str(soon)]


def test_renew_button_on_the_contract_page(admin, client):
    contract = active(admin, renewal_months=6)
    url = reverse("finance:contract_renew", kwargs={"pk": contract.pk})
    viewer = make_user("viewer")
    grant(viewer, Contract, "view")
    client.force_login(viewer)
    assert url not in client.get(contract.get_absolute_url()).content.decode()
    assert client.post(url).status_code == 403
    client.force_login(admin)
    assert url in client.get(contract.get_absolute_url()).content.decode()
    client.post(url, {"months": "abc"})
    assert not ContractRenewal.objects.exists()
    response = client.post(url, {"months": ""})
    assert response.status_code == 302
    renewal = ContractRenewal.objects.get()
    assert renewal.new_end == add_months(contract.end_date, 6)
    assert "Not renewed yet." not in client.get(contract.get_absolute_url()).content.decode()
