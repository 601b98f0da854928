"""Framework plumbing only: the change log and the event queue (later, search index) on save/delete."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from steward.core import changelog, events
from steward.core.models.base import StewardModel
from steward.core.serialization import snapshot, snapshot_fields, snapshot_from_loaded, to_json_value


def before_save(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """Complete the before-image of a row loaded with deferred fields (``only()``/``defer()``)."""
    if raw or not isinstance(instance, StewardModel) or instance._state.adding:
        return
    loaded = getattr(instance, "_loaded_values", None)
    if loaded is None:
        return
    missing = [f.attname for f in snapshot_fields(type(instance)) if f.attname not in loaded]
    if missing:
        row = type(instance)._base_manager.filter(pk=instance.pk).values(*missing).first()
        if row:
            loaded.update(row)


def on_save(
    sender: type, instance: Any, created: bool, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    if raw or not isinstance(instance, StewardModel):
        return
    if created:
        post = snapshot(instance)
        changelog.record(instance, "create", None, post)
        events.queue_model_event(instance, "create", None, post)
    else:
        pre = snapshot_from_loaded(instance)
        post = _after_image(instance, pre, update_fields)
        changelog.record(instance, "update", pre, post)
        if not changelog.is_noop(pre, post):
            events.queue_model_event(instance, "update", pre, post)
    changelog.remember_state(instance, update_fields)


def _after_image(instance: Any, pre: dict[str, Any] | None, update_fields: Any) -> dict[str, Any]:
    """What the row holds now: fields the save did not write keep their before-image."""
    deferred = instance.get_deferred_fields()
    saved = None if update_fields is None else {instance._meta.get_field(n).attname for n in update_fields}
    post = {}
    for f in snapshot_fields(type(instance)):
        unwritten = f.attname in deferred or (saved is not None and f.attname not in saved)
        if unwritten and pre is not None and f.attname in pre:
            post[f.attname] = pre[f.attname]
        else:
            post[f.attname] = to_json_value(f.value_from_object(instance))
    return post


def on_delete(sender: type, instance: Any, **kwargs: Any) -> None:
    if not isinstance(instance, StewardModel):
        return
    pre = snapshot(instance)
    changelog.record(instance, "delete", pre, None)
    events.queue_model_event(instance, "delete", pre, None)


def on_m2m_changed(
    sender: type, instance: Any, action: str, reverse: bool, model: type, pk_set: Any, **kwargs: Any
) -> None:
    """Record membership changes (e.g. team members) as an update of the owning record."""
    if reverse or not isinstance(instance, StewardModel) or instance.pk is None:
        return
    field = next((f for f in instance._meta.many_to_many if f.remote_field.through is sender), None)
    if field is None:
        return
    if action in ("pre_add", "pre_remove", "pre_clear"):
        instance._m2m_before = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    elif action in ("post_add", "post_remove", "post_clear"):
        before = getattr(instance, "_m2m_before", None)
        after = sorted(getattr(instance, field.name).values_list("pk", flat=True))
        if before is not None and before != after:
            changelog.record_related(instance, {field.name: before}, {field.name: after})


def connect() -> None:
    m2m_changed.connect(on_m2m_changed, dispatch_uid="steward_changelog_m2m")
    pre_save.connect(before_save, dispatch_uid="steward_changelog_before_save")
    post_save.connect(on_save, dispatch_uid="steward_changelog_save")
    post_delete.connect(on_delete, dispatch_uid="steward_changelog_delete")
    connect_search_index()


# --- search index: one hook, kept apart from the change log ------------------------------------
def connect_search_index() -> None:
    """Keep ``core.SearchEntry`` current on every save and delete (see steward.core.search.index)."""
    from steward.core.search import index

    post_save.connect(index.on_save, dispatch_uid="steward_search_save")
    post_delete.connect(index.on_delete, dispatch_uid="steward_search_delete")
