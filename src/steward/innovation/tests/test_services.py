"""Every innovation rule, exercised through the services (and the refusals that change nothing)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from django.core import mail
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from steward.cmdb.models import ConfigurationItem, SoftwareInstallation, SoftwareProduct
from steward.core import workflow as wf
from steward.core.models import Notification
from steward.core.workflow import TransitionNotAllowed
from steward.innovation import models as m
from steward.innovation import services
from steward.org.models import Department, Person, Team
from steward.projects.models import Project
from steward.strategy.models import Initiative
from steward.utilities.testing import grant, make_user
from steward.utilities.testing.factories import make_instance


def person(n: int, **extra: object) -> Person:
    return Person.objects.create(first_name="P", last_name=str(n), email=f"svc{n}@example.org", **extra)


class IdeaTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.actor = make_user("innovator", superuser=True)
        cls.alice, cls.bob, cls.carol = person(1), person(2), person(3)
        cls.criteria = m.CriteriaSet.objects.create(name="Standard")
        cls.value = m.EvaluationCriterion.objects.create(criteria_set=cls.criteria, name="Value", weight=D(3))
        cls.effort = m.EvaluationCriterion.objects.create(
            criteria_set=cls.criteria, name="Effort", weight=D(1)
        )

    def idea(self, **extra: object) -> m.Idea:
        return services.submit_idea(title="Chatbot", submitter=self.alice, actor=self.actor,
                                    description="**bold** <script>x</script>", **extra)  # fmt: skip

    def test_submit_validates_category(self) -> None:
        with self.assertRaises(ValidationError) as ctx:
            services.submit_idea(title="X", category="magic", actor=self.actor)
        self.assertIn("category", ctx.exception.message_dict)
        self.assertFalse(m.Idea.objects.exists())

    def test_description_is_rendered_sanitised(self) -> None:
        idea = self.idea()
        self.client.force_login(self.actor)
        page = self.client.get(idea.get_absolute_url()).content.decode()
        self.assertIn("<strong>bold</strong>", page)
        self.assertNotIn("<script>x</script>", page)

    def test_one_vote_per_person_and_unvote(self) -> None:
        idea = self.idea()
        services.vote(idea=idea, voter=self.bob, actor=self.actor)
        with self.assertRaises(ValidationError) as ctx:
            services.vote(idea=idea, voter=self.bob, actor=self.actor)
        self.assertIn("already voted", str(ctx.exception))
        self.assertEqual(idea.votes.count(), 1)
        services.vote(idea=idea, voter=self.carol, actor=self.actor)
        services.unvote(idea=idea, voter=self.bob, actor=self.actor)
        self.assertEqual(list(idea.votes.values_list("voter", flat=True)), [self.carol.pk])
        with self.assertRaises(ValidationError):
            services.unvote(idea=idea, voter=self.bob, actor=self.actor)

    def test_api_vote_refusals_are_400_naming_the_field_and_write_nothing(self) -> None:
        idea = self.idea()
        api = APIClient()
        api.force_authenticate(self.actor)
        url = reverse("api:innovation-idea-vote", args=[idea.pk])
        self.assertEqual(api.post(url, {"voter": self.bob.pk}, format="json").status_code, 200)
        response = api.post(url, {"voter": self.bob.pk}, format="json")
        self.assertEqual(response.status_code, 400, response.content)
        self.assertEqual(list(response.json()), ["voter"])
        m.Idea.objects.filter(pk=idea.pk).update(state="rejected")
        response = api.post(url, {"voter": self.carol.pk}, format="json")
        self.assertEqual(response.status_code, 400, response.content)
        self.assertEqual(response.json(), {"non_field_errors": ["A rejected idea takes no votes."]})
        self.assertEqual(list(idea.votes.values_list("voter", flat=True)), [self.bob.pk])

    def test_duplicate_vote_through_the_model_names_the_field(self) -> None:
        idea = self.idea()
        m.IdeaVote.objects.create(idea=idea, voter=self.bob)
        with self.assertRaises(ValidationError) as ctx:
            m.IdeaVote(idea=idea, voter=self.bob).full_clean()
        self.assertIn("voter", ctx.exception.message_dict)

    def test_weighted_evaluation(self) -> None:
        idea = self.idea()
        with self.assertRaises(ValidationError):  # not yet being evaluated
            services.score_idea(idea=idea, evaluator=self.bob, scores={self.value: 8}, actor=self.actor)
        with self.assertRaises(ValidationError):  # evaluation needs a criteria set
            wf.transition(obj=idea, name="evaluate", actor=self.actor)
        wf.transition(obj=idea, name="evaluate", actor=self.actor, data={"criteria_set": self.criteria.pk})
        idea.refresh_from_db()
        services.score_idea(
            idea=idea, evaluator=self.bob, scores={self.value: 8, self.effort: 4}, actor=self.actor
        )
        services.score_idea(idea=idea, evaluator=self.carol, scores={self.value.pk: 6}, actor=self.actor)
        result = services.evaluation(idea)
        # value mean 7 ×3, effort mean 4 ×1 → 25 / 4
        self.assertEqual(result.total, D("6.25"))
        self.assertEqual(result.evaluators, 2)
        # correcting a score replaces it
        services.score_idea(idea=idea, evaluator=self.carol, scores={self.value: 8}, actor=self.actor)
        self.assertEqual(services.evaluation(idea).total, D("7.00"))

    def test_scores_are_all_or_nothing(self) -> None:
        idea = self.idea()
        idea.criteria_set = self.criteria
        idea.state = "evaluating"
        idea.save()
        other = m.EvaluationCriterion.objects.create(criteria_set=m.CriteriaSet.objects.create(name="Other"),
                                                     name="X")  # fmt: skip
        for scores in ({self.value: 8, other: 3}, {self.value: 8, self.effort: 11}, {self.value: "lots"}):
            with self.subTest(scores=scores), self.assertRaises(ValidationError):
                services.score_idea(idea=idea, evaluator=self.bob, scores=scores, actor=self.actor)
        self.assertFalse(m.IdeaScore.objects.exists())

    def test_promotion_to_initiative_then_project(self) -> None:
        idea = self.idea()
        with self.assertRaises(ValidationError) as ctx:
            services.promote_idea(idea=idea, to="initiative", actor=self.actor)
        self.assertIn("Only an idea being evaluated", str(ctx.exception))
        wf.transition(obj=idea, name="evaluate", actor=self.actor, data={"criteria_set": self.criteria.pk})
        initiative = services.promote_idea(idea=idea, to="initiative", actor=self.actor)
        self.assertIsInstance(initiative, Initiative)
        self.assertEqual(
            (initiative.title, initiative.sponsor, initiative.state), ("Chatbot", self.alice, "idea")
        )
        idea.refresh_from_db()
        self.assertEqual(idea.initiative, initiative)
        with self.assertRaises(ValidationError):
            services.promote_idea(idea=idea, to="initiative", actor=self.actor)
        self.assertEqual(Initiative.objects.count(), 1)
        project = services.promote_idea(
            idea=idea, to="project", actor=self.actor, start_date=dt.date(2027, 1, 4)
        )
        self.assertIsInstance(project, Project)
        self.assertEqual((project.initiative, project.start_date), (initiative, dt.date(2027, 1, 4)))
        idea.refresh_from_db()
        self.assertEqual(idea.project, project)
        with self.assertRaises(ValidationError):
            services.promote_idea(idea=idea, to="portfolio", actor=self.actor)

    def test_funnel_counts_and_conversion(self) -> None:
        ideas = [self.idea() for _n in range(4)]
        for idea in ideas[1:]:
            wf.transition(
                obj=idea, name="evaluate", actor=self.actor, data={"criteria_set": self.criteria.pk}
            )
        for idea in ideas[2:]:
            wf.transition(obj=idea, name="pilot", actor=self.actor)
        wf.transition(obj=ideas[3], name="adopt", actor=self.actor)
        wf.transition(obj=ideas[2], name="reject", actor=self.actor)
        stages, rejected = services.funnel(m.Idea.objects.all())
        self.assertEqual([(s.name, s.current, s.reached) for s in stages],
                         [("new", 1, 4), ("evaluating", 1, 3), ("pilot", 0, 2), ("adopted", 1, 1)])  # fmt: skip
        self.assertEqual([s.conversion for s in stages], [None, D("75.0"), D("66.7"), D("50.0")])
        self.assertEqual(rejected, 1)


class RadarTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.actor = make_user("architect", superuser=True)
        cls.tools = m.RadarQuadrant.objects.create(name="Tools", position=1)
        cls.platforms = m.RadarQuadrant.objects.create(name="Platforms", position=2)

    def entry(self, name: str = "Kubernetes", ring: str = "assess") -> m.RadarEntry:
        return m.RadarEntry.objects.create(name=name, quadrant=self.platforms, ring=ring)

    def test_move_records_history_and_marker(self) -> None:
        entry = self.entry()
        movement = services.move_entry(entry=entry, to_ring="trial", rationale="Two teams run it well.",
                                       actor=self.actor)  # fmt: skip
        entry.refresh_from_db()
        self.assertEqual((entry.ring, movement.from_ring, movement.to_ring), ("trial", "assess", "trial"))
        self.assertEqual(services.markers([entry])[entry.pk], "in")
        services.move_entry(entry=entry, to_ring="hold", rationale="Too costly.", actor=self.actor)
        entry.refresh_from_db()
        self.assertEqual(services.markers([entry])[entry.pk], "out")
        self.assertEqual(entry.movements.count(), 2)

    def test_bad_moves_change_nothing(self) -> None:
        entry = self.entry()
        for kwargs, field in (({"to_ring": "assess", "rationale": "x"}, "to_ring"),
                              ({"to_ring": "adopt", "rationale": " "}, "rationale"),
                              ({"to_ring": "orbit", "rationale": "x"}, "to_ring"),
                              ({"to_ring": "adopt", "rationale": "x", "date": dt.date(2999, 1, 1)}, "date")):  # fmt: skip
            with self.subTest(**kwargs), self.assertRaises(ValidationError) as ctx:
                services.move_entry(entry=entry, actor=self.actor, **kwargs)
            self.assertIn(field, ctx.exception.message_dict)
        entry.refresh_from_db()
        self.assertEqual(entry.ring, "assess")
        self.assertFalse(m.RadarMovement.objects.exists())

    def test_ring_edit_without_movement_is_refused(self) -> None:
        entry = m.RadarEntry.objects.get(pk=self.entry().pk)
        entry.ring = "adopt"
        with self.assertRaises(ValidationError) as ctx:
            entry.full_clean()
        self.assertIn("ring", ctx.exception.message_dict)

    def test_edition_snapshot_and_past_ring(self) -> None:
        entry = self.entry()
        m.RadarEntry.objects.filter(pk=entry.pk).update(created=timezone.now() - dt.timedelta(days=30))
        entry.refresh_from_db()
        m.RadarMovement.objects.create(entry=entry, to_ring="trial", rationale="x", date=timezone.localdate())
        edition = services.publish_edition(name="Now", actor=self.actor)
        self.assertEqual(
            [(i["name"], i["ring"], i["moved"]) for i in edition.snapshot], [("Kubernetes", "trial", "in")]
        )
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        self.assertEqual(services.ring_on([entry], yesterday)[entry.pk], "assess")
        # An entry added later is not on an earlier radar.
        late = self.entry("Nomad")
        self.assertNotIn(late.pk, services.ring_on([late], yesterday))

    def test_layout_is_deterministic_and_inside_the_right_sector(self) -> None:
        items = [{"name": f"E{n}", "position": n % 4, "ring": ("adopt", "trial", "assess", "hold")[n % 4]}
                 for n in range(20)]  # fmt: skip
        first, second = services.layout(items), services.layout(list(reversed(items)))
        self.assertEqual(first, second)
        centre = services.SIZE / 2
        for blip in first:
            dx, dy = blip.x - centre, centre - blip.y
            sector = {(True, True): 0, (False, True): 1, (False, False): 2, (True, False): 3}[
                (dx > 0, dy > 0)
            ]
            self.assertEqual(sector, blip.quadrant, blip)
            radius = (dx * dx + dy * dy) ** 0.5
            ring = ("adopt", "trial", "assess", "hold").index(blip.ring)
            inner = services.RING_RADII[ring - 1] if ring else 0
            self.assertTrue(inner < radius < services.RING_RADII[ring], blip)
        self.assertEqual([b.number for b in first], list(range(1, 21)))

    def test_adoption_counts_installations_and_devices(self) -> None:
        entry = self.entry("nginx", "adopt")
        product = SoftwareProduct.objects.create(ecosystem="deb", vendor="debian", name="nginx")
        entry.software_products.set([product])
        cis = [make_instance(ConfigurationItem) for _n in range(2)]
        for ci, version in ((cis[0], "1"), (cis[0], "2"), (cis[1], "1")):
            SoftwareInstallation.objects.create(configuration_item=ci, product=product, version=version)
        self.assertEqual(services.adoption([entry])[entry.pk], (3, 2))


class PilotTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.actor = make_user("pilot", superuser=True)

    def test_decision_needs_measured_criteria_and_rationale(self) -> None:
        pilot = m.Pilot.objects.create(title="Lockers", hypothesis="h", start_date=dt.date(2027, 1, 1),
                                       end_date=dt.date(2027, 2, 1))  # fmt: skip
        criterion = m.SuccessCriterion.objects.create(pilot=pilot, name="Speed", target="< 1 h")
        wf.transition(obj=pilot, name="start", actor=self.actor)
        with self.assertRaises(ValidationError):
            services.decide_pilot(pilot=pilot, decision="scale_up", rationale="Fast", actor=self.actor)
        with self.assertRaises(ValidationError) as ctx:
            services.record_result(criterion=criterion, result="", outcome="met", actor=self.actor)
        self.assertIn("result", ctx.exception.message_dict)
        services.record_result(criterion=criterion, result="40 min", outcome="met", actor=self.actor)
        with self.assertRaises(ValidationError) as ctx:
            services.decide_pilot(pilot=pilot, decision="scale_up", rationale="", actor=self.actor)
        pilot.refresh_from_db()
        self.assertEqual((pilot.state, pilot.decision), ("running", ""))
        services.decide_pilot(
            pilot=pilot, decision="scale_up", rationale="Met every target.", actor=self.actor
        )
        pilot.refresh_from_db()
        self.assertEqual((pilot.state, pilot.decision), ("decided", "scale_up"))

    def test_generic_transition_and_edits_keep_the_measurement_rules(self) -> None:
        """The Decide button, the transition endpoint and plain edits hold the same rules as the service."""
        pilot = m.Pilot.objects.create(title="Lockers", hypothesis="h", start_date=dt.date(2027, 1, 1),
                                       end_date=dt.date(2027, 2, 1))  # fmt: skip
        criterion = m.SuccessCriterion.objects.create(pilot=pilot, name="Speed", target="< 1 h")
        wf.transition(obj=pilot, name="start", actor=self.actor)
        data = {"decision": "scale_up", "decision_rationale": "Looks fine."}
        with self.assertRaises(TransitionNotAllowed) as ctx:
            wf.transition(obj=pilot, name="decide", actor=self.actor, data=data)
        self.assertIn("still open: Speed", str(ctx.exception))
        api = APIClient()
        api.force_authenticate(self.actor)
        url = reverse("api:innovation-pilot-transition", args=[pilot.pk])
        response = api.post(url, {"transition": "decide", "data": data}, format="json")
        self.assertEqual(response.status_code, 409, response.content)
        self.assertIn("Speed", response.json()["detail"])
        pilot.refresh_from_db()
        self.assertEqual((pilot.state, pilot.decision), ("running", ""))
        # Saying "met" without a measured result is refused on the edit endpoint as in the service.
        url = reverse("api:innovation-successcriterion-detail", args=[criterion.pk])
        response = api.patch(url, {"outcome": "met"}, format="json")
        self.assertEqual(response.status_code, 400, response.content)
        self.assertIn("result", response.json())
        criterion.refresh_from_db()
        self.assertEqual(criterion.outcome, "pending")
        api.patch(url, {"outcome": "met", "result": "40 min"}, format="json")
        response = api.post(reverse("api:innovation-pilot-transition", args=[pilot.pk]),
                            {"transition": "decide", "data": data}, format="json")  # fmt: skip
        self.assertEqual(response.status_code, 200, response.content)
        pilot.refresh_from_db()
        self.assertEqual((pilot.state, pilot.decision), ("decided", "scale_up"))

    def test_end_before_start_is_refused(self) -> None:
        with self.assertRaises(ValidationError) as ctx:
            m.Pilot(
                title="X", hypothesis="h", start_date=dt.date(2027, 2, 1), end_date=dt.date(2027, 1, 1)
            ).full_clean()
        self.assertIn("end_date", ctx.exception.message_dict)


class ChangePlanTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.actor = make_user("ocm", superuser=True)
        cls.plan = m.ChangePlan.objects.create(title="Lockers")
        cls.dept = Department.objects.create(
            name="Finance", organisation=make_instance(Department).organisation
        )
        cls.team = Team.objects.create(name="Desk")
        cls.users = [make_user(f"member{n}") for n in range(3)]
        cls.named = person(10, user=cls.users[0])
        cls.in_team = person(11, user=cls.users[1])
        cls.in_dept = person(12, department=cls.dept)
        cls.leaver = person(13, status="inactive")
        cls.team.members.set([cls.in_team, cls.leaver])
        cls.group = m.StakeholderGroup.objects.create(
            plan=cls.plan, name="Everyone", influence="high", interest="low"
        )
        cls.group.people.set([cls.named])
        cls.group.teams.set([cls.team])
        cls.group.departments.set([cls.dept])

    def message(self, channel: str = "email", send_on: dt.date | None = None) -> m.CommunicationMessage:
        msg = m.CommunicationMessage.objects.create(plan=self.plan, channel=channel, subject="Lockers soon",
                                                    body="Read on.", send_on=send_on or timezone.localdate())  # fmt: skip
        msg.audience.set([self.group])
        return msg

    def test_training_audience_is_enrolled_on_the_catalogue_course_once(self) -> None:
        from steward.talent.models import Course, Enrolment

        course = Course.objects.create(title="Locker operations")
        item = m.TrainingItem.objects.create(plan=self.plan, title="Lockers", date=dt.date(2027, 3, 1))
        with self.assertRaises(ValidationError) as ctx:
            services.enrol_training_audience(item=item, actor=self.actor)
        self.assertIn("course", ctx.exception.message_dict)
        item.course = course
        item.save()
        with self.assertRaises(ValidationError) as ctx:
            services.enrol_training_audience(item=item, actor=self.actor)
        self.assertIn("audience", ctx.exception.message_dict)
        self.assertFalse(Enrolment.objects.exists())
        item.audience.set([self.group])
        Enrolment.objects.create(person=self.in_team, course=course, state="completed",
                                 completion_date=dt.date(2026, 1, 5))  # fmt: skip
        Enrolment.objects.create(person=self.named, course=course, state="cancelled")
        created = services.enrol_training_audience(item=item, actor=self.actor)
        # The one who completed it is skipped, the cancelled one is planned again, the leaver never.
        self.assertEqual(
            sorted((e.person_id, e.state, e.start_date) for e in created),
            sorted((p.pk, "planned", dt.date(2027, 3, 1)) for p in (self.named, self.in_dept)),
        )
        self.assertEqual(services.enrol_training_audience(item=item, actor=self.actor), [])
        self.assertEqual(Enrolment.objects.count(), 4)

        api = APIClient()
        url = reverse("api:innovation-trainingitem-enrol", args=[item.pk])
        viewer = make_user("training-viewer")
        grant(viewer, m.TrainingItem, "view")
        api.force_authenticate(viewer)
        self.assertEqual(api.post(url).status_code, 403)  # needs talent's add_enrolment too
        api.force_authenticate(self.actor)
        self.assertEqual(api.post(url).json(), {"created": 0, "enrolments": []})
        self.client.force_login(self.actor)
        page = self.client.get(self.plan.get_absolute_url()).content.decode()
        self.assertIn(reverse("innovation:trainingitem_enrol", args=[item.pk]), page)
        response = self.client.post(reverse("innovation:trainingitem_enrol", args=[item.pk]), follow=True)
        self.assertContains(response, "0 enrolments planned for Locker operations")
        self.client.force_login(viewer)
        self.assertEqual(
            self.client.post(reverse("innovation:trainingitem_enrol", args=[item.pk])).status_code, 403
        )

    def test_members_come_from_people_teams_and_departments(self) -> None:
        members = services.group_members([self.group])[self.group.pk]
        self.assertEqual(members, {self.named.pk, self.in_team.pk, self.in_dept.pk})

    def test_email_sent_once_on_its_day(self) -> None:
        msg = self.message(send_on=timezone.localdate() + dt.timedelta(days=1))
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(services.send_due_communications(), [])
        self.assertEqual(len(mail.outbox), 0)
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        with self.captureOnCommitCallbacks(execute=True):
            sent = services.send_due_communications(today=tomorrow)
        self.assertEqual(sent, [msg])
        self.assertEqual(sorted(e.to[0] for e in mail.outbox),
                         sorted(p.email for p in (self.named, self.in_team, self.in_dept)))  # fmt: skip
        msg.refresh_from_db()
        self.assertIsNotNone(msg.sent_at)
        self.assertEqual(msg.recipient_count, 3)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(services.send_due_communications(today=tomorrow), [])
        self.assertEqual(len(mail.outbox), 3)
        with self.assertRaises(ValidationError):
            services.send_communication(message=msg, actor=self.actor)

    def test_notification_channel_reaches_people_with_accounts(self) -> None:
        msg = self.message(channel="notification")
        services.send_communication(message=msg, actor=self.actor)
        self.assertEqual(set(Notification.objects.values_list("recipient", flat=True)),
                         {self.users[0].pk, self.users[1].pk})  # fmt: skip
        msg.refresh_from_db()
        self.assertEqual(msg.recipient_count, 2)

    def test_sent_message_cannot_change(self) -> None:
        msg = self.message()
        services.send_communication(message=msg, actor=self.actor)
        msg.refresh_from_db()
        msg.subject = "Rewritten"
        with self.assertRaises(ValidationError):
            msg.full_clean()

    def test_scheduled_job_sends_due_messages(self) -> None:
        from steward.core.jobs import JobContext
        from steward.innovation import jobs

        self.message()
        with self.captureOnCommitCallbacks(execute=True):
            jobs.send_communications(JobContext(name="innovation.send_communications"))
        self.assertEqual(len(mail.outbox), 3)

    def test_survey_response_and_results_per_group(self) -> None:
        survey = m.ReadinessSurvey.objects.create(plan=self.plan, title="Ready?",
                                                  closes_at=timezone.now() + dt.timedelta(days=1))  # fmt: skip
        q1 = m.SurveyQuestion.objects.create(survey=survey, text="I know why", position=1)
        q2 = m.SurveyQuestion.objects.create(survey=survey, text="I know how", position=2)
        outsider = person(20)
        services.submit_survey_response(
            survey=survey, respondent=self.named, answers={q1: 4, q2: 2}, actor=self.actor
        )
        services.submit_survey_response(
            survey=survey, respondent=outsider, answers={q1.pk: 2}, actor=self.actor
        )
        results = services.survey_results(survey)
        self.assertEqual(results["respondents"], 2)
        self.assertEqual([(r["overall"], r["groups"]) for r in results["rows"]],
                         [(D("3.00"), [D("4.00")]), (D("2.00"), [D("2.00")])])  # fmt: skip
        with self.assertRaises(ValidationError):  # a 6 refuses the whole response
            services.submit_survey_response(survey=survey, respondent=outsider, answers={q1: 5, q2: 6},
                                            actor=self.actor)  # fmt: skip
        self.assertEqual(m.SurveyAnswer.objects.get(respondent=outsider, question=q1).score, 2)

    def test_response_after_closing_is_refused(self) -> None:
        survey = m.ReadinessSurvey.objects.create(plan=self.plan, title="Late",
                                                  closes_at=timezone.now() - dt.timedelta(minutes=1))  # fmt: skip
        q = m.SurveyQuestion.objects.create(survey=survey, text="Ready?")
        with self.assertRaises(ValidationError) as ctx:
            services.submit_survey_response(
                survey=survey, respondent=self.named, answers={q: 4}, actor=self.actor
            )
        self.assertIn("closed", str(ctx.exception))
        with self.assertRaises(ValidationError):
            m.SurveyAnswer(question=q, respondent=self.named, score=4).full_clean()
        self.assertFalse(m.SurveyAnswer.objects.exists())

    def test_go_live_waits_for_the_checklist(self) -> None:
        item = m.ReadinessItem.objects.create(plan=self.plan, title="Lockers installed")
        wf.transition(obj=self.plan, name="activate", actor=self.actor)
        with self.assertRaises(TransitionNotAllowed) as ctx:
            wf.transition(obj=self.plan, name="go_live", actor=self.actor)
        self.assertIn("1 go-live checklist items", str(ctx.exception))
        item.done = True
        item.save()
        self.assertEqual(services.readiness(self.plan), (1, 1))
        wf.transition(obj=self.plan, name="go_live", actor=self.actor)
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.state, "live")

    def test_grid_cells(self) -> None:
        cells = services.grid(self.plan)
        self.assertEqual(cells["high_low"], [self.group])
        self.assertEqual(cells["high_high"], [])

    def test_adoption_metrics_by_query(self) -> None:
        from steward.itsm.models import CatalogueItem

        product = SoftwareProduct.objects.create(ecosystem="deb", vendor="debian", name="openssl")
        now = timezone.now()
        for days in (20, 10, 1):
            SoftwareInstallation.objects.create(configuration_item=make_instance(ConfigurationItem), product=product,
                                                first_seen=now - dt.timedelta(days=days))  # fmt: skip
        metric = m.AdoptionMetric.objects.create(plan=self.plan, name="Hosts", kind="installations",
                                                 software_product=product)  # fmt: skip
        today = timezone.localdate()
        self.assertEqual(services.metric_value(metric, today - dt.timedelta(days=15)), 1)
        self.assertEqual(services.metric_series(metric, points=3, step=dt.timedelta(days=7)),
                         [(today - dt.timedelta(days=14), 1), (today - dt.timedelta(days=7), 2), (today, 3)])  # fmt: skip
        item = make_instance(CatalogueItem)
        requests = m.AdoptionMetric.objects.create(
            plan=self.plan, name="Requests", kind="requests", catalogue_item=item
        )
        self.assertEqual(services.metric_value(requests, today), 0)
        with self.assertRaises(ValidationError) as ctx:
            m.AdoptionMetric(plan=self.plan, name="X", kind="requests").full_clean()
        self.assertIn("catalogue_item", ctx.exception.message_dict)


class TrainingCourseTest(TestCase):
    def test_a_training_item_can_name_a_course_of_the_catalogue(self) -> None:
        from steward.talent.models import Course

        plan = make_instance(m.ChangePlan)
        course = Course.objects.create(title="Locker operations")
        item = m.TrainingItem.objects.create(
            plan=plan, course=course, title="Lockers", date=dt.date(2027, 3, 1)
        )
        self.assertEqual(list(course.change_training.all()), [item])
        course.delete()
        item.refresh_from_db()
        self.assertIsNone(item.course)  # the plan keeps its session when the course goes
