"""Satisfaction surveys: signed expiring link after resolution, one answer, CSAT."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse

from steward.core import workflow as wf
from steward.core.dashboards import render_widgets
from steward.core.models import Notification
from steward.itsm import services
from steward.itsm import services_requests as svc
from steward.itsm import services_surveys as surveys
from steward.itsm.models import CatalogueItem, SurveyResponse
from steward.itsm.tests.catalogue_fixtures import people
from steward.utilities.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def p(db):
    return people()


@pytest.fixture
def resolved(p, agent, django_capture_on_commit_callbacks):
    incident = services.create_incident(actor=agent, short_description="Mail down", caller=p["requester"])
    with django_capture_on_commit_callbacks(execute=True):
        wf.transition(obj=incident, name="resolve", actor=agent,
                      data={"resolution_code": "solved", "resolution_notes": "Restarted"})  # fmt: skip
    incident.refresh_from_db()
    return incident


def test_resolution_sends_the_caller_a_signed_link_that_needs_no_login(client, p, resolved):
    note = Notification.objects.get(recipient=p["requester"].user, kind=surveys.SURVEY_NOTIFICATION)
    assert note.url.startswith("/portal/survey/") and resolved.reference in note.title
    page = client.get(note.url)
    assert page.status_code == 200 and resolved.reference in page.content.decode()
    response = client.post(note.url, {"rating": "5", "comment": "Quick!"})
    assert 'data-survey="thanks"' in response.content.decode()
    answer = SurveyResponse.objects.get()
    assert (answer.incident, answer.rating, answer.respondent) == (resolved, 5, p["requester"])
    again = client.post(note.url, {"rating": "1"})
    assert again.status_code == 410 and "already answered" in again.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_bad_rating_tampered_and_expired_links_are_refused_clearly(client, resolved, settings):
    url = surveys.survey_url(resolved)
    response = client.post(url, {"rating": "9"})
    assert response.status_code == 422 and not SurveyResponse.objects.exists()
    with pytest.raises(ValidationError) as exc:
        surveys.answer_survey(token=surveys.survey_token(resolved), rating="x")
    assert "rating" in exc.value.message_dict
    tampered = client.get(url[:-3] + "abc/")
    assert tampered.status_code == 410 and "not valid" in tampered.content.decode()
    token = surveys.survey_token(resolved)
    later = signing.time.time() + (settings.ITSM_SURVEY_DAYS * 86400 + 60)
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.get(reverse("portal:survey", args=[token]))
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_reopened_ticket_closes_its_survey(client, resolved, agent):
    wf.transition(obj=resolved, name="reopen", actor=agent)
    with pytest.raises(surveys.SurveyRefused, match="reopened"):
        surveys.answer_survey(token=surveys.survey_token(resolved), rating=4)


def test_a_fulfilled_request_gets_a_survey_too(p, django_capture_on_commit_callbacks):
    item = CatalogueItem.objects.create(name="Mouse")
    with django_capture_on_commit_callbacks(execute=True):
        request = svc.submit_request(
            item=item, requester=p["requester"], actor=p["requester"].user, answers={}
        )
    assert request.state == "fulfilled"
    note = Notification.objects.get(kind=surveys.SURVEY_NOTIFICATION)
    token = note.url.rstrip("/").rsplit("/", 1)[1]
    surveys.answer_survey(token=token, rating=3)
    assert SurveyResponse.objects.get().request == request


def test_csat_counts_fours_and_fives_and_the_widget_shows_it(p, agent, resolved):
    surveys.answer_survey(token=surveys.survey_token(resolved), rating=5)
    for rating in (4, 2):
        other = services.create_incident(actor=agent, short_description="x", caller=p["requester"])
        wf.transition(obj=other, name="resolve", actor=agent,
                      data={"resolution_code": "solved", "resolution_notes": "ok"})  # fmt: skip
        surveys.answer_survey(token=surveys.survey_token(other), rating=rating)
    boss = make_user("chief", superuser=True)
    assert surveys.csat(user=boss) == {"responses": 3, "average": 3.67, "csat_percent": 66.7}
    widgets = {w["widget"].name: w for w in render_widgets(boss)}
    assert widgets["itsm.csat"]["data"]["value"] == "66.7 %"
    assert "itsm.csat" not in {w["widget"].name for w in render_widgets(make_user("nobody"))}
    assert surveys.csat(user=make_user("nobody2"))["responses"] == 0


def test_a_ticket_has_one_answer_at_most(resolved):
    SurveyResponse.objects.create(incident=resolved, rating=3)
    with pytest.raises(surveys.SurveyRefused):
        surveys.open_survey(surveys.survey_token(resolved))
    with pytest.raises(ValidationError):
        SurveyResponse(rating=3).full_clean()


def test_deleting_a_ticket_takes_its_answer_with_it(admin_client, resolved):
    SurveyResponse.objects.create(incident=resolved, rating=3)
    response = admin_client.post(reverse("itsm:incident_delete", kwargs={"pk": resolved.pk}))
    assert response.status_code == 302 and not SurveyResponse.objects.exists()
