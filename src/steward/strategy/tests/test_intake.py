"""The demand intake: one form (or one API call) opens an initiative with a first business case."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from steward.org.models import Person
from steward.strategy import services
from steward.strategy.models import BusinessCaseLine, Initiative, InitiativeAlignment, Objective
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db
START = dt.date(2027, 3, 1)


@pytest.fixture
def intake(db):
    objective = Objective.objects.create(title="Faster onboarding", period_start=dt.date(2027, 1, 1),
                                         period_end=dt.date(2027, 12, 31))  # fmt: skip
    secret = Objective.objects.create(title="Secret merger", period_start=dt.date(2027, 1, 1),
                                      period_end=dt.date(2027, 12, 31))  # fmt: skip
    sponsor = Person.objects.create(first_name="Sam", last_name="Sponsor", email="sam@example.org")
    return {
        "objective": objective,
        "secret": secret,
        "sponsor": sponsor,
        "admin": make_user("boss", superuser=True),
    }


def demand(**overrides):
    values = {"title": "Self-service portal", "summary": "Tickets by e-mail take too long.", "start_date": START,
              "investment": D(100_000), "running_cost": D(10_000), "yearly_benefit": D(60_000), "years": 3}  # fmt: skip
    return {**values, **overrides}


def test_a_demand_becomes_an_initiative_with_its_business_case_and_alignment(intake):
    initiative = services.submit_demand(actor=intake["admin"], objectives=[intake["objective"]], fit_score=4,
                                        **demand())  # fmt: skip
    assert initiative.state == "idea" and initiative.reference.startswith("INI")
    assert list(initiative.alignments.values_list("objective", "score")) == [(intake["objective"].pk, 4)]
    lines = list(
        initiative.business_case.order_by("year", "kind").values_list("year", "kind", "category", "planned")
    )
    assert lines == [
        (0, "cost", "capex", D(100_000)),
        (1, "benefit", "saving", D(60_000)), (1, "cost", "opex", D(10_000)),
        (2, "benefit", "saving", D(60_000)), (2, "cost", "opex", D(10_000)),
        (3, "benefit", "saving", D(60_000)), (3, "cost", "opex", D(10_000)),
    ]  # fmt: skip
    case = services.business_case(initiative)
    # Net flows -100k, +50k, +50k, +50k: payback in exactly two years, ROI (180k-130k)/130k.
    assert case.flows == [D(-100_000), D(50_000), D(50_000), D(50_000)]
    assert case.payback_years == D(2) and case.roi == D("38.46")
    assert case.npv is not None and case.npv > 0 and case.irr is not None


def test_a_demand_can_be_proposed_at_once_which_needs_a_sponsor(intake):
    before = Initiative.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.submit_demand(actor=intake["admin"], propose=True, **demand())
    assert "sponsor" in exc.value.message_dict
    assert Initiative.objects.count() == before and not BusinessCaseLine.objects.exists()
    made = services.submit_demand(actor=intake["admin"], propose=True, sponsor=intake["sponsor"], **demand())
    assert made.state == "proposed"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"investment": D(-1)}, "investment"),
        ({"running_cost": D(-5)}, "running_cost"),
        ({"yearly_benefit": D("-0.01")}, "yearly_benefit"),
        ({"years": 0}, "years"),
        ({"years": 21}, "years"),
        ({"fit_score": 6}, "fit_score"),
        ({"investment_category": "saving"}, "investment_category"),
        ({"benefit_category": "capex"}, "benefit_category"),
        ({"currency": "EUX"}, "currency"),
        ({"end_date": START - dt.timedelta(days=1)}, "end_date"),
        ({"risk_score": 26}, "risk_score"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_demands_are_refused_naming_the_field_and_write_nothing(intake, overrides, field):
    with pytest.raises(ValidationError) as exc:
        services.submit_demand(actor=intake["admin"], objectives=[intake["objective"]], **demand(**overrides))
    assert field in exc.value.message_dict
    assert not Initiative.objects.exists() and not InitiativeAlignment.objects.exists()
    assert not BusinessCaseLine.objects.exists()


def test_intake_page_creates_the_initiative_and_shows_its_business_case(client, intake):
    client.force_login(intake["admin"])
    url = reverse("strategy:initiative_intake")
    page = client.get(url)
    assert page.status_code == 200 and b'id="demand-intake"' in page.content
    assert b"Secret merger" in page.content  # a superuser sees every objective
    data = {**demand(start_date="2027-03-01"), "objectives": [intake["objective"].pk], "fit_score": 5,
            "currency": "EUR", "investment_category": "capex", "benefit_category": "revenue",
            "risk_score": 8, "sponsor": intake["sponsor"].pk, "propose": "on"}  # fmt: skip
    response = client.post(url, data)
    initiative = Initiative.objects.get()
    assert response.status_code == 302 and response["Location"] == initiative.get_absolute_url()
    assert (initiative.state, initiative.risk_score, initiative.sponsor) == ("proposed", 8, intake["sponsor"])
    assert initiative.business_case.filter(kind="benefit", category="revenue").count() == 3
    detail = client.get(initiative.get_absolute_url())
    assert b'data-figure="payback"' in detail.content and b"2.00 years" in detail.content


def test_intake_page_shows_the_field_refused_and_keeps_nothing(client, intake):
    client.force_login(intake["admin"])
    data = {**demand(start_date="2027-03-01", investment="-3"), "fit_score": 3, "currency": "EUR",
            "investment_category": "capex", "benefit_category": "saving", "risk_score": 5}  # fmt: skip
    response = client.post(reverse("strategy:initiative_intake"), data)
    assert response.status_code == 422 and b"cannot be negative" in response.content
    assert b'id="id_investment_error"' in response.content
    assert not Initiative.objects.exists()


def test_intake_needs_the_add_permission_and_lists_only_visible_objectives(client, intake):
    user = make_user("asker")
    client.force_login(user)
    url = reverse("strategy:initiative_intake")
    assert client.get(url).status_code == 403
    grant(user, Initiative, "add")
    grant(user, Objective, "view", constraints={"pk": intake["objective"].pk})
    page = client.get(url)
    assert page.status_code == 200
    assert b"Faster onboarding" in page.content and b"Secret merger" not in page.content
    data = {**demand(start_date="2027-03-01"), "objectives": [intake["secret"].pk], "fit_score": 3,
            "currency": "EUR", "investment_category": "capex", "benefit_category": "saving", "risk_score": 5}  # fmt: skip
    assert client.post(url, data).status_code == 422
    assert not Initiative.objects.exists()


def test_intake_api(client, intake):
    user = make_user("api-asker")
    grant(user, Objective, "view", constraints={"pk": intake["objective"].pk})
    client.force_login(user)
    url = "/api/strategy/initiatives/intake/"
    body = {"title": "Chatbot", "objectives": [intake["objective"].pk], "investment": "50000",
            "yearly_benefit": "30000", "years": 2, "start_date": "2027-03-01"}  # fmt: skip
    assert client.post(url, body, content_type="application/json").status_code == 403
    grant(user, Initiative, "add", "view")
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    made = Initiative.objects.get(pk=response.json()["id"])
    assert made.state == "idea" and made.business_case.count() == 3
    assert list(made.objectives.all()) == [intake["objective"]]
    hidden = client.post(url, {**body, "objectives": [intake["secret"].pk]}, content_type="application/json")
    assert hidden.status_code == 400 and "objectives" in hidden.json()
    bad = client.post(url, {**body, "running_cost": "-1", "currency": "EUX"}, content_type="application/json")
    assert bad.status_code == 400 and "running_cost" in bad.json()
    assert Initiative.objects.count() == 1
