"""Innovation rules: votes, weighted evaluation, promotion, the radar, pilots and change plans.

Every operation is keyword-only, atomic and names its actor. Side effects (mail, notifications,
events) wait for the commit, so a refused or rolled-back operation sends nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.cmdb.models import SoftwareInstallation
from steward.core import events, notifications
from steward.core import workflow as wf
from steward.core.context import change_context, current_actor
from steward.core.models import WorkflowHistory
from steward.innovation.choices import RING_ORDER, MetricKind
from steward.innovation.models import (
    AdoptionMetric,
    ChangePlan,
    CommunicationMessage,
    Idea,
    IdeaScore,
    IdeaVote,
    Pilot,
    RadarEdition,
    RadarEntry,
    RadarMovement,
    ReadinessSurvey,
    StakeholderGroup,
    SuccessCriterion,
    SurveyAnswer,
    TrainingItem,
)
from steward.innovation.workflows import FUNNEL
from steward.itsm.models import ServiceRequest
from steward.org.models import Person
from steward.projects import services as project_services
from steward.strategy import services as strategy_services
from steward.talent import services as talent_services

ZERO = Decimal(0)
COMMUNICATION_NOTIFICATION = "innovation.communication"
#: How long a ring change keeps its "moved in/out" marker on the radar.
MOVED_WINDOW = dt.timedelta(days=180)


def _context(actor: Any) -> Any:
    """Attribute changes to ``actor`` unless a request already did."""
    from contextlib import nullcontext

    return nullcontext() if current_actor() is not None else change_context(actor=actor, source="service")


def _event(name: str, obj: Any, data: dict[str, Any]) -> None:
    events.emit(
        events.Event(name=name, model=obj._meta.label_lower, object_id=obj.pk, object_repr=str(obj)[:200],
                     object_url=obj.get_absolute_url(), data=data)
    )  # fmt: skip


# --- ideas ---------------------------------------------------------------------------------------
def submit_idea(
    *, title: str, actor: Any, submitter: Person | None = None, description: str = "", category: str = "other",
    expected_benefit: str = "",
) -> Idea:  # fmt: skip
    """Record a new idea (state ``new``); the description is Markdown, rendered sanitised."""
    with _context(actor), transaction.atomic():
        idea = Idea(title=title, submitter=submitter, description=description, category=category,
                    expected_benefit=expected_benefit)  # fmt: skip
        idea.full_clean()
        idea.save()
    return idea


def vote(*, idea: Idea, voter: Person, actor: Any) -> IdeaVote:
    """Add ``voter``'s vote; a second vote by the same person is refused and changes nothing."""
    with _context(actor), transaction.atomic():
        Idea.objects.select_for_update().filter(pk=idea.pk).first()
        if IdeaVote.objects.filter(idea=idea, voter=voter).exists():
            raise ValidationError(
                {"voter": _("%(voter)s has already voted for this idea.") % {"voter": voter}}
            )
        if idea.state == "rejected":
            raise ValidationError(_("A rejected idea takes no votes."))
        row = IdeaVote(idea=idea, voter=voter)
        row.full_clean()
        row.save()
    return row


def unvote(*, idea: Idea, voter: Person, actor: Any) -> None:
    """Withdraw ``voter``'s vote; refused when there is none."""
    with _context(actor), transaction.atomic():
        row = IdeaVote.objects.filter(idea=idea, voter=voter).first()
        if row is None:
            raise ValidationError({"voter": _("%(voter)s has not voted for this idea.") % {"voter": voter}})
        row.delete()


def score_idea(*, idea: Idea, evaluator: Person, scores: Mapping[Any, Any], actor: Any) -> list[IdeaScore]:
    """Record (or correct) one evaluator's 0–10 scores, criterion by criterion, all or nothing.

    ``scores`` maps criteria (or their ids) to values. Scores are taken while the idea is being
    evaluated, and only on the criteria of its set.
    """
    if idea.state != "evaluating":
        raise ValidationError(_("Scores are recorded while the idea is being evaluated."))
    criteria = {c.pk: c for c in idea.criteria_set.criteria.all()} if idea.criteria_set_id else {}
    rows = []
    with _context(actor), transaction.atomic():
        for key, value in scores.items():
            pk = getattr(key, "pk", key)
            if pk not in criteria:
                raise ValidationError(
                    {"criterion": _("Criterion %(c)s is not in the idea's criteria set.") % {"c": key}}
                )
            row = IdeaScore.objects.filter(
                idea=idea, criterion_id=pk, evaluator=evaluator
            ).first() or IdeaScore(idea=idea, criterion=criteria[pk], evaluator=evaluator)
            try:
                row.value = Decimal(str(value))
            except ArithmeticError:
                raise ValidationError({"value": _("'%(v)s' is not a number.") % {"v": value}}) from None
            row.full_clean()
            row.save()
            rows.append(row)
    return rows


@dataclass
class Evaluation:
    """An idea's mean score per criterion across evaluators and the weighted total (0–10)."""

    criteria: list[tuple[Any, Decimal | None, int]] = field(default_factory=list)  # criterion, mean, n
    total: Decimal | None = None
    evaluators: int = 0
    missing: list[str] = field(default_factory=list)


def evaluation(idea: Idea) -> Evaluation:
    """Weighted total = Σ weight × mean score / Σ weight, over the criteria that have scores."""
    result = Evaluation()
    if not idea.criteria_set_id:
        return result
    criteria = list(idea.criteria_set.criteria.all())
    by_criterion: dict[int, list[Decimal]] = defaultdict(list)
    evaluators = set()
    for s in IdeaScore.objects.filter(idea=idea).values("criterion_id", "value", "evaluator_id"):
        by_criterion[s["criterion_id"]].append(s["value"])
        evaluators.add(s["evaluator_id"])
    weighted = weights = ZERO
    for c in criteria:
        values = by_criterion.get(c.pk, [])
        mean = (sum(values, ZERO) / len(values)).quantize(Decimal("0.01")) if values else None
        result.criteria.append((c, mean, len(values)))
        if mean is None:
            result.missing.append(c.name)
        else:
            weighted += c.weight * mean
            weights += c.weight
    result.total = (weighted / weights).quantize(Decimal("0.01")) if weights else None
    result.evaluators = len(evaluators)
    return result


PROMOTABLE = ("evaluating", "pilot", "adopted")


def promote_idea(
    *, idea: Idea, to: str, actor: Any, sponsor: Person | None = None, start_date: dt.date | None = None
) -> Any:
    """Turn an idea into a strategic initiative (``to="initiative"``) or a project (``"project"``).

    The new record comes from the owning app's service and the idea links back to it; a project
    made from an idea already promoted to an initiative belongs to that initiative.
    """
    if to not in ("initiative", "project"):
        raise ValidationError({"to": _("Promote to an initiative or a project.")})
    with _context(actor), transaction.atomic():
        idea = Idea.objects.select_for_update().get(pk=idea.pk)
        if idea.state not in PROMOTABLE:
            raise ValidationError(
                _("Only an idea being evaluated, piloted or adopted can be promoted; %(ref)s is %(state)s.")
                % {"ref": idea.reference, "state": idea.workflow_state.label}
            )
        summary = "\n\n".join(p for p in (idea.description, idea.expected_benefit) if p)
        summary = f"{summary}\n\n{_('From idea %(ref)s.') % {'ref': idea.reference}}".strip()
        sponsor = sponsor or idea.submitter
        if to == "initiative":
            if idea.initiative_id:
                raise ValidationError(_("%(ref)s is already initiative %(ini)s.")
                                      % {"ref": idea.reference, "ini": idea.initiative.reference})  # fmt: skip
            created = strategy_services.create_initiative(title=idea.title, summary=summary, sponsor=sponsor,
                                                          actor=actor)  # fmt: skip
            idea.initiative = created
        else:
            if idea.project_id:
                raise ValidationError(_("%(ref)s is already project %(prj)s.")
                                      % {"ref": idea.reference, "prj": idea.project.reference})  # fmt: skip
            created = project_services.create_project(
                name=idea.title, description=summary, start_date=start_date or timezone.localdate(),
                sponsor=sponsor, initiative=idea.initiative, actor=actor,
            )  # fmt: skip
            idea.project = created
            for pilot in idea.pilots.all():
                pilot.projects.add(created)
        idea.save()
        _event("innovation.idea.promoted", idea, {"to": to, "reference": created.reference})
    return created


@dataclass(frozen=True)
class FunnelStage:
    name: str
    label: str
    colour: str
    current: int
    reached: int
    conversion: Decimal | None  # % of those who reached the previous stage


def funnel(queryset: QuerySet[Idea]) -> tuple[list[FunnelStage], int]:
    """Ideas now in each stage, how many ever reached it, and the conversion from the stage before.

    "Reached" follows the workflow history, so a rejected idea still counts for the stages it got to.
    Returns the stages and the number of rejected ideas.
    """
    workflow = wf.get_workflow(Idea)
    ids = list(queryset.values_list("pk", flat=True))
    current = dict(queryset.order_by().values_list("state").annotate(n=Count("id")))
    order = {name: n for n, name in enumerate(FUNNEL)}
    furthest = {pk: 0 for pk in ids}
    for pk, state in queryset.values_list("pk", "state"):
        furthest[pk] = max(furthest[pk], order.get(state, 0))
    history = WorkflowHistory.objects.filter(
        content_type=ContentType.objects.get_for_model(Idea), object_id__in=ids
    ).values_list("object_id", "to_state")
    for pk, state in history:
        if state in order and pk in furthest:
            furthest[pk] = max(furthest[pk], order[state])
    stages, previous = [], None
    for n, name in enumerate(FUNNEL):
        reached = sum(1 for v in furthest.values() if v >= n)
        conversion = None
        if previous:
            conversion = (Decimal(reached) * 100 / previous).quantize(Decimal("0.1"))
        state = workflow.state(name)
        stages.append(FunnelStage(name, state.label, state.colour, current.get(name, 0), reached, conversion))
        previous = reached
    return stages, current.get("rejected", 0)


# --- technology radar ----------------------------------------------------------------------------
def move_entry(
    *, entry: RadarEntry, to_ring: str, rationale: str, actor: Any, date: dt.date | None = None
) -> RadarMovement:
    """Move an entry to another ring, recording the date and the rationale."""
    with _context(actor), transaction.atomic():
        movement = RadarMovement(entry=entry, to_ring=to_ring, rationale=rationale,
                                 date=date or timezone.localdate())  # fmt: skip
        movement.full_clean()
        movement.save()
        entry.refresh_from_db()
        _event("innovation.radar.moved", entry, {"from": movement.from_ring, "to": to_ring})
    return movement


def markers(entries: Iterable[RadarEntry], *, as_of: dt.date | None = None) -> dict[int, str]:
    """ "in" / "out" for entries whose last ring change in the window moved them towards / away from
    the centre, "new" for entries added in the window, "" otherwise."""
    as_of = as_of or timezone.localdate()
    since = as_of - MOVED_WINDOW
    entries = list(entries)
    result = {e.pk: "" for e in entries}
    latest: dict[int, RadarMovement] = {}
    for m in RadarMovement.objects.filter(entry__in=[e.pk for e in entries], date__gt=since, date__lte=as_of)\
            .order_by("date", "id"):  # fmt: skip
        latest[m.entry_id] = m
    for e in entries:
        m = latest.get(e.pk)
        if m is not None and m.from_ring:
            result[e.pk] = "in" if RING_ORDER[m.to_ring] < RING_ORDER[m.from_ring] else "out"
        elif e.created and timezone.localdate(e.created) > since:
            result[e.pk] = "new"
    return result


def ring_on(entries: Iterable[RadarEntry], as_of: dt.date) -> dict[int, str]:
    """Each entry's ring on a past date, replayed from its movements (entries added later: absent)."""
    entries = list(entries)
    rings = {}
    moves: dict[int, list[RadarMovement]] = defaultdict(list)
    for m in RadarMovement.objects.filter(entry__in=[e.pk for e in entries]).order_by("date", "id"):
        moves[m.entry_id].append(m)
    for e in entries:
        history = moves.get(e.pk, [])
        if e.created and timezone.localdate(e.created) > as_of and not any(m.date <= as_of for m in history):
            continue
        ring = history[0].from_ring or history[0].to_ring if history else e.ring
        for m in history:
            if m.date <= as_of:
                ring = m.to_ring
        rings[e.pk] = ring
    return rings


def snapshot(as_of: dt.date | None = None) -> list[dict[str, Any]]:
    """The radar as it stood on ``as_of`` (today by default): one row per entry."""
    as_of = as_of or timezone.localdate()
    entries = list(RadarEntry.objects.select_related("quadrant"))
    rings = ring_on(entries, as_of)
    marks = markers(entries, as_of=as_of)
    return [
        {"name": e.name, "quadrant": e.quadrant.name, "position": e.quadrant.position, "ring": rings[e.pk],
         "moved": marks[e.pk], "id": e.pk}
        for e in entries if e.pk in rings
    ]  # fmt: skip


def publish_edition(*, name: str, actor: Any, date: dt.date | None = None, notes: str = "") -> RadarEdition:
    """Freeze the radar as it stands on ``date`` into a named edition."""
    with _context(actor), transaction.atomic():
        edition = RadarEdition(name=name, date=date or timezone.localdate(), notes=notes)
        edition.full_clean()
        edition.save()  # the snapshot is taken on first save
    return edition


#: Geometry of the rendered radar (SVG user units).
SIZE, RING_RADII = 640, (110, 190, 255, 310)
RING_FILL = ("#e6f4ea", "#e7f0fb", "#fdf6e3", "#fbeaea")
BLIP_FILL = {"adopt": "#2fb344", "trial": "#066fd1", "assess": "#f59f00", "hold": "#d63939"}


@dataclass(frozen=True)
class Blip:
    number: int
    name: str
    ring: str
    quadrant: int
    moved: str
    x: float
    y: float
    url: str = ""

    @property
    def fill(self) -> str:
        return BLIP_FILL.get(self.ring, "#6c7a91")

    @property
    def triangle(self) -> str:
        """Points of the marker triangle: up = moved in, down = moved out."""
        d = 7
        if self.moved == "out":
            return f"{self.x - d},{self.y - d * 0.8} {self.x + d},{self.y - d * 0.8} {self.x},{self.y + d}"
        return f"{self.x - d},{self.y + d * 0.8} {self.x + d},{self.y + d * 0.8} {self.x},{self.y - d}"


def _jitter(name: str) -> float:
    """A stable number in [0, 1) from a name, so a blip keeps its place between renderings."""
    return int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) / 0x1_0000_0000


def layout(items: Iterable[Mapping[str, Any]]) -> list[Blip]:
    """Place blips deterministically: each (quadrant, ring) cell spreads its entries, sorted by
    name, evenly over the cell's angle and staggers them between the ring's edges.

    ``items`` carry name, position (quadrant 0–3), ring and moved; numbering follows quadrant,
    ring and name, so the legend reads in the same order.
    """
    rows = sorted(items, key=lambda i: (i["position"], RING_ORDER.get(i["ring"], 9), i["name"].lower()))
    cells: dict[tuple[int, str], list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        cells[(row["position"], row["ring"])].append(row)
    centre = SIZE / 2
    blips = []
    for number, row in enumerate(rows, start=1):
        cell = cells[(row["position"], row["ring"])]
        index, count = cell.index(row), len(cell)
        ring = RING_ORDER.get(row["ring"], 3)
        inner = RING_RADII[ring - 1] if ring else 0
        outer = RING_RADII[ring]
        # Quadrant 0 spans 0–90° (top right, counter-clockwise from east); keep off the axes.
        start = math.radians(row["position"] * 90 + 8)
        angle = start + math.radians(74) * (index + 0.5) / count
        lane = (index % 3 + 0.5) / 3 if count > 2 else 0.5 + 0.3 * (_jitter(row["name"]) - 0.5)
        radius = inner + 14 + (outer - inner - 28) * lane
        x = round(centre + radius * math.cos(angle), 1)
        y = round(centre - radius * math.sin(angle), 1)
        blips.append(Blip(number, row["name"], row["ring"], row["position"], row.get("moved", ""), x, y,
                          row.get("url", "")))  # fmt: skip
    return blips


def adoption(entries: Iterable[RadarEntry]) -> dict[int, tuple[int, int]]:
    """Per entry: installations of its linked CMDB products and the distinct items running them."""
    entries = list(entries)
    products: dict[int, set[int]] = defaultdict(set)
    through = RadarEntry.software_products.through
    for entry_id, product_id in through.objects.filter(radarentry__in=[e.pk for e in entries]).values_list(
        "radarentry_id", "softwareproduct_id"
    ):
        products[entry_id].add(product_id)
    all_products = set().union(*products.values()) if products else set()
    installs = list(
        SoftwareInstallation.objects.filter(product__in=all_products).values_list(
            "product_id", "configuration_item_id"
        )
    )
    result = {}
    for e in entries:
        mine = [ci for product, ci in installs if product in products.get(e.pk, ())]
        result[e.pk] = (len(mine), len(set(mine)))
    return result


# --- pilots --------------------------------------------------------------------------------------
def record_result(*, criterion: SuccessCriterion, result: str, outcome: str, actor: Any) -> SuccessCriterion:
    """Record what a pilot measured on one success criterion and whether the target was met."""
    if outcome != "pending" and not (result or "").strip():
        raise ValidationError({"result": _("Record the measured result before saying whether it was met.")})
    with _context(actor), transaction.atomic():
        criterion.result, criterion.outcome = result, outcome
        criterion.full_clean()
        criterion.save()
    return criterion


def _unmeasured(pilot: Pilot) -> str | None:
    names = [c.name for c in pilot.criteria.all() if c.outcome == "pending"]
    if not names:
        return None
    return _("Measure every success criterion before deciding; still open: %(names)s.") % {
        "names": ", ".join(names)
    }


@wf.register_guard("innovation.pilot_measured")
def pilot_measured(*, obj: Pilot, actor: Any) -> str | None:
    """A pilot is decided only once every success criterion has a measured outcome.

    As a workflow guard, so the generic *Decide* button and the transition endpoint refuse it too.
    """
    return _unmeasured(obj)


def decide_pilot(*, pilot: Pilot, decision: str, rationale: str, actor: Any) -> Pilot:
    """End a running pilot with a decision and its rationale; every criterion must be measured first."""
    refusal = _unmeasured(pilot)
    if refusal:
        raise ValidationError(refusal)
    wf.transition(obj=pilot, name="decide", actor=actor,
                  data={"decision": decision, "decision_rationale": rationale})  # fmt: skip
    pilot.refresh_from_db()
    return pilot


# --- change plans --------------------------------------------------------------------------------
def group_members(groups: Iterable[StakeholderGroup]) -> dict[int, set[int]]:
    """Person ids per group: named people plus the members of its teams and departments (active only)."""
    groups = list(groups)
    members: dict[int, set[int]] = {g.pk: set() for g in groups}
    ids = [g.pk for g in groups]
    through = StakeholderGroup.people.through
    for gid, pid in through.objects.filter(stakeholdergroup__in=ids).values_list(
        "stakeholdergroup_id", "person_id"
    ):
        members[gid].add(pid)
    for gid, pid in StakeholderGroup.objects.filter(pk__in=ids, teams__members__isnull=False).values_list(
        "pk", "teams__members"
    ):
        members[gid].add(pid)
    for gid, pid in StakeholderGroup.objects.filter(
        pk__in=ids, departments__people__isnull=False
    ).values_list("pk", "departments__people"):
        members[gid].add(pid)
    active = set(
        Person.objects.filter(
            pk__in=set().union(*members.values()) if members else set(), status="active"
        ).values_list("pk", flat=True)
    )
    return {gid: pids & active for gid, pids in members.items()}


def send_communication(
    *, message: CommunicationMessage, actor: Any = None, now: dt.datetime | None = None
) -> int:
    """Send one message to everyone in its audience, exactly once; returns the recipient count.

    The message is claimed with a conditional update (``sent_at`` still empty), so two workers
    or a retried job never send it twice. Email and notifications leave after commit.
    """
    now = now or timezone.now()
    with _context(actor), transaction.atomic():
        claimed = CommunicationMessage.objects.filter(pk=message.pk, sent_at__isnull=True).update(sent_at=now)
        if not claimed:
            raise ValidationError(_("'%(subject)s' has already been sent.") % {"subject": message.subject})
        people_ids = set().union(*group_members(message.audience.all()).values())
        people = list(Person.objects.filter(pk__in=people_ids).select_related("user"))
        if message.channel == "email":
            addresses = sorted({p.email for p in people if p.email})
            subject, body = message.subject, message.body

            def deliver() -> None:
                for address in addresses:  # one message each: recipients never see each other
                    send_mail(subject, body, None, [address], fail_silently=False)

            events.enqueue_after_commit(deliver)
            count = len(addresses)
        else:
            users = [p.user for p in people if p.user_id]
            notifications.notify(recipients=users, kind=COMMUNICATION_NOTIFICATION, title=message.subject,
                                 body=message.body, obj=message.plan)  # fmt: skip
            count = len(users)
        CommunicationMessage.objects.filter(pk=message.pk).update(recipient_count=count)
        message.refresh_from_db()
        _event("innovation.communication.sent", message, {"recipients": count, "channel": message.channel})
    return count


def send_due_communications(*, today: dt.date | None = None, actor: Any = None) -> list[CommunicationMessage]:
    """Send every unsent message whose date has come (today, or earlier if a run was missed)."""
    today = today or timezone.localdate()
    sent = []
    for message in CommunicationMessage.objects.filter(send_on__lte=today, sent_at__isnull=True).order_by(
        "send_on", "pk"
    ):
        try:
            send_communication(message=message, actor=actor)
        except ValidationError:
            continue  # another worker sent it in the meantime
        sent.append(message)
    return sent


def enrol_training_audience(*, item: TrainingItem, actor: Any) -> list[Any]:
    """Plan the item's catalogue course for every member of its audience groups (talent enrolments
    starting on the item's date); people already on the course are left as they are."""
    if item.course_id is None:
        raise ValidationError({"course": _("Choose a course from the training catalogue first.")})
    members = set().union(*group_members(item.audience.all()).values()) if item.audience.exists() else set()
    if not members:
        raise ValidationError(
            {"audience": _("The audience groups of '%(t)s' have no members.") % {"t": item}}
        )
    return talent_services.plan_enrolments(
        course=item.course, people=members, start_date=item.date, actor=actor
    )


def submit_survey_response(
    *, survey: ReadinessSurvey, respondent: Person, answers: Mapping[Any, int], actor: Any
) -> list[SurveyAnswer]:
    """Record one person's answers (question or id → 1–5), all or nothing; refused after closing."""
    if survey.is_closed:
        raise ValidationError(
            _("The survey '%(survey)s' closed on %(when)s; responses are no longer accepted.")
            % {"survey": survey.title, "when": f"{timezone.localtime(survey.closes_at):%Y-%m-%d %H:%M}"}
        )
    questions = {q.pk: q for q in survey.questions.all()}
    rows = []
    with _context(actor), transaction.atomic():
        for key, score in answers.items():
            pk = getattr(key, "pk", key)
            if pk not in questions:
                raise ValidationError(
                    {"question": _("Question %(q)s is not part of this survey.") % {"q": key}}
                )
            row = SurveyAnswer.objects.filter(question_id=pk, respondent=respondent).first() or SurveyAnswer(
                question=questions[pk], respondent=respondent
            )
            row.score = score
            row.full_clean()
            row.save()
            rows.append(row)
    return rows


def survey_results(survey: ReadinessSurvey) -> dict[str, Any]:
    """Mean score per question overall and per stakeholder group of the plan (by membership)."""
    questions = list(survey.questions.all())
    groups = list(survey.plan.groups.all())
    members = group_members(groups)
    answers = list(
        SurveyAnswer.objects.filter(question__survey=survey).values_list(
            "question_id", "respondent_id", "score"
        )
    )

    def mean(values: list[int]) -> Decimal | None:
        return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01")) if values else None

    rows = []
    for q in questions:
        scores = [(r, s) for qid, r, s in answers if qid == q.pk]
        rows.append({
            "question": q,
            "overall": mean([s for _r, s in scores]),
            "count": len(scores),
            "groups": [mean([s for r, s in scores if r in members[g.pk]]) for g in groups],
        })  # fmt: skip
    return {"groups": groups, "rows": rows, "respondents": len({r for _q, r, _s in answers})}


@wf.register_guard("innovation.ready")
def go_live_ready(*, obj: ChangePlan, actor: Any) -> str | None:
    """A plan goes live only when its go-live checklist is complete."""
    open_items = obj.checklist.filter(done=False).count()
    if open_items:
        return _("%(n)d go-live checklist items are not done.") % {"n": open_items}
    return None


def readiness(plan: ChangePlan) -> tuple[int, int]:
    """Done and total go-live checklist items."""
    counts = plan.checklist.aggregate(total=Count("id"), done=Count("id", filter=Q(done=True)))
    return counts["done"], counts["total"]


def grid(plan: ChangePlan) -> dict[str, list[StakeholderGroup]]:
    """Groups per cell of the influence × interest grid (manage closely, keep satisfied, …)."""
    cells: dict[str, list[StakeholderGroup]] = {
        "high_high": [],
        "high_low": [],
        "low_high": [],
        "low_low": [],
    }
    for g in plan.groups.all():
        cells[f"{g.influence}_{g.interest}"].append(g)
    return cells


def metric_value(metric: AdoptionMetric, on: dt.date) -> int:
    """The metric's figure at the end of day ``on``, by a query on platform data."""
    end = timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))
    if metric.kind == MetricKind.INSTALLATIONS:
        return (
            SoftwareInstallation.objects.filter(product_id=metric.software_product_id)
            .annotate(since=Coalesce("first_seen", "created"))
            .filter(since__lt=end)
            .count()
        )
    if metric.kind == MetricKind.REQUESTS:
        return ServiceRequest.objects.filter(item_id=metric.catalogue_item_id, created__lt=end).count()
    # Sign-ins: Django keeps only each user's last login, so this counts users whose latest
    # sign-in falls in the 30 days up to ``on`` (past points undercount; see the guide).
    return (
        get_user_model()
        .objects.filter(last_login__lt=end, last_login__gte=end - dt.timedelta(days=30))
        .count()
    )


def metric_series(metric: AdoptionMetric, *, end: dt.date | None = None, points: int = 12,
                  step: dt.timedelta = dt.timedelta(days=7)) -> list[tuple[dt.date, int]]:  # fmt: skip
    """The metric at ``points`` dates ``step`` apart, ending on ``end`` (today)."""
    end = end or timezone.localdate()
    dates = [end - step * n for n in range(points - 1, -1, -1)]
    return [(d, metric_value(metric, d)) for d in dates]
