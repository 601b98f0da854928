"""Deterministic demo data for `steward demo`: ideas in every funnel stage, a technology radar of
twenty entries linked to the demo software, a pilot, and a change plan whose first communication
is due today."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from steward.core import workflow as wf
from steward.innovation import services
from steward.innovation.models import (
    AdoptionMetric,
    ChangePlan,
    CommunicationMessage,
    CriteriaSet,
    EvaluationCriterion,
    Pilot,
    RadarEntry,
    RadarMovement,
    RadarQuadrant,
    ReadinessItem,
    ReadinessSurvey,
    StakeholderGroup,
    SuccessCriterion,
    SurveyQuestion,
    TrainingItem,
)

QUADRANTS = [("Techniques", "Ways of working"), ("Tools", "Software we build and run with"),
             ("Platforms", "What our services run on"), ("Languages & frameworks", "What we write code in")]  # fmt: skip

#: (name, quadrant position, ring, CMDB products (ecosystem, name), earlier ring or "")
RADAR = [
    ("Infrastructure as code", 0, "adopt", [], "trial"),
    ("Blameless post-incident reviews", 0, "adopt", [], ""),
    ("Zero-trust network access", 0, "trial", [], "assess"),
    ("Chaos engineering", 0, "assess", [], ""),
    ("Big-bang migrations", 0, "hold", [], "assess"),
    ("OpenSSL 3", 1, "adopt", [("deb", "openssl")], ""),
    ("OpenSSH with hardware keys", 1, "trial", [("deb", "openssh-server")], ""),
    ("sudo with session logging", 1, "adopt", [("deb", "sudo")], ""),
    ("Ansible", 1, "adopt", [], ""),
    ("Low-code workflow builders", 1, "hold", [], "trial"),
    ("nginx", 2, "adopt", [("deb", "nginx")], ""),
    ("Debian 12", 2, "adopt", [("deb", "libc6")], "trial"),
    ("Kubernetes", 2, "trial", [], "assess"),
    ("Serverless functions", 2, "assess", [], ""),
    ("Mainframe batch", 2, "hold", [], ""),
    ("Python requests", 3, "adopt", [("pypi", "requests")], ""),
    ("Jinja2 templates", 3, "adopt", [("pypi", "jinja2")], ""),
    ("lodash", 3, "hold", [("npm", "lodash")], "adopt"),
    ("Rust for agents", 3, "assess", [], ""),
    ("HTMX", 3, "trial", [], "assess"),
]

#: (title, category, state to reach, expected benefit)
IDEAS = [
    ("Chatbot answers password questions", "service", "adopted", "A third fewer password tickets."),
    ("Self-service laptop swap lockers", "workplace", "pilot", "Swap a broken laptop in five minutes."),
    ("Switch off idle test servers at night", "cost", "evaluating", "About 30 % less test-environment cost."),
    (
        "Shared on-call calendar for all teams",
        "process",
        "evaluating",
        "Nobody paged for a service they left.",
    ),
    ("Publish the technology radar internally", "technology", "new", "Teams pick supported tools first."),
    ("Paperless change approvals", "process", "new", "Faster CAB, full audit trail."),
    ("Print only on badge release", "cost", "rejected", "Less waste paper."),
    ("Dark mode for the portal", "service", "new", "Happier night shift."),
]


def _admin() -> object | None:
    return get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()


def load(*, rng: random.Random, scale: float) -> str:
    from steward.cmdb.models import SoftwareProduct
    from steward.org.models import Department, Person, Team

    actor = _admin()
    people = list(Person.objects.order_by("pk")[:30])
    today = timezone.localdate()
    quadrants = [RadarQuadrant.objects.create(name=name, position=n, description=d)
                 for n, (name, d) in enumerate(QUADRANTS)]  # fmt: skip
    for name, position, ring, products, earlier in RADAR:
        entry = RadarEntry.objects.create(name=name, quadrant=quadrants[position], ring=earlier or ring,
                                          owner=rng.choice(people) if people else None,
                                          description=f"Our position on {name}.")  # fmt: skip
        found = [SoftwareProduct.objects.filter(ecosystem=e, name=n).first() for e, n in products]
        entry.software_products.set([p for p in found if p is not None])
        if earlier:
            movement = RadarMovement(entry=entry, to_ring=ring, date=today - dt.timedelta(days=rng.randint(5, 120)),
                                     rationale="Reviewed by the architecture board.")  # fmt: skip
            movement.full_clean()
            movement.save()
    services.publish_edition(
        name=f"{today.year} edition", date=today, notes="The current radar.", actor=actor
    )

    cs = CriteriaSet.objects.create(
        name="Standard idea evaluation", description="Value, reach, effort, risk."
    )
    for name, weight in (
        ("Business value", "4"),
        ("Reach", "2"),
        ("Ease of delivery", "2"),
        ("Low risk", "1"),
    ):
        EvaluationCriterion.objects.create(criteria_set=cs, name=name, weight=Decimal(weight))
    ideas = []
    for title, category, state, benefit in IDEAS:
        idea = services.submit_idea(title=title, category=category, expected_benefit=benefit, actor=actor,
                                    submitter=rng.choice(people) if people else None,
                                    description=f"**{title}**: proposed by the service desk community.")  # fmt: skip
        ideas.append(idea)
        for voter in rng.sample(people, min(len(people), rng.randint(1, 8))):
            services.vote(idea=idea, voter=voter, actor=actor)
        if actor is None:
            continue
        path = {"new": [], "evaluating": ["evaluate"], "pilot": ["evaluate", "pilot"],
                "adopted": ["evaluate", "pilot", "adopt"], "rejected": ["evaluate", "reject"]}[state]  # fmt: skip
        for step in path:
            if step == "evaluate":
                wf.transition(obj=idea, name="evaluate", actor=actor, data={"criteria_set": cs.pk})
                idea.refresh_from_db()
                for evaluator in people[:3]:
                    services.score_idea(idea=idea, evaluator=evaluator, actor=actor,
                                        scores={c: rng.randint(4, 9) for c in cs.criteria.all()})  # fmt: skip
            else:
                wf.transition(obj=idea, name=step, actor=actor)
            idea.refresh_from_db()
    if actor is not None:
        services.promote_idea(idea=ideas[0], to="initiative", actor=actor)

    pilot = Pilot.objects.create(
        title="Laptop swap lockers at headquarters", idea=ideas[1], owner=people[0] if people else None,
        hypothesis="We believe lockers for laptop swaps will cut the time to a working laptop to under an hour.",
        start_date=today - dt.timedelta(days=30), end_date=today + dt.timedelta(days=30),
    )  # fmt: skip
    for name, target, result, outcome in (("Time to a working laptop", "< 1 hour", "42 minutes", "met"),
                                      ("User satisfaction", "≥ 4.5 / 5", "", "pending"),
                                      ("Lockers out of order", "< 2 %", "", "pending")):  # fmt: skip
        SuccessCriterion.objects.create(pilot=pilot, name=name, target=target, result=result, outcome=outcome)
    if actor is not None:
        wf.transition(obj=pilot, name="start", actor=actor)

    plan = ChangePlan.objects.create(
        title="Roll out the laptop swap lockers", pilot=pilot, owner=people[1] if len(people) > 1 else None,
        go_live=today + dt.timedelta(days=21),
        description="Everything the people side of the locker rollout needs: who is affected, what they hear when.",
    )  # fmt: skip
    if actor is not None:
        wf.transition(obj=plan, name="activate", actor=actor)
    departments, teams = list(Department.objects.order_by("pk")[:2]), list(Team.objects.order_by("pk")[:2])
    groups = []
    for name, influence, interest, impact, stage in (
        ("Service desk", "high", "high", "high", "knowledge"), ("Office staff", "low", "high", "medium", "desire"),
        ("Facilities", "high", "low", "medium", "awareness"), ("Executives", "high", "low", "low", "ability"),
    ):  # fmt: skip
        group = StakeholderGroup.objects.create(plan=plan, name=name, influence=influence, interest=interest,
                                                impact_level=impact, adkar_stage=stage,
                                                impact_description=f"What changes for {name.lower()}.")  # fmt: skip
        groups.append(group)
    if teams:
        groups[0].teams.set(teams[:1])
    if departments:
        groups[1].departments.set(departments[:1])
    groups[3].people.set(people[:3])
    for days, subject, audience, channel in ((0, "Laptop swap lockers are coming", groups, "notification"),
                                             (7, "How to use the lockers", groups[:2], "email"),
                                             (21, "The lockers are live", groups, "email")):  # fmt: skip
        message = CommunicationMessage.objects.create(
            plan=plan, send_on=today + dt.timedelta(days=days), subject=subject, channel=channel,
            body=f"{subject}. Read the plan for details.",
        )  # fmt: skip
        message.audience.set(audience)
    training = TrainingItem.objects.create(plan=plan, title="Locker walk-through for the service desk",
                                           date=today + dt.timedelta(days=10))  # fmt: skip
    training.audience.set(groups[:1])
    course = apps.get_model("talent", "Course").objects.order_by("pk").first()
    if course is not None:  # the training catalogue's demo data loads first
        TrainingItem.objects.create(plan=plan, course=course, title=course.title[:200],
                                    date=today + dt.timedelta(days=17)).audience.set(groups)  # fmt: skip
    survey = ReadinessSurvey.objects.create(plan=plan, title="Are you ready for the lockers?",
                                            closes_at=timezone.now() + dt.timedelta(days=14))  # fmt: skip
    for n, text in enumerate(("I know why we introduce the lockers.", "I know how to use them.",
                              "I expect them to save me time.")):  # fmt: skip
        SurveyQuestion.objects.create(survey=survey, text=text, position=n)
    for respondent in people[:10]:
        services.submit_survey_response(survey=survey, respondent=respondent, actor=actor,
                                        answers={q: rng.randint(2, 5) for q in survey.questions.all()})  # fmt: skip
    for n, title in enumerate(("Lockers installed and tested", "Service desk trained", "Stock of swap laptops",
                               "Knowledge article published")):  # fmt: skip
        ReadinessItem.objects.create(plan=plan, title=title, done=n < 2, due_date=today + dt.timedelta(days=7 * n),
                                     owner=rng.choice(people) if people else None)  # fmt: skip
    openssl = SoftwareProduct.objects.filter(name="openssl").first()
    if openssl is not None:
        AdoptionMetric.objects.create(plan=plan, name="Hosts on OpenSSL", kind="installations",
                                      software_product=openssl, target=40)  # fmt: skip
    from steward.itsm.models import CatalogueItem

    item = CatalogueItem.objects.filter(name__icontains="laptop").order_by("pk").first()
    item = item or CatalogueItem.objects.order_by("pk").first()
    if item is not None:
        AdoptionMetric.objects.create(plan=plan, name=f"Requests for {item.name}", kind="requests",
                                      catalogue_item=item, target=100)  # fmt: skip
    AdoptionMetric.objects.create(plan=plan, name="People signing in", kind="logins", target=50)
    return f"innovation: {len(IDEAS)} ideas, {len(RADAR)} radar entries, 1 pilot, 1 change plan"
