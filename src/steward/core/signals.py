"""Framework plumbing only: the change log and the event queue (later, search index) on save/delete."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from steward.core import changelog, events
from steward.core.models.base import StewardModel
from steward.core.serialization import snapshot, snapshot_from_loaded


def on_save(sender: type, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw or not isinstance(instance, StewardModel):
        return
    post = snapshot(instance)
    if created:
        changelog.record(instance, "create", None, post)
        events.queue_model_event(instance, "create", None, post)
    else:
        pre = snapshot_from_loaded(instance)
        changelog.record(instance, "update", pre, post)
        if not changelog.is_noop(pre, post):
            events.queue_model_event(instance, "update", pre, post)
    changelog.remember_state(instance)


def on_delete(sender: type, instance: Any, **kwargs: Any) -> None:
    if not isinstance(instance, StewardModel):
        return
    pre = snapshot(instance)
    changelog.record(instance, "delete", pre, None)
    events.queue_model_event(instance, "delete", pre, None)


def connect() -> None:
    post_save.connect(on_save, dispatch_uid="steward_changelog_save")
    post_delete.connect(on_delete, dispatch_uid="steward_changelog_delete")
