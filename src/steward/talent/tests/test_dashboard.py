"""Talent's home-page widgets: what they show, and only to whom."""

from __future__ import annotations

import datetime as dt

import pytest
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
