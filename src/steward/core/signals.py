"""Framework plumbing only: the change log (and, later, search index and events) on save/delete."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from steward.core import changelog
from steward.core.models.base import StewardModel
from steward.core.serialization import snapshot, snapshot_from_loaded


def on_save(sender: type, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw or not isinstance(instance, StewardModel):
        return
    post = snapshot(instance)
    if created:
        changelog.record(instance, "create", None, post)
    else:
        changelog.record(instance, "update", snapshot_from_loaded(instance), post)
    changelog.remember_state(instance)


def on_delete(sender: type, instance: Any, **kwargs: Any) -> None:
    if not isinstance(instance, StewardModel):
        return
    changelog.record(instance, "delete", snapshot(instance), None)


def connect() -> None:
    post_save.connect(on_save, dispatch_uid="steward_changelog_save")
    post_delete.connect(on_delete, dispatch_uid="steward_changelog_delete")
    connect_search_index()


# --- search index: one hook, kept apart from the change log ------------------------------------
def connect_search_index() -> None:
    """Keep ``core.SearchEntry`` current on every save and delete (see steward.core.search.index)."""
    from steward.core.search import index

    post_save.connect(index.on_save, dispatch_uid="steward_search_save")
    post_delete.connect(index.on_delete, dispatch_uid="steward_search_delete")
