"""Access reviews: entitlements, campaigns, reviewer assignment, decisions, fulfilment and report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from steward.core.workflow import TransitionNotAllowed
from steward.org.models import Person
from steward.security import services
from steward.security.models import AccessDecision, AccessReview, Entitlement
from steward.security.tests.factories import item
from steward.utilities.testing import grant, make_user
from steward.utilities.testing.api import APITestCases
from steward.utilities.testing.views import ViewTestCases


def person(first: str, manager: Person | None = None, user=None) -> Person:
    return Person.objects.create(first_name=first, last_name="Tester", email=f"{first.lower()}@example.org",
                                 manager=manager, user=user)  # fmt: skip


class EntitlementData:
    model = Entitlement
    bulk_edit_data = {"active": False}
    invalid_data = {"role": "   "}
    field_constraint = {"active": True}
    move_out_data = {"active": False}

    @classmethod
    def setUpTestData(cls) -> None:
        ana, ben = person("Ana"), person("Ben")
        erp = item("ERP", "business-application")
        for role in ("reader", "approver", "admin"):
            Entitlement.objects.create(person=ana, system=erp, role=role)
        cls.csv_data = (
            "person,system,role,active",
            f"ben@example.org,{erp.reference},reader,true",
            f"ben@example.org,{erp.reference},approver,true",
            f"ana@example.org,{erp.reference},auditor,true",
        )
        cls.create_data = {"person": ben.pk, "system": erp.pk, "role": "buyer", "active": "on"}
        cls.api_create_data = [
            {"person": ben.pk, "system": erp.pk, "role": "clerk"},
            {"person": ben.pk, "system": erp.pk, "role": "viewer", "granted_at": "2026-01-01"},
            {"person": ana.pk, "system": erp.pk, "role": "operator"},
        ]


class EntitlementViewTest(EntitlementData, ViewTestCases.ObjectViewTestCase):
    pass


class EntitlementAPITest(EntitlementData, APITestCases.APIViewTestCase):
    pass


class AccessReviewData:
    model = AccessReview
    bulk_edit_data = {"due_date": "2027-06-30"}
    invalid_data = {"reviewer_rule": "astrologer"}
    field_constraint = {"reviewer_rule": "manager"}
    move_out_data = {"reviewer_rule": "system_owner"}

    @classmethod
    def setUpTestData(cls) -> None:
        erp = item("ERP", "business-application")
        for n in range(3):
            review = AccessReview.objects.create(name=f"Review {n}", due_date=dt.date(2027, 1, 31))
            review.systems.add(erp)
        cls.csv_data = (
            "name,reviewer_rule,due_date,systems",
            f"Q1 ERP,manager,2027-03-31,{erp.reference}",
            f"Q1 HR,system_owner,2027-03-31,{erp.reference}",
            f"Q1 CRM,manager,2027-04-30,{erp.reference}",
        )
        cls.create_data = {
            "name": "Q2",
            "reviewer_rule": "manager",
            "due_date": "2027-06-30",
            "systems": [erp.pk],
        }
        cls.api_create_data = [
            {"name": "A", "due_date": "2027-01-01", "systems": [erp.pk]},
            {"name": "B", "due_date": "2027-01-01", "systems": [erp.pk], "reviewer_rule": "system_owner"},
            {"name": "C", "due_date": "2027-01-01", "systems": [erp.pk]},
        ]


class AccessReviewViewTest(AccessReviewData, ViewTestCases.ObjectViewTestCase):
    pass


class AccessReviewAPITest(AccessReviewData, APITestCases.APIViewTestCase):
    pass


class AccessDecisionData:
    model = AccessDecision
    bulk_edit_data = {"role": "renamed"}
    invalid_data = {"decision": "maybe"}
    field_constraint = {"role": "reader"}
    move_out_data = {"role": "writer"}

    @classmethod
    def setUpTestData(cls) -> None:
        ana = person("Ana")
        erp, crm = item("ERP", "business-application"), item("CRM", "business-application")
        review = AccessReview.objects.create(name="Q1", due_date=dt.date(2027, 1, 31))
        for system in (erp, crm, item("HR", "business-application")):
            AccessDecision.objects.create(review=review, person=ana, system=system, role="reader")
        cls.csv_data = (
            "review,person,system,role",
            f"{review.pk},ana@example.org,{erp.reference},writer",
            f"{review.pk},ana@example.org,{crm.reference},writer",
            f"{review.pk},ana@example.org,{erp.reference},admin",
        )
        cls.create_data = {
            "review": review.pk,
            "person": ana.pk,
            "system": erp.pk,
            "role": "admin",
            "decision": "pending",
        }
        cls.api_create_data = [
            {"review": review.pk, "person": ana.pk, "system": erp.pk, "role": r} for r in ("a", "b", "c")
        ]


class AccessDecisionViewTest(AccessDecisionData, ViewTestCases.ObjectViewTestCase):
    pass


class AccessDecisionAPITest(AccessDecisionData, APITestCases.APIViewTestCase):
    pass


@pytest.fixture
def campaign(db):
    boss_user = make_user("boss")
    boss = person("Boss", user=boss_user)
    owner = person("Owner")
    ana, ben = person("Ana", manager=boss), person("Ben")  # Ben has no manager
    erp = item("ERP", "business-application")
    erp.owner = owner
    erp.save()
    other = item("Wiki", "business-application")
    for who, role in ((ana, "approver"), (ana, "admin"), (ben, "reader")):
        Entitlement.objects.create(person=who, system=erp, role=role)
    Entitlement.objects.create(person=ana, system=other, role="editor")  # out of scope
    Entitlement.objects.create(person=ben, system=erp, role="old", active=False)  # inactive
    fallback = person("Fallback")
    review = AccessReview.objects.create(
        name="Q1 ERP", due_date=dt.date(2027, 3, 31), fallback_reviewer=fallback
    )
    review.systems.add(erp)
    ciso = make_user("ciso", superuser=True)
    return {"review": review, "ciso": ciso, "boss_user": boss_user, "boss": boss, "fallback": fallback,
            "owner": owner, "erp": erp}  # fmt: skip


def test_starting_a_review_creates_a_decision_per_entitlement_with_its_reviewer(campaign):
    review = services.start_review(review=campaign["review"], actor=campaign["ciso"])
    assert review.state == "in_review"
    decisions = {(d.person.first_name, d.role): d.reviewer for d in review.decisions.select_related("person")}
    assert decisions == {
        ("Ana", "approver"): campaign["boss"], ("Ana", "admin"): campaign["boss"],
        ("Ben", "reader"): campaign["fallback"],
    }  # fmt: skip


def test_system_owners_review_when_the_rule_says_so(campaign):
    review = campaign["review"]
    review.reviewer_rule = "system_owner"
    review.save()
    services.start_review(review=review, actor=campaign["ciso"])
    assert set(review.decisions.values_list("reviewer", flat=True)) == {campaign["owner"].pk}


def test_revocation_opens_an_itsm_ticket_and_the_report_counts_it(campaign):
    review = services.start_review(review=campaign["review"], actor=campaign["ciso"])
    boss = campaign["boss_user"]
    admin, approver = review.decisions.filter(reviewer=campaign["boss"]).order_by("role")
    services.decide(decision=approver, actor=boss, choice="revoke", comment="Left the purchasing team")
    services.decide(decision=admin, actor=boss, choice="modify", new_role="reader", comment="Least privilege")
    for decision in (approver, admin):
        decision.refresh_from_db()
        ticket = decision.fulfilment_incident
        assert (
            ticket is not None and ticket.type == "security" and ticket.configuration_item == campaign["erp"]
        )
    assert "Revoke access: approver on ERP" in approver.fulfilment_incident.short_description
    with pytest.raises(TransitionNotAllowed, match="still undecided"):
        services.complete_review(review=review, actor=campaign["ciso"])
    ben = review.decisions.get(role="reader")
    services.decide(decision=ben, actor=campaign["ciso"], choice="keep")
    review = services.complete_review(review=review, actor=campaign["ciso"])
    assert review.state == "completed" and review.completed_at is not None
    report = services.review_report(review=review)
    assert (report["total"], report["decided"], report["completion_percent"]) == (3, 3, 100.0)
    assert report["by_decision"] == {"pending": 0, "keep": 1, "revoke": 1, "modify": 1}
    assert sorted(t["decision"] for t in report["tickets"]) == ["modify", "revoke"]


def test_only_the_reviewer_decides_and_bad_decisions_are_refused(campaign):
    review = services.start_review(review=campaign["review"], actor=campaign["ciso"])
    decision = review.decisions.filter(reviewer=campaign["boss"]).first()
    stranger = make_user("stranger")
    with pytest.raises(PermissionDenied):
        services.decide(decision=decision, actor=stranger, choice="keep")
    with pytest.raises(ValidationError) as error:
        services.decide(decision=decision, actor=campaign["boss_user"], choice="revoke", comment="")
    assert "comment" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.decide(decision=decision, actor=campaign["boss_user"], choice="modify", comment="x")
    assert "new_role" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.decide(decision=decision, actor=campaign["boss_user"], choice="pending")
    decision.refresh_from_db()
    assert decision.decision == "pending" and decision.fulfilment_incident is None


def test_decisions_wait_for_the_review_to_start(campaign):
    decision = AccessDecision(review=campaign["review"], person=campaign["boss"], system=campaign["erp"],
                              role="x", decision="keep")  # fmt: skip
    with pytest.raises(ValidationError) as error:
        decision.full_clean()
    assert "decision" in error.value.message_dict


def test_report_page_and_endpoint(campaign, client):
    review = services.start_review(review=campaign["review"], actor=campaign["ciso"])
    user = make_user("auditor")
    grant(user, AccessReview, "view")
    client.force_login(user)
    page = client.get(reverse("security:accessreview_report", args=[review.pk]))
    assert page.status_code == 200 and "0 of 3 entitlements decided" in page.content.decode()
    api = client.get(reverse("api:security-accessreview-report", args=[review.pk]))
    assert api.json()["total"] == 3
