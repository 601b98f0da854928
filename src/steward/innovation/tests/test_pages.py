"""The pages and endpoints beyond the generic ones, their permissions, and the acceptance stories."""

from __future__ import annotations

import datetime as dt
import random

from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from steward.core import workflow as wf
from steward.innovation import demo, services
from steward.innovation import models as m
from steward.org.models import Person
from steward.projects.models import Project
from steward.utilities.testing import grant, make_user


class PagesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.admin = make_user("boss", superuser=True)
        cls.viewer = make_user("viewer")
        grant(cls.viewer, m.Idea, "view")
        grant(cls.viewer, m.RadarEntry, "view")
        cls.voter_user = make_user("voter")
        grant(cls.voter_user, m.Idea, "view")
        grant(cls.voter_user, m.IdeaVote, "add", "delete")
        cls.voter = Person.objects.create(
            first_name="V", last_name="Oter", email="v@example.org", user=cls.voter_user
        )
        cls.criteria = m.CriteriaSet.objects.create(name="Std")
        m.EvaluationCriterion.objects.create(criteria_set=cls.criteria, name="Value")
        cls.idea = m.Idea.objects.create(title="Chatbot", criteria_set=cls.criteria)
        q = m.RadarQuadrant.objects.create(name="Tools", position=1)
        for n, ring in enumerate(("adopt", "trial", "assess", "hold")):
            m.RadarEntry.objects.create(name=f"Tool {n}", quadrant=q, ring=ring)
        cls.plan = m.ChangePlan.objects.create(title="Lockers")
        m.StakeholderGroup.objects.create(plan=cls.plan, name="Desk", influence="high", interest="high")
        cls.survey = m.ReadinessSurvey.objects.create(plan=cls.plan, title="Ready?",
                                                      closes_at=timezone.now() + dt.timedelta(days=1))  # fmt: skip
        cls.question = m.SurveyQuestion.objects.create(survey=cls.survey, text="I know why")

    def test_funnel_and_radar_need_view_permission(self) -> None:
        for name in ("innovation:idea_funnel", "innovation:radarentry_radar"):
            self.client.force_login(make_user(f"nobody-{name[-5:]}"))
            self.assertEqual(self.client.get(reverse(name)).status_code, 403)
            self.client.force_login(self.viewer)
            self.assertEqual(self.client.get(reverse(name)).status_code, 200)

    def test_radar_is_server_side_svg_with_titles(self) -> None:
        self.client.force_login(self.viewer)
        page = self.client.get(reverse("innovation:radarentry_radar")).content.decode()
        self.assertIn('<svg class="tech-radar" role="img"', page)
        self.assertEqual(page.count('<g class="blip"'), 4)
        self.assertIn("<title>1. Tool 0 — Adopt (new)</title>", page)
        self.assertNotIn("<script", page.split('<svg class="tech-radar"')[1].split("</svg>")[0])

    def test_detail_pages_render(self) -> None:
        self.client.force_login(self.admin)
        edition = services.publish_edition(name="Q1", actor=self.admin)
        for url in (self.idea.get_absolute_url(), self.plan.get_absolute_url(), self.survey.get_absolute_url(),
                    edition.get_absolute_url(), m.RadarEntry.objects.first().get_absolute_url(),
                    reverse("innovation:changeplan_grid", args=[self.plan.pk])):  # fmt: skip
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        grid = self.client.get(reverse("innovation:changeplan_grid", args=[self.plan.pk])).content.decode()
        self.assertIn('data-cell="high_high"', grid)
        self.assertIn("Desk", grid.split('data-cell="high_high"')[1].split("data-cell")[0])

    def test_vote_button_once_per_person(self) -> None:
        url = reverse("innovation:idea_vote", args=[self.idea.pk])
        self.client.force_login(self.viewer)  # may see, may not vote
        self.assertEqual(self.client.post(url).status_code, 403)
        self.client.force_login(self.voter_user)
        self.client.post(url)
        response = self.client.post(url, follow=True)
        self.assertContains(response, "has already voted")
        self.assertEqual(self.idea.votes.count(), 1)
        self.client.post(url, {"withdraw": "1"})
        self.assertEqual(self.idea.votes.count(), 0)

    def test_promote_needs_change_on_idea_and_add_on_target(self) -> None:
        wf.transition(obj=self.idea, name="evaluate", actor=self.admin)
        url = reverse("innovation:idea_promote", args=[self.idea.pk])
        user = make_user("changer")
        grant(user, m.Idea, "view", "change")
        self.client.force_login(user)
        self.assertEqual(self.client.post(url, {"to": "project"}).status_code, 403)
        grant(user, Project, "add", "view")
        response = self.client.post(url, {"to": "project"})
        project = Project.objects.get()
        self.assertRedirects(response, project.get_absolute_url(), fetch_redirect_response=False)

    def test_api_vote_duplicate_is_400_and_changes_nothing(self) -> None:
        api = APIClient()
        api.force_authenticate(self.voter_user)
        url = reverse("api:innovation-idea-vote", args=[self.idea.pk])
        self.assertEqual(api.post(url, {}, format="json").status_code, 200)
        response = api.post(url, {}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("voter", response.json())
        self.assertEqual(self.idea.votes.count(), 1)
        api.force_authenticate(self.viewer)
        self.assertEqual(api.post(url, {}, format="json").status_code, 403)

    def test_api_move_and_respond(self) -> None:
        api = APIClient()
        api.force_authenticate(self.admin)
        entry = m.RadarEntry.objects.get(name="Tool 2")
        url = reverse("api:innovation-radarentry-move", args=[entry.pk])
        self.assertEqual(api.post(url, {"to_ring": "trial", "rationale": ""}, format="json").status_code, 400)
        response = api.post(url, {"to_ring": "trial", "rationale": "Works"}, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["from_ring"], "assess")
        url = reverse("api:innovation-readinesssurvey-respond", args=[self.survey.pk])
        body = {"respondent": self.voter.pk, "answers": {str(self.question.pk): 4}}
        self.assertEqual(api.post(url, body, format="json").status_code, 201)
        m.ReadinessSurvey.objects.filter(pk=self.survey.pk).update(
            closes_at=timezone.now() - dt.timedelta(seconds=1)
        )
        response = api.post(url, {**body, "answers": {str(self.question.pk): 1}}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("closed", str(response.json()))
        self.assertEqual(m.SurveyAnswer.objects.get().score, 4)
        viewer = make_user("survey-viewer")
        grant(viewer, m.ReadinessSurvey, "view")
        api.force_authenticate(viewer)
        self.assertEqual(api.post(url, body, format="json").status_code, 403)


class AcceptanceTests(TestCase):
    """The stories the issue asks for, end to end through the services and the workflow engine."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.actor = make_user("lead", superuser=True)
        cls.people = [Person.objects.create(first_name="A", last_name=str(n), email=f"acc{n}@example.org")
                      for n in range(3)]  # fmt: skip

    def test_idea_through_evaluation_to_pilot_and_project(self) -> None:
        criteria = m.CriteriaSet.objects.create(name="Std")
        value = m.EvaluationCriterion.objects.create(criteria_set=criteria, name="Value", weight=2)
        idea = services.submit_idea(title="Lockers", submitter=self.people[0], actor=self.actor)
        for p in self.people:
            services.vote(idea=idea, voter=p, actor=self.actor)
        wf.transition(obj=idea, name="evaluate", actor=self.actor, data={"criteria_set": criteria.pk})
        idea.refresh_from_db()
        services.score_idea(idea=idea, evaluator=self.people[1], scores={value: 9}, actor=self.actor)
        self.assertEqual(str(services.evaluation(idea).total), "9.00")
        wf.transition(obj=idea, name="pilot", actor=self.actor)
        pilot = m.Pilot.objects.create(title="Lockers at HQ", idea=idea, hypothesis="Faster swaps",
                                       start_date=dt.date(2027, 1, 1), end_date=dt.date(2027, 2, 1))  # fmt: skip
        criterion = m.SuccessCriterion.objects.create(pilot=pilot, name="Swap time", target="< 1 h")
        wf.transition(obj=pilot, name="start", actor=self.actor)
        services.record_result(criterion=criterion, result="40 min", outcome="met", actor=self.actor)
        services.decide_pilot(pilot=pilot, decision="scale_up", rationale="Target met.", actor=self.actor)
        project = services.promote_idea(idea=idea, to="project", actor=self.actor)
        wf.transition(obj=idea, name="adopt", actor=self.actor)
        idea.refresh_from_db()
        self.assertEqual((idea.state, idea.project), ("adopted", project))
        self.assertEqual(list(pilot.projects.all()), [project])
        stages, _rejected = services.funnel(m.Idea.objects.all())
        self.assertEqual([s.reached for s in stages], [1, 1, 1, 1])

    def test_change_plan_sends_its_communication_on_the_day(self) -> None:
        plan = m.ChangePlan.objects.create(title="Lockers")
        group = m.StakeholderGroup.objects.create(plan=plan, name="All")
        group.people.set(self.people)
        today = timezone.localdate()
        message = m.CommunicationMessage.objects.create(plan=plan, send_on=today + dt.timedelta(days=2),
                                                        subject="Lockers arrive", body="Monday.")  # fmt: skip
        message.audience.set([group])
        for day in range(4):  # the job runs every day; the message leaves on day 2, once
            with self.captureOnCommitCallbacks(execute=True):
                services.send_due_communications(today=today + dt.timedelta(days=day))
            self.assertEqual(len(mail.outbox), 0 if day < 2 else 3, day)
        message.refresh_from_db()
        self.assertEqual(message.recipient_count, 3)
        self.assertEqual(timezone.localdate(message.sent_at), today)  # sent by the run of that day

    def test_demo_loader_runs_on_an_empty_platform(self) -> None:
        summary = demo.load(rng=random.Random(1), scale=1.0)
        self.assertIn("20 radar entries", summary)
        self.assertEqual(m.RadarEntry.objects.count(), 20)
        self.assertEqual(set(m.Idea.objects.values_list("state", flat=True)),
                         {"new", "evaluating", "pilot", "adopted", "rejected"})  # fmt: skip
        self.assertTrue(m.CommunicationMessage.objects.filter(send_on=timezone.localdate()).exists())
