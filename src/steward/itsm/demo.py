"""Deterministic ITSM demo data for `steward demo`: services, SLAs, incidents, problems, changes.

At ``--scale 1`` this loads about 20,000 incidents over two years: weekly and daily arrival
patterns, priorities from the matrix, a third reassigned from the desk to specialists, holds,
reopenings, auto-closing. Each life is replayed in memory through the SLA engine's own
``plan_clocks`` at its past instants, so clocks, breaches and compliance are what the engine
computes; rows are then written in bulk (incidents, clocks, workflow history, notes, and
change-log rows for the incidents).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from steward.core.models import ObjectPermission
from steward.itsm import services
from steward.itsm.models import (
    Change,
    FreezeWindow,
    Incident,
    IncidentNote,
    Problem,
    Service,
    ServiceOffering,
    SLAClock,
    SLAPolicy,
)

SERVICES = [
    # name, kind, criticality, team slug, calendar, offerings
    ("Email and calendar", "business", "high", "app-support", "Paris office hours", ["Standard mailbox", "Shared mailbox"]),
    ("ERP", "business", "critical", "app-support", "Paris office hours", ["Finance module", "Purchasing module"]),
    ("VPN remote access", "business", "high", "network", "24x7", ["Staff VPN", "Partner VPN"]),
    ("Office Wi-Fi", "business", "medium", "network", "Paris office hours", []),
    ("Payroll", "business", "critical", "app-support", "Paris office hours", []),
    ("CRM", "business", "high", "app-support", "New York office hours", ["Sales", "Support"]),
    ("Laptops and desktops", "business", "medium", "service-desk", "Paris office hours", ["Standard laptop"]),
    ("Database platform", "technical", "critical", "dba", "24x7", []),
    ("Server hosting", "technical", "high", "server-ops", "24x7", ["Virtual machines", "Backups"]),
    ("Identity and access", "technical", "critical", "security-ops", "24x7", []),
]  # fmt: skip

CATEGORIES = {
    "Email and calendar": [("software", "outlook"), ("access", "mailbox permissions")],
    "ERP": [("software", "error message"), ("access", "role request"), ("performance", "slow screens")],
    "VPN remote access": [("network", "cannot connect"), ("network", "drops")],
    "Office Wi-Fi": [("network", "no signal"), ("network", "authentication")],
    "Payroll": [("software", "calculation"), ("access", "login")],
    "CRM": [("software", "sync"), ("performance", "slow search")],
    "Laptops and desktops": [("hardware", "battery"), ("hardware", "screen"), ("software", "updates")],
    "Database platform": [("performance", "locks"), ("capacity", "disk space")],
    "Server hosting": [("capacity", "memory"), ("hardware", "disk failure")],
    "Identity and access": [("access", "password reset"), ("access", "MFA")],
}
SYMPTOMS = [
    "cannot log in to {s}",
    "{s} is very slow this morning",
    "error when saving in {s}",
    "{s} unavailable for the whole floor",
    "intermittent failures in {s}",
    "{s}: request for access",
    "{s} keeps disconnecting",
]
# response, resolution (business minutes), calendar, per priority
SLA_TARGETS = {
    "1": (15, 240, "24x7"),
    "2": (30, 480, "Paris office hours"),
    "3": (120, 1440, "Paris office hours"),
    "4": (480, 2880, "Paris office hours"),
    "5": (960, 4800, "Paris office hours"),
}
ROLES = ("Incident managers", "Problem managers", "Change managers", "Change advisory board")


def load(*, rng: random.Random, scale: float = 1.0) -> str:
    from steward.org.models import BusinessCalendar, Person, Team

    calendars = {c.name: c for c in BusinessCalendar.objects.all()}
    teams = {t.slug: t for t in Team.objects.prefetch_related("members")}
    people = list(Person.objects.filter(status="active").order_by("pk"))
    if not calendars or not teams or not people:
        return "itsm: skipped (load the organisation demo first)"
    members = {slug: list(team.members.all()) for slug, team in teams.items()}
    _roles()

    policies = {}
    for priority, (response, resolution, cal) in SLA_TARGETS.items():
        policy = SLAPolicy(
            name=f"P{priority} incidents",
            order=10 * int(priority),
            priorities=[priority],
            response_minutes=response,
            resolution_minutes=resolution,
            calendar=calendars[cal],
            pause_states=["on_hold"],
            warning_percent=75,
            description=f"Priority {priority}: respond within {response} and resolve within {resolution} business minutes.",
        )
        policy.full_clean()
        policy.save()
        policies[priority] = policy

    svc_objs = []
    for name, kind, criticality, team, cal, offerings in SERVICES:
        support = teams.get(team)
        owner = (members.get(team) or people)[0]
        service = Service(
            name=name, kind=kind, criticality=criticality, support_team=support, owner=owner,
            business_calendar=calendars.get(cal), default_sla_policy=policies["3"],
            description=f"{name}, supported by {support}.",
        )  # fmt: skip
        service.full_clean()
        service.save()
        for offering in offerings:
            ServiceOffering.objects.create(service=service, name=offering, support_team=support)
        svc_objs.append(service)

    now = timezone.now()
    incidents = _incidents(rng, scale, now, svc_objs, teams, members, people)
    problems = _problems(rng, svc_objs, teams, incidents)
    changes = _changes(rng, now, svc_objs, teams, members, people)
    return (
        f"itsm: {len(svc_objs)} services, {len(policies)} SLA policies, {len(incidents)} incidents, "
        f"{problems} problems, {changes} changes"
    )


def _roles() -> None:
    User = get_user_model()
    agents = Group.objects.get_or_create(name="Service desk agents")[0]
    groups = [Group.objects.get_or_create(name=name)[0] for name in ROLES]
    itsm_types = ContentType.objects.filter(app_label="itsm")
    work = ObjectPermission.objects.create(name="Work service management", actions=["view", "add", "change"])
    work.object_types.set(itsm_types)
    work.groups.set([agents, *groups])
    agent = User.objects.filter(username="agent").first()
    if agent is not None:
        agent.groups.add(groups[0], groups[1])


WEEKDAY_WEIGHTS = (1.35, 1.15, 1.05, 1.0, 0.9, 0.2, 0.15)
# Arrivals per local hour (UTC here; the demo company works 07-18 UTC): morning and early-afternoon peaks.
HOUR_WEIGHTS = (1, 1, 1, 1, 1, 2, 4, 10, 18, 20, 17, 12, 9, 13, 15, 13, 10, 6, 3, 2, 2, 1, 1, 1)
# Median hours to resolve, by priority (calendar time; lognormal around it).
RESOLVE_HOURS = {"1": 3, "2": 8, "3": 30, "4": 60, "5": 140}
HISTORY_DAYS = 730


def _arrival(rng: random.Random, now: dt.datetime) -> dt.datetime:
    """A past instant following weekly and daily arrival patterns, busier in recent months."""
    while True:
        # Volume grows about 30 % over the two years: recent days are drawn more often.
        days_ago = int(HISTORY_DAYS * (1 - rng.random() ** 0.87))
        day = (now - dt.timedelta(days=days_ago)).date()
        if rng.random() * 1.35 <= WEEKDAY_WEIGHTS[day.weekday()]:
            break
    hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
    opened = dt.datetime(day.year, day.month, day.day, hour, rng.randint(0, 59), tzinfo=dt.UTC)
    return min(opened, now - dt.timedelta(minutes=5))


def _minutes(rng: random.Random, median: float, spread: float = 0.9) -> float:
    return max(1.0, rng.lognormvariate(0, spread) * median)


class _Replay:
    """One incident's life replayed in memory: its steps, history rows, notes and SLA clocks."""

    def __init__(self, incident: Incident, opened: dt.datetime, policies: list[SLAPolicy]) -> None:
        self.incident = incident
        self.opened = opened
        self.policies = policies
        self.clocks: dict[str, SLAClock] = {}
        self.history: list[tuple[str, str, str, dt.datetime]] = []
        self.notes: list[tuple[str, str, dt.datetime]] = []
        self.sync(opened)

    def sync(self, at: dt.datetime) -> None:
        policy = services.match_policy(self.incident, self.policies)
        services.plan_clocks(incident=self.incident, policy=policy, clocks=self.clocks, now=at)

    def move(self, at: dt.datetime, transition: str, to: str, **fields: Any) -> None:
        source = self.incident.state
        for key, value in fields.items():
            setattr(self.incident, key, value)
        self.incident.state = to
        self.history.append((transition, source, to, at))
        self.sync(at)


def _incidents(rng, scale, now, svc_objs, teams, members, people) -> list[Incident]:  # noqa: ANN001, PLR0915
    """About 20,000 incidents over two years at scale 1, written in bulk with their history."""
    from steward.core import changelog
    from steward.core.models import WorkflowHistory
    from steward.core.serialization import snapshot
    from steward.itsm.models import PriorityMatrix

    count = max(30, int(20_000 * scale))
    matrix = PriorityMatrix.objects.filter(is_default=True).first()
    policies = list(
        SLAPolicy.objects.filter(enabled=True).order_by("order", "name").select_related("calendar")
    )
    desk = teams.get("service-desk")
    desk_staff = members.get("service-desk") or []
    replays = []
    for _n in range(count):
        service = rng.choice(svc_objs)
        category, subcategory = rng.choice(CATEGORIES[service.name])
        impact = rng.choices(["1", "2", "3"], weights=[4, 26, 70])[0]
        urgency = rng.choices(["1", "2", "3"], weights=[6, 34, 60])[0]
        opened = _arrival(rng, now)
        incident = Incident(
            short_description=rng.choice(SYMPTOMS).format(s=service.name)[:200],
            type=rng.choices(["failure", "degradation", "question", "security"], weights=[50, 25, 20, 5])[0],
            caller=rng.choice(people), service=service, category=category, subcategory=subcategory,
            impact=impact, urgency=urgency, state="new", description="Reported to the service desk.",
            assignment_team=desk if desk_staff else None,
        )  # fmt: skip
        incident.priority = (
            matrix.priority(impact, urgency) if matrix else str(int(impact) + int(urgency) - 1)
        )
        incident.major_incident = incident.priority == "1" and rng.random() < 0.3
        replay = _Replay(incident, opened, policies)
        _live(rng, replay, now, service, members, desk_staff)
        replays.append(replay)

    incidents = [r.incident for r in replays]
    for incident, reference in zip(incidents, Incident.allocate_references(len(incidents)), strict=True):
        incident.reference = reference
    Incident.objects.bulk_create(incidents, batch_size=1000)
    for r in replays:
        r.incident.created = r.opened
        r.incident.last_updated = r.history[-1][3] if r.history else r.opened
    Incident.objects.bulk_update(incidents, ["created", "last_updated"], batch_size=1000)
    # In slices: core's follower-notification hook ORs one term per row, and SQLite refuses
    # expressions deeper than 1000 (reported to the lead; a core fix would group by type).
    for first in range(0, len(incidents), 400):
        changelog.record_many(
            changelog.Change(i, "create", None, snapshot(i)) for i in incidents[first : first + 400]
        )

    clocks = []
    for r in replays:
        for clock in r.clocks.values():
            clock.incident = r.incident
            clocks.append(clock)
    SLAClock.objects.bulk_create(clocks, batch_size=2000)

    ct = ContentType.objects.get_for_model(Incident)
    rows, times = [], []
    for r in replays:
        for transition, source, target, at in r.history:
            rows.append(WorkflowHistory(content_type=ct, object_id=r.incident.pk, transition=transition,
                                        from_state=source, to_state=target, actor_name="demo"))  # fmt: skip
            times.append(at)
    WorkflowHistory.objects.bulk_create(rows, batch_size=2000)
    for row, at in zip(rows, times, strict=True):
        row.time = at
    WorkflowHistory.objects.bulk_update(rows, ["time"], batch_size=2000)

    notes, note_times = [], []
    for r in replays:
        for kind, body, at in r.notes:
            notes.append(IncidentNote(incident=r.incident, kind=kind, body=body))
            note_times.append(at)
    IncidentNote.objects.bulk_create(notes, batch_size=2000)
    for note, at in zip(notes, note_times, strict=True):
        note.created = note.last_updated = at
    IncidentNote.objects.bulk_update(notes, ["created", "last_updated"], batch_size=2000)
    return incidents


def _live(rng, replay, now, service, members, desk_staff) -> None:  # noqa: ANN001
    """Steps of one incident: respond, maybe reassign and hold, resolve, maybe reopen, close."""
    incident = replay.incident
    p = incident.priority
    t = replay.opened + dt.timedelta(minutes=_minutes(rng, 8 if p in "12" else 45))
    if t >= now:
        return
    team = incident.assignment_team
    assignee = rng.choice(desk_staff) if desk_staff else None
    # About a third are handed from the desk to the service's own support team.
    support = service.support_team
    if support is not None and support != team and members.get(support.slug) and rng.random() < 0.35:
        team, assignee = support, rng.choice(members[support.slug])
        replay.notes.append(("work_note", f"Reassigned to {support}: needs the service's specialists.", t))
    replay.move(t, "start", "in_progress", responded_at=t, assignment_team=team, assignee=assignee)
    remaining = _minutes(rng, RESOLVE_HOURS[p] * 60)
    if rng.random() < 0.18:
        hold_at = t + dt.timedelta(minutes=remaining * rng.uniform(0.1, 0.5))
        if hold_at >= now:
            return
        reason = rng.choices(["awaiting_caller", "awaiting_vendor", "awaiting_change"], weights=[60, 30, 10])[
            0
        ]
        replay.move(hold_at, "hold", "on_hold", hold_reason=reason)
        if reason == "awaiting_caller":
            replay.notes.append(("comment", "Could you tell us when it happens next?", hold_at))
        t = hold_at + dt.timedelta(minutes=_minutes(rng, 24 * 60))
        if t >= now:
            return
        replay.move(t, "resume", "in_progress", hold_reason="")
    t = t + dt.timedelta(minutes=remaining)
    if t >= now:
        return
    code = rng.choices(["solved", "workaround", "not_reproducible", "duplicate"], weights=[72, 16, 8, 4])[0]
    replay.move(t, "resolve", "resolved", resolved_at=t, resolution_code=code,
                resolution_notes="Fixed and confirmed with the caller.")  # fmt: skip
    replay.notes.append(("comment", "We believe this is fixed; reply if it is not.", t))
    if rng.random() < 0.06:  # the caller says it is not fixed
        t = t + dt.timedelta(minutes=_minutes(rng, 600))
        if t >= now:
            return
        replay.move(t, "reopen", "in_progress", resolved_at=None)
        t = t + dt.timedelta(minutes=_minutes(rng, RESOLVE_HOURS[p] * 30))
        if t >= now:
            return
        replay.move(t, "resolve", "resolved", resolved_at=t)
    t = t + dt.timedelta(days=7 if rng.random() < 0.6 else rng.uniform(0.5, 3))
    if t < now:
        replay.move(t, "close", "closed", closed_at=t)


def _problems(rng, svc_objs, teams, incidents) -> int:  # noqa: ANN001
    specs = [
        ("VPN drops after client update", "VPN remote access", True),
        ("ERP slow at month end", "ERP", True),
        ("Mailbox permissions lost after migration", "Email and calendar", False),
        ("Database locks during backups", "Database platform", True),
        ("Laptop batteries failing early", "Laptops and desktops", False),
        ("Wi-Fi authentication timeouts", "Office Wi-Fi", True),
    ]
    by_name = {s.name: s for s in svc_objs}
    states = ["new", "assessing", "root_cause_analysis", "fix_in_progress", "resolved", "closed"]
    for index, (title, service_name, known) in enumerate(specs):
        service = by_name[service_name]
        problem = Problem(
            short_description=title, service=service, category=rng.choice(CATEGORIES[service_name])[0],
            priority=rng.choice(["2", "3"]), assignment_team=service.support_team,
            root_cause="Under analysis." if index % 2 else "A configuration default changed in the last release.",
            workaround="Restart the client and reconnect; see the service desk note." if known else "",
            known_error=known,
        )  # fmt: skip
        problem.full_clean()
        problem.save()
        Problem.objects.filter(pk=problem.pk).update(state=states[index % len(states)])
        related = [i for i in incidents if i.service_id == service.pk][:6]
        problem.incidents.set(related)
    return len(specs)


def _changes(rng, now, svc_objs, teams, members, people) -> int:  # noqa: ANN001
    start_of_day = now.replace(hour=20, minute=0, second=0, microsecond=0)
    FreezeWindow.objects.create(
        name="Year-end freeze",
        start=dt.datetime(now.year, 12, 20, tzinfo=dt.UTC),
        end=dt.datetime(now.year + 1, 1, 3, tzinfo=dt.UTC),
        description="No changes to business services over the year-end closing.",
    )
    count = 0
    states = [
        "new",
        "assess",
        "authorise",
        "scheduled",
        "scheduled",
        "implement",
        "review",
        "closed",
        "cancelled",
    ]
    for i in range(18):
        service = svc_objs[i % 6]
        start = start_of_day + dt.timedelta(days=rng.randint(-20, 40))
        change = Change(
            short_description=f"{rng.choice(['Patch', 'Upgrade', 'Reconfigure', 'Migrate'])} {service.name}",
            type=rng.choices(["standard", "normal", "emergency"], weights=[30, 60, 10])[0],
            service=service, requested_by=rng.choice(people), assignment_team=service.support_team,
            planned_start=start, planned_end=start + dt.timedelta(hours=rng.choice([1, 2, 4])),
            implementation_plan="1. Announce\n2. Apply\n3. Verify", backout_plan="Restore the snapshot.",
            test_plan="Smoke test the main screens.",
        )  # fmt: skip
        change.full_clean()
        change.save()
        Change.objects.filter(pk=change.pk).update(state=states[i % len(states)])
        count += 1
    # Two changes on the same evening on ERP: the calendar flags them.
    erp = next(s for s in svc_objs if s.name == "ERP")
    start = start_of_day + dt.timedelta(days=3)
    for title in ("Apply ERP security patch", "Resize ERP application servers"):
        services.create_change(
            actor=None, short_description=title, type="normal", service=erp, assignment_team=erp.support_team,
            planned_start=start, planned_end=start + dt.timedelta(hours=3),
        )  # fmt: skip
        count += 1
    services.refresh_all_conflicts()
    note_demo(people)
    return count


def note_demo(people: list[Any]) -> None:
    """A couple of notes on the newest incident, so the timeline is not empty."""
    incident = Incident.objects.order_by("-created").first()
    if incident is None:
        return
    IncidentNote.objects.create(
        incident=incident, kind="work_note", body="Checked the logs; nothing obvious yet."
    )
    IncidentNote.objects.create(incident=incident, kind="comment", body="We are looking into it.")
