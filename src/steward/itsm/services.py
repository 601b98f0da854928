"""ITSM domain operations: every rule of incidents, SLAs, problems and changes lives here.

Functions are keyword-only, typed and atomic; the actor is passed explicitly. Views, the API,
jobs and the demo loader call them.

SLA clocks: a clock keeps ``elapsed_minutes`` (business minutes of its closed run segments)
and, while running, ``running_since``; its due time is ``running_since`` plus the remaining
business minutes on the policy's calendar. ``sync_sla_clocks`` derives each clock's status
from the incident (state, first response) and applies the difference at ``now``; it runs
after every workflow transition and after edits that change which policy applies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from steward.core import configcache, events
from steward.core import workflow as wf
from steward.itsm.alerts import Notification, ParsedAlert
from steward.itsm.choices import AlertStatus, ClockKind, ClockStatus, NoteKind
from steward.itsm.models import (
    Alert,
    AlertIntakeSettings,
    Change,
    FreezeWindow,
    Incident,
    IncidentNote,
    Problem,
    SLAClock,
    SLAPolicy,
    TimeEntry,
)
from steward.itsm.models.alerts import ANY_RECEIVER
from steward.org.services import add_business_minutes, business_minutes_between, schedule_for

AUTOMATION_USERNAME = "itsm-automation"
STOPPED_STATES = ("resolved", "closed")


# --- incidents --------------------------------------------------------------------------------
@transaction.atomic
def create_incident(*, actor: Any, **fields: Any) -> Incident:
    """Open an incident (validated like a form would); saving starts its SLA clocks."""
    incident = Incident(**fields)
    incident.full_clean()
    incident.save()
    return incident


@transaction.atomic
def assign_incident(*, incident: Incident, actor: Any, team: Any, assignee: Any = None) -> Incident:
    """Hand the incident to ``team`` (and optionally one of its members)."""
    incident.assignment_team = team
    incident.assignee = assignee
    incident.full_clean()
    incident.save()
    return incident


@transaction.atomic
def add_note(*, incident: Incident, actor: Any, body: str, kind: str = NoteKind.WORK_NOTE) -> IncidentNote:
    """Add a work note or a caller-visible comment; an agent's first comment is the first response."""
    note = IncidentNote(incident=incident, author=actor, kind=kind, body=body)
    note.full_clean()
    note.save()
    note_added(note=note, actor=actor)
    return note


@transaction.atomic
def note_added(*, note: IncidentNote, actor: Any) -> None:
    """A comment to the caller by anyone but the caller is the first response (stops that clock)."""
    incident = note.incident
    caller_user = incident.caller.user_id if incident.caller_id else None
    if (
        note.kind == NoteKind.COMMENT
        and not incident.responded_at
        and getattr(actor, "pk", None) != caller_user
    ):
        Incident.objects.filter(pk=incident.pk).update(responded_at=note.created)
        incident.responded_at = note.created
        sync_sla_clocks(incident=incident, now=note.created)
    # Comments reach the caller by mail, threaded on the ticket (steward.itsm.servicedesk.mail).
    from steward.itsm.servicedesk.mail import comment_added

    comment_added(note=note, actor=actor)


def visible_notes(*, incident: Incident, user: Any) -> QuerySet[IncidentNote]:
    """Notes ``user`` may read: everything for agents, comments only for the caller."""
    notes = incident.notes.select_related("author")
    if user.has_perm("itsm.view_incidentnote"):
        return notes
    return notes.filter(kind=NoteKind.COMMENT)


@transaction.atomic
def log_time(
    *, incident: Incident, actor: Any, person: Any, minutes: int, date: dt.date | None = None, note: str = ""
) -> TimeEntry:
    entry = TimeEntry(incident=incident, person=person, minutes=minutes, note=note)
    if date is not None:
        entry.date = date
    entry.full_clean()
    entry.save()
    return entry


def automation_user() -> Any:
    """The account periodic jobs act as, so the change log and history name who did it.

    It cannot sign in (no usable password) and holds only the incident role it needs.
    """
    from django.contrib.contenttypes.models import ContentType

    from steward.core.models import ObjectPermission

    User = get_user_model()
    user, created = User.objects.get_or_create(username=AUTOMATION_USERNAME, defaults={"is_active": True})
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get_or_create(name="Incident managers")[0])
        perm, _ = ObjectPermission.objects.get_or_create(
            name="ITSM automation", defaults={"actions": ["view", "change"]}
        )
        perm.object_types.set([ContentType.objects.get_for_model(Incident)])
        perm.users.add(user)
    return user


def auto_close_resolved(*, days: int, now: dt.datetime | None = None) -> list[str]:
    """Close incidents resolved more than ``days`` ago; returns their references."""
    now = now or timezone.now()
    actor = automation_user()
    closed = []
    due = Incident.objects.filter(state="resolved", resolved_at__lte=now - dt.timedelta(days=days))
    for incident in due.order_by("resolved_at", "pk").iterator():
        wf.transition(
            obj=incident,
            name="close",
            actor=actor,
            comment=f"Closed automatically after {days} days resolved.",
        )
        closed.append(incident.reference)
    return closed


# --- SLA policies and clocks ------------------------------------------------------------------
def enabled_policies() -> list[SLAPolicy]:
    """The enabled SLA policies in matching order (memoised configuration)."""
    return configcache.copies(
        configcache.cached(
            "itsm.sla_policies",
            lambda: list(SLAPolicy.objects.filter(enabled=True).order_by("order", "name")),
        )
    )


def match_policy(incident: Incident, policies: list[SLAPolicy] | None = None) -> SLAPolicy | None:
    """The first enabled policy whose conditions match; else the offering's or service's default.

    ``policies`` (enabled, in order) saves the query when matching many incidents at once.
    """
    if policies is None:
        policies = enabled_policies()
    for policy in policies:
        if policy.matches(incident):
            return policy
    offering = incident.service_offering if incident.service_offering_id else None
    if offering is not None and offering.default_sla_policy_id:
        return offering.default_sla_policy
    service = incident.service if incident.service_id else None
    if service is not None and service.default_sla_policy_id:
        return service.default_sla_policy
    return None


def _target(policy: SLAPolicy, kind: str) -> int | None:
    return policy.response_minutes if kind == ClockKind.RESPONSE else policy.resolution_minutes


def _desired(incident: Incident, policy: SLAPolicy, kind: str) -> tuple[str, dt.datetime | None]:
    """What the clock should be doing given the incident, and when it stopped if it did."""
    if kind == ClockKind.RESPONSE and incident.responded_at:
        return ClockStatus.STOPPED, incident.responded_at
    if kind == ClockKind.RESOLUTION and incident.state in STOPPED_STATES:
        return ClockStatus.STOPPED, incident.resolved_at
    if incident.state in (policy.pause_states or []):
        return ClockStatus.PAUSED, None
    return ClockStatus.RUNNING, None


def clock_elapsed(clock: SLAClock, now: dt.datetime | None = None) -> float:
    """Business minutes used so far."""
    if clock.status != ClockStatus.RUNNING or clock.running_since is None:
        return clock.elapsed_minutes
    now = now or timezone.now()
    return clock.elapsed_minutes + business_minutes_between(
        calendar=schedule_for(clock.policy.calendar), start=clock.running_since, end=now
    )


def clock_percent(clock: SLAClock, now: dt.datetime | None = None) -> float:
    """Share of the target used, in percent (over 100 once breached)."""
    return round(100 * clock_elapsed(clock, now) / clock.target_minutes, 1) if clock.target_minutes else 0.0


def _schedule_due(clock: SLAClock, policy: SLAPolicy) -> None:
    schedule = schedule_for(policy.calendar)
    remaining = clock.target_minutes - clock.elapsed_minutes
    clock.due_at = add_business_minutes(calendar=schedule, start=clock.running_since, minutes=remaining)
    warn_remaining = clock.target_minutes * policy.warning_percent / 100 - clock.elapsed_minutes
    clock.warning_due_at = (
        add_business_minutes(calendar=schedule, start=clock.running_since, minutes=warn_remaining)
        if warn_remaining > 0
        else clock.running_since
    )


def _close_segment(clock: SLAClock, until: dt.datetime) -> None:
    if clock.running_since is not None:
        clock.elapsed_minutes += business_minutes_between(
            calendar=schedule_for(clock.policy.calendar), start=clock.running_since, end=until
        )
    clock.running_since = None
    clock.due_at = None
    clock.warning_due_at = None


def plan_clocks(
    *, incident: Incident, policy: SLAPolicy | None, clocks: dict[str, SLAClock], now: dt.datetime
) -> list[SLAClock]:
    """Bring ``clocks`` (by kind; new ones are added) in line with ``incident`` at ``now``.

    Pure: reads only the (cached) calendar schedules and writes nothing, so the demo loader
    and the benchmarks can replay whole histories in memory. Returns the clocks it touched.
    """
    touched = []
    for kind in ClockKind.values:
        clock = clocks.get(kind)
        target = _target(policy, kind) if policy else None
        if target is None:
            if clock is not None and clock.status in (ClockStatus.RUNNING, ClockStatus.PAUSED):
                _close_segment(clock, now)
                clock.status = ClockStatus.CANCELLED
                touched.append(clock)
            continue
        status, stopped_at = _desired(incident, policy, kind)
        if clock is None:
            if status == ClockStatus.STOPPED and stopped_at is None:
                continue
            clock = SLAClock(
                incident=incident, policy=policy, kind=kind, target_minutes=target, started_at=now,
                status=ClockStatus.PAUSED, elapsed_minutes=0,
            )  # fmt: skip
            if status == ClockStatus.STOPPED:
                clock.running_since = now
                clock.status = ClockStatus.RUNNING
            clocks[kind] = clock
        if clock.status == ClockStatus.RUNNING and status != ClockStatus.RUNNING:
            _close_segment(clock, stopped_at if status == ClockStatus.STOPPED and stopped_at else now)
        clock.policy = policy
        clock.target_minutes = target
        if status == ClockStatus.RUNNING:
            if clock.status != ClockStatus.RUNNING or clock.running_since is None:
                clock.running_since = now
            clock.stopped_at = None
            _schedule_due(clock, policy)
        elif status == ClockStatus.STOPPED:
            clock.stopped_at = clock.stopped_at or stopped_at or now
        clock.status = status
        if (
            status == ClockStatus.STOPPED
            and clock.elapsed_minutes > clock.target_minutes
            and not clock.breached
        ):
            clock.breached = True
            clock.breached_at = clock.breached_at or clock.stopped_at
        touched.append(clock)
    return touched


@transaction.atomic(savepoint=False)
def sync_sla_clocks(
    *, incident: Incident, now: dt.datetime | None = None, created: bool = False
) -> list[SLAClock]:
    """Create, pause, resume, stop or re-target the incident's clocks to match it at ``now``.

    ``created``: the incident was inserted in this very transaction, so nobody else can see it
    and it has no clocks yet: it is neither read back nor locked (two queries a new incident).
    """
    now = now or timezone.now()
    if created:
        clocks: dict[str, SLAClock] = {}
    else:
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        clocks = {
            c.kind: c for c in SLAClock.objects.filter(incident=incident).select_related("policy__calendar")
        }
    touched = plan_clocks(incident=incident, policy=match_policy(incident), clocks=clocks, now=now)
    for clock in touched:
        clock.save()
    return [c for c in touched if c.status != ClockStatus.CANCELLED]


def _clock_event(name: str, clock: SLAClock, now: dt.datetime) -> events.Event:
    incident = clock.incident
    return events.Event(
        name=name,
        model="itsm.incident",
        object_id=incident.pk,
        object_repr=str(incident)[:200],
        object_url=incident.get_absolute_url(),
        data={
            "reference": incident.reference,
            "clock": clock.kind,
            "policy": clock.policy.name,
            "priority": incident.priority,
            "assignment_team": incident.assignment_team_id,
            "assignee": incident.assignee_id,
            "target_minutes": clock.target_minutes,
            "percent": clock_percent(clock, now),
            "due": clock.due_at.isoformat() if clock.due_at else None,
        },
        actor=None,
    )


@dataclass
class SLACheck:
    warned: list[int]
    breached: list[int]


@transaction.atomic
def check_sla_clocks(*, now: dt.datetime | None = None) -> SLACheck:
    """Raise warning and breach events for running clocks that crossed their thresholds."""
    now = now or timezone.now()
    running = SLAClock.objects.filter(status=ClockStatus.RUNNING).select_related(
        "policy__calendar", "incident"
    )
    warned, breached = [], []
    for clock in running.filter(breached=False, due_at__lte=now).select_for_update(of=("self",)):
        clock.breached, clock.breached_at = True, clock.due_at
        if clock.warned_at is None:
            clock.warned_at = now
        clock.save(update_fields=["breached", "breached_at", "warned_at", "last_updated"])
        events.emit(_clock_event("itsm.sla.breached", clock, now))
        breached.append(clock.pk)
    for clock in running.filter(warned_at__isnull=True, warning_due_at__lte=now).select_for_update(
        of=("self",)
    ):
        clock.warned_at = now
        clock.save(update_fields=["warned_at", "last_updated"])
        events.emit(_clock_event("itsm.sla.warning", clock, now))
        warned.append(clock.pk)
    return SLACheck(warned, breached)


SLA_NOTIFICATION = "itsm.sla"


def sla_recipients(incident: Incident) -> list[Any]:
    """Who hears about an SLA at risk: the assignee, else the team's members; and the team lead."""
    people = []
    if incident.assignee_id:
        people.append(incident.assignee)
    elif incident.assignment_team_id:
        people.extend(incident.assignment_team.members.select_related("user"))
    if incident.assignment_team_id and incident.assignment_team.lead_id:
        people.append(incident.assignment_team.lead)
    return [p.user for p in people if p.user_id]


def notify_sla_event(*, incident: Incident, event: str, clock: str, percent: float) -> int:
    """Tell the people working on ``incident`` that one of its SLA clocks is at risk or breached."""
    from steward.core import notifications

    what = "breached" if event.endswith("breached") else f"at {percent:.0f} %"
    title = f"SLA {what}: {incident.reference} ({clock})"
    body = f"{incident.short_description}\nPriority {incident.priority}."
    return len(notifications.notify(recipients=sla_recipients(incident), kind=SLA_NOTIFICATION, title=title,
                                    body=body, obj=incident))  # fmt: skip


@transaction.atomic
def escalate_incident(*, incident: Incident, actor: Any) -> Incident:
    """Raise the urgency one step (the priority follows the matrix); already at the top, no change."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.urgency > "1":
        incident.urgency = str(int(incident.urgency) - 1)
        incident.full_clean()
        incident.save()
    return incident


def sla_compliance(queryset: QuerySet[SLAClock]) -> float | None:
    """Percentage of finished clocks (stopped) that met their target; None when there are none."""
    finished = queryset.filter(status=ClockStatus.STOPPED)
    total = finished.count()
    if not total:
        return None
    return round(100 * finished.filter(breached=False).count() / total, 1)


# --- problems and known errors ----------------------------------------------------------------
def matching_known_errors(*, incident: Incident, user: Any, limit: int = 5) -> list[Problem]:
    """Known errors an agent should look at for ``incident``: same service or shared words."""
    qs = Problem.objects.restrict(user, "view").filter(known_error=True).exclude(state="closed")
    words = [w for w in (incident.short_description or "").split() if len(w) > 3][:6]
    match = Q(service_id=incident.service_id) if incident.service_id else Q(pk__in=[])
    for word in words:
        match |= Q(short_description__icontains=word) | Q(workaround__icontains=word)
    if incident.category:
        match |= Q(category__iexact=incident.category)
    return list(qs.filter(match).order_by("-last_updated", "-pk")[:limit])


@transaction.atomic
def link_incidents(*, problem: Problem, actor: Any, incidents: list[Incident]) -> Problem:
    problem.incidents.add(*incidents)
    return problem


# --- changes ----------------------------------------------------------------------------------
ACTIVE_CHANGE_STATES = ("new", "assess", "authorise", "scheduled", "implement")


def find_conflicts(change: Change) -> list[dict[str, Any]]:
    """Overlapping active changes on the same service, and freeze windows the change falls in."""
    if not (change.planned_start and change.planned_end) or change.state in ("closed", "cancelled"):
        return []
    found: list[dict[str, Any]] = []
    if change.service_id:
        others = (
            Change.objects.filter(
                service_id=change.service_id,
                state__in=ACTIVE_CHANGE_STATES,
                planned_start__lt=change.planned_end,
                planned_end__gt=change.planned_start,
            )
            .exclude(pk=change.pk)
            .order_by("planned_start", "pk")
        )
        for other in others:
            found.append(
                {
                    "kind": "overlap",
                    "change": other.reference,
                    "id": other.pk,
                    "start": other.planned_start.isoformat(),
                    "end": other.planned_end.isoformat(),
                    "message": f"Overlaps {other.reference} on the same service.",
                }
            )
    windows = FreezeWindow.objects.filter(start__lt=change.planned_end, end__gt=change.planned_start)
    windows = windows.filter(Q(services__isnull=True) | Q(services=change.service_id)).distinct()
    for window in windows.order_by("start", "pk"):
        found.append(
            {
                "kind": "freeze",
                "freeze_window": window.name,
                "id": window.pk,
                "start": window.start.isoformat(),
                "end": window.end.isoformat(),
                "message": f"Falls inside the freeze window “{window.name}”.",
            }
        )
    return found


@transaction.atomic
def refresh_conflicts(
    *, change: Change, previous: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Recompute the conflicts of ``change`` and of the changes it overlaps (before and after)."""
    conflicts = find_conflicts(change)
    Change.objects.filter(pk=change.pk).update(conflicts=conflicts, has_conflicts=bool(conflicts))
    change.conflicts, change.has_conflicts = conflicts, bool(conflicts)
    before = {c["id"] for c in (previous or []) if c.get("kind") == "overlap"}
    partners = {c["id"] for c in conflicts if c["kind"] == "overlap"} | before
    for other in Change.objects.filter(pk__in=partners):
        found = find_conflicts(other)
        Change.objects.filter(pk=other.pk).update(conflicts=found, has_conflicts=bool(found))
    return conflicts


def refresh_all_conflicts() -> int:
    """Re-flag every active change (freeze windows and their services may have changed)."""
    qs = Change.objects.filter(state__in=ACTIVE_CHANGE_STATES, planned_start__isnull=False)
    count = 0
    for change in qs:
        found = find_conflicts(change)
        Change.objects.filter(pk=change.pk).update(conflicts=found, has_conflicts=bool(found))
        count += 1
    return count


@transaction.atomic
def create_change(*, actor: Any, **fields: Any) -> Change:
    change = Change(**fields)
    change.full_clean()
    change.save()
    return change


# --- alert intake -----------------------------------------------------------------------------
OPEN_INCIDENT_STATES = ("new", "in_progress", "on_hold")


@dataclass
class AlertIntakeResult:
    opened: list[str]
    updated: list[str]
    resolved: list[str]
    noted: list[str]

    def as_dict(self) -> dict[str, list[str]]:
        return {
            "opened": self.opened,
            "updated": self.updated,
            "resolved": self.resolved,
            "noted": self.noted,
        }


def intake_settings_for(receiver: str) -> AlertIntakeSettings:
    """The receiver's own settings, else the catch-all (receiver ``*``), else the defaults."""
    found = {s.receiver: s for s in AlertIntakeSettings.objects.filter(receiver__in={receiver, ANY_RECEIVER})}
    return found.get(receiver) or found.get(ANY_RECEIVER) or AlertIntakeSettings()


def _alert_text(parsed: ParsedAlert) -> tuple[str, str]:
    """(short description, Markdown description) of the incident an alert opens."""
    summary = parsed.annotations.get("summary") or parsed.annotations.get("message") or ""
    where = f" on {parsed.host}" if parsed.host else ""
    short = f"{parsed.name}{where}" + (f": {summary}" if summary else "")
    lines = [parsed.annotations.get("description", ""), "", "| label | value |", "| --- | --- |"]
    lines += [f"| {k} | {v.replace('|', '/')} |" for k, v in sorted(parsed.labels.items())]
    if parsed.generator_url:
        lines += ["", f"Source: <{parsed.generator_url}>"]
    return short[:200], "\n".join(lines).strip()


def _open_incident_for(*, parsed: ParsedAlert, conf: AlertIntakeSettings, item: Any, actor: Any) -> Incident:
    short, description = _alert_text(parsed)
    impact, urgency = conf.impact_urgency(parsed.severity)
    return create_incident(
        actor=actor, short_description=short, description=description, category=conf.category,
        impact=impact, urgency=urgency, service=conf.service, assignment_team=conf.assignment_team,
        configuration_item=item,
    )  # fmt: skip


def _fire(*, parsed: ParsedAlert, conf: AlertIntakeSettings, actor: Any, now: dt.datetime,
          result: AlertIntakeResult) -> Alert:  # fmt: skip
    alert = Alert.objects.select_for_update().filter(fingerprint=parsed.fingerprint).first()
    from steward.cmdb.services import find_item_for_host

    item = find_item_for_host(host=parsed.host)
    if alert is None:
        alert = Alert(fingerprint=parsed.fingerprint)
    was_resolved = alert.pk is not None and alert.status == AlertStatus.RESOLVED
    incident = alert.incident
    if incident is not None and incident.state == "resolved":
        wf.transition(obj=incident, name="reopen", actor=actor)
        incident.refresh_from_db()
        add_note(incident=incident, actor=actor, body=f"Alert {parsed.name} fired again at {parsed.starts_at:%Y-%m-%d %H:%M} UTC; reopened.")  # fmt: skip
        result.updated.append(incident.reference)
    elif incident is None or incident.state not in OPEN_INCIDENT_STATES:
        incident = _open_incident_for(parsed=parsed, conf=conf, item=item, actor=actor)
        result.opened.append(incident.reference)
    else:
        if was_resolved:
            add_note(incident=incident, actor=actor, body=f"Alert {parsed.name} fired again at {parsed.starts_at:%Y-%m-%d %H:%M} UTC.")  # fmt: skip
        result.updated.append(incident.reference)
    alert.incident = incident
    alert.configuration_item = item or alert.configuration_item
    alert.status = AlertStatus.FIRING
    alert.ends_at = None
    return alert


def _clear(
    *, parsed: ParsedAlert, conf: AlertIntakeSettings, actor: Any, result: AlertIntakeResult
) -> Alert | None:
    alert = Alert.objects.select_for_update().filter(fingerprint=parsed.fingerprint).first()
    if alert is None:
        return None  # a clear for something never seen firing opens nothing
    if alert.status == AlertStatus.RESOLVED:
        return alert  # Alertmanager repeats notifications; the first clear did the work
    alert.status = AlertStatus.RESOLVED
    alert.ends_at = parsed.ends_at
    incident = alert.incident
    if incident is None:
        return alert
    body = f"Alert {parsed.name}{f' on {parsed.host}' if parsed.host else ''} resolved at {parsed.ends_at:%Y-%m-%d %H:%M} UTC."  # fmt: skip
    add_note(incident=incident, actor=actor, body=body)
    result.noted.append(incident.reference)
    still_firing = (
        Alert.objects.filter(incident=incident, status=AlertStatus.FIRING).exclude(pk=alert.pk).exists()
    )
    if conf.resolve_on_clear and incident.state in OPEN_INCIDENT_STATES and not still_firing:
        data = {"resolution_code": conf.resolution_code, "resolution_notes": body}
        if incident.state == "on_hold":
            wf.transition(obj=incident, name="resume", actor=actor)
        wf.transition(obj=incident, name="resolve", actor=actor, data=data)
        result.resolved.append(incident.reference)
    return alert


@transaction.atomic
def ingest_alerts(
    *, notification: Notification, actor: Any, now: dt.datetime | None = None
) -> AlertIntakeResult:
    """Apply an Alertmanager notification: firing alerts open or update incidents, clears note them.

    Deduplicated by fingerprint: one incident per alert while it is open; a resolved incident
    is reopened if its alert fires again, a closed one is followed by a new incident. When
    ``resolve_on_clear`` is set, the incident is resolved once none of its alerts still fires.
    All or nothing: a failure on any alert rolls the whole notification back.
    """
    now = now or timezone.now()
    conf = intake_settings_for(notification.receiver)
    result = AlertIntakeResult([], [], [], [])
    for parsed in notification.alerts:
        if parsed.status == "firing":
            alert = _fire(parsed=parsed, conf=conf, actor=actor, now=now, result=result)
        else:
            alert = _clear(parsed=parsed, conf=conf, actor=actor, result=result)
            if alert is None:
                continue
        alert.name, alert.severity, alert.receiver, alert.host = parsed.name, parsed.severity, notification.receiver, parsed.host  # fmt: skip
        alert.labels, alert.annotations, alert.generator_url = (
            parsed.labels,
            parsed.annotations,
            parsed.generator_url,
        )
        alert.starts_at, alert.last_received = parsed.starts_at, now
        alert.full_clean()
        alert.save()
    return result
