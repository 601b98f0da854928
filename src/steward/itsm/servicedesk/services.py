"""Service desk rules: routing new incidents, team queues, canned responses, bulk actions, timeline.

Keyword-only, typed and atomic like every ``services.py``; the actor is explicit. Views, the
API, the mail intake and the importer call these functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core import configcache, events
from steward.core import workflow as wf
from steward.itsm.choices import AssignmentMethod, NoteKind
from steward.itsm.models import CannedResponse, Incident, IncidentNote
from steward.itsm.models.desk import AssignmentRule

CLOSED_STATES = ("resolved", "closed")


# --- routing ----------------------------------------------------------------------------------
def matching_rule(incident: Incident, rules: Iterable[AssignmentRule] | None = None) -> AssignmentRule | None:
    """The first enabled rule (by order, then name) whose conditions match ``incident``."""
    if rules is None:
        # Memoised configuration: ``last_assignee`` may be stale here; pick_assignee re-reads it.
        rules = configcache.copies(
            configcache.cached(
                "itsm.assignment_rules",
                lambda: list(AssignmentRule.objects.filter(enabled=True).order_by("order", "name")),
            )
        )
    return next((r for r in rules if r.matches(incident)), None)


def open_load(members: Iterable[Any]) -> dict[int, int]:
    """Open incidents assigned to each person (by pk), from one aggregate query."""
    pks = [m.pk for m in members]
    rows = (
        Incident.objects.filter(assignee__in=pks)
        .exclude(state__in=CLOSED_STATES)
        .values_list("assignee")
        .annotate(n=Count("id"))
        .order_by()
    )
    load = dict.fromkeys(pks, 0)
    load.update(dict(rows))
    return load


def qualified_members(rule: AssignmentRule) -> QuerySet[Any]:
    """The team's active members the rule may pick: with a required skill, only those holding it
    at the level (talent's proficiencies, looked up by name so itsm does not import talent)."""
    from steward.org.choices import PersonStatus

    members = rule.team.members.filter(status=PersonStatus.ACTIVE)
    if rule.required_skill_id:
        proficiency = apps.get_model("talent", "Proficiency")
        holders = proficiency.objects.filter(
            skill_id=rule.required_skill_id, level__gte=rule.required_level or 1
        )
        members = members.filter(pk__in=holders.values("person_id"))
    return members


def pick_assignee(*, rule: AssignmentRule) -> Any:
    """The member the rule's method chooses, or None (team only, or no active member).

    Round-robin walks the active members in a stable order, continuing after the last person
    it chose; least-loaded takes the one with the fewest open incidents (ties go round-robin).
    The rule row is locked so two incidents created at once never both go to the same person.
    A rule requiring a skill picks among qualified members only; with none, the team alone is set.
    """
    if rule.method == AssignmentMethod.TEAM:
        return None
    locked = AssignmentRule.objects.select_for_update().get(pk=rule.pk)
    members = list(qualified_members(rule).order_by("pk"))
    if not members:
        return None
    last = locked.last_assignee_id or 0
    rotation = [m for m in members if m.pk > last] + [m for m in members if m.pk <= last]
    if rule.method == AssignmentMethod.LEAST_LOADED:
        load = open_load(members)
        chosen = min(rotation, key=lambda m: load[m.pk])  # min keeps the first of equals
    else:
        chosen = rotation[0]
    AssignmentRule.objects.filter(pk=rule.pk).update(last_assignee=chosen)
    rule.last_assignee = chosen
    return chosen


def route_incident(*, incident: Incident, actor: Any = None) -> AssignmentRule | None:
    """Apply the assignment rules to an unsaved new incident (sets team, maybe assignee).

    An incident that already names its team, or arrives resolved (an import of history), is
    left alone. Returns the rule that matched. ``Incident.save`` calls it on create, so the
    form, the API, the mail intake and the importer all route the same way.
    """
    if incident.assignment_team_id or incident.state in CLOSED_STATES:
        return None
    rule = matching_rule(incident)
    if rule is None:
        return None
    incident.assignment_team = rule.team
    incident.assignee = pick_assignee(rule=rule)
    return rule


# --- queues and my work -----------------------------------------------------------------------
@dataclass
class Queue:
    team_id: int | None
    team_name: str
    open: int
    unassigned: int
    oldest: dt.datetime | None
    oldest_unassigned: dt.datetime | None
    now: dt.datetime = field(default_factory=timezone.now)

    @property
    def assigned(self) -> int:
        return self.open - self.unassigned

    @property
    def oldest_age(self) -> dt.timedelta | None:
        return self.now - self.oldest if self.oldest else None

    @property
    def oldest_unassigned_age(self) -> dt.timedelta | None:
        return self.now - self.oldest_unassigned if self.oldest_unassigned else None


def open_incidents(user: Any) -> QuerySet[Incident]:
    return Incident.objects.restrict(user, "view").exclude(state__in=CLOSED_STATES)


def team_queues(*, user: Any, now: dt.datetime | None = None) -> list[Queue]:
    """Open incidents per assignment team the user may see: counts and ages, one SQL aggregate."""
    now = now or timezone.now()
    unassigned = Q(assignee__isnull=True)
    rows = (
        open_incidents(user)
        .values("assignment_team", "assignment_team__name")
        .annotate(
            n=Count("id"),
            unassigned=Count("id", filter=unassigned),
            oldest=Min("created"),
            oldest_unassigned=Min("created", filter=unassigned),
        )
        .order_by("assignment_team__name")
    )
    queues = [
        Queue(r["assignment_team"], r["assignment_team__name"] or _("No team"), r["n"], r["unassigned"],
              r["oldest"], r["oldest_unassigned"], now)
        for r in rows
    ]  # fmt: skip
    # The untriaged pile (no team) comes first: it is everyone's problem.
    return sorted(queues, key=lambda q: (q.team_id is not None, q.team_name))


def with_due(qs: QuerySet[Incident]) -> QuerySet[Incident]:
    """Annotate the earliest due time of the incident's running SLA clocks (``sla_due``)."""
    return qs.annotate(sla_due=Min("sla_clocks__due_at", filter=Q(sla_clocks__status="running")))


def my_work(*, user: Any) -> dict[str, QuerySet[Incident]]:
    """The signed-in agent's open incidents, and the unassigned ones of the teams they are in."""
    person = getattr(user, "person", None)
    base = open_incidents(user).select_related("assignment_team", "assignee", "caller")
    if person is None:
        none = base.none()
        return {"mine": none, "team_unassigned": none}
    mine = with_due(base.filter(assignee=person)).order_by("priority", "created", "pk")
    team_unassigned = with_due(
        base.filter(assignee__isnull=True, assignment_team__in=person.teams.values("pk"))
    ).order_by("priority", "created", "pk")
    return {"mine": mine, "team_unassigned": team_unassigned}


@transaction.atomic
def take_incident(*, incident: Incident, actor: Any) -> Incident:
    """Assign the incident to the acting agent (who must be in its team, or becomes it)."""
    person = getattr(actor, "person", None)
    if person is None:
        raise ValidationError({"assignee": _("Your account is not linked to a person.")})
    if not actor.has_perm("itsm.change_incident", incident):
        raise PermissionDenied(_("You may not change %s.") % incident.reference)
    team = incident.assignment_team
    if team is None or not team.members.filter(pk=person.pk).exists():
        team = person.teams.order_by("name").first()
        if team is None:
            raise ValidationError({"assignment_team": _("You are not a member of any team.")})
    incident.assignment_team, incident.assignee = team, person
    incident.full_clean()
    incident.save()
    return incident


# --- canned responses -------------------------------------------------------------------------
def _person_values(person: Any) -> dict[str, Any]:
    if person is None:
        return {}
    return {"first_name": person.first_name, "last_name": person.last_name, "name": str(person),
            "email": person.email}  # fmt: skip


def canned_responses_for(incident: Incident) -> QuerySet[CannedResponse]:
    return CannedResponse.objects.filter(Q(team__isnull=True) | Q(team=incident.assignment_team_id))


def render_canned_response(*, response: CannedResponse, incident: Incident, actor: Any) -> str:
    """The response's text with its placeholders filled in from the incident and the agent."""
    payload = {
        "incident": {
            "reference": incident.reference,
            "short_description": incident.short_description,
            "priority": incident.get_priority_display(),
            "state": incident.state,
            "category": incident.category,
            "service": str(incident.service) if incident.service_id else "",
            "url": incident.get_absolute_url(),
        },
        "caller": _person_values(incident.caller if incident.caller_id else None),
        "agent": _person_values(getattr(actor, "person", None))
        or {"name": actor.get_full_name() or actor.get_username()},
        "team": {"name": incident.assignment_team.name} if incident.assignment_team_id else {},
    }
    return events.render_template(response.body, payload)


# --- bulk actions -----------------------------------------------------------------------------
BULK_ACTIONS = ("assign", "transition", "note")


def _messages(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.message_dict.items())
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc)


@transaction.atomic
def bulk_update_incidents(
    *,
    incidents: Iterable[Incident],
    actor: Any,
    action: str,
    team: Any = None,
    assignee: Any = None,
    transition: str = "",
    data: Mapping[str, Any] | None = None,
    body: str = "",
    kind: str = NoteKind.WORK_NOTE,
    comment: str = "",
) -> int:
    """Assign, move through the workflow or add a note to every incident — all or none.

    Each row is checked on its own (the actor may change it; the transition is allowed from
    its state; the assignee belongs to the team). Any refusal raises a ``ValidationError``
    listing every failing reference, and nothing is written.
    """
    if action not in BULK_ACTIONS:
        raise ValidationError({"action": _("Choose one of: %s.") % ", ".join(BULK_ACTIONS)})
    rows = list(incidents)
    if not rows:
        raise ValidationError({"pk": _("Select at least one incident.")})
    if action == "note" and kind == NoteKind.WORK_NOTE and not actor.has_perm("itsm.add_incidentnote"):
        raise PermissionDenied(_("You may not add work notes."))
    errors: list[str] = []
    for incident in rows:
        ref = incident.reference
        try:
            with transaction.atomic():
                if action == "transition":
                    wf.transition(
                        obj=incident, name=transition, actor=actor, data=data or {}, comment=comment
                    )
                    continue
                if not actor.has_perm("itsm.change_incident", incident):
                    raise PermissionDenied(_("you may not change it"))
                if action == "assign":
                    if team is None:
                        raise ValidationError({"assignment_team": _("Choose a team.")})
                    incident.assignment_team, incident.assignee = team, assignee
                    incident.full_clean()
                    incident.save()
                    if not actor.has_perm("itsm.change_incident", incident):
                        raise PermissionDenied(_("the change would move it outside what you may change"))
                else:
                    from steward.itsm.services import add_note

                    add_note(incident=incident, actor=actor, body=body, kind=kind)
        except (ValidationError, PermissionDenied, wf.WorkflowError) as exc:
            errors.append(f"{ref}: {_messages(exc)}")
    if errors:
        raise ValidationError(errors)
    return len(rows)


# --- timeline ---------------------------------------------------------------------------------
@dataclass
class TimelineEntry:
    time: dt.datetime
    kind: str  # work_note, comment, discussion, change, state, sla, email, attachment
    title: str
    actor: str = ""
    body: str = ""  # Markdown, rendered through the sanitiser
    colour: str = "secondary"
    url: str = ""


TRACKED_FIELDS = {
    "assignment_team_id": _("Team"),
    "assignee_id": _("Assignee"),
    "priority": _("Priority"),
    "impact": _("Impact"),
    "urgency": _("Urgency"),
    "major_incident": _("Major incident"),
}


def _labels(model: Any, ids: set[Any]) -> dict[str, str]:
    return {str(o.pk): str(o) for o in model.objects.filter(pk__in=[i for i in ids if i])}


def _change_entries(incident: Incident) -> list[TimelineEntry]:
    """Creation, state and assignment changes read from the change log."""
    from steward.core.changelog import history_for
    from steward.org.models import Person, Team

    workflow = wf.get_workflow(Incident)
    rows = list(history_for(incident).order_by("seq"))
    teams, people = set(), set()
    for row in rows:
        for snap in (row.prechange_data or {}, row.postchange_data or {}):
            teams.add(snap.get("assignment_team_id"))
            people.add(snap.get("assignee_id"))
    names = {"assignment_team_id": _labels(Team, teams), "assignee_id": _labels(Person, people)}
    entries = []
    for row in rows:
        who = row.user_name or ""
        if row.action == "create":
            entries.append(TimelineEntry(row.time, "change", _("Opened"), who, colour="blue"))
            continue
        pre, post = row.prechange_data or {}, row.postchange_data or {}
        if pre.get("state") != post.get("state") and post.get("state"):
            states = [workflow.states.get(s) for s in (pre.get("state"), post.get("state"))]
            title = _("State: %(a)s → %(b)s") % {
                "a": states[0].label if states[0] else pre.get("state"),
                "b": states[1].label if states[1] else post.get("state"),
            }
            entries.append(
                TimelineEntry(row.time, "state", title, who, colour=states[1].colour if states[1] else "")
            )
        changed = []
        for fname, label in TRACKED_FIELDS.items():
            if pre.get(fname) != post.get(fname):
                value = post.get(fname)
                shown = (
                    names[fname].get(str(value), "—")
                    if fname in names
                    else (value if value not in (None, "") else "—")
                )
                changed.append(f"{label}: {shown}")
        if changed:
            entries.append(TimelineEntry(row.time, "change", "; ".join(changed), who))
    return entries


def timeline(*, incident: Incident, user: Any) -> list[TimelineEntry]:
    """Everything that happened to the incident, oldest first: notes (work notes only for
    agents), discussion comments, state and assignment changes, SLA events, emails, files."""
    from steward.core.models import Attachment, Comment
    from steward.itsm.services import visible_notes

    entries: list[TimelineEntry] = []
    for note in visible_notes(incident=incident, user=user):
        work = note.kind == NoteKind.WORK_NOTE
        entries.append(TimelineEntry(
            note.created, note.kind, _("Work note") if work else _("Comment"), str(note.author or ""), note.body,
            "yellow" if work else "blue",
        ))  # fmt: skip
    ct = ContentType.objects.get_for_model(Incident)
    for c in Comment.objects.filter(content_type=ct, object_id=incident.pk).select_related("author"):
        entries.append(TimelineEntry(c.created, "discussion", _("Discussion"), str(c.author or ""), c.body))
    if user.has_perm("itsm.view_incident", incident):
        entries.extend(_change_entries(incident))
    for clock in incident.sla_clocks.select_related("policy"):
        label = clock.get_kind_display()
        entries.append(TimelineEntry(clock.started_at, "sla", _("SLA %(k)s clock started (%(p)s)")
                                     % {"k": label, "p": clock.policy}, colour="cyan"))  # fmt: skip
        if clock.warned_at and not (clock.breached_at and clock.warned_at >= clock.breached_at):
            entries.append(
                TimelineEntry(clock.warned_at, "sla", _("SLA %s clock warning") % label, colour="yellow")
            )
        if clock.breached_at:
            entries.append(
                TimelineEntry(clock.breached_at, "sla", _("SLA %s clock breached") % label, colour="red")
            )
        if clock.stopped_at:
            entries.append(
                TimelineEntry(clock.stopped_at, "sla", _("SLA %s clock stopped") % label, colour="green")
            )
    for a in Attachment.objects.filter(content_type=ct, object_id=incident.pk).select_related("uploaded_by"):
        entries.append(
            TimelineEntry(a.created, "attachment", _("Attached %s") % a.name, str(a.uploaded_by or ""))
        )
    entries.extend(mail_entries(incident=incident, user=user))
    entries.sort(key=lambda e: e.time)
    return entries


def mail_entries(*, incident: Incident, user: Any) -> list[TimelineEntry]:
    """Emails received for and sent about the incident."""

    if not user.has_perm("itsm.view_mailmessage"):
        return []
    return [
        TimelineEntry(
            m.sent_at or m.created, "email",
            (_("Email received: %s") if m.direction == "in" else _("Email sent: %s")) % m.subject,
            m.from_address, m.body_text, "indigo",
        )
        for m in incident.mail_messages.all()
    ]  # fmt: skip


def add_note_from_canned(
    *, incident: Incident, actor: Any, response: CannedResponse, kind: str | None = None
) -> IncidentNote:
    """Add the rendered canned response as a note (its own kind unless ``kind`` says otherwise)."""
    from steward.itsm.services import add_note

    return add_note(
        incident=incident,
        actor=actor,
        body=render_canned_response(response=response, incident=incident, actor=actor),
        kind=kind or response.kind,
    )
