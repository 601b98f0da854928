"""Events: what happened to which record, queued until the transaction commits.

Every registered ``StewardModel`` emits ``<app>.<model>.created/updated/deleted`` from the
save/delete plumbing in ``signals.py``; apps declare their own domain events as
``EVENT_TYPES`` in their ``events.py`` and call ``emit`` from their services. Nothing leaves
the process before commit: ``enqueue_after_commit`` is the one helper for side effects, so a
rolled-back transaction emits nothing. After commit, ``dispatch`` runs every enabled event
rule whose types, models and condition match, through the action handlers in
``registry.event_actions`` (webhook, job and notify here).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from steward.core.conditions import evaluate
from steward.core.context import current_actor, current_request_id
from steward.core.registry import CRUD_EVENT_ACTIONS, EventType, registry

logger = logging.getLogger(__name__)

#: Core's own domain events (apps declare theirs the same way in their events.py).
EVENT_TYPES = (
    EventType("core.job.failed", "A job run failed after its last attempt."),
    EventType("core.webhook.failed", "A webhook delivery failed after its last attempt."),
    EventType("core.workflow.transitioned", "A record moved to another workflow state."),
    EventType("core.workflow.approval_recorded", "An approval was recorded; more are needed to complete."),
)


def enqueue_after_commit(func: Callable[[], Any], *, using: str | None = None) -> None:
    """Run ``func`` once the current transaction commits (now, outside one); never on rollback.

    ``robust`` so one failing side effect neither hides the others nor breaks the request
    whose data has already been committed.
    """
    transaction.on_commit(func, using=using, robust=True)


@dataclass(frozen=True)
class Event:
    """An event as rules see it; ``payload()`` is also the webhook body."""

    name: str
    model: str = ""
    object_id: Any = None
    object_repr: str = ""
    object_url: str = ""
    data: dict[str, Any] | None = None
    prechange: dict[str, Any] | None = None
    actor: str | None = None
    request_id: str = ""
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    timestamp: str = field(default_factory=lambda: timezone.now().isoformat())

    @property
    def changed(self) -> list[str]:
        if self.prechange is None or self.data is None:
            return []
        keys = set(self.prechange) | set(self.data)
        return sorted(k for k in keys if k != "last_updated" and self.prechange.get(k) != self.data.get(k))

    def payload(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event": self.name,
            "timestamp": self.timestamp,
            "model": self.model,
            "object": {"id": self.object_id, "display": self.object_repr, "url": self.object_url},
            "data": self.data,
            "prechange": self.prechange,
            "changed": self.changed,
            "actor": self.actor,
            "request_id": self.request_id,
        }


def _actor_name() -> str | None:
    actor = current_actor()
    if hasattr(actor, "resolve"):
        actor = actor.resolve()
    if actor is None:
        return None
    if getattr(actor, "is_authenticated", False):
        return actor.get_username()
    return str(actor) if not hasattr(actor, "is_authenticated") else None


def model_event(instance: models.Model, action: str, pre: dict | None, post: dict | None) -> Event:
    """The create/update/delete event for ``instance``; the actor is read now, not after commit."""
    label = instance._meta.label_lower
    try:
        url = instance.get_absolute_url() if action != "delete" else ""
    except Exception:  # noqa: BLE001 - a model without UI still gets events
        url = ""
    return Event(
        name=f"{label}.{CRUD_EVENT_ACTIONS[action]}",
        model=label,
        object_id=instance.pk,
        object_repr=str(instance)[:200],
        object_url=url,
        data=post if post is not None else pre,
        prechange=pre if action == "update" else None,
        actor=_actor_name(),
        request_id=current_request_id(),
    )


def emit(event: Event) -> None:
    """Queue ``event`` for dispatch when the current transaction commits."""
    if event.name not in registry.event_types:
        raise ValueError(f"Unknown event type {event.name}; declare it in the app's events.py")
    batch = _commit_batch()
    enqueue_after_commit(lambda: dispatch(event, batch=batch))


class RuleBatch:
    """The enabled rules, read once for all the events one transaction's commit dispatches.

    Every event queued in the same transaction shares one batch; the first dispatch after the
    commit reads the rules and the others reuse them, so a transaction saving 100 records
    queries the rules once instead of 100 times. Rules are still read after the commit, so
    a rule saved in the same transaction applies as before.
    """

    __slots__ = ("rules",)

    def __init__(self) -> None:
        self.rules: list[Any] | None = None

    def get(self) -> list[Any]:
        if self.rules is None:
            self.rules = enabled_rules()
        return self.rules


def _commit_batch() -> RuleBatch | None:
    """The batch of the current transaction (None outside one: the event dispatches at once)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    batch = getattr(connection, "_steward_rule_batch", None)
    if batch is None or batch.rules is not None:
        # The previous batch has been dispatched (its transaction committed): start a new one.
        # A batch whose transaction rolled back was never read and is simply reused.
        batch = RuleBatch()
        connection._steward_rule_batch = batch
    return batch


_suppressed: ContextVar[bool] = ContextVar("steward_events_suppressed", default=False)


@contextmanager
def events_suppressed() -> Iterator[None]:
    """Queue no create/update/delete events inside the block (benchmarks and tests only).

    The baseline of ``bench/events.py``; no product code path uses it: every save of a
    registered model is meant to emit its event.
    """
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def queue_model_event(instance: models.Model, action: str, pre: dict | None, post: dict | None) -> None:
    if instance._meta.label_lower not in registry.models or _suppressed.get():
        return
    emit(model_event(instance, action, pre, post))


def enabled_rules() -> list[Any]:
    """Every enabled event rule, each with ``model_labels`` (empty: any model)."""
    from steward.core import configcache
    from steward.core.models import EventRule

    def load() -> list[Any]:
        rules = list(EventRule.objects.filter(enabled=True).prefetch_related("object_types"))
        for rule in rules:
            rule.model_labels = frozenset(f"{ct.app_label}.{ct.model}" for ct in rule.object_types.all())
        return rules

    return configcache.copies(configcache.cached("core.event_rules", load))


def matching_rules(event: Event, rules: list[Any] | None = None) -> list[Any]:
    """The rules (all enabled ones unless ``rules`` is given) whose event types and models match."""
    matched = []
    for rule in enabled_rules() if rules is None else rules:
        if event.name not in (rule.event_types or []):
            continue
        if rule.model_labels and event.model not in rule.model_labels:
            continue
        matched.append(rule)
    return matched


def dispatch(event: Event, *, batch: RuleBatch | None = None) -> int:
    """Run the actions of every rule matching ``event``; returns how many rules fired."""
    payload = event.payload()
    fired = 0
    for rule in matching_rules(event, batch.get() if batch is not None else None):
        if not evaluate(rule.conditions, payload):
            continue
        handler = registry.event_actions.get(rule.action)
        if handler is None:
            logger.warning("event rule %s: no handler for action %s", rule.pk, rule.action)
            continue
        try:
            handler(rule, event)
            fired += 1
        except Exception:
            logger.exception("event rule %s failed on %s", rule.pk, event.name)
    return fired


def webhook_action(rule: Any, event: Event) -> None:
    from steward.core.webhooks import queue_delivery

    queue_delivery(webhook_id=rule.webhook_id, payload=event.payload())


def job_action(rule: Any, event: Event) -> None:
    from steward.core.jobs import run_job

    run_job.enqueue(rule.job_name, payload=event.payload(), trigger=f"event rule: {rule.name}")


def notify_action(rule: Any, event: Event) -> None:
    from steward.core.notifications import notify_for_rule

    notify_for_rule(rule, event)


# --- notification templates: ``{{ data.title }}`` substitution, nothing else -------------------
#: What a placeholder may start with: the top-level keys of ``Event.payload()``.
TEMPLATE_ROOTS = ("id", "event", "timestamp", "model", "object", "data", "prechange", "changed", "actor")
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_]\w*(?:\.\w+)*)\s*\}\}")


def template_error(text: str) -> str:
    """A message naming what is wrong with a notification template, or ""."""
    for match in _PLACEHOLDER.finditer(text):
        root = match.group(1).split(".", 1)[0]
        if root not in TEMPLATE_ROOTS:
            return f"Unknown value “{match.group(1)}”; start with one of: {', '.join(TEMPLATE_ROOTS)}."
    rest = _PLACEHOLDER.sub("", text)
    if "{{" in rest or "}}" in rest:
        return "Write values as {{ data.field }}: a dotted name between double braces."
    return ""


def render_template(text: str, payload: dict[str, Any]) -> str:
    """Replace each ``{{ dotted.path }}`` with the payload's value ("" when missing).

    Plain lookups only: no expressions, filters or attribute access on Python objects, so a
    template written by an administrator can read the event and nothing else.
    """

    def value(match: re.Match) -> str:
        current: Any = payload
        for part in match.group(1).split("."):
            if isinstance(current, dict):
                current = current.get(part)
            elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
                current = current[int(part)]
            else:
                return ""
        if current is None:
            return ""
        if isinstance(current, list):
            return ", ".join(str(v) for v in current)
        return str(current)

    return _PLACEHOLDER.sub(value, text)
