"""Talent's home-page widgets: what they show, and only to whom."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from steward.core.dashboards import render_widgets
from steward.itsm.models import Service
from steward.org.models import Person
from steward.talent.models import (
    Certification,
    CertificationHolding,
    EstateSkillRequirement,
    Proficiency,
    Skill,
    SkillCategory,
)
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db


def talent_widgets(user) -> dict[str, dict]:
    found = {w["widget"].name: w for w in render_widgets(user) if w["widget"].name.startswith("talent.")}
    assert not [name for name, w in found.items() if w["error"]], found
    return found


def test_widgets_show_risks_expiring_certifications_and_levels():
    category = SkillCategory.objects.create(name="Apps")
    erp, crm = (Skill.objects.create(name=n, category=category) for n in ("ERP", "CRM"))
    ann, bob, cy = (
        Person.objects.create(first_name=n, last_name="T", email=f"{n.lower()}@example.org")
        for n in ("Ann", "Bob", "Cy")
    )
    gone = Person.objects.create(
        first_name="Gone", last_name="T", email="gone@example.org", status="inactive"
    )
    erp_service, crm_service = Service.objects.create(name="ERP"), Service.objects.create(name="CRM")
    EstateSkillRequirement.objects.create(service=erp_service, skill=erp, min_level=4)
    EstateSkillRequirement.objects.create(service=crm_service, skill=crm, min_level=3)
    Proficiency.objects.create(person=ann, skill=erp, level=5)
    Proficiency.objects.create(person=bob, skill=erp, level=3)  # below the level: does not count
    Proficiency.objects.create(person=gone, skill=erp, level=6)  # left: does not count
    Proficiency.objects.create(person=bob, skill=crm, level=3)
    Proficiency.objects.create(person=cy, skill=crm, level=7)
    today = timezone.localdate()
    cert = Certification.objects.create(name="ERP consultant", issuer="Vendor")
    soon = CertificationHolding.objects.create(
        person=ann, certification=cert, obtained=today - dt.timedelta(days=700), expires=today + dt.timedelta(days=30)
    )  # fmt: skip
    CertificationHolding.objects.create(
        person=bob, certification=cert, obtained=today, expires=today + dt.timedelta(days=200)
    )
    CertificationHolding.objects.create(
        person=cy, certification=cert, obtained=today - dt.timedelta(days=900), expires=today - dt.timedelta(days=1)
    )  # fmt: skip

    widgets = talent_widgets(make_user("admin", superuser=True))
    risks = widgets["talent.key_person_risks"]["data"]
    assert risks["rows"] == [["ERP", 1, "Ann T"]]  # CRM has two qualified people
    assert risks["links"] == [erp_service.get_absolute_url()]
    expiring = widgets["talent.expiring_certifications"]["data"]
    assert expiring["rows"] == [["Ann T", "ERP consultant", soon.expires.isoformat()]]
    levels = widgets["talent.proficiency_levels"]["data"]
    assert levels["datasets"][0]["data"] == [0, 0, 2, 0, 1, 1, 1]

    # Without the permissions nothing shows; with a constraint only the rows the user may see count.
    assert talent_widgets(make_user("nobody")) == {}
    limited = make_user("limited")
    grant(limited, CertificationHolding, "view", constraints={"person__first_name": "Bob"})
    grant(limited, Proficiency, "view", constraints={"level__gte": 6})
    widgets = talent_widgets(limited)
    assert set(widgets) == {"talent.expiring_certifications", "talent.proficiency_levels"}
    assert widgets["talent.expiring_certifications"]["data"]["rows"] == []
    assert widgets["talent.proficiency_levels"]["data"]["datasets"][0]["data"] == [0, 0, 0, 0, 0, 1, 1]


def test_estate_analysis_shows_only_what_the_reader_may_see(client):
    """Targets with a requirement the reader may not view are left out; unseen people count, unnamed."""
    category = SkillCategory.objects.create(name="Apps")
    erp, crm, payroll = (Skill.objects.create(name=n, category=category) for n in ("ERP", "CRM", "Payroll"))
    ann, dan = (
        Person.objects.create(first_name=n, last_name="T", email=f"{n.lower()}@example.org")
        for n in ("Ann", "Dan")
    )
    services_ = {n: Service.objects.create(name=n) for n in ("ERP", "ERP and CRM", "Payroll")}
    for service, skill in (("ERP", erp), ("ERP and CRM", erp), ("ERP and CRM", crm), ("Payroll", payroll)):
        EstateSkillRequirement.objects.create(service=services_[service], skill=skill, min_level=3)
    for who, skill in ((ann, erp), (ann, crm), (dan, payroll)):
        Proficiency.objects.create(person=who, skill=skill, level=4)
    reader = make_user("reader")
    grant(reader, EstateSkillRequirement, "view", constraints={"skill__name__in": ["ERP", "Payroll"]})
    grant(reader, Person, "view", constraints={"first_name": "Ann"})

    from steward.talent import services

    everything = {str(c.target): (c.count, c.names) for c in services.key_person_risks()}
    assert everything == {"ERP": (1, ["Ann T"]), "ERP and CRM": (1, ["Ann T"]), "Payroll": (1, ["Dan T"])}
    seen = {str(c.target): (c.count, c.names, c.hidden) for c in services.key_person_risks(user=reader)}
    assert seen == {"ERP": (1, ["Ann T"], 0), "Payroll": (1, [], 1)}

    rows = talent_widgets(reader)["talent.key_person_risks"]["data"]["rows"]
    assert sorted(rows) == [["ERP", 1, "Ann T"], ["Payroll", 1, "+1"]]
    client.force_login(reader)
    page = client.get(reverse("talent:estateskillrequirement_coverage")).content.decode()
    assert "ERP and CRM" not in page and "Dan T" not in page
    assert "(and 1 person you may not see)" in page
    api = client.get(reverse("api:talent-estateskillrequirement-key-person-risk")).json()
    assert {r["target_name"]: (r["qualified_count"], r["qualified"], r["qualified_hidden"]) for r in api} == {
        "ERP": (1, [ann.pk], 0), "Payroll": (1, [], 1)
    }  # fmt: skip
