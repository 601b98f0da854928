"""Notifications: in-app messages and email, per-user preferences, subscriptions to records.

``notify`` is the one entry point. It writes in-app rows inside the caller's transaction (so
they vanish on rollback) and sends email only after commit. What each user receives per
kind and channel comes from ``UserPreferences.data["notifications"]`` falling back to the
kind's defaults. Following a record (``follow``) makes every change-log row written for it
notify the follower after commit.
"""

from __future__ import annotations

import logging
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core.models import Notification, Subscription, UserPreferences
from steward.core.registry import registry

logger = logging.getLogger(__name__)

CHANNELS = ("in_app", "email")


@dataclass(frozen=True)
class NotificationKind:
    """A kind of notification people can switch on or off per channel."""

    name: str
    label: str
    in_app: bool = True
    email: bool = False


def register_kind(kind: NotificationKind) -> NotificationKind:
    registry.notification_kinds[kind.name] = kind
    return kind


#: Registered by CoreConfig.ready(); other apps register their kinds the same way.
OBJECT_CHANGED = NotificationKind("object_changed", _("A record I follow changed"), in_app=True, email=False)
EVENT_RULE = NotificationKind("event_rule", _("Notifications sent by event rules"), in_app=True, email=False)


def preferences_for(user: Any) -> dict[str, dict[str, bool]]:
    """The effective channel choices of ``user`` for every registered kind."""
    prefs = UserPreferences.objects.filter(user=user).values_list("data", flat=True).first() or {}
    chosen = prefs.get("notifications", {}) if isinstance(prefs, dict) else {}
    result = {}
    for kind in registry.notification_kinds.values():
        own = chosen.get(kind.name, {})
        result[kind.name] = {c: bool(own.get(c, getattr(kind, c))) for c in CHANNELS}
    return result


def set_preferences(user: Any, choices: dict[str, dict[str, bool]]) -> None:
    """Store ``user``'s choices; unknown kinds or channels are refused naming them."""
    for kind, channels in choices.items():
        if kind not in registry.notification_kinds:
            raise ValueError(f"Unknown notification kind '{kind}'")
        for channel in channels:
            if channel not in CHANNELS:
                raise ValueError(f"Unknown channel '{channel}' for '{kind}'")
    prefs, _created = UserPreferences.objects.get_or_create(user=user)
    data = dict(prefs.data or {})
    data["notifications"] = {k: {c: bool(v) for c, v in ch.items()} for k, ch in choices.items()}
    prefs.data = data
    prefs.save(update_fields=["data"])


def _link(obj: models.Model | None) -> str:
    if obj is None:
        return ""
    try:
        return obj.get_absolute_url()
    except Exception:  # a record without a page: no link
        return ""


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    obj: models.Model | None = None,
    url: str = "",
) -> list[Notification]:
    """Notify each recipient on the channels they chose for ``kind``; email goes after commit."""
    if kind not in registry.notification_kinds:
        raise ValueError(f"Unknown notification kind '{kind}'")
    url = url or _link(obj)
    ct = ContentType.objects.get_for_model(obj) if obj is not None else None
    rows, emails = [], []
    for user in {u.pk: u for u in recipients if u is not None and u.is_active}.values():
        choice = preferences_for(user)[kind]
        if choice["in_app"]:
            rows.append(
                Notification(
                    recipient=user,
                    kind=kind,
                    title=str(title)[:255],
                    body=body,
                    content_type=ct,
                    object_id=obj.pk if obj is not None else None,
                    url=url,
                )
            )
        if choice["email"] and user.email:
            emails.append(user.email)
    created = Notification.objects.bulk_create(rows)
    if emails:
        transaction.on_commit(lambda: _send_email(emails, str(title), body, url), robust=True)
    return created


def _send_email(addresses: list[str], title: str, body: str, url: str) -> None:
    base = getattr(settings, "STEWARD_BASE_URL", "")
    text = body + (f"\n\n{base}{url}" if url else "")
    for address in addresses:
        # One message per recipient: addresses are never disclosed to each other.
        send_mail(f"[Steward] {title}", text, None, [address], fail_silently=False)


# --- subscriptions --------------------------------------------------------------------------
def follow(user: Any, obj: models.Model) -> Subscription:
    sub, _created = Subscription.objects.get_or_create(
        user=user, content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    )
    return sub


def unfollow(user: Any, obj: models.Model) -> None:
    Subscription.objects.filter(
        user=user, content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).delete()


def is_following(user: Any, obj: models.Model) -> bool:
    return Subscription.objects.filter(
        user=user, content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).exists()


ACTION_WORDS = {"create": _("created"), "update": _("updated"), "delete": _("deleted")}


def on_changes(rows: list[Any]) -> None:
    """Change-log hook: after commit, tell the followers of each changed record.

    A record being created has no followers yet (following is done on an existing record, in a
    request of its own), so creations are not looked up: an import or an incident create
    costs no subscription query. On SQLite a new row may also reuse the key of a deleted one,
    whose followers must not hear of it."""
    rows = [row for row in rows if row.action != "create"]
    if rows:
        transaction.on_commit(partial(_notify_followers, _ChangeKeys(rows)), robust=True)


class _ChangeKeys:
    """What the after-commit follower check needs of the change-log rows, kept compact.

    A bulk import logs every row of its file in one transaction; holding a tuple with the
    object's label per row until the commit grew the importer's memory with the file. Ids are
    kept as machine integers, and labels only for deletes (the record itself is gone then).
    """

    def __init__(self, rows: list[Any]) -> None:
        self.types = array("q", (r.changed_object_type_id for r in rows))
        self.ids = array("q", (r.changed_object_id for r in rows))
        self.users = array("q", (r.user_id or 0 for r in rows))
        self.actions = bytes(ACTION_CODES[r.action] for r in rows)
        self.deleted = {n: r.object_repr for n, r in enumerate(rows) if r.action == "delete"}

    def __iter__(self) -> Iterator[tuple[int, int, str, str | None, int | None]]:
        for n, (ct_id, obj_id, user_id) in enumerate(zip(self.types, self.ids, self.users, strict=True)):
            yield ct_id, obj_id, ACTIONS[self.actions[n]], self.deleted.get(n), user_id or None


ACTIONS = tuple(ACTION_WORDS)
ACTION_CODES = {action: code for code, action in enumerate(ACTIONS)}


def _notify_followers(keys: Iterable[tuple[int, int, str, str | None, int | None]]) -> None:
    # Windows of 500 rows, one IN list per content type each: an OR per row overflows SQLite's
    # expression depth when a bulk load (demo data, imports) logs thousands of rows at once, and
    # the window keeps memory flat however many rows the transaction logged.
    it = iter(keys)
    while window := list(islice(it, 500)):
        _notify_window(window)


def _notify_window(keys: list[tuple[int, int, str, str | None, int | None]]) -> None:
    ids_by_type: dict[int, list[int]] = {}
    for ct_id, obj_id, *_rest in keys:
        ids_by_type.setdefault(ct_id, []).append(obj_id)
    subs = []
    for ct_id, ids in ids_by_type.items():
        subs += Subscription.objects.filter(content_type_id=ct_id, object_id__in=ids).select_related(
            "user", "content_type"
        )
    if not subs:
        return
    by_object: dict[tuple[int, int], list[Any]] = {}
    for sub in subs:
        by_object.setdefault((sub.content_type_id, sub.object_id), []).append(sub)
    for ct_id, obj_id, action, label, actor_id in keys:
        followers = [s.user for s in by_object.get((ct_id, obj_id), []) if s.user_id != actor_id]
        if not followers:
            continue
        ct = by_object[(ct_id, obj_id)][0].content_type
        obj = None if action == "delete" else ct.model_class()._default_manager.filter(pk=obj_id).first()
        label = label if label is not None else str(obj)[:200] if obj is not None else ""
        with transaction.atomic():
            notify(
                recipients=followers,
                kind=OBJECT_CHANGED.name,
                title=f"{str(ct.model_class()._meta.verbose_name).capitalize()} {label} was {ACTION_WORDS[action]}",
                obj=obj,
            )
        if action == "delete":
            Subscription.objects.filter(content_type_id=ct_id, object_id=obj_id).delete()


# --- the event rules' notify action ---------------------------------------------------------
def rule_recipients(rule: Any, event: Any) -> list[Any]:
    """The active users ``rule`` names for ``event``: users, role members, followers, person fields."""
    User = get_user_model()
    users: dict[int, Any] = {u.pk: u for u in rule.notify_users.filter(is_active=True)}
    roles = list(rule.notify_roles.values_list("pk", flat=True))
    if roles:
        users.update({u.pk: u for u in User.objects.filter(is_active=True, groups__in=roles).distinct()})
    model = _event_model(event)
    if model is not None and event.object_id is not None:
        if rule.notify_followers:
            ct = ContentType.objects.get_for_model(model)
            for sub in Subscription.objects.filter(content_type=ct, object_id=event.object_id).select_related(
                "user"
            ):
                users.setdefault(sub.user_id, sub.user)
        for name in rule.notify_field_names():
            user = _user_in_field(model, name, event.data or {})
            if user is not None and user.is_active:
                users.setdefault(user.pk, user)
    return list(users.values())


def _event_model(event: Any) -> type[models.Model] | None:
    from django.apps import apps

    try:
        return apps.get_model(event.model) if event.model else None
    except (LookupError, ValueError):
        return None


def _user_in_field(model: type[models.Model], name: str, data: dict[str, Any]) -> Any:
    """The user account behind foreign key ``name`` of the event's data (a user, or a person's user)."""
    from django.core.exceptions import FieldDoesNotExist

    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        logger.warning("event rule: %s has no field %s", model._meta.label_lower, name)
        return None
    if not (field.many_to_one or field.one_to_one) or field.related_model is None:
        return None
    pk = data.get(field.attname)
    if pk is None:
        return None
    target = field.related_model._default_manager.filter(pk=pk).first()
    if isinstance(target, get_user_model()):
        return target
    account = getattr(target, "user", None)  # a person (or anything) with a user account
    return account if isinstance(account, get_user_model()) else None


def notify_for_rule(rule: Any, event: Any) -> list[Notification]:
    """The notify action of an event rule: render its templates and notify its recipients."""
    from steward.core.events import render_template

    recipients = rule_recipients(rule, event)
    if not recipients:
        return []
    payload = event.payload()
    model = _event_model(event)
    obj = None
    if model is not None and event.object_id is not None and not event.name.endswith(".deleted"):
        obj = model._default_manager.filter(pk=event.object_id).first()
    with transaction.atomic():
        return notify(
            recipients=recipients,
            kind=EVENT_RULE.name,
            title=render_template(rule.notify_title, payload),
            body=render_template(rule.notify_body, payload),
            obj=obj,
            url=event.object_url,
        )


def mark_read(user: Any, pks: Iterable[int] | None = None) -> int:
    """Mark ``user``'s notifications read (all of them when ``pks`` is None); returns how many."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pks is not None:
        qs = qs.filter(pk__in=list(pks))
    return qs.update(read_at=timezone.now())


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_widget(user: Any) -> dict[str, Any]:
    from django.urls import reverse

    return {"value": unread_count(user), "url": reverse("notifications") + "?unread=1"}


__all__ = [
    "NotificationKind",
    "follow",
    "is_following",
    "mark_read",
    "notify",
    "notify_for_rule",
    "on_changes",
    "preferences_for",
    "register_kind",
    "set_preferences",
    "unfollow",
    "unread_count",
]
