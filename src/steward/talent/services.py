"""Talent rules: the skills library importer, proficiencies and their validation, certification
reminders, course completion, gap analyses, key-person risk, positions raised from gaps, workload.

Keyword-only, typed and atomic like every ``services.py``; the actor is explicit. Views, the API,
jobs and the management command call these functions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core import events
from steward.core import workflow as wf
from steward.core.context import change_context
from steward.talent import library
from steward.talent.choices import MAX_LEVEL, MIN_LEVEL, Assessment
from steward.talent.library import LibraryError
from steward.talent.models import (
    CertificationHolding,
    Enrolment,
    EstateSkillRequirement,
    OpenPosition,
    PositionSkill,
    Proficiency,
    ProficiencyLevel,
    ProjectSkillDemand,
    RoleProfile,
    Skill,
    SkillCategory,
    SkillLibrary,
)

__all__ = ["LibraryError"]

DEFAULT_LIBRARY = Path(__file__).parent / "data" / "steward-skills.yaml"
CERTIFICATION_NOTIFICATION = "talent.certification_expiring"
#: The fewest qualified people a service or class should have before it is a key-person risk.
KEY_PERSON_MINIMUM = 2
ACTIVE = "active"  # org.PersonStatus.ACTIVE, spelled out to keep org's choices out of the import graph


def _event(name: str, obj: Any, data: dict[str, Any]) -> None:
    events.emit(
        events.Event(
            name=name, model=obj._meta.label_lower, object_id=obj.pk, object_repr=str(obj)[:200],
            object_url=obj.get_absolute_url(), data=data,
        )
    )  # fmt: skip


def check_level(level: Any, field_name: str = "level") -> int:
    """The level as an int on the 1–7 scale, or a ValidationError naming ``field_name``."""
    if isinstance(level, bool) or not isinstance(level, int) or not MIN_LEVEL <= level <= MAX_LEVEL:
        raise ValidationError({field_name: _("The level must be between 1 and 7 (got %s).") % (level,)})
    return level


# --- skills library -----------------------------------------------------------------------------
@dataclass
class ImportResult:
    library: SkillLibrary
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0

    def __str__(self) -> str:
        return _("%(lib)s: %(c)d created, %(u)d updated, %(n)d unchanged, %(w)d withdrawn.") % {
            "lib": self.library, "c": self.created, "u": self.updated, "n": self.unchanged, "w": self.withdrawn,
        }  # fmt: skip


def _upsert(model: type[Any], lookup: dict[str, Any], values: dict[str, Any], result: ImportResult) -> Any:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        result.created += 1
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k if not hasattr(v, "pk") else f"{k}_id") != (
        v.pk if hasattr(v, "pk") else v)]  # fmt: skip
    if changed:
        for key in changed:
            setattr(obj, key, values[key])
        obj.full_clean()
        obj.save()
        result.updated += 1
    else:
        result.unchanged += 1
    return obj


@transaction.atomic
def import_library(*, content: str | bytes, actor: Any) -> ImportResult:
    """Import a skills library file; a re-import updates entries by URN (idempotent).

    Levels are matched by number, categories and skills by URN (then by name, so a hand-made
    skill of the same name is adopted rather than duplicated). Skills of this library missing
    from the file are marked withdrawn, never deleted. A bad file raises ``LibraryError``
    naming the entry and writes nothing.
    """
    data = library.parse(content)
    with change_context(actor=actor, source="import"):
        lib = SkillLibrary.objects.filter(urn=data.urn).first() or SkillLibrary(urn=data.urn)
        lib.name, lib.version, lib.publisher, lib.description = (
            data.name,
            data.version,
            data.publisher,
            data.description,
        )
        lib.full_clean()
        lib.save()
        result = ImportResult(library=lib)
        for entry in data.levels:
            _upsert(ProficiencyLevel, {"level": entry.level},
                    {"name": entry.name, "description": entry.description, "urn": entry.urn, "library": lib},
                    result)  # fmt: skip
        categories: dict[str, SkillCategory] = {}
        for entry in data.categories:
            lookup = (
                {"urn": entry.urn}
                if SkillCategory.objects.filter(urn=entry.urn).exists()
                else {"name": entry.name}
            )
            values = {"name": entry.name, "description": entry.description, "urn": entry.urn, "library": lib}
            values.pop(next(iter(lookup)))
            categories[entry.urn] = _upsert(SkillCategory, lookup, values, result)
        for entry in data.skills:
            lookup = (
                {"urn": entry.urn} if Skill.objects.filter(urn=entry.urn).exists() else {"name": entry.name}
            )
            values = {"name": entry.name, "code": entry.code, "description": entry.description, "urn": entry.urn,
                      "library": lib, "category": categories[entry.category_urn], "withdrawn": False}  # fmt: skip
            values.pop(next(iter(lookup)))
            try:
                _upsert(Skill, lookup, values, result)
            except ValidationError as exc:
                raise LibraryError(f"skill {entry.urn}", "; ".join(exc.messages)) from None
        urns = [s.urn for s in data.skills]
        for skill in Skill.objects.filter(library=lib, withdrawn=False).exclude(urn__in=urns):
            skill.withdrawn = True
            skill.save(update_fields=["withdrawn", "last_updated"])
            result.withdrawn += 1
        _event("talent.library.imported", lib, {"version": lib.version, "created": result.created,
                                                "updated": result.updated, "withdrawn": result.withdrawn})  # fmt: skip
    return result


def load_default_library(*, actor: Any = None) -> ImportResult:
    """Import the library the Steward team ships (``talent/data/steward-skills.yaml``)."""
    return import_library(content=DEFAULT_LIBRARY.read_bytes(), actor=actor)


# --- proficiencies ------------------------------------------------------------------------------
@transaction.atomic
def assess_proficiency(*, person: Any, skill: Skill, level: int, actor: Any, notes: str = "") -> Proficiency:
    """Record a self-assessment; a new level clears an earlier manager validation."""
    check_level(level)
    with change_context(actor=actor, source="service"):
        prof = Proficiency.objects.select_for_update().filter(person=person, skill=skill).first()
        if prof is None:
            prof = Proficiency(person=person, skill=skill)
        elif prof.level == level and not notes:
            return prof
        prof.level, prof.assessment, prof.validated_by, prof.validated_on = level, Assessment.SELF, None, None
        prof.notes = notes or prof.notes
        prof.full_clean()
        prof.save()
    return prof


@transaction.atomic
def validate_proficiency(
    *,
    proficiency: Proficiency,
    validator: Any,
    actor: Any,
    level: int | None = None,
    on: dt.date | None = None,
) -> Proficiency:
    """The person's manager confirms (or corrects) a proficiency; date and validator are kept."""
    person = proficiency.person
    if validator is None or person.manager_id != validator.pk:
        raise ValidationError(
            {
                "validated_by": _("Only %(person)s's manager may validate their proficiencies.")
                % {"person": person}
            }
        )
    with change_context(actor=actor, source="service"):
        prof = Proficiency.objects.select_for_update().get(pk=proficiency.pk)
        if level is not None:
            prof.level = check_level(level)
        prof.assessment, prof.validated_by = Assessment.VALIDATED, validator
        prof.validated_on = on or timezone.localdate()
        prof.full_clean()
        prof.save()
    return prof


def raise_proficiency(
    *, person: Any, skill: Skill, level: int, validator: Any, on: dt.date
) -> Proficiency | None:
    """Raise a proficiency to ``level`` (validated); never lowers one. Inside the caller's transaction."""
    prof = Proficiency.objects.select_for_update().filter(person=person, skill=skill).first()
    if prof is not None and prof.level >= level:
        return None
    prof = prof or Proficiency(person=person, skill=skill)
    prof.level, prof.assessment, prof.validated_by, prof.validated_on = (
        level,
        Assessment.VALIDATED,
        validator,
        on,
    )
    prof.full_clean()
    prof.save()
    return prof


# --- certifications -----------------------------------------------------------------------------
def due_threshold(holding: CertificationHolding, today: dt.date) -> int | None:
    """The smallest reminder threshold reached and not yet announced for the current expiry, or None."""
    if holding.expires is None or holding.expires < today:
        return None
    left = (holding.expires - today).days
    sent = set(holding.reminded or []) if holding.reminded_for == holding.expires else set()
    reached = [d for d in holding.certification.reminder_days or [] if left <= d]
    if not reached or min(reached) in sent:
        return None
    return min(reached)


@transaction.atomic
def send_certification_reminders(*, today: dt.date | None = None) -> list[tuple[CertificationHolding, int]]:
    """Raise ``talent.certification.expiring`` (and notify the holder) once per holding per threshold.

    When several thresholds are crossed at once (a holding recorded late) only the nearest is
    announced and the others are marked as passed, so nobody gets three reminders in one morning.
    """
    from steward.core import notifications

    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=3650)
    sent: list[tuple[CertificationHolding, int]] = []
    candidates = (
        CertificationHolding.objects.select_for_update(of=("self",))
        .filter(expires__gte=today, expires__lte=horizon)
        .select_related("certification", "person__user")
    )
    with change_context(actor=None, source="job"):
        for holding in candidates:
            threshold = due_threshold(holding, today)
            if threshold is None:
                continue
            previous = set(holding.reminded or []) if holding.reminded_for == holding.expires else set()
            passed = {d for d in holding.certification.reminder_days if d >= threshold}
            holding.reminded, holding.reminded_for = sorted(previous | passed, reverse=True), holding.expires
            holding.save(update_fields=["reminded", "reminded_for", "last_updated"])
            days = (holding.expires - today).days
            _event("talent.certification.expiring", holding, {
                "person": str(holding.person), "certification": str(holding.certification),
                "expires": holding.expires.isoformat(), "days_left": days, "threshold": threshold,
            })  # fmt: skip
            user = holding.person.user
            if user is not None:
                notifications.notify(
                    recipients=[user], kind=CERTIFICATION_NOTIFICATION,
                    title=_("Your %(cert)s certification expires on %(date)s")
                    % {"cert": holding.certification, "date": holding.expires},
                    body=_("%(days)d days left to renew it.") % {"days": days}, obj=holding,
                )  # fmt: skip
            sent.append((holding, threshold))
    return sent


# --- training -----------------------------------------------------------------------------------
#: Called after commit with the completed enrolment; finance connects its expense recording here.
COMPLETION_HOOKS: list[Callable[[Enrolment], Any]] = []


@wf.register_action("talent.enrolment_completed")
def _enrolment_completed(*, obj: Enrolment, transition: Any, actor: Any, history: Any) -> None:
    """Inside the 'complete' transition: announce the completion with the course's cost."""
    course = obj.course
    _event("talent.enrolment.completed", obj, {
        "person": obj.person_id, "course": course.title, "completion_date": obj.completion_date.isoformat(),
        "score": obj.score, "cost": str(course.cost), "currency": course.currency,
    })  # fmt: skip
    for hook in COMPLETION_HOOKS:
        events.enqueue_after_commit(lambda hook=hook: hook(obj))


#: Enrolments that already cover a person for a course (a cancelled one does not).
OPEN_OR_DONE = ("planned", "enrolled", "completed")


@transaction.atomic
def plan_enrolments(
    *, course: Any, people: Iterable[Any], actor: Any, start_date: dt.date | None = None
) -> list[Enrolment]:
    """Plan ``course`` for each active person who is not already planned, enrolled or through it.

    Returns the new enrolments (state *planned*); people already covered or no longer active are
    skipped, so running it again adds nobody twice.
    """
    ids = {p.pk if hasattr(p, "pk") else p for p in people}
    person_model = apps.get_model("org", "Person")
    covered = set(
        Enrolment.objects.filter(course=course, person__in=ids, state__in=OPEN_OR_DONE).values_list(
            "person_id", flat=True
        )
    )
    created = []
    with change_context(actor=actor, source="service"):
        for person in person_model.objects.filter(pk__in=ids - covered, status=ACTIVE).order_by("pk"):
            enrolment = Enrolment(person=person, course=course, start_date=start_date)
            enrolment.full_clean()
            enrolment.save()
            created.append(enrolment)
    return created


def complete_enrolment(
    *, enrolment: Enrolment, actor: Any, completion_date: dt.date | None = None, score: int | None = None
) -> Enrolment:
    """Mark an enrolment completed (through the workflow, so the history and event follow)."""
    data: dict[str, Any] = {"completion_date": completion_date or timezone.localdate()}
    if score is not None:
        data["score"] = score
    return wf.transition(obj=enrolment, name="complete", actor=actor, data=data).obj


@transaction.atomic
def validate_enrolment(*, enrolment: Enrolment, validator: Any, actor: Any) -> list[Proficiency]:
    """A manager validates a completed course: the person's proficiencies rise to the course's targets.

    Only a completed enrolment, only by the person's manager, once. Returns the raised rows.
    """
    enrolment = Enrolment.objects.select_for_update().select_related("person").get(pk=enrolment.pk)
    if enrolment.state != "completed":
        raise ValidationError({"state": _("Only a completed enrolment can be validated.")})
    if enrolment.validated_on:
        raise ValidationError({"validated_by": _("This enrolment was already validated.")})
    if validator is None or enrolment.person.manager_id != validator.pk:
        raise ValidationError(
            {"validated_by": _("Only %(p)s's manager may validate this course.") % {"p": enrolment.person}}
        )
    today = timezone.localdate()
    raised = []
    with change_context(actor=actor, source="service"):
        for target in enrolment.course.skills.select_related("skill"):
            prof = raise_proficiency(
                person=enrolment.person,
                skill=target.skill,
                level=target.target_level,
                validator=validator,
                on=today,
            )
            if prof is not None:
                raised.append(prof)
        enrolment.validated_by, enrolment.validated_on = validator, today
        enrolment.save(update_fields=["validated_by", "validated_on", "last_updated"])
    return raised


# --- gap analyses -------------------------------------------------------------------------------
@dataclass
class SkillGap:
    skill: Skill
    required: int
    actual: int | None

    @property
    def gap(self) -> int:
        return max(0, self.required - (self.actual or 0))

    @property
    def met(self) -> bool:
        return self.gap == 0


def person_gap(*, person: Any, role_profile: RoleProfile | None = None) -> list[SkillGap]:
    """The person against their role (or ``role_profile``): one row per required skill, gaps first."""
    if role_profile is None:
        assignment = getattr(person, "role_assignment", None)
        if assignment is None:
            return []
        role_profile = assignment.role_profile
    levels = dict(Proficiency.objects.filter(person=person).values_list("skill_id", "level"))
    rows = [
        SkillGap(r.skill, r.min_level, levels.get(r.skill_id))
        for r in role_profile.requirements.select_related("skill")
    ]
    return sorted(rows, key=lambda g: (-g.gap, g.skill.name))


@dataclass
class DemandGap:
    skill: Skill
    min_level: int
    needed: int
    qualified: list[Any] = field(default_factory=list)

    @property
    def shortfall(self) -> int:
        return max(0, self.needed - len(self.qualified))


def team_project_gap(*, team: Any, project: Any) -> list[DemandGap]:
    """A team against a project's skill demand: who qualifies for each demand and how many are missing."""
    demands = list(ProjectSkillDemand.objects.filter(project=project).select_related("skill"))
    members = {p.pk: p for p in team.members.filter(status=ACTIVE)}
    held = defaultdict(dict)
    for person_id, skill_id, level in Proficiency.objects.filter(
        person__in=list(members), skill__in=[d.skill_id for d in demands]
    ).values_list("person_id", "skill_id", "level"):
        held[skill_id][person_id] = level
    rows = []
    for d in demands:
        people = [members[pid] for pid, lvl in held[d.skill_id].items() if lvl >= d.min_level]
        rows.append(DemandGap(d.skill, d.min_level, d.count, sorted(people, key=str)))
    return sorted(rows, key=lambda g: (-g.shortfall, g.skill.name))


@dataclass
class Coverage:
    """One service or item class: the skills it requires and who holds all of them at the level."""

    kind: str  # "service" or "ci_class"
    target: Any
    requirements: list[tuple[Skill, int]] = field(default_factory=list)
    qualified: list[int] = field(default_factory=list)  # person pks (those the reader may see)
    names: list[str] = field(default_factory=list)  # filled for the few short-staffed targets
    requirement_ids: list[int] = field(default_factory=list)
    hidden: int = 0  # qualified people the reader may not see: counted, never named

    @property
    def count(self) -> int:
        return len(self.qualified) + self.hidden


def estate_coverage(*, kind: str | None = None, user: Any = None) -> list[Coverage]:
    """The organisation against the estate: for each service and CI class with skill requirements,
    the people (active) holding every required skill at its level. Two queries, whatever the size.

    With ``user``: only the targets whose every requirement the user may view (so no figure rests on
    rows hidden from them), and ``qualified`` lists only the people they may view; the others still
    count (``hidden``) but are never identified. Two more queries.
    """
    reqs = EstateSkillRequirement.objects.select_related("skill", "service", "ci_class")
    if kind == "service":
        reqs = reqs.filter(service__isnull=False)
    elif kind == "ci_class":
        reqs = reqs.filter(ci_class__isnull=False)
    targets: dict[tuple[str, int], Coverage] = {}
    for r in reqs:
        key = ("service", r.service_id) if r.service_id else ("ci_class", r.ci_class_id)
        cov = targets.get(key) or targets.setdefault(key, Coverage(key[0], r.service or r.ci_class))
        cov.requirements.append((r.skill, r.min_level))
        cov.requirement_ids.append(r.pk)
    skills = {s.pk for cov in targets.values() for s, _lvl in cov.requirements}
    holders: dict[int, dict[int, int]] = defaultdict(dict)  # skill → person → level
    for person_id, skill_id, level in Proficiency.objects.filter(
        skill__in=skills, person__status=ACTIVE
    ).values_list("person_id", "skill_id", "level"):
        holders[skill_id][person_id] = level
    for cov in targets.values():
        sets = [{p for p, lvl in holders[s.pk].items() if lvl >= need} for s, need in cov.requirements]
        cov.qualified = sorted(set.intersection(*sets)) if sets else []
    rows = list(targets.values())
    if user is not None:
        rows = _visible_coverage(rows, user)
    return sorted(rows, key=lambda c: (c.count, c.kind, str(c.target)))


def _visible_coverage(rows: list[Coverage], user: Any) -> list[Coverage]:
    """Drop targets with a requirement ``user`` may not view; keep unseen people as a bare count."""
    ids = [pk for c in rows for pk in c.requirement_ids]
    allowed = set(
        EstateSkillRequirement.objects.restrict(user, "view").filter(pk__in=ids).values_list("pk", flat=True)
    )
    rows = [c for c in rows if allowed.issuperset(c.requirement_ids)]
    people = {pk for c in rows for pk in c.qualified}
    seen = set(
        apps.get_model("org", "Person").objects.restrict(user, "view").filter(pk__in=people)
        .values_list("pk", flat=True)
    )  # fmt: skip
    for cov in rows:
        visible = [pk for pk in cov.qualified if pk in seen]
        cov.hidden, cov.qualified = len(cov.qualified) - len(visible), visible
    return rows


def key_person_risks(
    *, minimum: int = KEY_PERSON_MINIMUM, kind: str | None = None, user: Any = None
) -> list[Coverage]:
    """Services and CI classes supported by fewer than ``minimum`` qualified people, with their names
    (with ``user``: only what that user may see, as in ``estate_coverage``)."""
    if minimum < 1:
        raise ValidationError({"minimum": _("The minimum number of people is at least 1.")})
    risky = [c for c in estate_coverage(kind=kind, user=user) if c.count < minimum]
    person_model = apps.get_model("org", "Person")
    ids = {pk for c in risky for pk in c.qualified}
    names = {p.pk: str(p) for p in person_model.objects.filter(pk__in=ids).only("first_name", "last_name")}
    for cov in risky:
        cov.names = [names[pk] for pk in cov.qualified if pk in names]
    return risky


def qualified_people(*, skill: Skill | int, min_level: int, among: Iterable[int] | None = None) -> set[int]:
    """Pks of active people holding ``skill`` at ``min_level`` or above (optionally among ``among``)."""
    qs = Proficiency.objects.filter(
        skill=skill, level__gte=check_level(min_level, "min_level"), person__status=ACTIVE
    )
    if among is not None:
        qs = qs.filter(person__in=list(among))
    return set(qs.values_list("person_id", flat=True))


# --- open positions -----------------------------------------------------------------------------
@transaction.atomic
def raise_position(
    *, title: str, skills: Sequence[tuple[Skill, int]], actor: Any, reason: str = "", team: Any = None,
    project: Any = None, role_profile: RoleProfile | None = None,
) -> OpenPosition:  # fmt: skip
    """Open a position carrying the skills a gap showed missing (all or nothing)."""
    if not skills:
        raise ValidationError({"skills": _("A position raised from a gap names at least one skill.")})
    with change_context(actor=actor, source="service"):
        position = OpenPosition(
            title=title, reason=reason, team=team, project=project, role_profile=role_profile
        )
        position.full_clean()
        position.save()
        seen = set()
        for n, (skill, level) in enumerate(skills):
            if skill.pk in seen:
                continue
            seen.add(skill.pk)
            try:
                row = PositionSkill(position=position, skill=skill, min_level=check_level(level, "min_level"))
                row.full_clean()
            except ValidationError as exc:
                message = _("Skill %(n)d: %(e)s") % {"n": n + 1, "e": "; ".join(exc.messages)}
                raise ValidationError({"skills": message}) from None
            row.save()
    return position


def raise_position_for_coverage(*, coverage: Coverage, actor: Any) -> OpenPosition:
    """'Raise from gap' on the estate analysis: a position with every skill the target requires."""
    what = _("service") if coverage.kind == "service" else _("item class")
    team = getattr(coverage.target, "support_team", None)
    return raise_position(
        title=_("Support engineer for %(t)s") % {"t": coverage.target}, skills=coverage.requirements, actor=actor,
        reason=_("Only %(n)d qualified people support the %(what)s %(t)s.")
        % {"n": coverage.count, "what": what, "t": coverage.target},
        team=team,
    )  # fmt: skip


def raise_position_for_project(*, team: Any, project: Any, actor: Any) -> OpenPosition:
    """'Raise from gap' on a project: the demands the team cannot staff."""
    short = [(g.skill, g.min_level) for g in team_project_gap(team=team, project=project) if g.shortfall]
    return raise_position(
        title=_("Staff %(p)s") % {"p": project}, skills=short, actor=actor, team=team, project=project,
        reason=_("%(team)s cannot staff every skill %(p)s demands.") % {"team": team, "p": project},
    )  # fmt: skip


def raise_position_for_person(*, person: Any, actor: Any) -> OpenPosition:
    """'Raise from gap' on a person: a backfill or training position for the role's unmet skills."""
    gaps = [g for g in person_gap(person=person) if g.gap]
    role = person.role_assignment.role_profile if gaps else None
    return raise_position(
        title=_("%(role)s (cover for %(p)s)") % {"role": role, "p": person},
        skills=[(g.skill, g.required) for g in gaps], actor=actor, role_profile=role,
        reason=_("%(p)s does not yet meet %(n)d requirements of the role.") % {"p": person, "n": len(gaps)},
    )  # fmt: skip


# --- workload -----------------------------------------------------------------------------------
@dataclass
class Workload:
    person: Any
    incidents: int = 0
    tasks: int = 0
    changes: int = 0
    project_tasks: int = 0
    project_hours: Decimal = Decimal(0)

    @property
    def items(self) -> int:
        return self.incidents + self.tasks + self.changes + self.project_tasks


def _count_by_assignee(model: Any, people: list[int] | None, closed: Iterable[str]) -> dict[int, int]:
    qs = model.objects.filter(assignee__isnull=False).exclude(state__in=list(closed))
    if people is not None:
        qs = qs.filter(assignee__in=people)
    return dict(qs.values_list("assignee").annotate(n=Count("id")).order_by())


def workload(*, people: Iterable[Any] | None = None, user: Any = None) -> list[Workload]:
    """Open ITSM work (incidents, fulfilment tasks, changes) and unfinished project tasks with their
    remaining hours (estimate × allocation × share left), per person; one aggregate per source.

    Without ``people``: every active person (visible to ``user``) who has any open work.
    """
    pks = None if people is None else [p.pk for p in people]
    incidents = _count_by_assignee(apps.get_model("itsm", "Incident"), pks, ("resolved", "closed"))
    tasks = _count_by_assignee(apps.get_model("itsm", "FulfilmentTask"), pks, ("done", "cancelled"))
    changes = _count_by_assignee(apps.get_model("itsm", "Change"), pks, ("closed", "cancelled"))
    remaining = F("estimate_hours") * F("allocation") * (100 - F("percent_complete")) / 10000
    project_qs = apps.get_model("projects", "Task").objects.filter(
        assignee__isnull=False, percent_complete__lt=100
    )
    if pks is not None:
        project_qs = project_qs.filter(assignee__in=pks)
    project = {
        row["assignee"]: row
        for row in project_qs.values("assignee").annotate(n=Count("id"), hours=Sum(remaining)).order_by()
    }
    if people is None:
        person_model = apps.get_model("org", "Person")
        busy = set(incidents) | set(tasks) | set(changes) | set(project)
        qs = person_model.objects.filter(pk__in=busy, status=ACTIVE)
        people = qs.restrict(user, "view") if user is not None else qs
    out = []
    for p in people:
        row = project.get(p.pk, {})
        out.append(Workload(p, incidents.get(p.pk, 0), tasks.get(p.pk, 0), changes.get(p.pk, 0), row.get("n", 0),
                            Decimal(row.get("hours") or 0).quantize(Decimal("0.1"))))  # fmt: skip
    return sorted(out, key=lambda w: (-w.items, -w.project_hours, str(w.person)))


def raise_position_from_gap(
    *, actor: Any, service: Any = None, ci_class: Any = None, project: Any = None, team: Any = None,
    person: Any = None,
) -> OpenPosition:  # fmt: skip
    """The 'raise from gap' action: one target (a service, a CI class, a team × project, a person)."""
    if service is not None or ci_class is not None:
        kind, target = ("service", service) if service is not None else ("ci_class", ci_class)
        coverage = next((c for c in estate_coverage(kind=kind) if c.target.pk == target.pk), None)
        if coverage is None:
            raise ValidationError({kind: _("%s requires no skills, so it has no gap.") % target})
        return raise_position_for_coverage(coverage=coverage, actor=actor)
    if project is not None:
        if team is None:
            raise ValidationError({"team": _("Name the team measured against the project.")})
        return raise_position_for_project(team=team, project=project, actor=actor)
    if person is not None:
        return raise_position_for_person(person=person, actor=actor)
    raise ValidationError({"service": _("Name a service, an item class, a project and team, or a person.")})
