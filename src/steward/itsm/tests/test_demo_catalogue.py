"""The catalogue demo: items with forms and chains, request history, live approvals, articles."""

from __future__ import annotations

import random

import pytest

from steward.itsm import services_knowledge
from steward.itsm.models import (
    CatalogueItem,
    FulfilmentTask,
    KnowledgeArticle,
    ServiceRequest,
    SurveyResponse,
)
from steward.itsm.request_forms import validate_answers

pytestmark = pytest.mark.django_db


def test_demo_loads_catalogue_requests_articles_and_surveys():
    from steward.itsm import demo, demo_catalogue
    from steward.org import demo as org_demo

    rng = random.Random(7)
    org_demo.load(rng=rng, scale=0.05)
    demo.load(rng=rng, scale=0.01)
    summary = demo_catalogue.load(rng=rng, scale=0.2)
    assert "6 items" in summary and "60 past" in summary
    assert CatalogueItem.objects.filter(approval_steps__isnull=False).distinct().count() >= 4
    states = set(ServiceRequest.objects.values_list("state", flat=True))
    assert {"closed", "awaiting_approval", "fulfilling"} <= states
    for request in ServiceRequest.objects.select_related("item"):
        validate_answers(request.item.form_fields, request.answers)
    assert FulfilmentTask.objects.filter(state="open").exists()
    assert KnowledgeArticle.objects.filter(state="published").count() >= 8
    assert services_knowledge.suggest_articles(text="vpn keeps disconnecting")
    assert SurveyResponse.objects.exists() or "0 survey" in summary


def test_demo_mail_intake_rules_load_after_the_catalogue():
    from steward.itsm import demo, demo_catalogue
    from steward.itsm.models import MailIntakeRule
    from steward.itsm.servicedesk import demo as desk_demo
    from steward.org import demo as org_demo

    rng = random.Random(7)
    org_demo.load(rng=rng, scale=0.05)
    demo.load(rng=rng, scale=0.01)
    demo_catalogue.load(rng=rng, scale=0.2)
    assert desk_demo.load_intake_rules(rng=rng) == "itsm desk: 3 mail intake rules"
    assert MailIntakeRule.objects.filter(action="request", catalogue_item__isnull=False).count() == 1
