"""The workflow engine: states and transitions declared as data, run by one function.

A definition is a plain mapping (so it can live in code, YAML or the database)::

    {
        "states": [{"name": "new", "label": "New", "colour": "blue"}, ...],
        "initial": "new",
        "terminal": ["closed"],
        "transitions": [
            {
                "name": "resolve", "label": "Resolve", "from": ["new", "in_progress"], "to": "resolved",
                "guards": ["has_no_open_tasks"],             # callables in registry.workflow_guards
                "conditions": {"priority__in": [1, 2]},      # simple field conditions
                "required_fields": ["resolution_code"],      # must be set (from data or the record)
                "fields": ["resolution_notes"],              # may be set from data, optional
                "roles": ["Service desk"],                   # group names; any one suffices
                "permission": "change",                      # object permission action
                "approvals": 2, "approver_roles": ["CAB"],   # N approvals before it completes
                "side_effects": ["send_survey"],             # registry.workflow_side_effects, after commit
                "actions": ["create_tasks"],                 # registry.workflow_actions, same transaction
                "approvers": "itsm.request_chain",           # registry.workflow_approvers (see below)
            },
        ],
    }

``register_workflow`` validates a definition (unknown or unreachable states, duplicate names,
unknown guards…) and stores it under a name; a model using ``WorkflowMixin`` names it in its
``workflow`` attribute. An enabled ``WorkflowDefinition`` row replaces it for that model.
An ``approvers`` policy replaces roles and object permissions for one transition: its
``may_act`` names who may perform (or vote for) it — anyone else is refused with
``TransitionForbidden`` and nothing is recorded — and, for a transition with ``approvals``,
its ``record`` decides after each vote whether the transition now completes (approval chains
with steps, all/any and delegation live in the policy, the votes in ``WorkflowApproval``).
``actions`` run inside the transition's transaction, after the new state is saved, so work
they create (tasks, follow-on transitions) commits or rolls back with it; ``side_effects``
run after commit. ``transition`` is the only way a state changes; it writes a ``WorkflowHistory`` row and
saves the record, so the change log records the new state too.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from steward.core.changelog import remember_state
from steward.core.context import change_context, current_actor, current_request_id, current_source
from steward.core.permissions import perm_name
from steward.core.registry import registry

logger = logging.getLogger(__name__)

STATE_KEYS = {"name", "label", "colour"}
TRANSITION_KEYS = {
    "name", "label", "from", "to", "guards", "conditions", "required_fields", "fields", "roles",
    "permission", "approvals", "approver_roles", "side_effects", "colour", "actions", "approvers",
}  # fmt: skip
DEFINITION_KEYS = {"states", "initial", "terminal", "transitions"}
CONDITION_OPS = {"exact", "ne", "in", "not_in", "isnull", "gt", "gte", "lt", "lte"}
ANY_STATE = "*"


# --- errors ---------------------------------------------------------------------------------
class WorkflowError(Exception):
    """Base of every workflow error."""


class WorkflowDefinitionError(WorkflowError, ValueError):
    """A definition is inconsistent; the message names the offending element."""


class TransitionNotAllowed(WorkflowError):
    """The transition cannot run from the record's current state (or a guard refused it)."""

    def __init__(self, message: str, allowed: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.allowed = list(allowed)


class TransitionForbidden(WorkflowError, PermissionDenied):
    """The actor lacks the role or permission the transition (or its approval) needs."""


# --- definitions ----------------------------------------------------------------------------
@dataclass(frozen=True)
class State:
    name: str
    label: str
    colour: str = "secondary"


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    guards: tuple[str, ...] = ()
    conditions: Mapping[str, Any] = field(default_factory=dict)
    required_fields: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    permission: str = "change"
    approvals: int = 0
    approver_roles: tuple[str, ...] = ()
    side_effects: tuple[str, ...] = ()
    colour: str = ""
    actions: tuple[str, ...] = ()
    approvers: str = ""

    @property
    def settable_fields(self) -> tuple[str, ...]:
        return self.required_fields + tuple(f for f in self.fields if f not in self.required_fields)


@dataclass(frozen=True)
class Workflow:
    name: str
    states: Mapping[str, State]
    initial: str
    terminal: frozenset[str]
    transitions: Mapping[str, Transition]

    def state(self, name: str) -> State:
        # A state removed from an overriding definition still displays, just without colour.
        return self.states.get(name) or State(name, name)

    def from_state(self, state: str) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.sources]


def _names(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise WorkflowDefinitionError(f"{where} must be a name or a list of names")


def _check_field(model: type[models.Model] | None, name: str, where: str) -> None:
    if model is None:
        return
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        raise WorkflowDefinitionError(f"{where}: {model.__name__} has no field '{name}'") from None


def build_definition(
    data: Mapping[str, Any], *, name: str, model: type[models.Model] | None = None
) -> Workflow:
    """Check ``data`` and turn it into a ``Workflow``; raise ``WorkflowDefinitionError`` if wrong."""
    if not isinstance(data, Mapping):
        raise WorkflowDefinitionError("A workflow definition must be an object")
    unknown = set(data) - DEFINITION_KEYS
    if unknown:
        raise WorkflowDefinitionError(f"Unknown key(s) in the definition: {', '.join(sorted(unknown))}")

    raw_states = data.get("states")
    if isinstance(raw_states, Mapping):
        raw_states = [{"name": k, **(v or {})} for k, v in raw_states.items()]
    if not isinstance(raw_states, list) or not raw_states:
        raise WorkflowDefinitionError("'states' must list at least one state")
    states: dict[str, State] = {}
    for index, raw in enumerate(raw_states):
        if isinstance(raw, str):
            raw = {"name": raw}
        if not isinstance(raw, Mapping) or not isinstance(raw.get("name"), str) or not raw["name"]:
            raise WorkflowDefinitionError(f"State #{index + 1} needs a name")
        extra = set(raw) - STATE_KEYS
        if extra:
            raise WorkflowDefinitionError(f"State '{raw['name']}': unknown key(s) {', '.join(sorted(extra))}")
        if raw["name"] in states:
            raise WorkflowDefinitionError(f"Duplicate state '{raw['name']}'")
        states[raw["name"]] = State(
            raw["name"], str(raw.get("label") or raw["name"].replace("_", " ").capitalize()),
            str(raw.get("colour") or "secondary"),
        )  # fmt: skip

    initial = data.get("initial")
    if initial not in states:
        raise WorkflowDefinitionError(f"The initial state '{initial}' is not one of the states")
    terminal = frozenset(_names(data.get("terminal"), "'terminal'"))
    for state in terminal:
        if state not in states:
            raise WorkflowDefinitionError(f"Terminal state '{state}' is not one of the states")

    raw_transitions = data.get("transitions") or []
    if not isinstance(raw_transitions, list):
        raise WorkflowDefinitionError("'transitions' must be a list")
    transitions: dict[str, Transition] = {}
    for index, raw in enumerate(raw_transitions):
        if not isinstance(raw, Mapping) or not isinstance(raw.get("name"), str) or not raw["name"]:
            raise WorkflowDefinitionError(f"Transition #{index + 1} needs a name")
        tname = raw["name"]
        where = f"Transition '{tname}'"
        if tname in transitions:
            raise WorkflowDefinitionError(f"Duplicate transition '{tname}'")
        extra = set(raw) - TRANSITION_KEYS
        if extra:
            raise WorkflowDefinitionError(f"{where}: unknown key(s) {', '.join(sorted(extra))}")
        sources = _names(raw.get("from"), f"{where} 'from'")
        if not sources:
            raise WorkflowDefinitionError(f"{where} needs 'from' states")
        if ANY_STATE in sources:
            sources = tuple(s for s in states if s not in terminal)
        for source in sources:
            if source not in states:
                raise WorkflowDefinitionError(f"{where} starts from unknown state '{source}'")
            if source in terminal:
                raise WorkflowDefinitionError(f"{where} leaves the terminal state '{source}'")
        target = raw.get("to")
        if target not in states:
            raise WorkflowDefinitionError(f"{where} goes to unknown state '{target}'")
        guards = _names(raw.get("guards"), f"{where} 'guards'")
        for guard in guards:
            if guard not in registry.workflow_guards:
                raise WorkflowDefinitionError(f"{where} uses unknown guard '{guard}'")
        effects = _names(raw.get("side_effects"), f"{where} 'side_effects'")
        for effect in effects:
            if effect not in registry.workflow_side_effects:
                raise WorkflowDefinitionError(f"{where} uses unknown side effect '{effect}'")
        actions = _names(raw.get("actions"), f"{where} 'actions'")
        for action_name in actions:
            if action_name not in registry.workflow_actions:
                raise WorkflowDefinitionError(f"{where} uses unknown action '{action_name}'")
        approvers = raw.get("approvers") or ""
        if approvers and (not isinstance(approvers, str) or approvers not in registry.workflow_approvers):
            raise WorkflowDefinitionError(f"{where} uses unknown approver policy '{approvers}'")
        conditions = raw.get("conditions") or {}
        if not isinstance(conditions, Mapping):
            raise WorkflowDefinitionError(f"{where}: 'conditions' must be an object")
        for key in conditions:
            fname, _sep, op = key.partition("__")
            if op and op not in CONDITION_OPS:
                raise WorkflowDefinitionError(f"{where}: condition '{key}' uses unknown operator '{op}'")
            _check_field(model, fname, f"{where} condition")
        required = _names(raw.get("required_fields"), f"{where} 'required_fields'")
        optional = _names(raw.get("fields"), f"{where} 'fields'")
        for fname in required + optional:
            _check_field(model, fname, where)
        approvals = raw.get("approvals", 0)
        if not isinstance(approvals, int) or isinstance(approvals, bool) or approvals < 0:
            raise WorkflowDefinitionError(f"{where}: 'approvals' must be a whole number ≥ 0")
        permission = raw.get("permission") or "change"
        if not isinstance(permission, str):
            raise WorkflowDefinitionError(f"{where}: 'permission' must be an action name")
        transitions[tname] = Transition(
            name=tname,
            label=str(raw.get("label") or tname.replace("_", " ").capitalize()),
            sources=sources,
            target=target,
            guards=guards,
            conditions=dict(conditions),
            required_fields=required,
            fields=optional,
            roles=_names(raw.get("roles"), f"{where} 'roles'"),
            permission=permission,
            approvals=approvals,
            approver_roles=_names(raw.get("approver_roles"), f"{where} 'approver_roles'"),
            side_effects=effects,
            colour=str(raw.get("colour") or ""),
            actions=actions,
            approvers=approvers,
        )

    reached = {initial}
    queue = deque([initial])
    while queue:
        current = queue.popleft()
        for t in transitions.values():
            if current in t.sources and t.target not in reached:
                reached.add(t.target)
                queue.append(t.target)
    for state in states:
        if state not in reached:
            raise WorkflowDefinitionError(
                f"State '{state}' cannot be reached from the initial state '{initial}'"
            )
    return Workflow(name, states, initial, terminal, transitions)


def register_workflow(
    name: str, data: Mapping[str, Any], *, model: type[models.Model] | None = None
) -> Workflow:
    """Validate and register a code-declared definition (call from ``AppConfig.ready``)."""
    if name in registry.workflows:
        raise WorkflowDefinitionError(f"Workflow '{name}' is registered twice")
    workflow = build_definition(data, name=name, model=model)
    registry.workflows[name] = workflow
    return workflow


def register_guard(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: a guard ``fn(*, obj, actor) -> True/None to allow, False or a reason to refuse``."""

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        registry.workflow_guards[name] = fn
        return fn

    return wrap


def register_side_effect(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: ``fn(*, obj, transition, actor, history)`` run after the transition commits."""

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        registry.workflow_side_effects[name] = fn
        return fn

    return wrap


def register_action(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: ``fn(*, obj, transition, actor, history)`` run inside the transition's transaction."""

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        registry.workflow_actions[name] = fn
        return fn

    return wrap


class ApproverPolicy:
    """Who may perform or approve a transition, and when recorded votes complete it.

    Subclass and register an instance with ``register_approvers``; name it in a transition's
    ``approvers``. The defaults mean "nobody", so a half-written policy fails closed.
    """

    def may_act(self, *, obj: models.Model, actor: Any, transition: Transition) -> bool:
        """True if ``actor`` may perform (or vote for) ``transition`` on ``obj`` now."""
        return False

    def record(self, *, obj: models.Model, actor: Any, transition: Transition, approval: Any) -> bool:
        """Book ``approval`` (a saved ``WorkflowApproval``); True if the transition now completes."""
        return False


def register_approvers(name: str, policy: ApproverPolicy) -> ApproverPolicy:
    registry.workflow_approvers[name] = policy
    return policy


_override_cache: dict[tuple[str, str], Workflow] = {}


def has_workflow(model: Any) -> bool:
    from steward.core.models.workflow import WorkflowMixin

    return isinstance(model, type) and issubclass(model, WorkflowMixin) and bool(model.workflow)


def get_workflow(model: type[models.Model]) -> Workflow:
    """The definition in force for ``model``: an enabled admin override, else the code one."""
    from steward.core import configcache
    from steward.core.models.workflow import WorkflowDefinition

    label = model._meta.label_lower
    row = configcache.cached(
        ("core.workflow", label),
        lambda: (
            WorkflowDefinition.objects.filter(
                object_type=ContentType.objects.get_for_model(model), enabled=True
            )
            .values_list("definition", "last_updated")
            .first()
        ),
    )
    if row is not None:
        key = (label, row[1].isoformat())
        if key not in _override_cache:
            _override_cache[key] = build_definition(row[0], name=label, model=model)
        return _override_cache[key]
    try:
        return registry.workflows[model.workflow]
    except (AttributeError, KeyError):
        raise WorkflowError(
            f"{label} names workflow {getattr(model, 'workflow', '')!r}, which is not registered"
        ) from None


# --- evaluation -----------------------------------------------------------------------------
def _condition_holds(obj: models.Model, key: str, expected: Any) -> bool:
    fname, _sep, op = key.partition("__")
    value = getattr(obj, fname, None)
    op = op or "exact"
    if op == "exact":
        return value == expected
    if op == "ne":
        return value != expected
    if op == "in":
        return value in expected
    if op == "not_in":
        return value not in expected
    if op == "isnull":
        return (value in (None, "")) == bool(expected)
    if value is None:
        return False
    return {
        "gt": value > expected,
        "gte": value >= expected,
        "lt": value < expected,
        "lte": value <= expected,
    }[op]


def refusal(t: Transition, obj: models.Model, actor: Any) -> str | None:
    """Why ``t`` cannot run on ``obj`` now (guards and conditions), or None if it can."""
    for key, expected in t.conditions.items():
        if not _condition_holds(obj, key, expected):
            return f"'{t.name}' needs {key} {expected!r}"
    for name in t.guards:
        result = registry.workflow_guards[name](obj=obj, actor=actor)
        if result is not None and result is not True:
            return result if isinstance(result, str) and result else f"'{t.name}' was refused by {name}"
    return None


class _Actor:
    """Caches what permission checks need about one user for one evaluation."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._groups: set[str] | None = None

    @property
    def active(self) -> bool:
        return bool(self.user is not None and self.user.is_authenticated and self.user.is_active)

    def in_roles(self, roles: tuple[str, ...]) -> bool:
        if not roles or self.user.is_superuser:
            return True
        if self._groups is None:
            self._groups = set(self.user.groups.values_list("name", flat=True))
        return bool(self._groups & set(roles))

    def may(self, t: Transition, obj: models.Model, approving: bool = False) -> bool:
        if not self.active:
            return False
        if t.approvers:
            policy = registry.workflow_approvers[t.approvers]
            return bool(policy.may_act(obj=obj, actor=self.user, transition=t))
        roles = (t.approver_roles or t.roles) if approving else t.roles
        return self.in_roles(roles) and self.user.has_perm(perm_name(type(obj), t.permission), obj)


def available_transitions(obj: models.Model, user: Any) -> list[Transition]:
    """Transitions ``user`` may perform (or approve) on ``obj`` right now."""
    workflow = get_workflow(type(obj))
    actor = _Actor(user)
    return [
        t
        for t in workflow.from_state(obj.state)
        if refusal(t, obj, user) is None and actor.may(t, obj, approving=t.approvals > 0)
    ]


def pending_approvals(obj: models.Model, name: str, from_state: str | None = None) -> models.QuerySet:
    """Approvals of ``name`` given in the current (or ``from_state``) state, not yet used up."""
    from steward.core.models.workflow import WorkflowApproval

    return WorkflowApproval.objects.filter(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        transition=name,
        from_state=from_state or obj.state,
        history__isnull=True,
    )


def history(obj: models.Model) -> models.QuerySet:
    from steward.core.models.workflow import WorkflowHistory

    return WorkflowHistory.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor")


# --- events (wired to the event bus by the platform) ----------------------------------------
def emit(event_type: str, *, obj: models.Model, actor: Any, payload: dict[str, Any]) -> None:
    """Announce a workflow event on the event bus (dispatched after commit, like every event)."""
    from steward.core import events

    try:
        url = obj.get_absolute_url()
    except Exception:  # noqa: BLE001 - a model without UI still gets events
        url = ""
    events.emit(
        events.Event(
            name=f"core.{event_type}",
            model=obj._meta.label_lower,
            object_id=obj.pk,
            object_repr=str(obj)[:200],
            object_url=url,
            data=payload,
            actor=actor.get_username()
            if getattr(actor, "is_authenticated", False)
            else (str(actor) if actor else None),
            request_id=events.current_request_id(),
        )
    )


# --- running a transition -------------------------------------------------------------------
@dataclass
class TransitionResult:
    obj: models.Model
    transition: Transition
    completed: bool
    approvals: int = 0
    needed: int = 0
    history: Any = None


def _apply_data(obj: models.Model, t: Transition, data: Mapping[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    for key in data:
        if key not in t.settable_fields:
            errors[key] = [f"'{t.name}' cannot set {key}."]
    for fname in t.settable_fields:
        if fname not in data:
            continue
        model_field = obj._meta.get_field(fname)
        value = data[fname]
        try:
            if model_field.many_to_one or model_field.one_to_one:
                value = model_field.target_field.to_python(value) if value not in (None, "") else None
                setattr(obj, model_field.attname, value)
            else:
                setattr(obj, fname, model_field.to_python(value))
        except ValidationError as exc:
            errors[fname] = exc.messages
    for fname in t.required_fields:
        if fname not in errors and getattr(obj, obj._meta.get_field(fname).attname) in (None, "", []):
            errors[fname] = [f"This field is required to {t.label.lower()}."]
    if errors:
        raise ValidationError(errors)


def transition(
    *, obj: models.Model, name: str, actor: Any, data: Mapping[str, Any] | None = None, comment: str = ""
) -> TransitionResult:
    """Run transition ``name`` on ``obj`` for ``actor``, or record their approval of it.

    Raises ``TransitionNotAllowed`` (wrong state, guard refused; carries ``allowed``),
    ``TransitionForbidden`` (role or permission missing) or ``ValidationError`` (keyed by
    field) and then changes nothing. Side effects and events run only after commit.
    """
    from steward.core.models.workflow import WorkflowApproval, WorkflowHistory

    model = type(obj)
    workflow = get_workflow(model)
    data = dict(data or {})
    comment = (comment or "").strip()
    context = (
        change_context(actor=actor, request_id=current_request_id() or None, source=current_source())
        if current_actor() is None
        else nullcontext()
    )
    with context, transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=obj.pk)
        t = workflow.transitions.get(name)
        allowed = [a.name for a in available_transitions(locked, actor)]
        if t is None:
            raise TransitionNotAllowed(f"There is no transition '{name}'.", allowed)
        if locked.state not in t.sources:
            raise TransitionNotAllowed(
                f"'{t.label}' is not possible from the state '{workflow.state(locked.state).label}'.", allowed
            )
        reason = refusal(t, locked, actor)
        if reason:
            raise TransitionNotAllowed(reason, allowed)
        who = _Actor(actor)
        if not who.may(t, locked, approving=t.approvals > 0):
            raise TransitionForbidden(f"You may not {'approve' if t.approvals else 'perform'} '{t.label}'.")

        approvals = 0
        if t.approvals:
            pending = pending_approvals(locked, t.name)
            if pending.filter(approver=actor).exists():
                raise TransitionNotAllowed(f"You have already approved '{t.label}'.", allowed)
            vote = WorkflowApproval.objects.create(
                content_object=locked,
                transition=t.name,
                from_state=locked.state,
                approver=actor,
                comment=comment,
            )
            approvals = pending.count()
            done = (
                registry.workflow_approvers[t.approvers].record(
                    obj=locked, actor=actor, transition=t, approval=vote
                )
                if t.approvers
                else approvals >= t.approvals
            )
            if not done:
                emit(
                    "workflow.approval_recorded",
                    obj=locked,
                    actor=actor,
                    payload={"transition": t.name, "approvals": approvals, "needed": t.approvals},
                )
                return TransitionResult(locked, t, False, approvals, t.approvals)

        _apply_data(locked, t, data)
        source = locked.state
        locked.state = t.target
        locked.full_clean(validate_unique=False)
        locked.save()
        row = WorkflowHistory.objects.create(
            content_object=locked,
            transition=t.name,
            from_state=source,
            to_state=t.target,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_name=actor.get_username()
            if getattr(actor, "is_authenticated", False)
            else str(actor or ""),
            comment=comment,
        )
        if t.approvals:
            pending_approvals(locked, t.name, source).update(history=row)
        for action_name in t.actions:
            registry.workflow_actions[action_name](obj=locked, transition=t, actor=actor, history=row)
        if t.actions:
            # An action may have moved the record on again (a follow-on transition).
            locked.refresh_from_db()
        for effect in t.side_effects:
            fn = registry.workflow_side_effects[effect]
            transaction.on_commit(
                partial(fn, obj=locked, transition=t, actor=actor, history=row), robust=True
            )
        emit(
            "workflow.transitioned",
            obj=locked,
            actor=actor,
            payload={"transition": t.name, "from": source, "to": t.target, "comment": comment},
        )

    for f in model._meta.concrete_fields:
        setattr(obj, f.attname, getattr(locked, f.attname))
    remember_state(obj)
    return TransitionResult(locked, t, True, approvals, t.approvals, row)


def transition_many(
    *,
    objs: Iterable[models.Model],
    name: str,
    actor: Any,
    data: Mapping[Any, Mapping[str, Any]] | None = None,
    comment: str = "",
    derived: Callable[[models.Model], Iterable[str]] | None = None,
    select_related: tuple[str, ...] = (),
) -> list[models.Model]:
    """Run transition ``name`` on many records of one model at once: set-based, all or nothing.

    For transitions a system runs in bulk (e.g. closing hundreds of findings a scan no longer
    sees). The same checks as ``transition`` are made for every record — its state, guards and
    conditions, the actor's permission — and if any record is refused, ``TransitionNotAllowed``
    or ``TransitionForbidden`` names it and nothing changes. Then one ``bulk_update`` writes the
    states, ``WorkflowHistory`` rows and change-log entries are written in bulk, and a
    ``workflow.transitioned`` event and a model update event are emitted per record.

    ``data`` maps a record's pk to the fields the transition may set. ``derived(obj)`` recomputes
    fields that the model's ``save()`` would derive from the new state (e.g. a closing date)
    and returns their names; ``select_related`` names what ``str(obj)`` reads, so naming each
    record costs no query. The model's ``clean()`` is not run: transitions with approvals or
    in-transaction actions are refused here — run them one by one with ``transition``.
    """
    from steward.core import bulk, changelog, events
    from steward.core.models.workflow import WorkflowHistory
    from steward.core.serialization import snapshot

    objs = list(objs)
    if not objs:
        return []
    model = type(objs[0])
    workflow = get_workflow(model)
    t = workflow.transitions.get(name)
    if t is None:
        raise TransitionNotAllowed(f"There is no transition '{name}'.")
    if t.approvals or t.actions or t.approvers:
        raise WorkflowError(
            f"'{name}' needs approvals or actions: run it record by record with transition()."
        )
    data = data or {}
    comment = (comment or "").strip()
    context = (
        change_context(actor=actor, request_id=current_request_id() or None, source=current_source())
        if current_actor() is None
        else nullcontext()
    )
    with context, transaction.atomic():
        query = model._default_manager.select_for_update(of=("self",) if select_related else ())
        if select_related:
            query = query.select_related(*select_related)
        locked = list(query.filter(pk__in=[o.pk for o in objs]).order_by("pk"))
        who = _Actor(actor)
        changes, rows, written = [], [], {"state"}
        for obj in locked:
            if obj.state not in t.sources:
                raise TransitionNotAllowed(
                    f"{obj}: '{t.label}' is not possible from the state '{workflow.state(obj.state).label}'."
                )
            reason = refusal(t, obj, actor)
            if reason:
                raise TransitionNotAllowed(f"{obj}: {reason}")
            if not who.may(t, obj):
                raise TransitionForbidden(f"You may not perform '{t.label}' on {obj}.")
            pre = snapshot(obj)
            try:
                _apply_data(obj, t, data.get(obj.pk, {}))
            except ValidationError as exc:
                raise ValidationError({f"{obj}: {k}": v for k, v in exc.message_dict.items()}) from None
            written |= set(data.get(obj.pk, {}))
            source = obj.state
            obj.state = t.target
            if derived is not None:
                written |= set(derived(obj))
            changes.append((obj, pre, source))
        now = timezone.now()
        fields = sorted(written)
        if any(f.name == "last_updated" for f in model._meta.concrete_fields):
            for obj, _pre, _source in changes:
                obj.last_updated = now
            fields.append("last_updated")
        bulk.update_rows(model, locked, fields)
        content_type = ContentType.objects.get_for_model(model)
        user = actor if getattr(actor, "is_authenticated", False) else None
        actor_name = actor.get_username() if user else str(actor or "")
        for obj, _pre, source in changes:
            rows.append(
                WorkflowHistory(
                    content_type=content_type, object_id=obj.pk, transition=t.name, from_state=source,
                    to_state=t.target, actor=user, actor_name=actor_name, comment=comment,
                )
            )  # fmt: skip
        WorkflowHistory.objects.bulk_create(rows, batch_size=500)
        log = [changelog.Change(obj, "update", pre, snapshot(obj)) for obj, pre, _source in changes]
        changelog.record_many(log)
        for change, (obj, _pre, source), row in zip(log, changes, rows, strict=True):
            events.queue_model_event(obj, "update", change.pre, change.post)
            for effect in t.side_effects:
                fn = registry.workflow_side_effects[effect]
                transaction.on_commit(
                    partial(fn, obj=obj, transition=t, actor=actor, history=row), robust=True
                )
            emit(
                "workflow.transitioned", obj=obj, actor=actor,
                payload={"transition": t.name, "from": source, "to": t.target, "comment": comment},
            )  # fmt: skip
    by_pk = {o.pk: o for o in locked}
    for obj in objs:
        fresh = by_pk[obj.pk]
        for f in model._meta.concrete_fields:
            setattr(obj, f.attname, getattr(fresh, f.attname))
        remember_state(obj)
    return objs
